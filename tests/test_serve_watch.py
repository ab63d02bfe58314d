"""Watching a site: the filter, change kinds, settings, and serve_site's rebuild loop."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import watchfiles

from tamatar_site.load.themes import resolve_theme_dir
from tamatar_site.serve import (
    BuildOutcome,
    ChangeKind,
    LiveReloadServer,
    LocalBuild,
    SiteFilter,
    classify_changes,
    read_settings,
    serve_site,
)
from tamatar_site.serve.inject import EVENTS_PATH, OVERLAY_ID
from tamatar_site.serve.watch import is_temporary_file, watch_site


def _site(tmp_path: Path, yaml_text: str = "") -> Path:
    site = tmp_path / "site"
    (site / "logs" / "2026").mkdir(parents=True)
    (site / "tamatar.yaml").write_text(
        yaml_text or 'site:\n  title: T\n  base_url: "https://u.github.io/devlog/"\n'
    )
    (site / "logs" / "2026" / "2026-11-21-hello.md").write_text("---\ntitle: Hi\n---\nfirst\n")
    return site


@pytest.mark.parametrize(
    "name",
    [".hello.md.swp", "hello.md~", ".#hello.md", "#hello.md#", "4913", "x.md___jb_tmp___", "a.tmp"],
)
def test_editor_temporary_files_are_recognised(name: str) -> None:
    assert is_temporary_file(name)


@pytest.mark.parametrize("name", ["hello.md", "tamatar.yaml", "style.css", "swap.md"])
def test_real_files_are_not_temporary(name: str) -> None:
    assert not is_temporary_file(name)


def test_filter_ignores_output_cache_git_and_temp_files(tmp_path: Path) -> None:
    site = _site(tmp_path)
    keep = SiteFilter(site.resolve(), site.resolve() / "_site")
    added = watchfiles.Change.added
    root = site.resolve()
    assert keep(added, str(root / "logs" / "2026" / "2026-11-22-new.md"))
    assert keep(added, str(root / "tamatar.yaml"))
    assert not keep(added, str(root / "_site" / "index.html"))
    assert not keep(added, str(root / "._site.staging-4242" / "index.html"))
    assert not keep(added, str(root / "._site.old-4242"))
    assert not keep(added, str(root / ".tamatar" / "cache" / "github" / "x.json"))
    assert not keep(added, str(root / ".git" / "index"))
    assert not keep(added, str(root / "logs" / ".2026-11-22-new.md.swp"))
    assert keep(added, str(root / "_site_notes.md"))  # only the folder itself is ignored


def test_change_kinds(tmp_path: Path) -> None:
    site = _site(tmp_path)
    theme = tmp_path / "theme"
    assert classify_changes([site / "static" / "a.png"], site) is ChangeKind.STATIC
    assert classify_changes([site / "templates" / "log.html"], site) is ChangeKind.TEMPLATE
    assert classify_changes([theme / "templates" / "base.html"], site, theme) is ChangeKind.TEMPLATE
    assert classify_changes([theme / "static" / "style.css"], site, theme) is ChangeKind.STATIC
    assert classify_changes([site / "logs" / "x.md"], site) is ChangeKind.CONTENT
    mixed = [site / "static" / "a.png", site / "tamatar.yaml", site / "logs" / "x.md"]
    assert classify_changes(mixed, site) is ChangeKind.CONFIG
    assert classify_changes([], site) is None


def test_settings_read_base_path_and_output(tmp_path: Path) -> None:
    site = _site(
        tmp_path, 'site:\n  title: T\n  base_url: "https://u.github.io/devlog"\n  output_dir: out\n'
    )
    settings = read_settings(site)
    assert settings.base_path == "/devlog/"
    assert settings.output_dir == site / "out"
    assert settings.theme_dir == resolve_theme_dir("default", site)


def test_settings_fall_back_when_tamatar_yaml_is_broken(tmp_path: Path) -> None:
    site = _site(tmp_path, "site: [unclosed\n")
    settings = read_settings(site)
    assert settings.base_path == "/"
    assert settings.output_dir == site / "_site"


WARNING = "logs/2026/2026-11-21-hello.md:3:7: warning: dated in the future"


class _Recorder:
    """A build function for serve_site that writes one page with the log's body."""

    def __init__(self) -> None:
        self.base_urls: list[str] = []
        self.offline: list[bool] = []
        self.refresh: list[bool] = []
        self.serving_with_refresh = False
        self.changed: list[frozenset[Path] | None] = []

    def __call__(self, request: LocalBuild) -> BuildOutcome:
        site_dir = request.site_dir
        self.base_urls.append(request.base_url)
        self.offline.append(request.offline)
        self.refresh.append(request.refresh)
        self.changed.append(request.changed)
        text = (site_dir / "logs" / "2026" / "2026-11-21-hello.md").read_text()
        if not text.startswith("---\ntitle:"):
            return BuildOutcome(errors=("logs/2026/2026-11-21-hello.md:2:1: error: bad",))
        out = read_settings(site_dir).output_dir
        out.mkdir(exist_ok=True)
        body = text.split("---\n")[-1].strip()
        (out / "index.html").write_text(f"<html><body><p>{body}</p></body></html>")
        warnings = (WARNING,) if "future" in body else ()
        return BuildOutcome(summary="1 page written", warnings=warnings)


@pytest.fixture(params=[False, True], ids=["", "refresh"])
def running(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[Path, LiveReloadServer, _Recorder, list[str]]]:
    """`tamatar serve` with a recording build function; also with `--refresh`."""
    # A theme of its own: the built-in one may be edited while the tests run.
    site = _site(
        tmp_path,
        'site:\n  title: T\n  base_url: "https://u.github.io/devlog/"\n  theme: own-theme\n',
    )
    (site / "own-theme" / "templates").mkdir(parents=True)
    recorder = _Recorder()
    recorder.serving_with_refresh = request.param
    lines: list[str] = []
    ready: list[LiveReloadServer] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=serve_site,
        args=(site,),
        kwargs={
            "port": 0,
            "build": recorder,
            "report": lines.append,
            "stop": stop,
            "on_ready": ready.append,
            "refresh": request.param,
        },
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not ready and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ready, lines
    yield site, ready[0], recorder, lines
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert lines[-1] == "Stopped."


def _wait_for_reload(server: LiveReloadServer, since: str) -> None:
    url = f"http://127.0.0.1:{server.port}{EVENTS_PATH}?since={since}"
    with httpx.stream("GET", url, timeout=httpx.Timeout(15.0)) as response:
        for line in response.iter_lines():
            if line == "event: reload":
                return


def test_serve_site_builds_with_the_local_base_url_and_rebuilds_on_change(
    running: tuple[Path, LiveReloadServer, _Recorder, list[str]],
) -> None:
    site, server, recorder, lines = running
    assert recorder.base_urls == [f"http://127.0.0.1:{server.port}/devlog/"]
    assert recorder.offline == [False]
    assert lines[:3] == [
        f"Building site for http://127.0.0.1:{server.port}/devlog/ ...",
        "Built: 1 page written",
        f"Serving site at http://127.0.0.1:{server.port}/devlog/ (Ctrl-C to stop)",
    ]
    page = f"http://127.0.0.1:{server.port}/devlog/"
    assert "<p>first</p>" in httpx.get(page).text

    log = site / "logs" / "2026" / "2026-11-21-hello.md"
    since = server.build_id
    log.write_text("---\ntitle: Hi\n---\nsecond\n")
    _wait_for_reload(server, since)
    assert "<p>second</p>" in httpx.get(page).text
    assert any(line.startswith("Rebuilt after logs/2026/2026-11-21-hello.md") for line in lines)

    since = server.build_id
    log.write_text("---\ntitel: Hi\n---\nbroken\n")
    _wait_for_reload(server, since)
    broken = httpx.get(page).text
    assert OVERLAY_ID in broken and "logs/2026/2026-11-21-hello.md:2:1: error: bad" in broken
    assert "<p>second</p>" in broken

    since = server.build_id
    log.write_text("---\ntitle: Hi\n---\nthird\n")
    _wait_for_reload(server, since)
    fixed = httpx.get(page).text
    assert OVERLAY_ID not in fixed and "<p>third</p>" in fixed
    assert recorder.offline == [False, True, True, True]  # only the first build goes online
    # and only it asks GitHub whatever the cache's age, with --refresh
    assert recorder.refresh == [recorder.serving_with_refresh, False, False, False]
    # The builder hears what changed (the first build checks every file).
    assert recorder.changed == [None] + [frozenset({log.resolve()})] * 3


def test_output_folder_changes_do_not_trigger_rebuilds(
    running: tuple[Path, LiveReloadServer, _Recorder, list[str]],
) -> None:
    site, _server, recorder, _lines = running
    (site / "_site" / "extra.html").write_text("<p>written by a build</p>")
    (site / ".tamatar").mkdir()
    (site / ".tamatar" / "state.json").write_text("{}")
    time.sleep(1.0)
    assert len(recorder.base_urls) == 1


def test_moving_the_output_folder_rewatches_without_a_rebuild_loop(
    running: tuple[Path, LiveReloadServer, _Recorder, list[str]],
) -> None:
    site, server, recorder, _lines = running
    config = site / "tamatar.yaml"
    since = server.build_id
    config.write_text(config.read_text() + "  output_dir: public\n")
    _wait_for_reload(server, since)
    assert (site / "public" / "index.html").is_file()
    assert server.root == site.resolve() / "public"
    assert "<p>first</p>" in httpx.get(server.url).text
    time.sleep(1.0)  # a build writing into public/ must not trigger the next one
    assert len(recorder.base_urls) == 2
    assert recorder.changed[1] is None  # a config change: check every file


def test_warnings_are_printed_when_they_change(
    running: tuple[Path, LiveReloadServer, _Recorder, list[str]],
) -> None:
    site, server, _recorder, lines = running
    log = site / "logs" / "2026" / "2026-11-21-hello.md"
    for body in ("future one", "future two", "present"):
        since = server.build_id
        log.write_text(f"---\ntitle: Hi\n---\n{body}\n")
        _wait_for_reload(server, since)
    assert lines.count(f"  {WARNING}") == 1


def test_the_watch_skips_the_output_and_follows_the_site_folders_own_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output folder is not watched (a large site's output has tens of thousands of
    folders); tamatar.yaml saved by a rename, and a folder added to the site, are seen,
    and the new folder's files too."""
    site = _site(tmp_path)
    (site / "_site" / "logs").mkdir(parents=True)
    watched: list[tuple[Path, ...]] = []
    real_watch = watchfiles.watch

    def recording_watch(*roots: Path, **options: Any) -> Any:
        watched.append(tuple(Path(root) for root in roots))
        return real_watch(*roots, **options)

    monkeypatch.setattr(watchfiles, "watch", recording_watch)
    batches: queue.Queue[set[Path]] = queue.Queue()
    started, stop = threading.Event(), threading.Event()

    def watch() -> None:
        for batch in watch_site(site, site / "_site", stop=stop, on_started=started.set):
            batches.put(batch)

    thread = threading.Thread(target=watch)
    thread.start()
    try:
        assert started.wait(10)
        (site / "_site" / "logs" / "page.html").write_text("output")
        replacement = site / "tamatar.yaml.new"
        replacement.write_text((site / "tamatar.yaml").read_text() + "# saved\n")
        os.replace(replacement, site / "tamatar.yaml")
        assert _next_batch_with(batches, site.resolve() / "tamatar.yaml")
        (site / "static").mkdir()
        assert _next_batch_with(batches, site.resolve() / "static")
        (site / "static" / "style.css").write_text("body {}")
        seen = _next_batch_with(batches, site.resolve() / "static" / "style.css")
        assert not any("_site" in path.parts for path in seen)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    output = (site / "_site").resolve()
    for roots in watched:  # neither the output nor a folder that holds it
        assert not any(root == output or root in output.parents for root in roots), roots
    assert watched[0] == (site.resolve() / "logs",)
    assert set(watched[-1]) == {site.resolve() / "logs", site.resolve() / "static"}


def _next_batch_with(batches: queue.Queue[set[Path]], wanted: Path) -> set[Path]:
    """Every path of the batches until one that has `wanted`."""
    seen: set[Path] = set()
    deadline = time.monotonic() + 10
    while wanted not in seen:
        assert time.monotonic() < deadline, f"no change of {wanted} in {seen}"
        try:
            seen |= batches.get(timeout=0.5)
        except queue.Empty:
            continue
    return seen
