"""How `tamatar serve` stops: Ctrl-C and SIGTERM, during a build and while shutting down."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

__all__ = ["ExitOnSignal", "ignore_interrupts", "keep_signals", "sigterm_as_interrupt"]

Report = Callable[[str], None]


def keep_signals() -> None:
    """The undo of a signal change that was not made."""


def sigterm_as_interrupt() -> Callable[[], None]:
    """Treat SIGTERM like Ctrl-C so `kill` also stops cleanly; returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def ignore_interrupts() -> Callable[[], None]:
    """A second Ctrl-C while shutting down must not print a traceback; returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)

    def restore() -> None:
        signal.signal(signal.SIGINT, previous)

    return restore


class ExitOnSignal:
    """Ctrl-C and SIGTERM end `tamatar serve` within a fraction of a second, even mid-build.

    Raising KeyboardInterrupt in the main thread waited for whatever it interrupted: a
    rebuild deleting its staged pages, worker processes finishing their chunks, then the
    interpreter freeing a large build's objects (1-3 s in all). Instead the handler starts a
    thread that ends the process: it stops the build's worker processes, hands the staging
    folder of an interrupted build to a detached process to delete, prints `Stopped.` and
    calls `os._exit(0)`. The output folder is swapped in whole by one rename (`write/`), so
    an exit at any moment leaves the old site or the new one.
    """

    def __init__(self, output_dir: Callable[[], Path], report: Report) -> None:
        self.output_dir = output_dir
        self.report = report
        self.exiting = False

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.exiting:  # a second Ctrl-C while exiting
            return
        self.exiting = True
        threading.Thread(target=self._exit, name="tamatar-exit", daemon=True).start()

    def _exit(self) -> None:
        try:
            for child in multiprocessing.active_children():
                child.terminate()
            self._discard_staging()
            self.report("Stopped.")
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:  # exiting is what matters now
            pass
        finally:
            os._exit(0)

    def _discard_staging(self) -> None:
        """Delete the staging folder of a build in progress in a detached process."""
        from tamatar_site.write.swap import remove_tree_detached, staging_folder

        staging = staging_folder(self.output_dir().absolute())
        if staging.exists():
            remove_tree_detached(staging)
