"""The `tamatar` command's entry point."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

# A Ctrl-C that arrives while the CLI's modules load, as an import that is interrupted.
_INTERRUPTED_WHILE_LOADING = """
import sys

class Interrupting:
    def find_spec(self, name, path=None, target=None):
        if name == "tamatar_site.cli":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupting())
from tamatar_site.entry import main
main()
"""


def _python(script: str) -> subprocess.CompletedProcess[str]:
    """Run `script` in a new Python, its output captured."""
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )


def test_ctrl_c_while_the_cli_loads_exits_130_without_a_traceback() -> None:
    result = _python(_INTERRUPTED_WHILE_LOADING)
    assert result.returncode == 130
    assert "Traceback" not in result.stderr
    assert "KeyboardInterrupt" not in result.stderr


# A Ctrl-C that Python swallows: raised in a weakref callback (as when the signal lands
# while importlib drops a module lock), it is only printed as "Exception ignored in".
_SWALLOWED_WHILE_LOADING = """
import signal, sys, weakref

signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal (see below)

class Interrupting:
    def find_spec(self, name, path=None, target=None):
        if name == "tamatar_site.cli":
            class Thing:
                pass
            def raise_interrupt(ref):
                raise KeyboardInterrupt
            thing = Thing()
            ref = weakref.ref(thing, raise_interrupt)
            del thing
        return None

sys.meta_path.insert(0, Interrupting())
sys.argv = ["tamatar", "--version"]
from tamatar_site.entry import main
main()
"""


def test_a_ctrl_c_python_swallows_still_ends_the_command() -> None:
    result = _python(_SWALLOWED_WHILE_LOADING)
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "\n")


def test_the_installed_command_runs_the_cli() -> None:
    command = [sys.executable, "-c", "from tamatar_site.entry import main; main()", "--version"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("tamatar")


def _interrupted_build(
    tmp_path: Path, interrupt: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Build a copy of the example site in a Python that runs `interrupt` (code that sends
    the SIGINT) after loading the CLI; the finished process and the output folder.

    Python turns SIGINT into KeyboardInterrupt only if it was not ignored when the
    interpreter started, and a shell starts background jobs with it ignored (a suite run
    with `&`): the handler a terminal's Ctrl-C meets is set here, not inherited."""
    script = "\n".join(
        [
            "import os, signal, sys",
            "signal.signal(signal.SIGINT, signal.default_int_handler)",
            "import tamatar_site.cli",
            "from tamatar_site.entry import main",
            interrupt,
            'sys.argv = ["tamatar", "build", sys.argv[1], "--offline", "-o", sys.argv[2]]',
            "main()",
        ]
    )
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent.parent / "example-site", site)
    output = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", script, str(site), str(output)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result, output


# A Ctrl-C in the middle of a build: the CLI loaded, the build running (it takes seconds).
# The SIGINT comes from an alarm, not a timer thread: a live thread makes the build start
# its workers the way `serve` does (no fork), which is not what a terminal's build does.
_ALARM = """
signal.signal(signal.SIGALRM, lambda *_: os.kill(os.getpid(), signal.SIGINT))
signal.setitimer(signal.ITIMER_REAL, 0.3)
"""


def test_ctrl_c_during_a_build_exits_130_and_leaves_no_output(tmp_path: Path) -> None:
    result, output = _interrupted_build(tmp_path, _ALARM)
    assert result.returncode == 130, result.stderr
    assert result.stderr == "\n"  # the line after `^C`: no "Aborted!", no traceback
    assert not output.exists()


# A Ctrl-C that arrives while the build forks its workers, in the hooks Python runs after
# each fork (the logging module's among them): as a signal that lands there, the hook's
# own loop runs the handler.
_IN_THE_FIRST_FORK = """
forks = []

def interrupt_the_first_fork():
    if not forks:
        forks.append(os.getpid())
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(1000):
            pass

os.register_at_fork(after_in_parent=interrupt_the_first_fork)
"""


def test_ctrl_c_while_workers_fork_is_not_lost(tmp_path: Path) -> None:
    """Raised inside a fork hook, the KeyboardInterrupt was swallowed ("Exception ignored")
    and the build ran on; inside logging's hook it left logging's lock held, and the next
    fork waited for it forever."""
    result, output = _interrupted_build(tmp_path, _IN_THE_FIRST_FORK)
    assert result.returncode == 130, result.stderr
    assert result.stderr == "\n"
    assert not output.exists()


# pydantic-core builds a model's validator in Rust as the module that defines the model
# loads; a Ctrl-C then (a KeyboardInterrupt raised in the Python it calls back) comes out
# as a SchemaError naming it. Built here with a value whose repr raises, as the signal does.
class _Interrupting:
    def __repr__(self) -> str:
        raise KeyboardInterrupt


@pytest.mark.parametrize("interrupted", [True, False])
def test_ctrl_c_while_a_model_validator_is_built_exits_130(interrupted: bool) -> None:
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    from tamatar_site.cli import main as cli

    @cli.command("load-models", hidden=True)
    def load_models() -> None:
        if interrupted:
            SchemaValidator(core_schema.literal_schema([_Interrupting()]))
        else:  # a schema error of another kind is a bug, reported as one
            SchemaValidator({"type": "no-such-type"})  # type: ignore[typeddict-item]

    try:
        result = CliRunner().invoke(cli, ["load-models"])
    finally:
        cli.commands.pop("load-models")
    if interrupted:
        assert (result.exit_code, result.stderr) == (130, "\n")
    else:
        assert result.exit_code == 1 and isinstance(result.exception, SchemaError)
