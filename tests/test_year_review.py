"""The year in review (`digests/<year>/`): totals, the longest streak inside the year, the
busiest month, top tags and code languages, what was shipped, finished and completed, and
the 12-month chart with its table, in both shipped themes."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main
from tamatar_site.compute.yearreview import compute_year_reviews
from tamatar_site.load.themes import shipped_themes
from tamatar_site.model import Goal, Log, Milestone, Project, Resource, Site, Tag
from tamatar_site.render.markdown import MarkdownRenderer

ZONE = zoneinfo.ZoneInfo("UTC")


def _log(day: str, *, tags: tuple[str, ...] = (), body: str = "one two", focus: int = 0) -> Log:
    date = dt.date.fromisoformat(day)
    return Log(
        source=f"logs/{day}.md",
        slug=day,
        title=day,
        date=date,
        timestamp=dt.datetime(date.year, date.month, date.day, 9, tzinfo=ZONE),
        body=body,
        body_line=4,
        tags=tuple(Tag(t, t) for t in tags),
        focus_minutes=focus or None,
    )


def _languages(logs: list[Log]) -> dict[str, tuple[str, ...]]:
    """Each log's code languages, as a build's rendered bodies hold them."""
    renderer = MarkdownRenderer()
    return {log.source: renderer.render(log.body).languages for log in logs}


def test_code_languages_come_from_fenced_blocks() -> None:
    def languages(body: str) -> tuple[str, ...]:
        return MarkdownRenderer().render(body).languages

    body = "```rust\nfn main() {}\n```\n\n~~~ Python extra\nx = 1\n~~~\n\n```\nplain\n```\n"
    assert languages(body) == ("rust", "python")
    assert languages("````md\n```rust\nnot a block\n```\n````\n") == ("md",)
    # As highlighted: the first word of the info string, in quotes and lists too, and an
    # indented block is no fenced block.
    assert languages("```rust,ignore\nx\n```\n\n> ```go\n> x\n> ```\n") == ("rust", "go")
    assert languages("    ```go\n    x\n    ```\n") == ()


def test_a_year_counts_only_its_own_days() -> None:
    logs = [
        # A streak of four days that crosses New Year: two of them in each year.
        _log("2025-12-30", tags=("rust",)),
        _log("2025-12-31", tags=("rust",)),
        _log("2026-01-01", tags=("rust", "sql"), body="```sql\nselect 1\n```", focus=30),
        _log("2026-01-02", tags=("sql",), focus=45),
        # March: three logs, two of them a streak; the busiest month.
        _log("2026-03-03", tags=("sql",), body="```rust\n1\n```\n```sql\n2\n```"),
        _log("2026-03-10"),
        _log("2026-03-11"),
    ]
    shipped = Project("projects/p.yaml", "p", "P", status="completed", end_date=dt.date(2026, 5, 1))
    unfinished = Project("projects/q.yaml", "q", "Q", status="active", end_date=dt.date(2026, 5, 1))
    book = Resource("resources/b.yaml", "b", "B", finished=dt.date(2025, 12, 1))
    goal = Goal(
        "goals/g.yaml",
        "g",
        "G",
        status="completed",
        target_date=dt.date(2027, 1, 1),
        milestones=(Milestone("m", True, dt.date(2026, 2, 1)),),
    )
    assert goal.completed_on == dt.date(2026, 2, 1)  # its last milestone, not its target
    site = Site(
        logs=tuple(reversed(logs)),
        projects=(shipped, unfinished),
        resources=(book,),
        goals=(goal,),
    )
    y2026, y2025 = compute_year_reviews(site, _languages(logs))
    assert (y2026.year, y2026.logs, y2026.tags, y2026.focus_minutes) == (2026, 5, 2, 75)
    assert y2026.longest_streak.length == 2
    assert y2026.longest_streak.start == dt.date(2026, 3, 10)  # the later of two equal runs
    assert y2026.busiest_month is not None and y2026.busiest_month.month == 3
    assert [m.logs for m in y2026.months] == [2, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert [(t.tag.slug, t.count) for t in y2026.top_tags] == [("sql", 3), ("rust", 1)]
    assert [(lang.language, lang.logs) for lang in y2026.languages] == [("sql", 2), ("rust", 1)]
    assert [p.slug for p in y2026.projects_shipped] == ["p"]
    assert [g.slug for g in y2026.goals_completed] == ["g"]
    assert y2026.resources_finished == ()
    assert y2026.words == 3 * 2 + 4 + 6  # three "one two" bodies and the two code bodies
    assert (y2025.logs, y2025.longest_streak.length, y2025.active_days) == (2, 2, 2)
    assert [r.slug for r in y2025.resources_finished] == ["b"]


def test_a_years_streak_follows_the_streak_settings() -> None:
    """Grace days and days with commits count as on the stats page."""
    logs = [_log("2026-03-01"), _log("2026-03-03"), _log("2026-03-06")]
    site = Site(logs=tuple(reversed(logs)))
    plain = compute_year_reviews(site, {})[0]
    assert plain.longest_streak.length == 1
    graced = compute_year_reviews(site, {}, grace_days=1)[0]
    assert (graced.longest_streak.start, graced.longest_streak.length) == (dt.date(2026, 3, 1), 2)
    commits = [dt.date(2026, 3, 4), dt.date(2026, 3, 5), dt.date(2025, 3, 2)]
    both = compute_year_reviews(site, {}, extra_days=commits, grace_days=1)[0]
    assert both.longest_streak.length == 5  # 1, 3, 4, 5, 6: the 2nd is a day of grace


FILES = {
    "logs/2025-06-01-first.md": "---\ntitle: First\ndate: 2025-06-01\ntags: [rust]\n---\nHi.\n",
    "logs/2026-02-10-a.md": "---\ntitle: A\ndate: 2026-02-10\ntags: [rust]\n---\nOne.\n",
    "logs/2026-02-11-b.md": "---\ntitle: B\ndate: 2026-02-11\ntags: [sql]\n---\nTwo.\n",
    "logs/2026-07-01-c.md": (
        "---\ntitle: C\ndate: 2026-07-01\nfocus_minutes: 90\n---\n```python\nx = 1\n```\n"
    ),
    "projects/shipped.yaml": "name: Shipped thing\nstatus: completed\nend_date: 2026-07-02\n",
    "resources/book.yaml": "title: Finished Book\nfinished: 2026-03-01\n",
}
CONFIG = "site:\n  title: Years\n  base_url: https://example.org/\n  theme: {theme}\n"


def _text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("theme", shipped_themes())
def test_each_year_with_logs_has_a_review_linked_from_the_stats_page(
    tmp_path: Path, theme: str
) -> None:
    site = write_site(tmp_path / "site", FILES, config=CONFIG.format(theme=theme))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(site), "-o", str(out)], env={"SOURCE_DATE_EPOCH": FIXED_EPOCH}
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "digests").iterdir() if p.name.isdigit()) == [
        "2025",
        "2026",
    ]
    stats = (out / "stats/index.html").read_text(encoding="utf-8")
    assert 'href="/digests/2026/"' in stats and 'href="/digests/2025/"' in stats

    html = (out / "digests/2026/index.html").read_text(encoding="utf-8")
    text = _text(out / "digests/2026/index.html")
    assert "2026 in review" in text
    assert "Shipped thing" in text and "Finished Book" in text
    assert "python" in text and "#rust" in text and "#sql" in text
    assert "1 h 30 min" in text
    assert re.search(r"Feb 2026 .{0,80}2 logs", text), text  # the busiest month
    # The 12-month chart: an SVG with a title, and the same numbers as a table.
    assert html.count("<svg") >= 1 and "<title" in html
    chart_titles = re.findall(r'<svg [^>]*role="img"[^>]*><title id="[^"]+">([^<]+)</title>', html)
    assert chart_titles and all(title.startswith("Logs per month") for title in chart_titles)
    rows = re.findall(r"<tr><th scope=\"row\">([^<]+)</th><td>(\d+)</td></tr>", html)
    assert len(rows) == 12 and rows[1][1] == "2" and rows[6][1] == "1"
    assert 'href="/digests/2026/02/"' in html  # its month digests
    assert 'href="/digests/2025/"' in html  # the year before
