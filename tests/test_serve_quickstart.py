"""`tamatar serve` of a site whose output is current serves at once (serve/session_build.py).

The signal that no build ran before the server said it was ready: the build clock file
(`.tamatar/cache/content/build-clock`), which every build rewrites before it starts, is as
the last session left it.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub
from searchindex import comparable
from sitefiles import FIXED_EPOCH, output_stats, stat_key, tree_bytes, write_site
from test_build_github import EPOCH as GITHUB_EPOCH
from test_build_github import TOKEN, gh, make_site

from tamatar_site.build import manifest
from tamatar_site.build.pipeline import BuildOptions, build_site
from tamatar_site.cachefile import read_versioned, write_versioned
from tamatar_site.cli import main
from tamatar_site.serve import LiveReloadServer, LocalBuild, serve_site
from tamatar_site.serve.session_build import SessionBuild

__all__ = ["gh"]  # the fake GitHub server fixture, shared with test_build_github
CONFIG = """\
site:
  title: Asha's devlog
  base_url: https://asha.github.io/devlog/
"""
FILES = {
    "logs/2026-11-20-lifetimes.md": "---\ntitle: Lifetimes\ntags: [rust]\n---\nAnnotations.\n",
    "logs/2026-11-21-traits.md": "---\ntitle: Traits\ntags: [rust]\n---\nTraits and generics.\n",
}
CLOCK = manifest.CLOCK_FILE
BUILT = re.compile(r"^Built: (\d+) pages? written, (\d+) unchanged, \d+ removed in [\d.]+s$")


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Session:
    """`serve_site` with the real session build in a thread, on a port given in advance
    (the local URL is part of what the output was built for)."""

    def __init__(self, site: Path, port: int) -> None:
        self.site = site
        self.lines: list[str] = []
        self.clock_at_ready: tuple[int, int, int] | None = None
        self.url = ""
        ready = threading.Event()

        def on_ready(server: LiveReloadServer) -> None:
            self.clock_at_ready = stat_key(site / CLOCK)
            self.url = server.url
            ready.set()

        self.stop_event = threading.Event()
        self.thread = threading.Thread(
            target=serve_site,
            args=(site,),
            kwargs={
                "port": port,
                "offline": True,
                "report": self.lines.append,
                "stop": self.stop_event,
                "on_ready": on_ready,
            },
        )
        self.thread.start()
        assert ready.wait(120), self.lines

    def built_counts(self) -> tuple[int, int]:
        match = BUILT.match(self.lines[1])
        assert match, self.lines
        return int(match[1]), int(match[2])

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()
        assert self.lines[-1] == "Stopped."


def served_site(tmp_path: Path) -> tuple[Path, int, int]:
    """A site served once until its state was saved (the manifest written for its URL);
    with the port and the number of files the session's build reported."""
    site = write_site(tmp_path / "site", FILES, config=CONFIG)
    # A first build in this process: the package's bytecode files are written now, not
    # while a session's state is saved (an input that recent is not trusted).
    assert CliRunner().invoke(main, ["build", str(site)]).exit_code == 0
    time.sleep(0.05)
    port = free_port()
    first = Session(site, port)
    wait_for(lambda: (site / manifest.MANIFEST).is_file(), "the first session's saved state")
    first.stop()
    return site, port, sum(first.built_counts())


def test_an_unchanged_site_is_served_before_any_build_and_warmed_up_after(
    tmp_path: Path,
) -> None:
    site, port, files = served_site(tmp_path)
    clock, saved = stat_key(site / CLOCK), stat_key(site / manifest.MANIFEST)
    outputs = output_stats(site / "_site")

    second = Session(site, port)
    assert second.clock_at_ready == clock  # no build ran before serving
    written, unchanged = second.built_counts()
    assert (written, unchanged) == (0, files)
    # Then the session is made warm by a build that writes nothing, and its state is saved.
    wait_for(lambda: stat_key(site / CLOCK) != clock, "the warming build")
    wait_for(lambda: stat_key(site / manifest.MANIFEST) != saved, "the state saved again")
    assert output_stats(site / "_site") == outputs
    assert not any(line.startswith("Rebuilt") for line in second.lines), second.lines

    log = site / "logs/2026-11-21-traits.md"
    log.write_text(log.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    wait_for(
        lambda: any(line.startswith("Rebuilt after logs/") for line in second.lines),
        "the rebuild after an edit",
    )
    url = second.url
    second.stop()
    # What the session wrote is what a cold build for the same URL writes.
    copy = tmp_path / "copy"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".tamatar", "_site"))
    cold = build_site(copy, BuildOptions(output_dir=tmp_path / "cold", base_url=url))
    assert not cold.diagnostics.has_errors
    served = tree_bytes(site / "_site")
    assert b"A new sentence." in served["logs/2026/11/21/traits/index.html"]
    assert comparable(served) == comparable(tree_bytes(tmp_path / "cold"))


def test_an_input_changed_between_sessions_is_built_before_serving(tmp_path: Path) -> None:
    site, port, _ = served_site(tmp_path)
    clock = stat_key(site / CLOCK)
    log = site / "logs/2026-11-20-lifetimes.md"
    log.write_text(log.read_text(encoding="utf-8").replace("Annotations", "Regions"))

    second = Session(site, port)
    assert second.clock_at_ready != clock
    written, _ = second.built_counts()
    assert written > 0
    page = site / "_site/logs/2026/11/20/lifetimes/index.html"
    assert "Regions." in page.read_text(encoding="utf-8")
    second.stop()


def test_a_warming_build_keeps_the_manifest_unless_it_writes(tmp_path: Path) -> None:
    """Stopping the server between the warming build and the saving of its state leaves
    the manifest the quick start matched, as long as that build wrote nothing."""
    site, port, _ = served_site(tmp_path)
    url = f"http://127.0.0.1:{port}/devlog/"
    request = LocalBuild(site.resolve(), url, offline=True)

    warming = dataclasses.replace(request, warming=True)
    session = SessionBuild()
    assert session.quick_start(request) is not None
    outcome = session(warming)
    assert outcome.ok and not outcome.changed_output
    assert (site / manifest.MANIFEST).is_file()
    assert SessionBuild().quick_start(request) is not None  # the next start is quick too

    session = SessionBuild()
    assert session.quick_start(request) is not None
    log = site / "logs/2026-11-20-lifetimes.md"
    log.write_text(log.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    outcome = session(warming)
    assert outcome.ok and outcome.changed_output
    assert not (site / manifest.MANIFEST).exists()
    assert SessionBuild().quick_start(request) is None


def test_a_github_site_starts_quickly_while_its_cache_is_fresh(
    gh: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Serve without --offline: the state is saved only once a build read the GitHub cache
    it did not write itself, and the quick start holds while that cache is fresh."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", GITHUB_EPOCH)
    monkeypatch.setenv("TAMATAR_TEST_TOKEN", TOKEN)
    site = make_site(tmp_path, gh.url).resolve()
    request = LocalBuild(site, "http://127.0.0.1:8765/log/")
    saved = site / manifest.MANIFEST

    first = SessionBuild()
    assert first(request).ok
    assert len(gh.requests) == 6
    first.persist()
    assert not saved.exists()  # the cache it just wrote is too recent to trust
    time.sleep(0.05)

    gh.requests.clear()
    second = SessionBuild()
    assert second.quick_start(request) is None
    assert second(request).ok  # from the fresh cache
    second.persist()
    assert saved.is_file() and gh.requests == []

    assert SessionBuild().quick_start(request) is not None
    assert SessionBuild().quick_start(dataclasses.replace(request, refresh=True)) is None
    kept = read_versioned(saved, manifest._identity())
    assert isinstance(kept, dict) and kept["github_fresh_until"] > time.time()
    write_versioned(saved, manifest._identity(), {**kept, "github_fresh_until": 1.0})
    assert SessionBuild().quick_start(request) is None  # stale: GitHub may have news
    assert gh.requests == []
