"""The build time `tamatar build` prints counts from the start of the process."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from tamatar_site.cli import main
from tamatar_site.scaffold import init_site

_SUMMARY = re.compile(r"removed in (?P<seconds>\d+\.\d\d)s -> ")
# The interpreter's start, then half a second, then the real entry point.
_SLOW_START = (
    "import runpy, sys, time; time.sleep(0.5); sys.argv = ['tamatar', *sys.argv[1:]];"
    " runpy.run_module('tamatar_site.cli', run_name='__main__')"
)


def _seconds(output: str) -> float:
    match = _SUMMARY.search(output)
    assert match, output
    return float(match["seconds"])


def test_printed_time_includes_what_came_before_the_command(tmp_path: Path) -> None:
    site = tmp_path / "site"
    init_site(site, timezone="UTC", branch="main", remote="")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _SLOW_START, "build", str(site), "--offline"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    wall = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    printed = _seconds(result.stderr)
    # The half second slept before the CLI module was even imported is counted...
    assert printed >= 0.5, result.stderr
    # ...and nothing is counted that the process did not spend.
    assert printed <= wall


def test_no_change_build_counts_from_the_process_start_too(tmp_path: Path) -> None:
    site = tmp_path / "site"
    init_site(site, timezone="UTC", branch="main", remote="")
    command = [sys.executable, "-c", _SLOW_START, "build", str(site), "--offline"]
    subprocess.run(command, capture_output=True, timeout=300, check=True)
    again = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    assert "0 pages written" in again.stderr
    assert _seconds(again.stderr) >= 0.5, again.stderr


def test_a_later_command_in_the_same_process_counts_from_its_own_start(tmp_path: Path) -> None:
    site = tmp_path / "site"
    init_site(site, timezone="UTC", branch="main", remote="")
    runner = CliRunner()
    runner.invoke(main, ["build", str(site), "--offline"])  # takes the process start, if first
    time.sleep(1.0)
    result = runner.invoke(main, ["build", str(site), "--offline"])
    assert result.exit_code == 0, result.output
    assert _seconds(result.output) < 1.0  # the sleep between the commands is not counted


def test_what_the_process_ran_before_it_became_tamatar_is_not_counted(tmp_path: Path) -> None:
    # `bash -c '...; exec tamatar build'`: the kernel dates the process from the shell's fork.
    site = tmp_path / "site"
    init_site(site, timezone="UTC", branch="main", remote="")
    command = f'sleep 5; exec "{sys.executable}" -m tamatar_site.cli build "{site}" --offline'
    started = time.perf_counter()
    result = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=300, check=False
    )
    wall = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert _seconds(result.stderr) <= wall - 5, (wall, result.stderr)
