"""Compute stage: logs per ISO week and per month, mood/productivity and focus series, top tags.

Every series is dense: it runs from the period of the first log to the period
of ``today`` (or of the last log, when that is later) with zero-count periods
in between, so charts have no holes. One pass over the logs, then one step per
period: O(n + periods).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from tamatar_site.model import Log, Tag

_T = TypeVar("_T")


@dataclass(frozen=True)
class WeekStat:
    """One ISO week (Monday to Sunday), identified by its Monday."""

    start: dt.date
    iso_year: int
    iso_week: int
    logs: int = 0
    focus_minutes: int = 0
    mood: float | None = None  # average over logs that give a mood; None when none do
    productivity: float | None = None

    @property
    def label(self) -> str:
        """`2026-W47`."""
        return f"{self.iso_year}-W{self.iso_week:02d}"


@dataclass(frozen=True)
class MonthStat:
    year: int
    month: int
    logs: int = 0
    focus_minutes: int = 0

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def label(self) -> str:
        """`2026-11`."""
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True)
class TagCount:
    tag: Tag
    count: int


@dataclass(frozen=True)
class Totals:
    logs: int = 0
    words: int = 0  # whitespace-separated words of the Markdown bodies
    focus_minutes: int = 0
    tags: int = 0  # distinct tags
    projects: int = 0  # distinct projects mentioned by logs
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    mood: float | None = None  # overall averages
    productivity: float | None = None

    @property
    def focus_hours(self) -> float:
        return round(self.focus_minutes / 60, 1)


@dataclass(frozen=True)
class SiteStats:
    today: dt.date
    weeks: tuple[WeekStat, ...]
    months: tuple[MonthStat, ...]
    top_tags: tuple[TagCount, ...]
    totals: Totals


class _Bucket:
    """Mutable accumulator for one period while scanning."""

    __slots__ = ("focus", "logs", "mood_n", "mood_sum", "prod_n", "prod_sum")

    def __init__(self) -> None:
        self.logs = 0
        self.focus = 0
        self.mood_sum = 0
        self.mood_n = 0
        self.prod_sum = 0
        self.prod_n = 0


def body_words(log: Log) -> int:
    """The whitespace-separated words of a log's Markdown body (the stats' word count)."""
    return log.words


def _average(total: int, count: int) -> float | None:
    return round(total / count, 2) if count else None


def compute_stats(
    logs: Iterable[Log],
    today: dt.date,
    *,
    top_tags: int = 10,
    tag_names: dict[str, str] | None = None,
    count_words: bool = True,
) -> SiteStats:
    """All per-period series, the top ``top_tags`` tags and totals for ``logs``.

    Tags are ranked by count (highest first), then by display name; ``tag_names``
    (slug -> display name, as in ``Site.tag_names``) overrides the names on logs.
    Counting words splits every body (about 12 us for a 550-word log, the only
    part that is not O(1) per log); ``count_words=False`` skips it (words = 0).
    """
    weeks: dict[int, _Bucket] = {}  # Monday's ordinal -> bucket
    months: dict[int, _Bucket] = {}  # year * 12 + month - 1 -> bucket
    tag_counts: dict[str, int] = {}
    tags_seen: dict[str, Tag] = {}
    projects: set[str] = set()
    total = _Bucket()
    words = 0
    first: dt.date | None = None
    last: dt.date | None = None

    for log in logs:
        day = log.date
        if first is None or day < first:
            first = day
        if last is None or day > last:
            last = day
        ordinal = day.toordinal()
        week = weeks.get(ordinal - day.weekday())
        if week is None:
            week = weeks[ordinal - day.weekday()] = _Bucket()
        month_key = day.year * 12 + day.month - 1
        month = months.get(month_key)
        if month is None:
            month = months[month_key] = _Bucket()
        for bucket in (week, month, total):
            bucket.logs += 1
            if log.focus_minutes is not None:
                bucket.focus += log.focus_minutes
            if log.mood is not None:
                bucket.mood_sum += log.mood
                bucket.mood_n += 1
            if log.productivity is not None:
                bucket.prod_sum += log.productivity
                bucket.prod_n += 1
        if count_words:
            words += body_words(log)
        for tag in log.tags:
            tag_counts[tag.slug] = tag_counts.get(tag.slug, 0) + 1
            tags_seen.setdefault(tag.slug, tag)
        if log.project:
            projects.add(log.project)

    names = tag_names or {}
    ranked = sorted(
        (
            TagCount(Tag(slug, names.get(slug, tags_seen[slug].name)), count)
            for slug, count in tag_counts.items()
        ),
        key=lambda tc: (-tc.count, tc.tag.name.casefold(), tc.tag.slug),
    )
    totals = Totals(
        logs=total.logs,
        words=words,
        focus_minutes=total.focus,
        tags=len(tag_counts),
        projects=len(projects),
        first_date=first,
        last_date=last,
        mood=_average(total.mood_sum, total.mood_n),
        productivity=_average(total.prod_sum, total.prod_n),
    )
    if first is None or last is None:
        return SiteStats(today, (), (), (), totals)
    end = max(last, today)
    return SiteStats(
        today=today,
        weeks=_dense_weeks(weeks, first, end),
        months=_dense_months(months, first, end),
        top_tags=tuple(ranked[:top_tags]),
        totals=totals,
    )


def _dense_weeks(weeks: dict[int, _Bucket], first: dt.date, end: dt.date) -> tuple[WeekStat, ...]:
    empty = _Bucket()
    start = first.toordinal() - first.weekday()
    stop = end.toordinal() - end.weekday()
    series = []
    for monday in range(start, stop + 1, 7):
        bucket = weeks.get(monday, empty)
        day = dt.date.fromordinal(monday)
        iso = day.isocalendar()
        series.append(
            WeekStat(
                start=day,
                iso_year=iso.year,
                iso_week=iso.week,
                logs=bucket.logs,
                focus_minutes=bucket.focus,
                mood=_average(bucket.mood_sum, bucket.mood_n),
                productivity=_average(bucket.prod_sum, bucket.prod_n),
            )
        )
    return tuple(series)


def _dense_months(
    months: dict[int, _Bucket], first: dt.date, end: dt.date
) -> tuple[MonthStat, ...]:
    empty = _Bucket()
    series = []
    for key in range(first.year * 12 + first.month - 1, end.year * 12 + end.month):
        bucket = months.get(key, empty)
        series.append(MonthStat(key // 12, key % 12 + 1, bucket.logs, bucket.focus))
    return tuple(series)


def recent(series: Sequence[_T], count: int) -> tuple[_T, ...]:
    """The last ``count`` periods of a series (for charts of the last N weeks or months)."""
    return tuple(series[-count:]) if count > 0 else ()
