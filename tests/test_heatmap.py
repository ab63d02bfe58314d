"""The 365-day heatmap: exact cell count, Sunday-first columns, counts, levels, month labels."""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import zoneinfo

from tamatar_site.compute.heatmap import DAYS, compute_heatmap
from tamatar_site.model import Log

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")


def make_log(date: dt.date, slug: str) -> Log:
    return Log(
        source=f"logs/{slug}.md",
        slug=slug,
        title=slug,
        date=date,
        timestamp=dt.datetime(date.year, date.month, date.day, 23, 30, tzinfo=KOLKATA),
        body="",
        body_line=1,
    )


def d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def logs_on(counts: dict[str, int]) -> list[Log]:
    return [make_log(d(day), f"{day}-{i}") for day, n in counts.items() for i in range(n)]


def test_exactly_365_cells_ending_today_sunday_first() -> None:
    heatmap = compute_heatmap([], d("2026-11-21"))  # a Saturday
    cells = heatmap.cells
    assert len(cells) == DAYS == 365
    assert (heatmap.start, heatmap.end) == (d("2025-11-22"), d("2026-11-21"))
    assert (cells[0].date, cells[-1].date) == (heatmap.start, heatmap.end)
    assert all(b.date - a.date == dt.timedelta(days=1) for a, b in itertools.pairwise(cells))
    assert all(len(week) == 7 for week in heatmap.weeks)
    assert len(heatmap.weeks) == 53
    # Row = weekday with Sunday first: every cell sits in the row of its weekday.
    for week in heatmap.weeks:
        for row, cell in enumerate(week):
            if cell is not None:
                assert (cell.date.weekday() + 1) % 7 == row
    # 2025-11-22 is a Saturday, so column 0 holds only that day.
    assert heatmap.weeks[0][:6] == (None,) * 6
    assert heatmap.total == heatmap.active_days == heatmap.max_count == 0
    assert {c.level for c in cells} == {0}


def test_window_in_a_leap_year_and_partial_last_column() -> None:
    heatmap = compute_heatmap([], d("2024-12-31"))  # a Tuesday; 2024 has 366 days
    assert heatmap.start == d("2024-01-02")
    assert len(heatmap.cells) == 365
    assert d("2024-02-29") in {c.date for c in heatmap.cells}
    last_week = heatmap.weeks[-1]
    assert [c.date if c else None for c in last_week] == [
        d("2024-12-29"),
        d("2024-12-30"),
        d("2024-12-31"),
        None,
        None,
        None,
        None,
    ]


def test_counts_per_day_and_logs_outside_the_window_are_skipped() -> None:
    logs = logs_on({"2026-11-21": 3, "2026-11-20": 1, "2025-11-22": 2, "2025-11-21": 5})
    logs += logs_on({"2026-11-22": 4})  # tomorrow
    heatmap = compute_heatmap(logs, d("2026-11-21"))
    by_date = {c.date: c for c in heatmap.cells}
    assert by_date[d("2026-11-21")].count == 3
    assert by_date[d("2026-11-20")].count == 1
    assert by_date[d("2025-11-22")].count == 2
    assert by_date[d("2026-11-19")].count == 0
    assert heatmap.total == heatmap.total_logs == 6
    assert heatmap.active_days == 3


def test_commits_add_to_the_counts() -> None:
    logs = logs_on({"2026-11-21": 1})
    commits = {d("2026-11-21"): 4, d("2026-11-01"): 2, d("2020-01-01"): 9}
    heatmap = compute_heatmap(logs, d("2026-11-21"), commits_per_day=commits)
    by_date = {c.date: c for c in heatmap.cells}
    assert (by_date[d("2026-11-21")].logs, by_date[d("2026-11-21")].commits) == (1, 4)
    assert by_date[d("2026-11-21")].count == 5
    assert by_date[d("2026-11-01")].count == 2
    assert (heatmap.total, heatmap.total_logs, heatmap.total_commits) == (7, 1, 6)


def test_levels_scale_to_the_90th_percentile() -> None:
    counts = {
        "2026-11-01": 1, "2026-11-02": 1, "2026-11-03": 1, "2026-11-04": 2, "2026-11-05": 2,
        "2026-11-06": 3, "2026-11-07": 4, "2026-11-08": 8, "2026-11-09": 20, "2026-11-10": 40,
    }  # fmt: skip
    heatmap = compute_heatmap(logs_on(counts), d("2026-11-21"))
    # Ten active days: the 90th percentile (nearest rank 9) is 20.
    assert heatmap.thresholds == (1, 6, 11, 16)
    levels = collections.Counter(c.level for c in heatmap.cells)
    assert levels == {0: 355, 1: 7, 2: 1, 4: 2}
    by_date = {c.date: c for c in heatmap.cells}
    assert by_date[d("2026-11-08")].level == 2
    assert by_date[d("2026-11-10")].level == 4
    assert heatmap.max_count == 40


def test_one_log_a_day_is_the_darkest_level() -> None:
    heatmap = compute_heatmap(logs_on({"2026-11-20": 1, "2026-11-21": 1}), d("2026-11-21"))
    assert collections.Counter(c.level for c in heatmap.cells) == {0: 363, 4: 2}
    assert heatmap.thresholds == (1, 1, 1, 1)


def test_even_spread_uses_every_level() -> None:
    counts = {f"2026-11-{day:02d}": day for day in range(1, 11)}  # 1..10 logs
    heatmap = compute_heatmap(logs_on(counts), d("2026-11-21"))
    # Scale 9: ceil(4c/9) gives 1,1,2,2,3,3,4,4,4,4.
    assert [c.level for c in heatmap.cells if c.count] == [1, 1, 2, 2, 3, 3, 4, 4, 4, 4]
    assert heatmap.thresholds == (1, 3, 5, 7)


def test_month_labels_sit_over_the_first_of_each_month() -> None:
    heatmap = compute_heatmap([], d("2026-11-21"))
    texts = [label.text for label in heatmap.month_labels]
    # The window starts on 22 Nov 2025: December's label is only 2 columns later,
    # so November 2025 gets no label of its own.
    assert texts == [
        "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"
    ]  # fmt: skip
    for label in heatmap.month_labels:
        days_of_column = [c.date for c in heatmap.weeks[label.column] if c is not None]
        assert any(day.day == 1 and day.month == label.month for day in days_of_column)
    early = compute_heatmap([], d("2026-11-05"))  # starts 6 Nov 2025: room for "Nov"
    assert early.month_labels[0].text == "Nov"
    assert early.month_labels[0].column == 0


def test_a_month_starting_at_the_right_edge_gets_no_label() -> None:
    heatmap = compute_heatmap([], d("2026-12-01"))  # December starts in the last column
    assert heatmap.month_labels[-1].text == "Nov"
    assert all(label.column <= len(heatmap.weeks) - 3 for label in heatmap.month_labels)
