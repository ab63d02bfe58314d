"""Compute stage: the GitHub-style activity heatmap of the 365 days ending today.

Layout: one column per week, weeks start on **Sunday** (row 0 = Sunday ..
row 6 = Saturday), as on a GitHub profile. The first and last columns may be
partial; the missing slots are ``None``, so there are exactly 365 cells.

Levels: 0 means no activity. Otherwise ``level = min(4, ceil(4 * count / scale))``
where ``scale`` is the 90th percentile (nearest rank) of the non-zero days in
the window. Using a high percentile instead of the maximum keeps one outlier
day (say 40 commits) from washing every other day out to level 1; with only
one log a day, every active day is level 4.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from tamatar_site.model import Log

DAYS = 365
MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


@dataclass(frozen=True)
class HeatmapCell:
    date: dt.date
    logs: int
    commits: int
    level: int  # 0..4

    @property
    def count(self) -> int:
        return self.logs + self.commits


@dataclass(frozen=True)
class MonthLabel:
    column: int  # index into Heatmap.weeks
    month: int  # 1..12

    @property
    def text(self) -> str:
        return MONTH_ABBREVIATIONS[self.month - 1]


@dataclass(frozen=True)
class Heatmap:
    start: dt.date
    end: dt.date  # today
    weeks: tuple[tuple[HeatmapCell | None, ...], ...]  # each has 7 slots, Sunday first
    month_labels: tuple[MonthLabel, ...]
    thresholds: tuple[int, int, int, int]  # lowest count that reaches level 1, 2, 3, 4
    total: int  # logs + commits over the window
    total_logs: int
    total_commits: int
    active_days: int
    max_count: int

    @property
    def cells(self) -> tuple[HeatmapCell, ...]:
        """The 365 cells, oldest first."""
        return tuple(c for week in self.weeks for c in week if c is not None)


def _level(count: int, scale: int) -> int:
    if count <= 0:
        return 0
    return min(4, -(-4 * count // scale))  # ceil without floats


def compute_heatmap(
    logs: Iterable[Log],
    today: dt.date,
    commits_per_day: Mapping[dt.date, int] | None = None,
) -> Heatmap:
    """The heatmap of the 365 days ending ``today`` (inclusive).

    Counts are logs per day plus, when given, commits per day (for example from
    GitHub). Logs outside the window are skipped in one pass, so this is O(n).
    """
    start = today - dt.timedelta(days=DAYS - 1)
    first, last = start.toordinal(), today.toordinal()
    log_counts = [0] * DAYS
    for log in logs:
        index = log.date.toordinal() - first
        if 0 <= index < DAYS:
            log_counts[index] += 1
    commit_counts = [0] * DAYS
    for day, count in (commits_per_day or {}).items():
        index = day.toordinal() - first
        if 0 <= index < DAYS and count > 0:
            commit_counts[index] += count

    totals = [a + b for a, b in zip(log_counts, commit_counts, strict=True)]
    nonzero = sorted(c for c in totals if c > 0)
    scale = nonzero[max(0, -(-9 * len(nonzero) // 10) - 1)] if nonzero else 1
    thresholds = _thresholds(scale)

    # Column 0 starts on the Sunday on or before `start`; weekday() has Monday = 0.
    lead = (start.weekday() + 1) % 7
    slots: list[HeatmapCell | None] = [None] * lead
    for index in range(DAYS):
        day = dt.date.fromordinal(first + index)
        slots.append(
            HeatmapCell(day, log_counts[index], commit_counts[index], _level(totals[index], scale))
        )
    slots.extend([None] * (-len(slots) % 7))
    weeks = tuple(tuple(slots[i : i + 7]) for i in range(0, len(slots), 7))

    return Heatmap(
        start=start,
        end=dt.date.fromordinal(last),
        weeks=weeks,
        month_labels=_month_labels(weeks),
        thresholds=thresholds,
        total=sum(totals),
        total_logs=sum(log_counts),
        total_commits=sum(commit_counts),
        active_days=len(nonzero),
        max_count=nonzero[-1] if nonzero else 0,
    )


def recent_weeks(heatmap: Heatmap, count: int) -> Heatmap:
    """The last `count` weeks of `heatmap` (for narrow screens), with the same colour
    thresholds so a day looks the same in both."""
    if count >= len(heatmap.weeks):
        return heatmap
    weeks = heatmap.weeks[-count:]
    cells = [cell for week in weeks for cell in week if cell is not None]
    totals = [cell.count for cell in cells]
    return replace(
        heatmap,
        start=cells[0].date,
        weeks=weeks,
        month_labels=_month_labels(weeks),
        total=sum(totals),
        total_logs=sum(cell.logs for cell in cells),
        total_commits=sum(cell.commits for cell in cells),
        active_days=sum(1 for total in totals if total),
        max_count=max(totals, default=0),
    )


def _thresholds(scale: int) -> tuple[int, int, int, int]:
    """The smallest count reaching each level 1..4 (levels may share a threshold)."""
    found = []
    for level in (1, 2, 3, 4):
        # smallest c >= 1 with ceil(4c/scale) >= level  <=>  4c > (level - 1) * scale
        found.append(max(1, (level - 1) * scale // 4 + 1))
    return (found[0], found[1], found[2], found[3])


def _month_labels(weeks: tuple[tuple[HeatmapCell | None, ...], ...]) -> tuple[MonthLabel, ...]:
    """A label over the column holding each month's 1st; the start month's label goes on
    column 0 only when there is room (3 columns) before the next label, and a month
    starting in the last 2 columns gets none (its label would run off the edge)."""
    labels = [
        MonthLabel(column, cell.date.month)
        for column, week in enumerate(weeks)
        for cell in week
        if cell is not None and cell.date.day == 1 and column <= len(weeks) - 3
    ]
    first_cell = next(c for c in weeks[0] if c is not None)
    if first_cell.date.day != 1 and (not labels or labels[0].column >= 3):
        labels.insert(0, MonthLabel(0, first_cell.date.month))
    return tuple(labels)
