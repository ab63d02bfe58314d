"""A build killed at any moment leaves the output exactly old or exactly new, never a mix."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitefiles import FIXED_EPOCH, write_site

LOG = "---\ntitle: {title}\ndate: 2026-11-{day:02d}\ntags: [rust]\n---\nBody of {title}.\n"
RUNS = 20


def tree(folder: Path) -> dict[str, str]:
    """Every entry under `folder` with a digest of its bytes (links as their target)."""
    found: dict[str, str] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = "link " + os.readlink(path)
            elif path.is_dir():
                found[key] = "folder"
            else:
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


# A process that has imported tamatar once and forks a build for each line it reads:
# a build then starts in milliseconds instead of a second of imports.
ZYGOTE = """
import os, signal, sys
import tamatar_site.cli
import tamatar_site.write.stage
large = os.environ.get("KILL_TEST_LARGE_TREE_ENTRIES")
if large:  # every output is large: commits complete and keep the spare tree
    tamatar_site.write.stage.LARGE_TREE_ENTRIES = int(large)
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
for line in sys.stdin:
    log, pause, *args = line.rstrip("\\n").split("\\0")
    pid = os.fork()
    if pid == 0:
        os.setsid()  # the build and its workers form one group, killed together
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        if pause:
            os.environ["TAMATAR_TEST_PAUSE_IN_COMMIT"] = pause
        code = 0
        try:
            tamatar_site.cli.main(args, standalone_mode=False)
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        except BaseException:
            import traceback
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    print(pid, flush=True)
"""


class Builds:
    """Starts builds from the zygote; each build's output (stdout and stderr) in a file."""

    def __init__(self, tmp_path: Path, large_tree_entries: int | None = None) -> None:
        env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
        if large_tree_entries is not None:
            env["KILL_TEST_LARGE_TREE_ENTRIES"] = str(large_tree_entries)
        self.zygote = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.log = tmp_path / "build.log"

    def start(self, site: Path, out: Path, pause: str = "") -> int:
        args = [str(self.log), pause, "build", str(site), "-o", str(out)]
        assert self.zygote.stdin is not None and self.zygote.stdout is not None
        self.zygote.stdin.write("\0".join(args) + "\n")
        self.zygote.stdin.flush()
        return int(self.zygote.stdout.readline())

    def wait_for(self, text: str, count: int, pid: int) -> None:
        """Until the build's output holds `text` `count` times."""
        deadline = time.monotonic() + 60
        while self.log.read_text().count(text) < count:
            assert alive(pid), self.log.read_text()
            assert time.monotonic() < deadline, "the build never got there"
            time.sleep(0.002)

    def kill(self, pid: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        while alive(pid):
            time.sleep(0.002)

    def build(self, site: Path, out: Path) -> None:
        pid = self.start(site, out)
        deadline = time.monotonic() + 120
        while alive(pid):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert "error" not in self.log.read_text().lower(), self.log.read_text()

    def close(self) -> None:
        assert self.zygote.stdin is not None and self.zygote.stdout is not None
        self.zygote.stdin.close()
        self.zygote.wait(timeout=30)
        self.zygote.stdout.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Sites:
    """A site edited from its old state to its new one, and the output of each."""

    def __init__(self, tmp_path: Path, builds: Builds) -> None:
        self.root = tmp_path
        logs = {
            f"logs/2026-11-{d:02d}-log{d}.md": LOG.format(title=f"Log {d}", day=d)
            for d in range(1, 13)
        }
        self.site = write_site(tmp_path / "site", {**logs, "static/old.txt": "old\n"})
        self.old_output = tmp_path / "old-output"
        builds.build(self.site, self.old_output)
        self.old = tree(self.old_output)
        (self.site / "static/old.txt").unlink()
        (self.site / "logs/2026-11-01-log1.md").unlink()
        write_site(
            self.site,
            {
                "static/new.txt": "new\n",
                "logs/2026-11-05-log5.md": LOG.format(title="Log 5, edited", day=5),
                "logs/2026-11-13-log13.md": LOG.format(title="Log 13", day=13),
            },
        )
        expected = tmp_path / "new-output"
        builds.build(self.site, expected)
        self.new = tree(expected)
        assert self.old != self.new
        self.out = tmp_path / "out"

    def reset(self) -> None:
        """The output as the old build left it."""
        if self.out.exists():
            shutil.rmtree(self.out)
        shutil.copytree(self.old_output, self.out, symlinks=True)

    def check(self, label: str) -> str:
        found = tree(self.out)
        assert found in (self.old, self.new), f"{label}: a mix of the old and new output"
        return "old" if found == self.old else "new"

    def leftovers(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.name.startswith(".out."))


@pytest.fixture
def builds(tmp_path: Path) -> Iterator[Builds]:
    started = Builds(tmp_path)
    yield started
    started.close()


def test_a_build_killed_at_random_moments_leaves_old_or_new(tmp_path: Path, builds: Builds) -> None:
    sites = Sites(tmp_path, builds)
    rng = random.Random(16)
    sites.reset()
    started = time.monotonic()
    builds.build(sites.site, sites.out)
    duration = time.monotonic() - started
    outcomes: list[str] = []
    for run in range(RUNS):
        sites.reset()
        pid = builds.start(sites.site, sites.out)
        time.sleep(rng.uniform(0.0, duration * 1.1))
        builds.kill(pid)
        outcomes.append(sites.check(f"run {run}"))
    builds.build(sites.site, sites.out)
    assert sites.check("after a full build") == "new"
    assert sites.leftovers() == []
    assert "old" in outcomes  # some kills landed before the swap


def test_a_build_killed_inside_the_commit_leaves_old_or_new(tmp_path: Path, builds: Builds) -> None:
    sites = Sites(tmp_path, builds)
    rng = random.Random(61)
    outcomes: list[str] = []
    for run in range(RUNS):
        sites.reset()
        pid = builds.start(sites.site, sites.out, pause="0.1")
        # The commit pauses twice: before the swap, and after it (before deleting the
        # old tree). Kill somewhere in the first or the second pause.
        builds.wait_for("tamatar-test: in commit", rng.choice((1, 2)), pid)
        time.sleep(rng.uniform(0.0, 0.1))
        builds.kill(pid)
        outcomes.append(sites.check(f"run {run}"))
        if run % 5 == 4:
            builds.build(sites.site, sites.out)  # the next build cleans up after killed ones
            assert sites.check(f"rebuild after run {run}") == "new"
            assert sites.leftovers() == []
    assert set(outcomes) == {"old", "new"}


def test_a_build_killed_while_completing_the_spare_tree_leaves_old_or_new(
    tmp_path: Path,
) -> None:
    """A large output's commit completes the spare tree (the output before last, sharing
    the output's unchanged files) instead of a new one: a kill at any moment, inside it
    too, leaves the output old or new, and the next build is right whatever the kill left
    of the spare."""
    builds = Builds(tmp_path, large_tree_entries=1)
    try:
        sites = Sites(tmp_path, builds)
        spare = tmp_path / ".out.tamatar-spare"
        rng = random.Random(29)
        durations = []
        outcomes: list[str] = []
        for run in range(RUNS):
            sites.reset()
            for left in tmp_path.glob(".out.tamatar-*"):
                shutil.rmtree(left)
            # A spare as a build leaves it: links to the output's files, some changed.
            shutil.copytree(sites.out, spare, symlinks=True, copy_function=os.link)
            (spare / "old.txt").unlink()
            (spare / "junk.txt").write_text("junk")
            started = time.monotonic()
            if run < 2:
                builds.build(sites.site, sites.out)
                durations.append(time.monotonic() - started)
                outcomes.append(sites.check(f"run {run}"))
                continue
            pid = builds.start(sites.site, sites.out, pause=rng.choice(("", "0.05")))
            time.sleep(rng.uniform(0.0, max(durations) * 1.2))
            builds.kill(pid)
            outcomes.append(sites.check(f"run {run}"))
            if run % 5 == 4:
                builds.build(sites.site, sites.out)
                assert sites.check(f"rebuild after run {run}") == "new"
                assert sites.leftovers() == [".out.tamatar-spare"]
                assert tree(spare) != tree(sites.out)
        assert set(outcomes) == {"old", "new"}
    finally:
        builds.close()
