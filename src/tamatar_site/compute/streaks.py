"""Compute stage: active days and the current and longest streaks, in O(n log n).

A day is *active* when it has at least one log (``Log.date`` is already the
local date in the site's time zone) or is one of the extra active days passed
in (for example days with GitHub commits when ``streaks.count_commits`` is on).
Days after ``today`` are ignored: a log dated in the future is only a warning
and must not inflate a streak.

``grace_days`` (``streaks.grace_days``) lets a run survive that many missed days
in a row. A streak's length counts its active days: a missed day it survived
keeps the run going but does not add to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tamatar_site.model import Log


@dataclass(frozen=True)
class Streak:
    """A run of active days; ``length == 0`` means no run (dates are None)."""

    length: int = 0
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class StreakStats:
    """Streak figures as of ``today``."""

    today: dt.date
    current: Streak
    longest: Streak
    active_days: int
    first_active: dt.date | None = None
    last_active: dt.date | None = None


def compute_active_days(
    logs: Iterable[Log], extra_days: Iterable[dt.date] = ()
) -> frozenset[dt.date]:
    """The set of days with at least one log, plus ``extra_days``."""
    days = {log.date for log in logs}
    days.update(extra_days)
    return frozenset(days)


def _active_ordinals(
    logs: Iterable[Log], today: dt.date, extra_days: Iterable[dt.date]
) -> list[int]:
    """The active days up to ``today`` as sorted ordinals."""
    return sorted({d.toordinal() for d in compute_active_days(logs, extra_days) if d <= today})


def _runs(ordinals: list[int], grace_days: int) -> Iterator[tuple[int, int, int]]:
    """(length, first, last) of each run of the sorted ``ordinals``, oldest first."""
    if not ordinals:
        return
    first = last = ordinals[0]
    length = 1
    for day in ordinals[1:]:
        if day - last - 1 > grace_days:
            yield length, first, last
            first, length = day, 0
        last = day
        length += 1
    yield length, first, last


def _streak(length: int, first: int, last: int) -> Streak:
    return Streak(length, dt.date.fromordinal(first), dt.date.fromordinal(last))


def compute_streaks(
    logs: Iterable[Log],
    today: dt.date,
    extra_days: Iterable[dt.date] = (),
    *,
    grace_days: int = 0,
) -> StreakStats:
    """Current streak, longest streak and active-day count as of ``today``.

    The current streak is the run that ends today, or that at most ``grace_days``
    missed days separate from today (today itself is never missed: it may still get
    a log); with no grace that is a run ending today or yesterday. Otherwise it is 0.
    The longest streak is the longest run ever; between runs of equal length the
    latest wins.
    """
    ordinals = _active_ordinals(logs, today, extra_days)
    if not ordinals:
        return StreakStats(today=today, current=Streak(), longest=Streak(), active_days=0)
    longest = current = (0, 0, 0)
    for run in _runs(ordinals, grace_days):
        if run[0] >= longest[0]:
            longest = run
        current = run
    missed = today.toordinal() - current[2] - 1
    return StreakStats(
        today=today,
        current=_streak(*current) if missed <= grace_days else Streak(),
        longest=_streak(*longest),
        active_days=len(ordinals),
        first_active=dt.date.fromordinal(ordinals[0]),
        last_active=dt.date.fromordinal(ordinals[-1]),
    )


def first_days_reaching(
    logs: Iterable[Log],
    today: dt.date,
    extra_days: Iterable[dt.date] = (),
    *,
    grace_days: int = 0,
) -> list[dt.date]:
    """Item ``n - 1`` is the first day on which a run reached ``n`` active days.

    A run that reaches a length a second time (a later streak as long) does not move
    the date: this is when that length was first reached, as an achievement keeps it.
    """
    reached: list[dt.date] = []
    ordinals = _active_ordinals(logs, today, extra_days)
    length, last = 0, None
    for day in ordinals:
        length = length + 1 if last is not None and day - last - 1 <= grace_days else 1
        last = day
        if length > len(reached):
            reached.append(dt.date.fromordinal(day))
    return reached
