"""Streaks over hand-built calendars: gaps, the time-zone edge, a leap day, today/yesterday."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from tamatar_site.compute.streaks import Streak, compute_active_days, compute_streaks
from tamatar_site.model import Log

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")


def log_at(moment: dt.datetime, slug: str = "") -> Log:
    """A Log built by the loader's rule: `date` is the local date in the site's time zone."""
    local = moment.astimezone(KOLKATA)
    return Log(
        source=f"logs/{slug or local.isoformat()}.md",
        slug=slug or f"log-{local:%Y%m%d%H%M}",
        title="t",
        date=local.date(),
        timestamp=local,
        body="",
        body_line=1,
    )


def log_on(day: str, slug: str = "") -> Log:
    d = dt.date.fromisoformat(day)
    return log_at(dt.datetime(d.year, d.month, d.day, 9, 0, tzinfo=KOLKATA), slug)


def days(*isos: str) -> list[Log]:
    return [log_on(iso, f"s{i}") for i, iso in enumerate(isos)]


def d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def test_no_logs_gives_zero_streaks() -> None:
    stats = compute_streaks([], d("2026-11-21"))
    assert stats.current == Streak()
    assert stats.longest == Streak()
    assert stats.active_days == 0
    assert stats.first_active is None


def test_gap_splits_runs_and_current_ends_today() -> None:
    logs = days(
        "2026-11-01",
        "2026-11-02",
        "2026-11-03",
        "2026-11-04",  # run of 4
        "2026-11-06",  # gap on the 5th
        "2026-11-19",
        "2026-11-20",
        "2026-11-21",  # run of 3 ending today
    )
    stats = compute_streaks(logs, d("2026-11-21"))
    assert stats.current == Streak(3, d("2026-11-19"), d("2026-11-21"))
    assert stats.longest == Streak(4, d("2026-11-01"), d("2026-11-04"))
    assert stats.active_days == 8
    assert (stats.first_active, stats.last_active) == (d("2026-11-01"), d("2026-11-21"))


def test_several_logs_on_one_day_count_once() -> None:
    logs = days("2026-11-20", "2026-11-20", "2026-11-21", "2026-11-21", "2026-11-21")
    stats = compute_streaks(logs, d("2026-11-21"))
    assert stats.active_days == 2
    assert stats.current.length == 2


def test_current_streak_ending_yesterday_still_counts() -> None:
    logs = days("2026-11-18", "2026-11-19", "2026-11-20")
    stats = compute_streaks(logs, d("2026-11-21"))
    assert stats.current == Streak(3, d("2026-11-18"), d("2026-11-20"))


def test_current_streak_ending_two_days_ago_is_zero() -> None:
    logs = days("2026-11-17", "2026-11-18", "2026-11-19")
    stats = compute_streaks(logs, d("2026-11-21"))
    assert stats.current == Streak()
    assert stats.longest == Streak(3, d("2026-11-17"), d("2026-11-19"))


def test_leap_day_joins_february_to_march() -> None:
    logs = days("2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01")
    stats = compute_streaks(logs, d("2024-03-01"))
    assert stats.current == Streak(4, d("2024-02-27"), d("2024-03-01"))
    # Without the leap day the run breaks: Feb 28 and Mar 1 are two days apart in 2024.
    no_leap = days("2024-02-27", "2024-02-28", "2024-03-01")
    broken = compute_streaks(no_leap, d("2024-03-01"))
    assert broken.current == Streak(1, d("2024-03-01"), d("2024-03-01"))
    assert broken.longest == Streak(2, d("2024-02-27"), d("2024-02-28"))


def test_time_zone_edge_near_midnight_uses_local_dates() -> None:
    # 23:30 in Kolkata on the 20th is 18:00 UTC on the 20th;
    # 00:30 in Kolkata on the 22nd is 19:00 UTC on the 21st.
    late = log_at(dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC), "late")
    after_midnight = log_at(dt.datetime(2026, 11, 21, 19, 0, tzinfo=dt.UTC), "early")
    assert late.timestamp.strftime("%H:%M") == "23:30"
    assert (late.date, after_midnight.date) == (d("2026-11-20"), d("2026-11-22"))
    stats = compute_streaks([late, after_midnight], d("2026-11-22"))
    # In UTC the two days would be consecutive; in the site's time zone the 21st is empty.
    assert stats.current == Streak(1, d("2026-11-22"), d("2026-11-22"))
    assert stats.longest == Streak(1, d("2026-11-22"), d("2026-11-22"))
    assert stats.active_days == 2


def test_longest_tie_goes_to_the_latest_run() -> None:
    logs = days("2026-10-01", "2026-10-02", "2026-10-10", "2026-10-11", "2026-10-05", "2026-10-06")
    stats = compute_streaks(logs, d("2026-11-21"))
    assert stats.longest == Streak(2, d("2026-10-10"), d("2026-10-11"))
    assert stats.current == Streak()


def test_extra_active_days_fill_gaps() -> None:
    logs = days("2026-11-19", "2026-11-21")
    commit_days = {d("2026-11-20"), d("2026-11-10")}
    stats = compute_streaks(logs, d("2026-11-21"), extra_days=commit_days)
    assert stats.current == Streak(3, d("2026-11-19"), d("2026-11-21"))
    assert stats.active_days == 4
    assert compute_active_days(logs, commit_days) == {
        d("2026-11-10"),
        d("2026-11-19"),
        d("2026-11-20"),
        d("2026-11-21"),
    }


def test_future_days_are_ignored() -> None:
    logs = days("2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23")
    stats = compute_streaks(logs, d("2026-11-21"))
    assert stats.current == Streak(2, d("2026-11-20"), d("2026-11-21"))
    assert stats.active_days == 2
    assert stats.last_active == d("2026-11-21")


def test_long_history_is_handled() -> None:
    start = d("2000-01-01")
    logs = [log_on((start + dt.timedelta(days=i)).isoformat(), f"x{i}") for i in range(3000)]
    today = start + dt.timedelta(days=2999)
    stats = compute_streaks(logs, today)
    assert stats.current == Streak(3000, start, today)
    assert stats.longest == stats.current
