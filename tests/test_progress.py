"""Terminal output: bar on a TTY, plain lines in CI or pipes, nothing when quiet; the summary."""

from __future__ import annotations

import io
from dataclasses import dataclass

from tamatar_site.progress import (
    OutputMode,
    Progress,
    format_build_summary,
    output_mode,
    render_bar,
)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@dataclass(frozen=True)
class Counts:
    written: int
    unchanged: int
    removed: int
    seconds: float


def test_summary_line() -> None:
    assert format_build_summary(Counts(3, 40, 1, 0.4249)) == (
        "3 pages written, 40 unchanged, 1 removed in 0.42s"
    )
    assert (
        format_build_summary(Counts(1, 0, 0, 2))
        == "1 page written, 0 unchanged, 0 removed in 2.00s"
    )


def test_mode_follows_terminal_ci_and_quiet() -> None:
    assert output_mode(FakeTerminal(), environ={}) is OutputMode.BAR
    assert output_mode(FakeTerminal(), environ={"CI": "true"}) is OutputMode.LINES
    assert output_mode(FakeTerminal(), environ={"CI": "false"}) is OutputMode.BAR
    assert output_mode(io.StringIO(), environ={}) is OutputMode.LINES
    assert output_mode(FakeTerminal(), quiet=True, environ={}) is OutputMode.QUIET


def test_bar_text() -> None:
    assert render_bar("Syncing", 5, 10, width=10) == "Syncing [#####.....] 5/10  50%"
    assert render_bar("Syncing", 12, 10, width=4) == "Syncing [####] 10/10 100%"
    assert render_bar("Pages", 7, None) == "Pages 7"


def test_bar_redraws_in_place_and_ends_with_the_message() -> None:
    out = FakeTerminal()
    with Progress("Syncing", total=2, mode=OutputMode.BAR, stream=out) as progress:
        progress.advance()
        progress.advance()
        progress.finish("Synced 2 repositories")
    text = out.getvalue()
    assert "\r\x1b[2KSyncing [" in text
    assert "2/2 100%" in text
    assert text.endswith("\r\x1b[2KSynced 2 repositories\n")


def test_plain_lines_have_no_control_characters() -> None:
    out = io.StringIO()
    with Progress("Syncing", total=3, mode=OutputMode.LINES, stream=out) as progress:
        for _ in range(3):
            progress.advance()
    assert out.getvalue() == "Syncing (3 items)...\nSyncing: done (3)\n"


def test_quiet_prints_nothing() -> None:
    out = io.StringIO()
    with Progress("Syncing", total=3, mode=OutputMode.QUIET, stream=out) as progress:
        progress.advance(3)
    assert out.getvalue() == ""
