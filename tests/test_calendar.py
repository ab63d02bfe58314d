"""calendar.ics: parsed with icalendar's own parser; stable UIDs and bytes; all-day events;
advertised on the goals page of both themes; right after incremental builds; `calendar: false`."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.build.pipeline import BuildOptions, BuildResult, build_site
from tamatar_site.cli import main

CONFIG = """\
site:
  title: Asha, learning
  base_url: https://asha.example.org/devlog/
  timezone: Asia/Kolkata
  theme: {theme}
search: false
social_images: false
"""
GOAL = """\
title: Ship tidepool
status: active
target_date: 2027-01-31
milestones:
  - {title: "WAL recovery", date: 2026-09-01, done: true}
  - {title: "Compaction", date: 2026-12-15}
  - {title: "No date yet"}
"""
FILES: dict[str, str | bytes] = {
    "logs/2026-11-20-first.md": "---\ntitle: First\ndate: 2026-11-20T21:30:00+05:30\n---\nHi.\n",
    "goals/tidepool.yaml": GOAL,
    "goals/dropped.yaml": "title: Dropped\nstatus: cancelled\ntarget_date: 2026-12-01\n",
    "projects/tidepool.yaml": (
        "name: tidepool\nmilestones:\n  - {title: First release, date: 2026-10-02, done: true}\n"
    ),
    "resources/ddia.yaml": "title: DDIA\n",
    "paths/storage.yaml": (
        "title: Storage\nsteps:\n"
        "  - {title: Read DDIA, resource: ddia, done: true, date: 2026-08-01}\n"
        "  - {title: Build an LSM tree, date: 2027-02-14}\n"
        "  - {title: Someday}\n"
    ),
}


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def _site(tmp_path: Path, files: dict[str, str | bytes] = FILES, theme: str = "default") -> Path:
    return write_site(tmp_path / "site", files, config=CONFIG.format(theme=theme))


def _ok(result: BuildResult) -> BuildResult:
    assert not result.diagnostics.has_errors, [d.format() for d in result.diagnostics]
    return result


def _build(site: Path, out: Path) -> BuildResult:
    return _ok(build_site(site, BuildOptions(output_dir=out, offline=True)))


def _events(out: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    assert isinstance(calendar, icalendar.Calendar)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _edit(site: Path, relative: str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_calendar_parses_with_every_dated_item_as_an_all_day_event(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(site), "-o", str(out), "--offline", "-q"])
    assert result.exit_code == 0, result.output
    data = (out / "calendar.ics").read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//tamatar//calendar//EN"
    assert calendar["X-WR-TIMEZONE"] == "Asia/Kolkata"
    assert "X-WR-CALNAME:Asha\\, learning: goals and milestones\r\n" in data.decode()
    events = _events(out)
    uid = "devlog-{}@asha.example.org".format
    target = events[uid("goal-tidepool-target")]
    assert target["SUMMARY"] == "Target: Ship tidepool"
    assert target["URL"] == "https://asha.example.org/devlog/goals/tidepool/"
    assert target["STATUS"] == "CONFIRMED"
    assert "Target date of the goal “Ship tidepool”." in target["DESCRIPTION"]
    days = {key: event.decoded("DTSTART") for key, event in events.items()}
    # Every event is all day: a date (VALUE=DATE), not a date-time, and lasts one day.
    assert all(type(day) is dt.date for day in days.values())
    assert all(
        e.decoded("DTEND") == e.decoded("DTSTART") + dt.timedelta(days=1) for e in events.values()
    )
    assert "DTSTART;VALUE=DATE:20270131\r\n" in data.decode()
    assert sorted(days.values()) == [
        dt.date(2026, 8, 1),  # the done path step
        dt.date(2026, 9, 1),  # goal milestone
        dt.date(2026, 10, 2),  # project milestone
        dt.date(2026, 12, 1),  # the cancelled goal's target
        dt.date(2026, 12, 15),
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 14),
    ]  # and nothing for the milestone and step without a date
    summaries = {str(e["SUMMARY"]) for e in events.values()}
    assert {"tidepool: First release", "Storage: Build an LSM tree"} <= summaries
    dropped = events[uid("goal-dropped-target")]
    assert dropped["STATUS"] == "CANCELLED"
    step = next(e for e in events.values() if e["SUMMARY"] == "Storage: Read DDIA")
    assert str(step["UID"]).startswith("devlog-path-storage-step-")
    assert step["URL"] == "https://asha.example.org/devlog/paths/storage/"
    assert "Done." in step["DESCRIPTION"]
    # DTSTAMP comes from the content (the newest log's time, in UTC), not from the clock.
    stamps = {e.decoded("DTSTAMP") for e in events.values()}
    assert stamps == {dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.UTC)}
    # The file is RFC 5545 text: CRLF lines of at most 75 octets.
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)


@pytest.mark.parametrize("theme", ["default", "minimal"])
def test_the_goals_page_advertises_the_calendar(tmp_path: Path, theme: str) -> None:
    out = tmp_path / "out"
    _build(_site(tmp_path, theme=theme), out)
    goals = (out / "goals/index.html").read_text()
    assert (
        '<a href="/devlog/calendar.ics" type="text/calendar">Subscribe to the calendar</a>' in goals
    )
    assert '<link rel="alternate" type="text/calendar"' in goals
    assert "calendar.ics" not in (out / "index.html").read_text()
    step = (out / "paths/storage/index.html").read_text()
    assert '<time datetime="2027-02-14">14 Feb 2027</time>' in step


def test_two_builds_give_the_same_bytes_and_uids_survive_new_milestones(tmp_path: Path) -> None:
    site = _site(tmp_path)
    first, second = tmp_path / "first", tmp_path / "second"
    _build(site, first)
    shutil.rmtree(site / ".tamatar", ignore_errors=True)
    _build(site, second)
    assert (first / "calendar.ics").read_bytes() == (second / "calendar.ics").read_bytes()
    stat = (second / "calendar.ics").stat()
    again = _build(site, second)  # nothing changed: nothing written
    assert again.written == 0
    assert (second / "calendar.ics").stat().st_mtime_ns == stat.st_mtime_ns

    before = _events(second)
    _edit(
        site,
        "goals/tidepool.yaml",
        "milestones:\n",
        "milestones:\n  - {title: Design, date: 2026-08-20}\n",
    )
    _build(site, second)
    after = _events(second)
    assert before.keys() < after.keys()  # one new event; the others keep their UIDs
    (new,) = after.keys() - before.keys()
    assert after[new]["SUMMARY"] == "Ship tidepool: Design"


def test_an_edited_target_date_changes_the_calendar_as_a_cold_build_does(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    _build(site, out)
    time.sleep(0.01)
    _edit(site, "goals/tidepool.yaml", "target_date: 2027-01-31", "target_date: 2027-03-01")
    _build(site, out)
    target = _events(out)["devlog-goal-tidepool-target@asha.example.org"]
    assert target.decoded("DTSTART") == dt.date(2027, 3, 1)
    cold = tmp_path / "cold"
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns(".tamatar"))
    _build(cold, tmp_path / "cold-out")
    assert (out / "calendar.ics").read_bytes() == (tmp_path / "cold-out/calendar.ics").read_bytes()

    # Dates removed from everything: the calendar and its link go, as in a cold build.
    for name in ("goals/tidepool.yaml", "goals/dropped.yaml", "projects/tidepool.yaml"):
        (site / name).unlink()
    (site / "paths/storage.yaml").write_text("title: Storage\n", encoding="utf-8")
    _build(site, out)
    assert not (out / "calendar.ics").exists()
    assert "calendar.ics" not in (out / "goals/index.html").read_text()


def test_calendar_false_writes_no_calendar_and_no_link(tmp_path: Path) -> None:
    site = _site(tmp_path)
    config = site / "tamatar.yaml"
    config.write_text(config.read_text() + "calendar: false\n", encoding="utf-8")
    out = tmp_path / "out"
    _build(site, out)
    assert not (out / "calendar.ics").exists()
    assert "calendar" not in (out / "goals/index.html").read_text().lower()


def test_a_bad_step_date_is_an_error_at_its_position(tmp_path: Path) -> None:
    files = dict(FILES)
    files["paths/storage.yaml"] = "title: Storage\nsteps:\n  - {title: A, date: someday}\n"
    site = _site(tmp_path, files)
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 1
    assert "paths/storage.yaml:3:" in result.output
    assert (
        "paths/storage.yaml:3:16: error: `steps[0].date`: `someday` is not a date; "
        "write it as YYYY-MM-DD"
    ) in result.output
