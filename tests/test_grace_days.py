"""`streaks.grace_days`: runs bridged by missed days, the current streak kept alive, and a
streak across the daylight-saving changes of the site's time zone (Europe/Berlin)."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main
from tamatar_site.compute.streaks import Streak, compute_streaks, first_days_reaching
from tamatar_site.model import Log

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
TODAY = dt.date(2026, 11, 22)  # FIXED_EPOCH's day


def logs_on(*days: str) -> list[Log]:
    out = []
    for day in days:
        d = dt.date.fromisoformat(day)
        moment = dt.datetime(d.year, d.month, d.day, 9, tzinfo=BERLIN)
        out.append(Log(f"logs/{day}.md", f"l{day}", "t", d, moment, "", 1))
    return out


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def test_grace_bridges_missed_days_without_counting_them() -> None:
    logs = logs_on("2026-03-01", "2026-03-02", "2026-03-04", "2026-03-05", "2026-03-08")
    assert compute_streaks(logs, TODAY).longest == Streak(2, d("2026-03-04"), d("2026-03-05"))
    one = compute_streaks(logs, TODAY, grace_days=1)
    assert one.longest == Streak(4, d("2026-03-01"), d("2026-03-05"))
    two = compute_streaks(logs, TODAY, grace_days=2)
    assert two.longest == Streak(5, d("2026-03-01"), d("2026-03-08"))
    assert one.active_days == two.active_days == 5


def test_the_current_streak_survives_grace_days_before_today() -> None:
    logs = logs_on("2026-11-17", "2026-11-18", "2026-11-19")  # 20 and 21 missed
    assert compute_streaks(logs, TODAY).current == Streak()
    assert compute_streaks(logs, TODAY, grace_days=1).current == Streak()
    kept = compute_streaks(logs, TODAY, grace_days=2).current
    assert kept == Streak(3, d("2026-11-17"), d("2026-11-19"))
    # today is never a missed day: with a log today the run is current without grace
    today = compute_streaks([*logs, *logs_on("2026-11-22")], TODAY, grace_days=2).current
    assert today == Streak(4, d("2026-11-17"), d("2026-11-22"))


def test_a_length_reached_again_keeps_the_first_day() -> None:
    logs = logs_on("2026-01-01", "2026-01-02", "2026-02-01", "2026-02-02", "2026-02-03")
    assert first_days_reaching(logs, TODAY) == [d("2026-01-01"), d("2026-01-02"), d("2026-02-03")]
    assert first_days_reaching(logs, d("2026-01-01")) == [d("2026-01-01")]  # later days ignored


CONFIG = """\
site:
  title: Berlin
  timezone: Europe/Berlin
streaks:
  grace_days: {grace}
"""
# Local dates in Berlin; the UTC dates differ for the times written in UTC or offsets.
DST_LOGS = {
    # summer time starts on 29 March 2026 (02:00 -> 03:00)
    "2026-03-27T22:30:00Z": "2026-03-27",  # 23:30 CET
    "2026-03-28T23:30:00+01:00": "2026-03-28",
    "2026-03-29 12:00": "2026-03-29",  # naive: the site's time zone (CEST)
    "2026-03-29T22:30:00Z": "2026-03-30",  # 00:30 CEST: already the 30th in Berlin
    "2026-03-31T21:59:00Z": "2026-03-31",  # 23:59 CEST
    # summer time ends on 25 October 2026 (03:00 -> 02:00): a 25-hour day
    "2026-10-24T23:30:00+02:00": "2026-10-24",
    "2026-10-25T23:30:00+01:00": "2026-10-25",
    # 26 October missed
    "2026-10-26T23:00:00Z": "2026-10-27",  # midnight CET
    "2026-10-28T22:59:00Z": "2026-10-28",
    "2026-10-29T08:00:00+01:00": "2026-10-29",
    "2026-10-30T08:00:00+01:00": "2026-10-30",
    "2026-10-31T08:00:00+01:00": "2026-10-31",
}


def dst_site(tmp_path: Path, grace: int) -> Path:
    files = {
        f"logs/{local}-x{i}.md": f"---\ntitle: Log {i}\ndate: {moment}\n---\nText.\n"
        for i, (moment, local) in enumerate(DST_LOGS.items())
    }
    return write_site(tmp_path / f"site-{grace}", files, config=CONFIG.format(grace=grace))


def build(site: Path, out: Path) -> Result:
    return CliRunner().invoke(
        main,
        ["build", str(site), "-o", str(out), "--offline"],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )


def stats(tmp_path: Path, grace: int) -> dict[str, Any]:
    out = tmp_path / f"out-{grace}"
    result = build(dst_site(tmp_path, grace), out)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads((out / "api/v1/stats.json").read_bytes())
    return data


def test_logs_are_dated_in_berlin_across_both_dst_changes(tmp_path: Path) -> None:
    data = stats(tmp_path, 0)
    days = {day["date"] for day in data["heatmap"]["days"]}
    assert days == set(DST_LOGS.values())
    # 27-31 March (5 days) and 27-31 October (5 days): the latest wins the tie
    longest = data["streaks"]["longest"]
    assert longest == {"length": 5, "start": "2026-10-27", "end": "2026-10-31"}
    streak_7 = next(a for a in data["achievements"] if a["id"] == "streak-7")
    assert (streak_7["earned"], streak_7["progress"]) == (False, 5)


def test_grace_days_join_the_runs_around_the_dst_change(tmp_path: Path) -> None:
    data = stats(tmp_path, 1)
    longest = data["streaks"]["longest"]
    assert longest == {"length": 7, "start": "2026-10-24", "end": "2026-10-31"}
    assert data["streaks"]["current"]["length"] == 0  # 22 days since the last log
    streak_7 = next(a for a in data["achievements"] if a["id"] == "streak-7")
    assert (streak_7["date"], streak_7["source"]) == ("2026-10-31", "logs/2026-10-31-x11.md")
    page = (tmp_path / "out-1/stats/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2026-10-31">' in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "tamatar.yaml:5:3: error: `streaks.grace_days` must be at least 0 (got -1)"),
        ("31", "tamatar.yaml:5:3: error: `streaks.grace_days` must be at most 30 (got 31)"),
        ("two", "tamatar.yaml:5:3: error: `streaks.grace_days` must be a whole number (got `two`)"),
    ],
)
def test_a_bad_grace_days_is_an_error_with_its_place(
    tmp_path: Path, value: str, message: str
) -> None:
    site = write_site(tmp_path / "site", {}, config=CONFIG.format(grace=value))
    result = build(site, tmp_path / "out")
    assert result.exit_code == 1
    assert message in result.output.splitlines()
