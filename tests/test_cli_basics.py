"""The CLI answers --version and --help."""

from __future__ import annotations

from click.testing import CliRunner

from tamatar_site import __version__
from tamatar_site.cli import main


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"tamatar, version {__version__}"


def test_help_lists_usage() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "Usage: main" in result.output or "Usage: tamatar" in result.output
