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
