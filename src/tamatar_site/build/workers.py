"""The policy and set-up shared by the build's worker processes."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import TypeVar

T = TypeVar("T")


# Markdown bodies: below this many to render, worker start-up costs more than it saves;
# above it, they go to the workers in chunks of this size.
BODY_PARALLEL_THRESHOLD = 48
BODY_CHUNK_SIZE = 32


def chunks(items: list[T], size: int) -> list[list[T]]:
    """`items` in consecutive lists of `size` (the last may be shorter)."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def usable_cpus() -> int:
    """The cores this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes may be forked from this one.

    Forking is by far the cheapest start, but forking a process that runs other threads
    (the dev server's) can deadlock a child, and some platforms have no fork at all.
    """
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def reset_worker_signals() -> None:
    """Give a forked worker the default signal handlers it needs to be stopped cleanly.

    Workers fork from a process whose handlers may turn SIGTERM into KeyboardInterrupt
    (`tamatar serve` does). A pool is stopped with SIGTERM, and a worker that raised
    there while holding the pool's queue lock left its parent waiting forever; Ctrl-C
    reaches every process of the group, and only the parent should act on it.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold a Ctrl-C back while this thread forks worker processes; raise it afterwards.

    Python runs the hooks registered with `os.register_at_fork` around every fork, the
    logging module's among them: it takes its lock before the fork and releases it after.
    A KeyboardInterrupt raised inside that release is swallowed ("Exception ignored in")
    and leaves the lock held, so the next fork (a pool replacing a worker) waits forever
    and the build with it. Only the main thread runs signal handlers, so only its forks
    need this.
    """
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        yield  # SIG_IGN / SIG_DFL: Python raises nothing to hold back
        return
    held: list[tuple[int, FrameType | None]] = []
    signal.signal(signal.SIGINT, lambda signum, frame: held.append((signum, frame)))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        previous(*held[0])


def fork_pool(processes: int, *, maxtasksperchild: int | None = None) -> multiprocessing.pool.Pool:
    """A pool of `processes` forked workers with the signal handlers they need (its workers
    fork here, with a Ctrl-C held back until they have)."""
    with interrupts_held():
        return multiprocessing.get_context("fork").Pool(
            processes, reset_worker_signals, maxtasksperchild=maxtasksperchild
        )


def release_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's `malloc_trim`; elsewhere
    nothing). Python frees a big string into the C heap, which returns to the system only
    what is at its top: the rendered-body copies a build lets go of would otherwise stay
    resident under the pages its workers fork from and beside Pagefind's run."""
    global _malloc_trim
    if _malloc_trim is None:
        _malloc_trim = _find_malloc_trim()
    _malloc_trim()


def _find_malloc_trim() -> Callable[[], object]:
    if sys.platform.startswith("linux"):
        try:
            trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):  # musl and other C libraries have no malloc_trim
            pass
        else:
            return lambda: trim(0)
    return lambda: None


_malloc_trim: Callable[[], object] | None = None
