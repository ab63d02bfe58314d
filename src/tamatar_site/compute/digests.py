"""Compute stage: the digests, one per ISO week and one per calendar month with logs.

A digest gathers what happened in its period: the logs, the focus time, the average mood
and productivity beside those of the period just before (None when that period gives
none), the resources started and finished, the goal milestones reached and the tags first
used. Periods are in the site's time zone (`Log.date` is already the local date); weeks
are ISO weeks (`date.isocalendar()`), so 2025-12-29..2026-01-04 is 2026-W01 and a year
may have a week 53. A period without logs has no digest. One pass over the logs plus one
over resources and goals: O(n).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from tamatar_site.model import Goal, Log, Milestone, Resource, Site, Tag

PeriodKind = Literal["week", "month"]
_T = TypeVar("_T")

__all__ = [
    "Digest",
    "DigestIndex",
    "MilestoneReached",
    "Period",
    "compute_digests",
    "finished_weeks",
    "period_of",
]


@dataclass(frozen=True, order=True)
class Period:
    """An ISO week (`number` 1-53 of ISO year `year`) or a month (`number` 1-12)."""

    kind: PeriodKind
    year: int
    number: int

    @property
    def start(self) -> dt.date:
        if self.kind == "week":
            return dt.date.fromisocalendar(self.year, self.number, 1)
        return dt.date(self.year, self.number, 1)

    @property
    def end(self) -> dt.date:
        """The last day (a Sunday for weeks)."""
        if self.kind == "week":
            return dt.date.fromisocalendar(self.year, self.number, 7)
        following = dt.date(self.year + self.number // 12, self.number % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """`2026-W48` or `2026-11`."""
        if self.kind == "week":
            return f"{self.year}-W{self.number:02d}"
        return f"{self.year}-{self.number:02d}"

    def previous(self) -> Period:
        """The period just before (week 1's predecessor may be week 52 or 53)."""
        return period_of(self.kind, self.start - dt.timedelta(days=1))


def period_of(kind: PeriodKind, day: dt.date) -> Period:
    """The week or month `day` falls in."""
    if kind == "week":
        iso = day.isocalendar()
        return Period("week", iso.year, iso.week)
    return Period("month", day.year, day.month)


@dataclass(frozen=True)
class MilestoneReached:
    goal: Goal
    milestone: Milestone


@dataclass(frozen=True)
class Digest:
    """One period's digest. Averages are over the logs that give a value."""

    period: Period
    logs: tuple[Log, ...]  # newest first
    focus_minutes: int
    mood: float | None
    productivity: float | None
    previous_mood: float | None  # the period just before; None without data
    previous_productivity: float | None
    resources_started: tuple[Resource, ...]
    resources_finished: tuple[Resource, ...]
    milestones: tuple[MilestoneReached, ...]
    new_tags: tuple[Tag, ...]  # first used in this period, by first use


@dataclass(frozen=True)
class DigestIndex:
    """Every digest, newest period first, by kind."""

    weeks: tuple[Digest, ...]
    months: tuple[Digest, ...]

    def of(self, kind: PeriodKind) -> tuple[Digest, ...]:
        return self.weeks if kind == "week" else self.months


def _average(values: Iterable[int | None]) -> float | None:
    given = [v for v in values if v is not None]
    return sum(given) / len(given) if given else None


def compute_digests(site: Site) -> DigestIndex:
    """The digests of `site` (logs newest first, as `Site` keeps them)."""
    first_use: dict[str, dt.date] = {}
    first_tag: dict[str, Tag] = {}
    for log in reversed(site.logs):  # oldest first: the first use wins
        for tag in log.tags:
            if tag.slug not in first_use:
                first_use[tag.slug] = log.date
                first_tag[tag.slug] = tag
    return DigestIndex(
        weeks=_digests("week", site, first_use, first_tag),
        months=_digests("month", site, first_use, first_tag),
    )


def _digests(
    kind: PeriodKind, site: Site, first_use: dict[str, dt.date], first_tag: dict[str, Tag]
) -> tuple[Digest, ...]:
    by_period: dict[Period, list[Log]] = {}
    for log in site.logs:
        by_period.setdefault(period_of(kind, log.date), []).append(log)
    started = _group(kind, ((r.started, r) for r in site.resources))
    finished = _group(kind, ((r.finished, r) for r in site.resources))
    reached = _group(
        kind,
        (
            (m.date, MilestoneReached(goal, m))
            for goal in site.goals
            for m in goal.milestones
            if m.done
        ),
    )
    new_tags = _group(kind, ((day, first_tag[slug]) for slug, day in first_use.items()))
    digests = []
    for period in sorted(by_period, reverse=True):
        logs = by_period[period]
        before = by_period.get(period.previous(), [])
        digests.append(
            Digest(
                period=period,
                logs=tuple(logs),
                focus_minutes=sum(log.focus_minutes or 0 for log in logs),
                mood=_average(log.mood for log in logs),
                productivity=_average(log.productivity for log in logs),
                previous_mood=_average(log.mood for log in before),
                previous_productivity=_average(log.productivity for log in before),
                resources_started=tuple(started.get(period, ())),
                resources_finished=tuple(finished.get(period, ())),
                milestones=tuple(reached.get(period, ())),
                new_tags=tuple(new_tags.get(period, ())),
            )
        )
    return tuple(digests)


def _group(kind: PeriodKind, dated: Iterable[tuple[dt.date | None, _T]]) -> dict[Period, list[_T]]:
    """Values by the period of their date, in date order (values without a date left out)."""
    groups: dict[Period, list[tuple[dt.date, int, _T]]] = {}
    for index, (day, value) in enumerate(dated):
        if day is not None:
            groups.setdefault(period_of(kind, day), []).append((day, index, value))
    return {
        period: [value for _, _, value in sorted(items, key=lambda item: item[:2])]
        for period, items in groups.items()
    }


def finished_weeks(weeks: Sequence[Digest], newest: dt.date | None) -> tuple[Digest, ...]:
    """The week digests whose Sunday is before `newest` (the newest log's date): a week
    is over once a later day has a log. Reading the content, not the clock, keeps two
    builds of the same files identical."""
    if newest is None:
        return ()
    return tuple(d for d in weeks if d.period.end < newest)
