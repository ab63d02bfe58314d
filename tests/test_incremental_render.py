"""Parallel and incremental page rendering: the output never depends on how it was built.

A parallel build equals a serial one byte for byte; a no-change rebuild renders no page
and touches no file; an edited log re-renders only the pages that show it, and the
result equals a cold build of the edited site.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from searchindex import comparable
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.build import pagewriter
from tamatar_site.build.memo import OutputMemo
from tamatar_site.build.pipeline import BuildOptions, build_site
from tamatar_site.build.pipeline import write_site as write_output
from tamatar_site.load.themes import shipped_themes_dir
from tamatar_site.validate import load_site

LOG_COUNT = 90  # enough pages to render them in worker processes

CONFIG = """\
site:
  title: Incremental devlog
  base_url: https://example.org/devlog/
  timezone: UTC
  logs_per_page: 10
feeds:
  formats: [atom, rss, json]
  per_tag: true
  limit: 5
tags:
  rust: {color: "#dea584", description: Systems programming}
"""

PROJECT = """\
name: Tamatar
description: A static site generator.
status: active
"""

WORDS = [
    "borrow",
    "checker",
    "lifetimes",
    "traits",
    "generics",
    "tables",
    "caches",
    "workers",
    "fingerprints",
]


def _log(day: int) -> tuple[str, str]:
    date = dt.date(2026, 1, 1) + dt.timedelta(days=day)
    tags = ["rust", "python", "go"][day % 3 : day % 3 + 1 + day % 2]
    body = " ".join(WORDS[(day + i) % len(WORDS)] for i in range(80))
    text = (
        f"---\ntitle: Day {day} of {WORDS[day % len(WORDS)]}\ndate: {date.isoformat()}\n"
        f"tags: [{', '.join(tags)}]\n"
        + ("project: tamatar\n" if day % 4 == 0 else "")
        + f"---\n## Notes\n\n{body}.\n\n```python\nprint({day})\n```\n"
    )
    return f"logs/{date.isoformat()}-day-{day}.md", text


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    files = dict(_log(day) for day in range(LOG_COUNT))
    files["projects/tamatar.yaml"] = PROJECT
    return write_site(tmp_path / "site", files, config=CONFIG)


def _raw_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _tree(root: Path) -> dict[str, bytes]:
    """The output's files, the search index as what it finds (`searchindex.py`)."""
    return comparable(_raw_tree(root))


def _mtimes(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()
    }


def _build(site: Path, out: Path, memo: OutputMemo | None = None) -> OutputMemo:
    """Build like `tamatar build`, keeping the page memo in memory; returns it."""
    loaded = load_site(site)
    assert loaded.config is not None and loaded.site is not None, loaded.diagnostics
    memo = memo if memo is not None else OutputMemo(str(out.absolute()))
    write_output(site, out, loaded.config, loaded.site, memo=memo)
    return memo


@pytest.fixture
def busy_thread() -> Iterator[None]:
    """A second thread in the process: builds must not fork then (they render serially)."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    yield
    stop.set()
    thread.join()


@pytest.mark.parametrize("shards_per_worker", [None, 1], ids=["default", "a-worker-a-shard"])
def test_parallel_build_equals_serial_build(
    site: Path,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    shards_per_worker: int | None,
) -> None:
    if shards_per_worker is not None:  # each worker replaced by a new fork after a shard
        monkeypatch.setattr(pagewriter, "SHARDS_PER_WORKER", shards_per_worker)
    parallel = build_site(site, BuildOptions(output_dir=tmp_path / "parallel", offline=True))
    assert not parallel.diagnostics.has_errors
    request.getfixturevalue("busy_thread")
    serial = build_site(site, BuildOptions(output_dir=tmp_path / "serial", offline=True))
    assert not serial.diagnostics.has_errors

    parallel_files = _tree(tmp_path / "parallel")
    assert parallel_files == _tree(tmp_path / "serial")
    assert len([p for p in parallel_files if p.endswith(".html")]) > LOG_COUNT
    page = parallel_files["logs/2026/01/02/day-1/index.html"].decode()
    assert "<h1>Day 1 of checker</h1>" in page


def test_page_workers_exit_when_the_pages_are_done(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers do not live on (holding memory) while the build writes its documents."""
    from tamatar_site.build import pipeline

    children_left: list[int] = []
    social_image_groups = pipeline.social_image_groups
    earlier = set(_children())  # other tests' helpers (a forkserver, servers) stay

    def after_the_pages_are_done(*args: object, **kwargs: object) -> object:
        deadline = time.monotonic() + 60
        while set(_children()) - earlier and time.monotonic() < deadline:
            time.sleep(0.05)
        children_left.append(len(set(_children()) - earlier))
        return social_image_groups(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "social_image_groups", after_the_pages_are_done)
    built = build_site(site, BuildOptions(output_dir=tmp_path / "out", offline=True))
    assert not built.diagnostics.has_errors and built.rendered > LOG_COUNT
    assert children_left == [0]


def _children() -> list[str]:
    """This process's children that are still running (an exited worker not yet reaped
    holds no memory)."""
    found: list[str] = []
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as handle:
            found += handle.read().split()
    return [pid for pid in found if _state(pid) not in ("Z", "X", None)]


def _state(pid: str) -> str | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def test_no_change_rebuild_renders_nothing_and_keeps_mtimes(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build_site(site, BuildOptions(output_dir=out, offline=True))
    assert first.written > LOG_COUNT
    before = _mtimes(out)

    again = build_site(site, BuildOptions(output_dir=out, offline=True))  # memo from disk
    assert (again.written, again.removed, again.rendered) == (0, 0, 0)
    assert again.skipped > LOG_COUNT
    assert _mtimes(out) == before

    memo = _build(site, tmp_path / "kept")  # a memo kept in memory, as `serve` does
    _build(site, tmp_path / "kept", memo)
    assert memo.rendered == ()
    assert len([path for path in memo.pages if path.endswith(".html")]) == again.skipped


def test_a_damaged_output_file_is_rendered_again(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    memo = _build(site, out)
    page = out / "logs/2026/01/03/day-2/index.html"
    good = page.read_bytes()
    page.write_bytes(b"scribbled over")
    _build(site, out, memo)
    assert memo.rendered == ("logs/2026/01/03/day-2/index.html",)
    assert page.read_bytes() == good


def test_edited_body_renders_its_page_only_and_equals_a_cold_build(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    memo = _build(site, out)
    source = site / "logs/2026-02-10-day-40.md"
    with source.open("a", encoding="utf-8") as handle:
        handle.write("\nOne more sentence about the cache.\n")

    _build(site, out, memo)
    # The summary in the lists is the start of the body: the lists stay; the dashboard
    # (home and stats) and the year in review count words.
    assert set(memo.rendered) == {
        "logs/2026/02/10/day-40/index.html",
        "index.html",
        "stats/index.html",
        "digests/2026/index.html",
    }
    page = (out / "logs/2026/02/10/day-40/index.html").read_text()
    assert "One more sentence about the cache." in page
    _assert_equals_cold_build(site, out, tmp_path / "cold")


def test_edited_title_renders_its_lists_and_neighbours(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    memo = _build(site, out)
    pages_before = set(memo.pages)
    source = site / "logs/2026-02-10-day-40.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("title: Day 40 of", "title: Renamed day 40 of"), "utf-8")

    _build(site, out, memo)
    rendered = set(memo.rendered)
    # Its page, its neighbours (prev/next titles), its timeline page and its tag pages.
    assert "logs/2026/02/10/day-40/index.html" in rendered
    assert "logs/2026/02/09/day-39/index.html" in rendered
    assert "logs/2026/02/11/day-41/index.html" in rendered
    assert "logs/page/5/index.html" in rendered  # newest first, 10 per page: day 40 is on 5
    assert any(path.startswith("tags/python/") for path in rendered)
    # ... and not the rest of the site.
    assert len(rendered) < len(pages_before) // 4
    assert "logs/2026/01/02/day-1/index.html" not in rendered
    assert "logs/index.html" not in rendered
    assert "Renamed day 40" in (out / "logs/2026/02/09/day-39/index.html").read_text()
    _assert_equals_cold_build(site, out, tmp_path / "cold")


def test_new_and_deleted_logs_equal_a_cold_build(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    memo = _build(site, out)
    (site / "logs/2026-01-05-day-4.md").unlink()
    path, text = _log(LOG_COUNT + 3)
    (site / path).write_text(text, encoding="utf-8")

    _build(site, out, memo)
    assert 0 < len(memo.rendered) < len(memo.pages)
    assert not (out / "logs/2026/01/05/day-4").exists()
    _assert_equals_cold_build(site, out, tmp_path / "cold")


def test_feed_entries_kept_from_the_last_build_follow_a_new_site_url(
    site: Path, tmp_path: Path
) -> None:
    # The process keeps the last builds' feed entries by what they are made of: the same
    # logs on another site URL must not reuse them.
    out = tmp_path / "out"
    memo = _build(site, out)
    assert b"https://example.org/devlog/logs/" in (out / "feed.xml").read_bytes()
    config = site / "tamatar.yaml"
    moved = config.read_text().replace("https://example.org/devlog/", "https://moved.example/")
    config.write_text(moved)

    _build(site, out, memo)
    for feed in ("feed.xml", "rss.xml", "tags/rust/feed.xml", "projects/tamatar/feed.xml"):
        data = (out / feed).read_bytes()
        assert b"https://moved.example/logs/" in data, feed
        assert b"example.org" not in data, feed


def test_template_change_renders_every_page(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    memo = _build(site, out)
    theme_log = shipped_themes_dir() / "default/templates/log.html"
    override = site / "templates/log.html"
    override.parent.mkdir()
    override.write_text(
        theme_log.read_text(encoding="utf-8").replace(
            '_("%(duration)s read"', '_("%(duration)s to read"'
        ),
        "utf-8",
    )

    _build(site, out, memo)
    assert len(memo.rendered) == len([path for path in memo.pages if path.endswith(".html")])
    assert "min to read" in (out / "logs/2026/01/02/day-1/index.html").read_text()
    _assert_equals_cold_build(site, out, tmp_path / "cold")


def _assert_equals_cold_build(site: Path, incremental: Path, cold: Path) -> None:
    result = build_site(site, BuildOptions(output_dir=cold, offline=True))
    assert not result.diagnostics.has_errors
    incremental_files, cold_files = _tree(incremental), _tree(cold)
    assert sorted(incremental_files) == sorted(cold_files)
    differing = [p for p in cold_files if incremental_files[p] != cold_files[p]]
    assert differing == []


def test_template_error_in_a_worker_is_a_diagnostic_and_keeps_the_output(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = build_site(site, BuildOptions(output_dir=out, offline=True))
    assert not first.diagnostics.has_errors
    before = _tree(out)
    # Fails at render time, on the 41st log page only: inside a worker process.
    (site / "templates").mkdir()
    (site / "templates/log.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n'
        "{% if log.title == 'Day 40 of generics' %}{{ log.missing.deeper }}{% endif %}\n"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    result = build_site(site, BuildOptions(output_dir=out, offline=True))
    errors = [d for d in result.diagnostics.items if d.severity == "error"]
    assert len(errors) == 1
    assert (errors[0].path, errors[0].line) == ("templates/log.html", 3)
    assert "missing" in errors[0].message
    assert _tree(out) == before
    assert not list(tmp_path.glob(".out.staging-*"))


def test_unchanged_content_still_copies_static_files_and_follows_the_date(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    (site / "static").mkdir()
    (site / "static/notes.txt").write_text("first\n", encoding="utf-8")
    memo = _build(site, out)
    (site / "static/notes.txt").write_text("second\n", encoding="utf-8")
    _build(site, out, memo)
    assert memo.rendered == ()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "second\n"

    (site / "static/notes.txt").unlink()
    _build(site, out, memo)
    assert not (out / "notes.txt").exists()

    # A day later: streaks, the heatmap and the footer change on every page.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_EPOCH) + 86400))
    _build(site, out, memo)
    assert len(memo.rendered) == len([path for path in memo.pages if path.endswith(".html")])
    _assert_equals_cold_build(site, out, tmp_path / "cold")
