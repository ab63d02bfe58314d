"""Compute stage: active days and the current and longest streaks, in O(n).

A day is *active* when it has at least one log (``Log.date`` is already the
local date in the site's time zone) or is one of the extra active days passed
in (for example days with GitHub commits when ``streaks.count_commits`` is on).
Days after ``today`` are ignored: a log dated in the future is only a warning
and must not inflate a streak.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tamatar_site.model import Log


@dataclass(frozen=True)
class Streak:
    """A run of consecutive active days; ``length == 0`` means no run (dates are None)."""

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


def compute_streaks(
    logs: Iterable[Log], today: dt.date, extra_days: Iterable[dt.date] = ()
) -> StreakStats:
    """Current streak, longest streak and active-day count as of ``today``.

    The current streak is the run of consecutive active days that ends today,
    or yesterday when today has no activity yet; otherwise it is 0. The longest
    streak is the longest run ever; between runs of equal length the latest wins.
    Every day is visited a bounded number of times, so this is O(n) in the
    number of logs plus extra days.
    """
    limit = today.toordinal()
    ordinals = {d.toordinal() for d in compute_active_days(logs, extra_days) if d <= today}
    if not ordinals:
        return StreakStats(today=today, current=Streak(), longest=Streak(), active_days=0)

    best_length, best_start = 0, 0
    for start in ordinals:
        if start - 1 in ordinals:
            continue  # not the first day of its run
        end = start
        while end + 1 in ordinals:
            end += 1
        length = end - start + 1
        if length > best_length or (length == best_length and start > best_start):
            best_length, best_start = length, start
    longest = Streak(
        best_length,
        dt.date.fromordinal(best_start),
        dt.date.fromordinal(best_start + best_length - 1),
    )

    current = Streak()
    anchor = limit if limit in ordinals else limit - 1
    if anchor in ordinals:
        first = anchor
        while first - 1 in ordinals:
            first -= 1
        current = Streak(
            anchor - first + 1, dt.date.fromordinal(first), dt.date.fromordinal(anchor)
        )

    return StreakStats(
        today=today,
        current=current,
        longest=longest,
        active_days=len(ordinals),
        first_active=dt.date.fromordinal(min(ordinals)),
        last_active=dt.date.fromordinal(max(ordinals)),
    )
