"""What a visitor of the example site sees (issue 14), in every shipped theme: GitHub data
that fits its project, counts that agree, true streak words, one date and one duration
format, prose summaries, project pages that lead with the stack, and the head of every page
(a description; highlight.css and charts.css only where used)."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefiles import FIXED_EPOCH

from tamatar_site.cli import main
from tamatar_site.load.themes import shipped_themes
from tamatar_site.render.templates import contrast_ratio, readable_on

EXAMPLE = Path(__file__).resolve().parents[1] / "example-site"


@pytest.fixture(scope="module", params=shipped_themes())
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp(f"visitor-{request.param}")
    site = tmp / "site"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("_site", "content"))
    config = site / "tamatar.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("\n  theme: default\n", f"\n  theme: {request.param}\n"))
    out = tmp / "out"
    result = CliRunner().invoke(
        main,
        ["build", str(site), "-o", str(out), "--offline"],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )
    assert result.exit_code == 0, result.output
    return out


def _page(out: Path, path: str) -> str:
    return (out / path / "index.html").read_text(encoding="utf-8")


def _visible_text(page: str) -> str:
    """The page's text as shown: no tags, attributes, scripts, styles or SVG titles."""
    body = page[page.index("<body") :]
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_github_data_belongs_to_the_project_it_describes(built: Path) -> None:
    hello = _visible_text(_page(built, "projects/hello-world"))
    assert "This your first repo!" in hello and "Jan 2011 to Apr 2011" in hello
    for slug in ("tidepool", "flake8-contributions", "minilang", "query-lens"):
        assert "Hello-World" not in _page(built, f"projects/{slug}")
    # no 2026 log shows a commit from 2011 or 2017
    for page in (built / "logs/2026").rglob("index.html"):
        text = _visible_text(page.read_text(encoding="utf-8"))
        assert not re.search(r"\b20(11|17)\b", text), page


def test_the_counts_agree(built: Path) -> None:
    home = _visible_text(_page(built, ""))
    stats = _visible_text(_page(built, "stats"))
    api = json.loads((built / "api/v1/logs.json").read_text(encoding="utf-8"))
    assert len(api["logs"]) == 44
    assert "44 logs on 44 days" in stats
    assert re.search(r"\b44 logs\b", home)
    assert re.search(r"\b44 active days\b|active days 44\b", home)


def test_streak_words_are_true(built: Path) -> None:
    # today is 22 Nov 2026 and the last log is of 20 Nov: no current streak, but one ended
    for page in (_page(built, ""), _page(built, "stats")):
        text = _visible_text(page)
        assert "last streak ended 20 Nov 2026" in text
        assert "no streak yet" not in text


def test_one_date_format_and_one_duration_format(built: Path) -> None:
    for path in _pages(built):
        text = _visible_text(path.read_text(encoding="utf-8"))
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text), path  # 2011-01-26
        assert not re.search(r"\d hours?\b|\bhours of focus|\d\.\d h\b", text), path
    home = _visible_text(_page(built, ""))
    assert re.search(r"\b\d+ h( \d+ min)? of focus\b", home)
    log = _visible_text(_page(built, "logs/2026/11/20/compaction-done"))
    assert "1 h 30 min" in log and "1 min read" in log


def test_summaries_are_opening_prose(built: Path) -> None:
    timeline = _visible_text(_page(built, "logs"))
    assert "1 M random 100-byte values, 16-byte keys, on my laptop's NVMe:" in timeline
    assert "workload. tidepool. sled" not in timeline
    assert "410 k ops/s" not in timeline


def test_project_page_leads_with_stack_and_milestones(built: Path) -> None:
    page = _page(built, "projects/tidepool")
    milestones = page.index("Milestones")
    first_log = page.index("Milestone: compaction works")
    assert milestones < first_log
    assert page.count("<article") <= 6  # the project and at most five log cards
    older = page[page.index('id="project-older-logs"') :]
    assert "Why I am building an LSM tree" in older  # the oldest of the 17, still linked


def test_every_page_has_a_description_and_only_the_stylesheets_it_uses(built: Path) -> None:
    pages = _pages(built)
    assert len(pages) > 80
    highlighted = 0
    for path in pages:
        page = path.read_text(encoding="utf-8")
        head = page[: page.index("</head>")]
        body = page[page.index("</head>") :]
        assert re.search(r'<meta name="description" content="[^"]{10,}">', head), path
        uses_code = 'class="highlight' in body
        assert ("assets/highlight.css" in head) == uses_code, path
        draws = re.search(r'class="[^"]*\b(chart|chart-bar|hm-cell|share-\d)[ "]', body)
        assert ("assets/charts.css" in head) == (draws is not None), path
        highlighted += uses_code
    assert 10 < highlighted < len(pages) / 2


def test_language_colours_reach_3_to_1_on_both_backgrounds() -> None:
    assert contrast_ratio("#555555", "#0d1117") < 3  # GitHub's colour for C, on dark
    assert contrast_ratio(readable_on("#555555", "#0d1117"), "#0d1117") >= 3
    assert readable_on("#555555", "#ffffff") == "#555555"  # fine on white: unchanged
    assert contrast_ratio(readable_on("#f1e05a", "#ffffff"), "#ffffff") >= 3  # JavaScript
    assert readable_on("not a colour", "#ffffff") == "not a colour"


def test_built_language_swatches_carry_readable_colours(built: Path) -> None:
    page = _page(built, "projects/hello-world")
    darks = re.findall(r"--(?:lang|tag-bg)-dark:(#[0-9a-f]{6})", page)
    assert darks, "no dark-mode language colour"
    background = "#0d1117" if "tamatar.css" in page else "#161614"
    assert all(contrast_ratio(colour, background) >= 3 for colour in darks)
