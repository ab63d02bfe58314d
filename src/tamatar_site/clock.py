"""The build's notion of "now", in the site's time zone; SOURCE_DATE_EPOCH makes it fixed."""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from collections.abc import Mapping


def build_now(timezone: str, environ: Mapping[str, str] | None = None) -> dt.datetime:
    """The current time in `timezone`, or SOURCE_DATE_EPOCH's time when that is set."""
    env = os.environ if environ is None else environ
    zone = zoneinfo.ZoneInfo(timezone)
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=zone)
        except (ValueError, OverflowError, OSError):
            pass
    return dt.datetime.now(tz=zone)


def build_today(timezone: str, environ: Mapping[str, str] | None = None) -> dt.date:
    return build_now(timezone, environ).date()


def day_window(timezone: str) -> tuple[float, float] | None:
    """The build's day in `timezone` (`build_today`) as the instants it starts and ends at,
    for a check that compares the clock with them without loading zoneinfo. None on a day
    whose UTC offset changes (a clock change near midnight could make its start or end
    ambiguous)."""
    zone = zoneinfo.ZoneInfo(timezone)
    day = build_today(timezone)
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    if start.utcoffset() != end.utcoffset():
        return None
    return start.timestamp(), end.timestamp()


def wall_day(timezone: str, at: float) -> str:
    """The date in `timezone` at the instant `at` (seconds since the epoch), ISO-formatted."""
    return dt.datetime.fromtimestamp(at, tz=zoneinfo.ZoneInfo(timezone)).date().isoformat()
