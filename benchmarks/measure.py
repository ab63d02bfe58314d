"""Benchmark runner support: run one command and measure its wall time and peak memory.

Peak memory is measured two ways, because tamatar may render in worker processes:
- `tree_peak_bytes`: the largest sum of the resident set sizes of the command and all its
  descendants, sampled from /proc every 20 ms. An upper bound: pages a forked worker still
  shares copy-on-write with its parent count once per process (PSS would be exact but
  costs tens of milliseconds per read of a large process);
- `tree_pss_peak_bytes`: the largest sum of the proportional set sizes (shared pages split
  between the processes that share them: the exact figure), sampled every 0.5 s, so it
  can miss a spike shorter than that;
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
_PSS_EVERY = 25  # samples: PSS every 0.5 s, as it costs a page-table walk per process


@dataclass(frozen=True)
class Measurement:
    """One run of a command."""

    seconds: float
    cpu_seconds: float  # user + system time of the command and its reaped descendants
    tree_peak_bytes: int
    tree_pss_peak_bytes: int
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


def _pss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _tree(root: int) -> list[int]:
    found, pending, seen = [], [root], set()
    while pending:
        pid = pending.pop()
        if pid not in seen:
            seen.add(pid)
            found.append(pid)
            pending.extend(_children(pid))
    return found


def tree_rss_bytes(root: int) -> int:
    """The summed resident set size of `root` and all its descendants, now."""
    return sum(_rss_bytes(pid) for pid in _tree(root))


def tree_pss_bytes(root: int) -> int:
    """The summed proportional set size of `root` and all its descendants, now."""
    return sum(_pss_bytes(pid) for pid in _tree(root))


class _PeakSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.pss_peak = 0
        self.finished = threading.Event()

    def run(self) -> None:
        count = 0
        while not self.finished.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            if count % _PSS_EVERY == 0:
                self.pss_peak = max(self.pss_peak, tree_pss_bytes(self.pid))
            count += 1
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
    return Measurement(
        seconds, cpu, sampler.peak, sampler.pss_peak, maxrss, process.returncode, tail
    )
