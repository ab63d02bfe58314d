"""Terminal output: a progress bar on a TTY, plain lines in CI or with --quiet, build summaries.

Stages never print; `cli.py` creates a `Progress` and hands its `advance` to long work.
On a terminal the bar redraws one line in place. With `CI=true` (or any output that is not a
terminal) it prints a start and an end line only, and with `quiet` it prints nothing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from enum import Enum
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from tamatar_site.build.manifest import NoChange

_IMPORTED = time.perf_counter()  # the start to count from where the kernel does not say
_MAX_STARTUP = 3.0  # seconds from exec to importing this module, at most, on a slow machine
_BAR_WIDTH = 28
_REDRAW_SECONDS = 0.1


class OutputMode(Enum):
    """How much the terminal shows of long work."""

    BAR = "bar"  # an interactive terminal: one line redrawn in place
    LINES = "lines"  # CI or a pipe: plain lines, no control characters
    QUIET = "quiet"  # --quiet: nothing but errors


class BuildCounts(Protocol):
    """What a build summary needs; `build.BuildResult` has these fields."""

    @property
    def written(self) -> int: ...
    @property
    def unchanged(self) -> int: ...
    @property
    def removed(self) -> int: ...
    @property
    def seconds(self) -> float: ...


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def output_mode(
    stream: TextIO | None = None, *, quiet: bool = False, environ: Mapping[str, str] | None = None
) -> OutputMode:
    """Pick the output mode: quiet wins, then CI=true or a non-terminal gives plain lines."""
    if quiet:
        return OutputMode.QUIET
    env = os.environ if environ is None else environ
    out = sys.stderr if stream is None else stream
    if _truthy(env.get("CI")) or env.get("TERM") == "dumb":
        return OutputMode.LINES
    isatty = getattr(out, "isatty", None)
    if isatty is None or not isatty():
        return OutputMode.LINES
    return OutputMode.BAR


def format_build_summary(result: BuildCounts) -> str:
    """The one-line summary after a build: `3 pages written, 40 unchanged, 1 removed in 0.42s`."""
    noun = "page" if result.written == 1 else "pages"
    return (
        f"{result.written} {noun} written, {result.unchanged} unchanged, "
        f"{result.removed} removed in {result.seconds:.2f}s"
    )


def _process_age() -> float:
    """Seconds since this process started: from the kernel's start time where there is one
    (Linux), else since this module was imported."""
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        ticks = int(fields[19])  # field 22, `starttime`, in clock ticks after boot
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        age = -1.0
    since_import = time.perf_counter() - _IMPORTED
    # A clock tick is 10 ms: never less than what this process measured itself. The kernel's
    # start is the fork, not the exec: more than `_MAX_STARTUP` before this module means the
    # process ran something else first (`bash -c '...; tamatar build'` execs the last command
    # in the shell's own process), whose time is not tamatar's.
    return age if since_import <= age <= since_import + _MAX_STARTUP else since_import


_first_command = [True]


def command_started() -> float:
    """The `perf_counter()` a command's time counts from: the process's start for the first
    command of the process (`tamatar build` run from a shell), else now (a test running
    many commands in one process)."""
    if _first_command:
        _first_command.clear()
        return time.perf_counter() - _process_age()
    return time.perf_counter()


def report_unchanged_build(kept: NoChange, *, quiet: bool, started: float) -> None:
    """What `tamatar build` prints when its output is current: the last build's warnings
    again and, unless `quiet`, the summary with this command's time."""
    for line in kept.warnings:
        print(line, file=sys.stderr)
    if not quiet:
        kept = kept._replace(seconds=time.perf_counter() - started)
        print(f"{format_build_summary(kept)} -> {kept.output_display()}", file=sys.stderr)


def render_bar(label: str, done: int, total: int | None, width: int = _BAR_WIDTH) -> str:
    """One line of the progress bar, without control characters."""
    if not total:
        return f"{label} {done}"
    done = min(max(done, 0), total)
    filled = round(width * done / total)
    percent = round(100 * done / total)
    return f"{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {percent:3d}%"


class Progress:
    """Progress of one piece of long work, drawn according to the output mode.

    Use it as a context manager; call `advance()` as items finish and `finish(message)` (or
    leave the block) at the end::

        with Progress("Syncing GitHub", total=12, mode=output_mode()) as progress:
            for repo in repos:
                ...
                progress.advance()
    """

    def __init__(
        self,
        label: str,
        *,
        total: int | None = None,
        mode: OutputMode = OutputMode.LINES,
        stream: TextIO | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.mode = mode
        self.done = 0
        self._stream = stream
        self._last_draw = 0.0
        self._finished = False
        self._started = False

    @property
    def stream(self) -> TextIO:
        return sys.stderr if self._stream is None else self._stream

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        if self.mode is OutputMode.LINES:
            count = f" ({self.total} items)" if self.total else ""
            self._write_line(f"{self.label}{count}...")
        elif self.mode is OutputMode.BAR:
            self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        """Mark `count` more items done; redraws the bar at most ten times a second."""
        if not self._started:
            self.start()
        self.done += count
        if self.mode is OutputMode.BAR:
            self._draw(force=self.total is not None and self.done >= self.total)

    def finish(self, message: str | None = None) -> None:
        """End the work; `message` replaces the bar (or follows the start line)."""
        if self._finished:
            return
        self._finished = True
        if self.mode is OutputMode.QUIET:
            return
        if self.mode is OutputMode.BAR:
            self.stream.write("\r\x1b[2K")
        text = message if message is not None else f"{self.label}: done ({self.done})"
        self._write_line(text)

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_draw < _REDRAW_SECONDS:
            return
        self._last_draw = now
        self.stream.write("\r\x1b[2K" + render_bar(self.label, self.done, self.total))
        self.stream.flush()

    def _write_line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def __enter__(self) -> Progress:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.finish()
        elif self.mode is OutputMode.BAR and not self._finished:
            # Leave the terminal on a clean line so the error that follows is readable.
            self._finished = True
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
