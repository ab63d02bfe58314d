"""Achievements: each built-in rule earned by the event that reaches it (in `stats.json`,
the badges and the home and stats pages of both themes), the first date kept, custom and
changed rules, config errors, valid badges and incremental builds equal to cold ones."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.build.pipeline import BuildOptions, build_site
from tamatar_site.build.session import SiteBuilder
from tamatar_site.cli import main

CONFIG = """\
site:
  title: Badges
  base_url: https://example.org/me/
  timezone: Europe/Berlin
"""
SVG = "{http://www.w3.org/2000/svg}"


def log(day: dt.date, slug: str, *, tags: str = "notes", extra: str = "") -> tuple[str, str]:
    text = f"---\ntitle: Log {slug}\ndate: {day.isoformat()}\ntags: [{tags}]\n{extra}---\nText.\n"
    return f"logs/{day.isoformat()}-{slug}.md", text


def run(start: str, days: int, prefix: str, **fields: str) -> dict[str, str]:
    """Logs on `days` consecutive days from `start`, each with 600 minutes of focus."""
    first = dt.date.fromisoformat(start)
    return dict(
        log(first + dt.timedelta(days=i), f"{prefix}{i}", extra="focus_minutes: 600\n", **fields)
        for i in range(days)
    )


def build(site: Path, out: Path) -> Result:
    return CliRunner().invoke(
        main,
        ["build", str(site), "-o", str(out), "--offline"],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )


def achievements(out: Path) -> dict[str, dict[str, Any]]:
    stats = json.loads((out / "api/v1/stats.json").read_bytes())
    return {a["id"]: a for a in stats["achievements"]}


def earned(out: Path) -> dict[str, tuple[str | None, str | None]]:
    """Earned rule id -> (date, source)."""
    return {i: (a["date"], a["source"]) for i, a in achievements(out).items() if a["earned"]}


def built(tmp_path: Path, files: dict[str, str], config: str = CONFIG) -> Path:
    site = write_site(tmp_path / "site", files, config=config)
    out = tmp_path / "out"
    result = build(site, out)
    assert result.exit_code == 0, result.output
    return out


RESOURCES = {
    f"resources/r{i}.yaml": f"title: R{i}\nstatus: done\nadded: 2026-09-0{i + 1}\n"
    for i in range(8)
}
EVERY_RULE = {
    **run("2026-10-01", 12, "a"),
    **RESOURCES,
    # the tenth finished resource: finished when the last log that cites it was written
    "resources/book.yaml": "title: The Book\nstatus: done\nadded: 2026-01-01\n",
    # finished on its `finished` date, whatever its status and the logs that cite it
    "resources/done.yaml": "title: Done\nstatus: in-progress\nfinished: 2026-10-25\n",
    "logs/2026-10-20-reading.md": (
        "---\ntitle: Reading\ndate: 2026-10-20\nresources: [book]\n---\nx\n"
    ),
    "goals/ship.yaml": (
        "title: Ship\nstatus: completed\nmilestones:\n"
        "  - {title: a, done: true, date: 2026-10-03}\n"
        "  - {title: b, done: true, date: 2026-10-08}\n"
    ),
    "goals/later.yaml": "title: Later\nstatus: active\n",
    "paths/learn.yaml": (
        "title: Learn\nsteps:\n  - {title: Read, resource: book, done: true}\n"
        "  - {title: R1, resource: r1, done: true}\n"
    ),
    "projects/one.yaml": "name: One\ntech_stack: [Rust, Python, Go]\n",
    "projects/two.yaml": "name: Two\ntech_stack: [rust, C, Zig, SQL]\nstart_date: 2026-10-05\n",
    "logs/2026-10-02-one.md": "---\ntitle: On one\ndate: 2026-10-02\nproject: one\n---\nx\n",
}


def test_each_built_in_rule_is_earned_by_the_event_that_reaches_it(tmp_path: Path) -> None:
    out = built(tmp_path, EVERY_RULE)
    assert earned(out) == {
        "first-log": ("2026-10-01", "logs/2026-10-01-a0.md"),
        "streak-7": ("2026-10-07", "logs/2026-10-07-a6.md"),
        # the 10th log of the day order: a0, a1, one (10-02), a2 ... a8
        "logs-10": ("2026-10-09", "logs/2026-10-09-a8.md"),
        "focus-100": ("2026-10-10", "logs/2026-10-10-a9.md"),  # 10 logs of 10 hours
        "resources-10": ("2026-10-25", "resources/done.yaml"),
        "first-goal": ("2026-10-08", "goals/ship.yaml"),
        "first-path": ("2026-10-20", "paths/learn.yaml"),
        # Rust, Python, Go on 10-02 (the first log about `one`), then C and Zig on 10-05
        "languages-5": ("2026-10-05", "projects/two.yaml"),
    }
    rules = achievements(out)
    assert [rules[i]["progress"] for i in ("streak-30", "logs-100", "focus-100")] == [12, 14, 120]
    assert rules["streak-30"]["date"] is None and rules["streak-30"]["url"] is None
    assert rules["first-log"]["url"] == "https://example.org/me/logs/2026/10/01/a0/"
    assert rules["first-goal"]["url"] == "https://example.org/me/goals/ship/"
    assert rules["streak-7"]["title"] == "7-day streak"
    assert rules["logs-1000"]["badge_url"] == "https://example.org/me/badges/logs-1000.svg"


def test_an_achievement_earned_twice_keeps_its_first_date(tmp_path: Path) -> None:
    files = {**run("2026-09-01", 7, "s"), **run("2026-10-01", 10, "t")}
    out = built(tmp_path, files)
    rules = achievements(out)
    assert (rules["streak-7"]["date"], rules["streak-7"]["source"]) == (
        "2026-09-07",
        "logs/2026-09-07-s6.md",
    )
    assert rules["streak-7"]["progress"] == 10  # the longest streak is the later one
    assert rules["logs-10"]["date"] == "2026-10-03"


def test_rules_changed_turned_off_and_added_in_the_config(tmp_path: Path) -> None:
    config = CONFIG + (
        "achievements:\n"
        "  rules:\n"
        "    streak-30: false\n"
        "    logs-100: {threshold: 5, title: Five logs}\n"
        "    streak-7: true\n"
        "  custom:\n"
        "    - {id: rust-3, title: Three Rust logs, metric: tag_logs, tag: rust, threshold: 3}\n"
        "    - {id: focus-20, title: Twenty hours, metric: focus_hours, threshold: 20}\n"
    )
    files = {**run("2026-10-01", 4, "a"), **run("2026-10-10", 3, "r", tags="rust")}
    out = built(tmp_path, files, config)
    rules = achievements(out)
    assert "streak-30" not in rules and not (out / "badges/streak-30.svg").exists()
    assert list(rules)[-2:] == ["rust-3", "focus-20"]
    assert (rules["logs-100"]["title"], rules["logs-100"]["threshold"]) == ("Five logs", 5)
    assert rules["logs-100"]["date"] == "2026-10-10"
    assert (rules["rust-3"]["date"], rules["rust-3"]["tag"]) == ("2026-10-12", "rust")
    assert rules["focus-20"]["source"] == "logs/2026-10-02-a1.md"
    assert "Three Rust logs" in (out / "stats/index.html").read_text()
    assert "Three Rust logs" in (out / "badges/rust-3.svg").read_text()


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        (
            "achievements:\n  rules:\n    streak-3: false\n",
            "tamatar.yaml:7:5: error: `achievements.rules.streak-3` is not a built-in "
            "achievement (did you mean `streak-30`?); add your own under `custom`",
        ),
        (
            "achievements:\n  rules:\n    logs-10: {threshold: 0}\n",
            "tamatar.yaml:7:15: error: `achievements.rules.logs-10.threshold` must be at "
            "least 1 (got 0)",
        ),
        (
            "achievements:\n  custom:\n    - {id: x, title: X, metric: log, threshold: 2}\n",
            "tamatar.yaml:7:25: error: `achievements.custom[0].metric` must be one of logs, "
            "streak_days, focus_hours, resources_finished, goals_completed, paths_completed, "
            "languages or tag_logs (got `log`) (did you mean `logs`?)",
        ),
        (
            "achievements:\n  custom:\n    - {id: x, title: X, metric: tag_logs, threshold: 2}\n",
            "tamatar.yaml:7:7: error: `achievements.custom[0]`: `tag` is needed with the "
            "metric tag_logs, and only with it",
        ),
        (
            "achievements:\n  custom:\n    - {id: logs-10, title: X, metric: logs, threshold: 2}\n",
            "tamatar.yaml:7:8: error: `achievements.custom[0].id`: `logs-10` is a built-in "
            "achievement; change it under `rules`",
        ),
        (
            "achievements:\n  custom:\n"
            "    - {id: a, title: X, metric: logs, threshold: 2}\n"
            "    - {id: a, title: Y, metric: logs, threshold: 3}\n",
            "tamatar.yaml:8:8: error: achievement `a` is already defined above; give each "
            "custom rule its own id",
        ),
        (
            "achievements:\n  custom:\n"
            "    - {id: a, title: X, metric: tag_logs, tag: Rust Lang, threshold: 2}\n",
            "tamatar.yaml:7:43: error: tag `Rust Lang` is written `rust-lang` in tags and "
            "URLs; use that in `tag`",
        ),
    ],
    ids=["unknown-rule", "threshold", "metric", "tag-missing", "built-in-id", "twice", "tag"],
)
def test_a_bad_achievements_config_is_an_error_with_its_place(
    tmp_path: Path, yaml: str, message: str
) -> None:
    site = write_site(
        tmp_path / "site", dict([log(dt.date(2026, 10, 1), "a")]), config=CONFIG + yaml
    )
    result = build(site, tmp_path / "out")
    assert result.exit_code == 1
    assert message in result.output.splitlines()
    assert not (tmp_path / "out").exists()


def test_badges_are_accessible_standalone_svg(tmp_path: Path) -> None:
    out = built(tmp_path, run("2026-10-01", 8, "a"))
    badges = sorted(p.name for p in (out / "badges").iterdir())
    assert len(badges) == 13 and "streak-7.svg" in badges
    for name in badges:
        text = (out / "badges" / name).read_text(encoding="utf-8")
        root = ET.fromstring(text)
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert "prefers-color-scheme: dark" in text
        assert "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "url(" not in text and "@import" not in text and "<image" not in text
    streak = ET.fromstring((out / "badges/streak-7.svg").read_text())
    assert streak.findtext(f"{SVG}desc") == (
        "Achievement 7-day streak, earned on 7 Oct 2026 with Log a6."
    )
    locked = ET.fromstring((out / "badges/logs-100.svg").read_text())
    assert locked.findtext(f"{SVG}desc") == "Achievement 100 logs, not earned yet: 8 of 100."


def test_stats_json_lists_achievements_valid_against_its_schema(tmp_path: Path) -> None:
    out = built(tmp_path, EVERY_RULE)
    schema = json.loads((out / "api/v1/schemas/stats.schema.json").read_bytes())
    assert "achievements" in schema["required"]
    stats = json.loads((out / "api/v1/stats.json").read_bytes())
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(stats)
    assert len(stats["achievements"]) == 13


@pytest.mark.parametrize("theme", ["default", "minimal"])
def test_home_and_stats_pages_show_achievements(tmp_path: Path, theme: str) -> None:
    config = CONFIG.replace("timezone: Europe/Berlin", f"timezone: Europe/Berlin\n  theme: {theme}")
    out = built(tmp_path, run("2026-10-01", 8, "a"), config)
    home = (out / "index.html").read_text(encoding="utf-8")
    stats = (out / "stats/index.html").read_text(encoding="utf-8")
    # The default theme draws the badge's medal in the page; the minimal one shows the file.
    if theme == "default":
        shown = '<span class="medal-n">7</span><span class="medal-u">days</span>'
    else:
        shown = '<img src="/me/badges/streak-7.svg" alt=""'
    for page in (home, stats):
        assert 'id="achievements"' in page
        assert shown in page
        assert '<time datetime="2026-10-07">' in page
        assert 'href="/me/logs/2026/10/07/a6/">Log a6</a>' in page
    assert "2 of 13 earned" in stats and "2 of 13 earned" in home
    locked = '<span class="medal-n">100</span><span class="medal-u">logs</span>'
    if theme == "minimal":
        locked = "/me/badges/logs-100.svg"
    assert locked in stats and locked not in home
    assert "8 of 100" in stats


def test_home_page_without_achievements_has_no_section(tmp_path: Path) -> None:
    out = built(tmp_path, {"projects/p.yaml": "name: P\n"})
    assert 'id="achievements"' not in (out / "index.html").read_text()
    assert "0 of 13 earned" in (out / "stats/index.html").read_text()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _shown(tree: dict[str, bytes]) -> dict[str, bytes]:
    """The files that show achievements."""
    keep = ("index.html", "stats/index.html", "api/v1/stats.json")
    return {p: d for p, d in tree.items() if p in keep or p.startswith("badges/")}


def _cold(site: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    copy = tmp_path / f"cold-{name}"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".tamatar"))
    result = build_site(copy, BuildOptions(output_dir=tmp_path / f"{name}-out", offline=True))
    assert not result.diagnostics.has_errors
    return _tree(tmp_path / f"{name}-out")


@pytest.mark.parametrize("session", [False, True], ids=["cached-builds", "serve-session"])
def test_after_an_edit_and_a_deletion_achievements_equal_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session: bool
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    site = write_site(tmp_path / "site", run("2026-10-01", 10, "a"), config=CONFIG)
    out = tmp_path / "out"
    options = BuildOptions(output_dir=out, offline=True)
    builder = SiteBuilder(site)

    def rebuild(name: str) -> dict[str, bytes]:
        result = builder.build(options) if session else build_site(site, options)
        assert not result.diagnostics.has_errors
        tree = _tree(out)
        assert _shown(tree) == _shown(_cold(site, tmp_path, name)), name
        return tree

    before = rebuild("start")
    earning = site / "logs/2026-10-07-a6.md"  # earns streak-7: its title is on the badge
    earning.write_text(earning.read_text().replace("title: Log a6", "title: Day seven"))
    edited = rebuild("edited")
    assert b"Day seven" in edited["badges/streak-7.svg"] and b"Day seven" in edited["index.html"]
    (site / "logs/2026-10-04-a3.md").unlink()  # breaks the streak: streak-7 is lost
    deleted = rebuild("deleted")
    assert b"not earned yet: 6 of 7" in deleted["badges/streak-7.svg"]
    assert deleted["api/v1/stats.json"] != before["api/v1/stats.json"]


@pytest.mark.parametrize("theme", ["default", "minimal"])
def test_counts_of_a_thousand_and_more_are_written_for_the_language(
    tmp_path: Path, theme: str
) -> None:
    """A count formatted for the language (`1,500`, `1.500`) fills the theme's `%(num)s`."""
    for language, written in (("en", "1,500-day streak"), ("de", "1.500")):
        config = (
            CONFIG.replace(
                "timezone: Europe/Berlin",
                f"timezone: Europe/Berlin\n  theme: {theme}\n  language: {language}",
            )
            + "achievements:\n  rules:\n    streak-365: {threshold: 1500}\n"
        )
        out = built(tmp_path / language, run("2026-10-01", 3, "a"), config)
        assert written in (out / "stats/index.html").read_text(encoding="utf-8")
