"""Profile cards (`cards/*.svg`): the example site's cards as XML, their numbers, size and
requests; escaping; and the cards after an added log, a deleted project and no change."""

from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main
from tamatar_site.compute import compute_streaks
from tamatar_site.render.documents.cards import (
    DARK,
    LIGHT,
    ProjectCard,
    TagsCard,
    render_project_card,
    render_tags_card,
)
from tamatar_site.validate.site import load_site

REPO = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
TODAY = dt.date(2026, 11, 22)  # FIXED_EPOCH's date


def _build(site: Path, out: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["build", str(site), "--offline", "-q", "-o", str(out)],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example site (a copy) and its output."""
    root = tmp_path_factory.mktemp("cards")
    site = root / "example-site"
    shutil.copytree(REPO / "example-site", site, ignore=shutil.ignore_patterns("_site"))
    _build(site, root / "out")
    return site, root / "out"


def _desc(path: Path) -> str:
    """The card's description, after checking it is an image with a title and one."""
    root = ET.fromstring(path.read_bytes())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    return desc.text


def test_every_card_is_a_small_self_contained_svg_in_light_and_dark(
    example: tuple[Path, Path],
) -> None:
    _, out = example
    cards = sorted((out / "cards").glob("*.svg"))
    names = {path.name for path in cards}
    assert {"streak-light.svg", "week-light.svg", "tags-light.svg", "languages-light.svg"} <= names
    stems = {name.rsplit("-", 1)[0] for name in names}
    assert names == {f"{stem}-{scheme}.svg" for stem in stems for scheme in ("light", "dark")}
    for path in cards:
        data = path.read_bytes()
        assert len(data) < 10 * 1024, f"{path.name}: {len(data)} bytes"
        _desc(path)
        text = data.decode("utf-8")
        assert text.replace('xmlns="http://www.w3.org/2000/svg"', "").count("http") == 0
        assert "@import" not in text and "url(" not in text and "href" not in text
    assert (out / "cards/streak-light.svg").read_bytes() != (
        out / "cards/streak-dark.svg"
    ).read_bytes()


def test_the_cards_state_the_sites_numbers(example: tuple[Path, Path]) -> None:
    site_dir, out = example
    site = load_site(site_dir).site
    assert site is not None
    streaks = compute_streaks(site.logs, TODAY)
    streak = _desc(out / "cards/streak-dark.svg")
    assert f"Current streak {streaks.current.length} day" in streak
    assert f"longest streak {streaks.longest.length} days" in streak
    assert f"{streaks.active_days} days active" in streak
    assert f"{len(site.logs)} logs" in streak

    week = _desc(out / "cards/week-light.svg")
    last_week = [log for log in site.logs if TODAY - dt.timedelta(days=6) <= log.date <= TODAY]
    assert week.startswith(f"{len(last_week)} logs in the last 7 days")

    tag_counts = Counter(tag.slug for log in site.logs for tag in log.tags)
    tags = _desc(out / "cards/tags-light.svg")
    for slug, count in tag_counts.most_common(3):
        assert f"{site.tag_names.get(slug, slug)}: {count} logs" in tags

    assert "%" in _desc(out / "cards/languages-light.svg")  # from the committed GitHub cache

    per_project = Counter(log.project for log in site.logs)
    for project in site.projects:
        desc = _desc(out / f"cards/project-{project.slug}-light.svg")
        count = per_project[project.slug]
        assert desc.startswith(f"{project.name}: {project.status}; {count} log")


def test_card_text_is_escaped() -> None:
    hostile = 'A </text><script>alert("x")</script> & <b>'
    card = ProjectCard("p", hostile, "active", hostile, (hostile,), 2, 3, 1)
    for palette in (LIGHT, DARK):
        root = ET.fromstring(render_project_card(card, palette))
        assert root.find(f"{SVG}script") is None
        desc = root.find(f"{SVG}desc")
        assert desc is not None and desc.text is not None and hostile in desc.text
        tags = ET.fromstring(render_tags_card(TagsCard(hostile, ((hostile, 1),)), palette))
        assert tags.find(f"{SVG}script") is None


def _log(day: int, tags: str = "[rust]") -> str:
    return f"---\ntitle: Day {day}\ndate: 2026-11-{day:02d}\ntags: {tags}\n---\nBody {day}.\n"


def test_cards_follow_an_added_log_a_deleted_project_and_no_change(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "logs/2026-11-20-a.md": _log(20),
            "projects/alpha.yaml": "name: Alpha\ndescription: First project\n",
            "projects/beta.yaml": "name: Beta\n",
        },
    )
    out = tmp_path / "out"
    _build(site, out)
    streak, tags = out / "cards/streak-light.svg", out / "cards/tags-dark.svg"
    assert "1 logs" not in _desc(streak) and "1 log." in _desc(streak)
    assert not (out / "cards/languages-light.svg").exists()  # no GitHub data, no card
    before = {path.name: path.stat().st_mtime_ns for path in (out / "cards").iterdir()}

    _build(site, out)  # nothing changed: not one card rewritten
    assert {path.name: path.stat().st_mtime_ns for path in (out / "cards").iterdir()} == before

    (site / "logs/2026-11-21-b.md").write_text(_log(21, "[go]"), encoding="utf-8")
    (site / "projects/beta.yaml").unlink()
    _build(site, out)
    assert "Current streak 2 days" in _desc(streak)
    assert "go: 1 log" in _desc(tags)
    assert not (out / "cards/project-beta-light.svg").exists()
    assert (out / "cards/project-alpha-dark.svg").stat().st_mtime_ns == before[
        "project-alpha-dark.svg"
    ]
