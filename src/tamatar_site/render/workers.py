"""Render stage: set-up shared by the build's worker processes."""

from __future__ import annotations

import signal


def reset_worker_signals() -> None:
    """Give a forked worker the default signal handlers it needs to be stopped cleanly.

    Workers fork from a process whose handlers may turn SIGTERM into KeyboardInterrupt
    (`tamatar serve` does). A pool is stopped with SIGTERM, and a worker that raised
    there while holding the pool's queue lock left its parent waiting forever; Ctrl-C
    reaches every process of the group, and only the parent should act on it.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
