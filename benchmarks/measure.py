"""Benchmark runner support: run one command and measure its wall time and peak memory.

Peak memory is measured two ways, because tamatar may render in worker processes:
- `tree_peak_bytes`: the largest sum of the resident set sizes of the command and all its
  descendants, sampled from /proc every 20 ms. An upper bound: pages a forked worker still
  shares copy-on-write with its parent count once per process (PSS would be exact but
  costs tens of milliseconds per read of a large process);
- `maxrss_bytes`: the kernel's high-water mark of the largest single process in the tree
  (`ru_maxrss` from `wait4`, the figure `/usr/bin/time -v` prints).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
_SAMPLE_SECONDS = 0.02


@dataclass(frozen=True)
class Measurement:
    """One run of a command."""

    seconds: float
    cpu_seconds: float  # user + system time of the command and its reaped descendants
    tree_peak_bytes: int
    maxrss_bytes: int
    returncode: int
    output_tail: str  # the last lines of stdout + stderr, for error reports

    @property
    def peak_bytes(self) -> int:
        """The better of the two memory figures (sampling can miss a short spike)."""
        return max(self.tree_peak_bytes, self.maxrss_bytes)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(child) for child in handle.read().split())
    except OSError:
        pass
    return found


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * _PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_bytes(root: int) -> int:
    """The summed resident set size of `root` and all its descendants, now."""
    total, pending, seen = 0, [root], set()
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss_bytes(pid)
        pending.extend(_children(pid))
    return total


class _PeakSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.finished = threading.Event()

    def run(self) -> None:
        while not self.finished.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            self.finished.wait(_SAMPLE_SECONDS)


def run_measured(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Measurement:
    """Run `command` to completion with output captured; never raises on a failing command."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            cwd=cwd,
        )
        sampler = _PeakSampler(process.pid)
        sampler.start()
        # wait4 gives this child's own rusage (its ru_maxrss covers reaped descendants too).
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.finished.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        tail = output.read()[-4000:].decode("utf-8", "replace")
    maxrss = usage.ru_maxrss * 1024  # kilobytes on Linux
    cpu = usage.ru_utime + usage.ru_stime
    return Measurement(seconds, cpu, sampler.peak, maxrss, process.returncode, tail)
