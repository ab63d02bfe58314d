"""Cached and incremental builds write exactly what a cold build of the same input writes.

A cold build (a copy of the site without `.tamatar/`, into an empty folder) is the
reference. Compared file by file with it: a no-change rebuild through the on-disk caches,
and the builds of one `SiteBuilder` session (as `tamatar serve` runs them) after each
kind of edit, told which paths changed or finding them by their signatures.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from searchindex import comparable
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.build.pipeline import (
    RECORD_CACHE,
    BuildOptions,
    BuildResult,
    build_site,
)
from tamatar_site.build.session import SiteBuilder

CONFIG = """\
site:
  title: Incremental
  base_url: https://example.org/log/
  timezone: Asia/Kolkata
  logs_per_page: 4
feeds:
  limit: 3
tags:
  rust: {color: "#dea584"}
"""


def _log(day: int) -> tuple[str, str]:
    date = dt.date(2026, 10, 1) + dt.timedelta(days=day)
    tags = ["Rust", "python", "go"][day % 3 : day % 3 + 1 + day % 2]
    link = f"\nSee [the day before]({date - dt.timedelta(days=1)}-day-{day - 1}.md).\n"
    text = (
        f"---\ntitle: Day {day}\ndate: {date.isoformat()}\ntags: [{', '.join(tags)}]\n"
        + ("project: tamatar\nresources: [book]\n" if day % 4 == 0 else "")
        + f"mood: {1 + day % 10}\n---\nNotes of day {day}.\n"
        + (link if day else "")
        + f"\n```python\nprint({day})\n```\n"
    )
    return f"logs/{date.isoformat()}-day-{day}.md", text


FILES = {
    **dict(_log(day) for day in range(24)),
    "projects/tamatar.yaml": "name: Tamatar\ndescription: A *static* site generator.\n",
    "resources/book.yaml": "title: The Book\nurl: https://example.org/book\ntype: book\n",
    "goals/ship.yaml": "title: Ship it\ntags: [rust]\nmilestones:\n  - {title: one, done: true}\n",
    "paths/learn.yaml": "title: Learn\nsteps:\n  - {title: Read, resource: book}\n",
    "snippets/hello.md": "---\ntitle: Hello\nlanguage: go\ntags: [go]\n---\n```go\nhi()\n```\n",
}
NEWEST = "logs/2026-10-24-day-23.md"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", FILES, config=CONFIG)


def _raw_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _tree(root: Path) -> dict[str, bytes]:
    """The output's files, the search index as what it finds (`searchindex.py`)."""
    return comparable(_raw_tree(root))


def _search_bundle(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in tree.items() if path.startswith("pagefind/")}


def _ok(result: BuildResult) -> BuildResult:
    assert not result.diagnostics.has_errors, [d.format() for d in result.diagnostics]
    return result


def _cold(site: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    """The output of a cold build of a copy of `site` (no caches, empty output)."""
    copy = tmp_path / f"cold-{name}"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".tamatar", "out"))
    _ok(build_site(copy, BuildOptions(output_dir=tmp_path / f"cold-{name}-out", offline=True)))
    return _tree(tmp_path / f"cold-{name}-out")


def _edit(site: Path, relative: str, old: str, new: str) -> Path:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path.absolute()


def test_no_change_rebuild_through_the_caches_equals_a_cold_build(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    options = BuildOptions(output_dir=out, offline=True)
    first = _ok(build_site(site, options))
    assert first.written > 30
    assert (site / RECORD_CACHE).is_file()
    again = _ok(build_site(site, options))
    assert (again.written, again.removed) == (0, 0)
    assert _tree(out) == _cold(site, tmp_path, "same")


def test_one_edited_log_through_the_caches_equals_a_cold_build(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = BuildOptions(output_dir=out, offline=True)
    _ok(build_site(site, options))
    _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, *edited*.")
    edited = _ok(build_site(site, options))
    assert 0 < edited.written < 30  # the pages, and the search delta's few files
    # The search index is a base and a delta here, one index in the cold build: `_tree`
    # compares what they find (searchindex.py); every other file byte for byte.
    assert _tree(out) == _cold(site, tmp_path, "edited")


def test_a_corrupt_record_cache_changes_nothing(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = BuildOptions(output_dir=out, offline=True)
    _ok(build_site(site, options))
    (site / RECORD_CACHE).write_bytes(b"\x00garbage")
    _ok(build_site(site, options))
    assert _tree(out) == _cold(site, tmp_path, "corrupt")


@pytest.mark.parametrize("told", [True, False], ids=["watcher-paths", "signatures"])
def test_a_session_after_every_kind_of_edit_equals_cold_builds(
    site: Path, tmp_path: Path, told: bool
) -> None:
    out = tmp_path / "out"
    options = BuildOptions(output_dir=out, offline=True)
    builder = SiteBuilder(site)
    _ok(builder.build(options))
    assert _tree(out) == _cold(site, tmp_path, "start")

    def rebuild(name: str, *changed: Path) -> BuildResult:
        result = _ok(builder.build(options, changed=set(changed) if told else None))
        assert _tree(out) == _cold(site, tmp_path, name), name
        return result

    body = _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, edited.")
    assert builder.build(options, changed={body} if told else None).written > 0
    # Told which file changed, the session takes serve's edit path, which keeps the search
    # index of the last full build (tests/test_edits.py).
    assert _tree(out) == _cold(site, tmp_path, "body")
    assert builder.loader.stats.read == 1 or not told

    rebuild("title", _edit(site, "logs/2026-10-10-day-9.md", "title: Day 9", "title: Day Nine"))
    rebuild("tags", _edit(site, "logs/2026-10-01-day-0.md", "tags: [Rust]", "tags: [RUST, zig]"))
    rebuild("date", _edit(site, "logs/2026-10-05-day-4.md", "date: 2026-10-05", "date: 2026-11-30"))

    added = site / "logs/2026-11-01-new.md"
    added.write_text("---\ntitle: New\ntags: [zig]\n---\nSee [day 3](2026-10-04-day-3.md).\n")
    deleted = site / "logs/2026-10-12-day-11.md"
    deleted.unlink()
    rebuild("added-deleted", added.absolute(), deleted.absolute())

    rebuild("project", _edit(site, "projects/tamatar.yaml", "*static*", "**static**"))
    rebuild("goal", _edit(site, "goals/ship.yaml", "tags: [rust]", "tags: [python]"))
    rebuild("snippet", _edit(site, "snippets/hello.md", "hi()", "hello()"))
    rebuild("config", _edit(site, "tamatar.yaml", "timezone: Asia/Kolkata", "timezone: UTC"))
    rebuild("nothing")


def test_a_session_recovers_from_content_errors(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = BuildOptions(output_dir=out, offline=True)
    builder = SiteBuilder(site)
    _ok(builder.build(options))
    before = _tree(out)

    broken = _edit(site, NEWEST, "title: Day 23", "title: [Day 23")
    failed = builder.build(options, changed={broken})
    assert failed.diagnostics.has_errors
    assert _tree(out) == before  # errors write nothing

    fixed = _edit(site, NEWEST, "title: [Day 23", "title: Day 23 again")
    _ok(builder.build(options, changed={fixed}))
    assert _tree(out) == _cold(site, tmp_path, "fixed")


def test_a_new_folder_of_logs_is_found_by_a_walk(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = BuildOptions(output_dir=out, offline=True)
    builder = SiteBuilder(site)
    _ok(builder.build(options))
    folder = site / "logs" / "2026" / "11"
    folder.mkdir(parents=True)
    (folder / "2026-11-02-deep.md").write_text("---\ntitle: Deep\n---\nIn a new folder.\n")
    _ok(builder.build(options, changed={folder.parent.absolute()}))
    assert builder.loader.stats.walked
    assert "logs/2026/11/02/deep/index.html" in _tree(out)
    assert _tree(out) == _cold(site, tmp_path, "folder")
