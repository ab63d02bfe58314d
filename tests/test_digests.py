"""The digests (`digests/2026/w48/`, `digests/2026/11/`, `digests/`) and the weekly digest
feed (`digests/feed.xml`): ISO weeks at the year's edges, comparisons with the period
before, what a period started, finished and reached, and real builds (cold, after an edit,
after a deletion) in both shipped themes."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from qa.feeds import check_feed
from sitefiles import FIXED_EPOCH, write_site
from test_incremental import _cold, _tree

from tamatar_site.build.pipeline import BuildOptions
from tamatar_site.build.session import SiteBuilder
from tamatar_site.cli import main
from tamatar_site.compute.digests import Period, compute_digests, finished_weeks, period_of
from tamatar_site.load.themes import shipped_themes
from tamatar_site.model import Goal, Log, Milestone, Resource, Site, Tag

ZONE = zoneinfo.ZoneInfo("Europe/Berlin")
CONFIG = """\
site:
  title: Digests
  base_url: https://example.org/dev/
  timezone: Europe/Berlin
  theme: {theme}
"""


def _log(day: str, slug: str, *, mood: int | None = None, tags: tuple[str, ...] = ()) -> Log:
    date = dt.date.fromisoformat(day)
    return Log(
        source=f"logs/{day}-{slug}.md",
        slug=slug,
        title=slug,
        date=date,
        timestamp=dt.datetime(date.year, date.month, date.day, 9, tzinfo=ZONE),
        body="Notes.",
        body_line=4,
        tags=tuple(Tag(t, t) for t in tags),
        mood=mood,
    )


def _site(*logs: Log, **more: object) -> Site:
    ordered = tuple(sorted(logs, key=lambda log: log.date, reverse=True))
    return Site(logs=ordered, **more)  # type: ignore[arg-type]


def test_iso_weeks_at_the_edges_of_years() -> None:
    # 2020 has a week 53 that ends on 3 Jan 2021; 29 Dec 2025 starts 2026-W01.
    assert period_of("week", dt.date(2020, 12, 31)) == Period("week", 2020, 53)
    assert period_of("week", dt.date(2021, 1, 3)) == Period("week", 2020, 53)
    assert period_of("week", dt.date(2025, 12, 29)) == Period("week", 2026, 1)
    assert Period("week", 2021, 1).previous() == Period("week", 2020, 53)
    assert Period("week", 2026, 1).previous() == Period("week", 2025, 52)
    assert Period("month", 2026, 1).previous() == Period("month", 2025, 12)
    assert Period("week", 2020, 53).end == dt.date(2021, 1, 3)
    assert Period("month", 2026, 12).end == dt.date(2026, 12, 31)

    index = compute_digests(
        _site(_log("2020-12-31", "a"), _log("2021-01-03", "b"), _log("2025-12-29", "c"))
    )
    weeks = {d.period.label: [log.slug for log in d.logs] for d in index.weeks}
    assert weeks == {"2020-W53": ["b", "a"], "2026-W01": ["c"]}
    months = {d.period.label for d in index.months}
    assert months == {"2020-12", "2021-01", "2025-12"}


def test_averages_against_the_period_before_and_none_without_data() -> None:
    index = compute_digests(
        _site(
            _log("2026-11-02", "a", mood=6),
            _log("2026-11-03", "b", mood=8),
            _log("2026-11-09", "c", mood=9),  # the week after: 9 against 7
            _log("2026-11-23", "d", mood=5),  # a week later: the week before has no log
            _log("2026-11-30", "e"),  # the week before gives a mood, this one none
        )
    )
    weeks = {d.period.label: d for d in index.weeks}
    assert (weeks["2026-W45"].mood, weeks["2026-W45"].previous_mood) == (7.0, None)
    assert (weeks["2026-W46"].mood, weeks["2026-W46"].previous_mood) == (9.0, 7.0)
    assert (weeks["2026-W48"].mood, weeks["2026-W48"].previous_mood) == (5.0, None)
    assert (weeks["2026-W49"].mood, weeks["2026-W49"].previous_mood) == (None, 5.0)
    (november,) = index.months
    assert (november.period.label, november.mood, november.previous_mood) == ("2026-11", 7.0, None)


def test_resources_milestones_and_new_tags_fall_in_their_periods() -> None:
    rust = Resource("resources/rust.yaml", "rust", "Rust", started=dt.date(2026, 11, 2))
    db = Resource(
        "resources/db.yaml", "db", "DB", started=dt.date(2026, 10, 1), finished=dt.date(2026, 11, 4)
    )
    goal = Goal(
        "goals/g.yaml",
        "g",
        "G",
        milestones=(
            Milestone("reached", True, dt.date(2026, 11, 10)),
            Milestone("open", False, dt.date(2026, 11, 11)),  # not done: not reached
        ),
    )
    index = compute_digests(
        _site(
            _log("2026-11-02", "a", tags=("rust",)),
            _log("2026-11-10", "b", tags=("rust", "sql")),
            resources=(rust, db),
            goals=(goal,),
        )
    )
    weeks = {d.period.label: d for d in index.weeks}
    w45, w46 = weeks["2026-W45"], weeks["2026-W46"]
    assert [r.slug for r in w45.resources_started] == ["rust"]
    assert [r.slug for r in w45.resources_finished] == ["db"]
    assert [m.milestone.title for m in w46.milestones] == ["reached"]
    assert ([t.slug for t in w45.new_tags], [t.slug for t in w46.new_tags]) == (["rust"], ["sql"])
    october_start = [d for d in index.months if d.period.label == "2026-10"]
    assert october_start == []  # a resource started in a month without logs makes no page
    assert finished_weeks(index.weeks, dt.date(2026, 11, 10)) == (w45,)
    assert finished_weeks(index.weeks, dt.date(2026, 11, 16)) == (w46, w45)


def _post(day: str, slug: str, extra: str = "", body: str = "") -> tuple[str, str]:
    text = f"---\ntitle: Log {slug}\ndate: {day}\n{extra}---\n{body or f'The notes of {slug}.'}\n"
    return f"logs/{day}-{slug}.md", text


FILES = dict(
    [
        _post("2020-12-31", "eve", "mood: 6\n"),
        _post("2021-01-02", "new-year", "mood: 8\ntags: [rust]\n"),
        _post("2025-12-29", "boundary", "tags: [rust]\n"),
        _post("2026-01-02", "still-w01", "mood: 6\nproductivity: 5\nfocus_minutes: 50\n"),
        _post("2026-01-05", "w02", "mood: 7\nproductivity: 7\ntags: [sql]\n"),
        _post("2026-01-20", "w04", "mood: 9\n"),  # W03 is empty
    ]
)
FILES["resources/book.yaml"] = "title: A Book\nstarted: 2026-01-05\nfinished: 2026-01-07\n"
FILES["goals/learn.yaml"] = (
    "title: Learn\nmilestones:\n  - {title: First chapter, date: 2026-01-06, done: true}\n"
)


def _build(site: Path, out: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(site), "-o", str(out)], env={"SOURCE_DATE_EPOCH": FIXED_EPOCH}
    )
    assert result.exit_code == 0, result.output


def _text(out: Path, permalink: str) -> str:
    html = (out / permalink / "index.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _shows_score(text: str, value: str) -> bool:
    """An average mood or productivity of `value` as either theme words it (`7.0 average
    mood`, `Average mood 7.0`)."""
    score = re.escape(value)
    pattern = rf"\b{score} average (mood|productivity)|Average (mood|productivity) {score}\b"
    return re.search(pattern, text) is not None


def _pages(out: Path) -> set[str]:
    return {p.parent.relative_to(out).as_posix() for p in (out / "digests").rglob("index.html")}


@pytest.mark.parametrize("theme", shipped_themes())
def test_a_built_site_has_a_digest_per_week_and_month_with_logs(tmp_path: Path, theme: str) -> None:
    site = write_site(tmp_path / "site", FILES, config=CONFIG.format(theme=theme))
    out = tmp_path / "out"
    _build(site, out)
    assert _pages(out) == {
        "digests",
        *(f"digests/{year}" for year in (2020, 2021, 2025, 2026)),
        "digests/2020/w53",  # 31 Dec 2020 and 2 Jan 2021
        "digests/2026/w01",  # 29 Dec 2025 and 2 Jan 2026
        "digests/2026/w02",
        "digests/2026/w04",  # no w03: an empty week has no page
        "digests/2020/12",
        "digests/2021/01",
        "digests/2025/12",
        "digests/2026/01",
    }
    w53 = _text(out, "digests/2020/w53/")
    assert "Log eve" in w53 and "Log new-year" in w53
    assert _shows_score(w53, "7.0") and "from the week before" not in w53  # W52: no log
    w02 = _text(out, "digests/2026/w02/")
    assert re.search(r"7\.0\W+(average mood )?up 1\.0 from the week before", w02), w02
    assert re.search(r"7\.0\W+(average productivity )?up 2\.0 from the week before", w02)
    assert "A Book" in w02 and "First chapter" in w02
    assert "#sql" in w02 and "#rust" not in w02  # rust was first used in 2021
    w04 = _text(out, "digests/2026/w04/")
    assert _shows_score(w04, "9.0") and "week before" not in w04  # W03 has no data
    january = _text(out, "digests/2026/01/")
    assert _shows_score(january, "7.3") and "month before" not in january  # Dec: no mood
    index = (out / "digests/index.html").read_text(encoding="utf-8")
    assert 'href="/dev/digests/2026/w04/"' in index and "w03" not in index
    assert 'rel="alternate" type="application/atom+xml"' in index
    assert 'href="/dev/digests/feed.xml"' in (out / "digests/2026/w02/index.html").read_text(
        encoding="utf-8"
    )
    assert 'href="/dev/digests/"' in (out / "logs/index.html").read_text(encoding="utf-8")
    assert 'href="/dev/digests/2026/"' in (out / "stats/index.html").read_text(encoding="utf-8")


def _feed_ids(out: Path) -> list[str]:
    return [entry.id for entry in feedparser.parse((out / "digests/feed.xml").read_bytes()).entries]


def test_the_digest_feed_has_the_finished_weeks_with_stable_ids(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, config=CONFIG.format(theme="default"))
    first, second = tmp_path / "first", tmp_path / "second"
    _build(site, first)
    assert check_feed(first / "digests/feed.xml", first).problems == []
    parsed = feedparser.parse((first / "digests/feed.xml").read_bytes())
    # W04 holds the newest log: not finished, not in the feed.
    assert [e.link for e in parsed.entries] == [
        f"https://example.org/dev/digests/{path}/" for path in ("2026/w02", "2026/w01", "2020/w53")
    ]
    assert parsed.entries[0].id == "tag:example.org,2026-01-05:digest:2026-W02"
    assert "up 1.0 from the week before" in parsed.entries[0].content[0].value
    assert "https://example.org/dev/logs/2026/01/05/w02/" in parsed.entries[0].content[0].value

    _build(site, second)
    assert (first / "digests/feed.xml").read_bytes() == (second / "digests/feed.xml").read_bytes()
    # A log in a later week finishes W04; the earlier entries keep their ids.
    write_site(site, dict([_post("2026-01-26", "w05")]), config=None)
    _build(site, second)
    assert _feed_ids(second) == ["tag:example.org,2026-01-19:digest:2026-W04", *_feed_ids(first)]


def test_incremental_builds_equal_cold_builds_after_an_edit_and_a_deletion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    site = write_site(tmp_path / "site", FILES, config=CONFIG.format(theme="default"))
    out = tmp_path / "out"
    _build(site, out)

    edited = site / "logs/2026-01-05-w02.md"
    edited.write_text(edited.read_text().replace("The notes of w02.", "Rewritten: sqlite."))
    (site / "logs/2026-01-20-w04.md").write_text(
        _post("2026-01-20", "w04", "mood: 3\n")[1], encoding="utf-8"
    )
    _build(site, out)
    cold = _cold(site, tmp_path, "edit")
    for path in ("digests/2026/w02/index.html", "digests/2026/01/index.html", "digests/feed.xml"):
        assert _tree(out)[path] == cold[path], path
    assert "Rewritten: sqlite." in _text(out, "digests/2026/w02/")
    assert "3.0" in _text(out, "digests/2026/w04/")
    assert _tree(out) == cold

    (site / "logs/2026-01-20-w04.md").unlink()  # the only log of its week
    _build(site, out)
    assert not (out / "digests/2026/w04").exists()
    assert "w04" not in (out / "digests/index.html").read_text(encoding="utf-8")
    assert _tree(out) == _cold(site, tmp_path, "deletion")


def test_a_serve_edit_writes_the_digest_feed_only_when_a_finished_week_shows_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    site = write_site(tmp_path / "site", FILES, config=CONFIG.format(theme="default"))
    out = tmp_path / "out"
    options = BuildOptions(output_dir=out, offline=True)
    builder = SiteBuilder(site)
    assert not builder.build(options).diagnostics.has_errors
    feed = out / "digests/feed.xml"
    before = feed.stat()

    newest = site / "logs/2026-01-20-w04.md"  # W04 is not finished: not in the feed
    newest.write_text(newest.read_text().replace("The notes of w04.", "Unfinished week."))
    assert not builder.build(options, changed=[newest]).diagnostics.has_errors
    assert (feed.stat().st_ino, feed.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert _tree(out) == _cold(site, tmp_path, "newest")

    finished = site / "logs/2026-01-05-w02.md"
    finished.write_text(finished.read_text().replace("The notes of w02.", "Rewritten: sqlite."))
    assert not builder.build(options, changed=[finished]).diagnostics.has_errors
    assert b"Rewritten: sqlite." in feed.read_bytes()
    assert _tree(out) == _cold(site, tmp_path, "finished")
