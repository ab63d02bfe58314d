"""Per-week and per-month series, averages, focus minutes, top tags and totals."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from tamatar_site.compute.stats import MonthStat, TagCount, compute_stats, recent
from tamatar_site.model import Log, Tag

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")


def make_log(
    day: str,
    slug: str,
    *,
    tags: tuple[str, ...] = (),
    mood: int | None = None,
    productivity: int | None = None,
    focus: int | None = None,
    body: str = "",
    project: str | None = None,
) -> Log:
    date = dt.date.fromisoformat(day)
    return Log(
        source=f"logs/{day}-{slug}.md",
        slug=slug,
        title=slug,
        date=date,
        timestamp=dt.datetime(date.year, date.month, date.day, 9, tzinfo=KOLKATA),
        body=body,
        body_line=5,
        tags=tuple(Tag(t.lower(), t) for t in tags),
        mood=mood,
        productivity=productivity,
        focus_minutes=focus,
        project=project,
    )


def d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def test_empty_site_has_empty_series_and_zero_totals() -> None:
    stats = compute_stats([], d("2026-11-21"))
    assert (stats.weeks, stats.months, stats.top_tags) == ((), (), ())
    assert stats.totals.logs == 0
    assert stats.totals.focus_hours == 0
    assert stats.totals.mood is None


def test_weeks_are_dense_iso_weeks_up_to_today() -> None:
    logs = [
        make_log("2026-11-20", "c", mood=8, productivity=6, focus=30),  # Friday, W47
        make_log("2026-11-17", "b", mood=6, focus=60),  # Tuesday, W47
        make_log("2026-11-02", "a", productivity=9),  # Monday, W45
    ]
    stats = compute_stats(logs, d("2026-11-25"))  # Wednesday of W48
    assert [w.label for w in stats.weeks] == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert [w.start for w in stats.weeks] == [
        d("2026-11-02"),
        d("2026-11-09"),
        d("2026-11-16"),
        d("2026-11-23"),
    ]
    assert [w.logs for w in stats.weeks] == [1, 0, 2, 0]
    assert [w.focus_minutes for w in stats.weeks] == [0, 0, 90, 0]
    assert [w.mood for w in stats.weeks] == [None, None, 7.0, None]
    assert [w.productivity for w in stats.weeks] == [9.0, None, 6.0, None]


def test_week_of_new_year_belongs_to_its_iso_year() -> None:
    # 2027-01-01 is a Friday in ISO week 53 of 2026, whose Monday is 2026-12-28.
    stats = compute_stats([make_log("2027-01-01", "ny")], d("2027-01-04"))
    assert [(w.label, w.start, w.logs) for w in stats.weeks] == [
        ("2026-W53", d("2026-12-28"), 1),
        ("2027-W01", d("2027-01-04"), 0),
    ]


def test_months_are_dense_across_a_year_boundary() -> None:
    logs = [
        make_log("2026-11-30", "a", focus=25),
        make_log("2027-02-01", "b", focus=50),
        make_log("2027-02-28", "c"),
    ]
    stats = compute_stats(logs, d("2027-02-28"))
    assert stats.months == (
        MonthStat(2026, 11, 1, 25),
        MonthStat(2026, 12, 0, 0),
        MonthStat(2027, 1, 0, 0),
        MonthStat(2027, 2, 2, 50),
    )
    assert [m.label for m in stats.months] == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert stats.months[0].start == d("2026-11-01")


def test_series_extend_to_the_last_log_when_it_is_after_today() -> None:
    stats = compute_stats([make_log("2026-12-02", "f")], d("2026-11-20"))
    assert [m.label for m in stats.months] == ["2026-12"]
    assert [w.label for w in stats.weeks] == ["2026-W49"]


def test_mood_average_is_rounded_to_two_places() -> None:
    logs = [make_log("2026-11-16", "a", mood=7), make_log("2026-11-17", "b", mood=8)]
    logs.append(make_log("2026-11-18", "c", mood=8))
    stats = compute_stats(logs, d("2026-11-18"))
    assert stats.weeks[0].mood == 7.67
    assert stats.totals.mood == 7.67


def test_top_tags_by_count_then_name() -> None:
    logs = [
        make_log("2026-11-01", "a", tags=("Rust", "zig")),
        make_log("2026-11-02", "b", tags=("Rust", "Go")),
        make_log("2026-11-03", "c", tags=("rust-async", "zig", "Go")),
        make_log("2026-11-04", "d", tags=("apl",)),
    ]
    stats = compute_stats(logs, d("2026-11-04"), top_tags=4)
    assert stats.top_tags == (
        TagCount(Tag("go", "Go"), 2),
        TagCount(Tag("rust", "Rust"), 2),
        TagCount(Tag("zig", "zig"), 2),
        TagCount(Tag("apl", "apl"), 1),
    )
    renamed = compute_stats(logs, d("2026-11-04"), top_tags=1, tag_names={"zig": "Ziglang"})
    assert renamed.top_tags == (TagCount(Tag("go", "Go"), 2),)
    assert compute_stats(logs, d("2026-11-04"), top_tags=0).top_tags == ()


def test_totals() -> None:
    logs = [
        make_log("2026-11-01", "a", body="one two\nthree", focus=90, tags=("x",), project="p"),
        make_log("2026-11-03", "b", body="  four  ", focus=45, tags=("x", "y"), project="p"),
        make_log("2026-11-02", "c", mood=5, productivity=4, project="q"),
    ]
    totals = compute_stats(logs, d("2026-11-21")).totals
    assert totals.logs == 3
    assert totals.words == 4
    assert totals.focus_minutes == 135
    assert totals.focus_hours == 2.2  # 2.25 h rounded to one place, half to even
    assert (totals.tags, totals.projects) == (2, 2)
    assert (totals.first_date, totals.last_date) == (d("2026-11-01"), d("2026-11-03"))
    assert (totals.mood, totals.productivity) == (5.0, 4.0)


def test_recent_takes_the_tail() -> None:
    assert recent([1, 2, 3, 4], 2) == (3, 4)
    assert recent([1, 2], 5) == (1, 2)
    assert recent([1, 2], 0) == ()


def test_word_counting_can_be_skipped() -> None:
    logs = [make_log("2026-11-01", "a", body="one two three")]
    assert compute_stats(logs, d("2026-11-01")).totals.words == 3
    assert compute_stats(logs, d("2026-11-01"), count_words=False).totals.words == 0
