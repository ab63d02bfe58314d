"""Command-line interface: parse arguments, call one stage function, map results to exit codes."""

from __future__ import annotations

import click

from tamatar_site import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tamatar")
def main() -> None:
    """tamatar: build a developer portfolio from daily logs, projects and GitHub activity."""


if __name__ == "__main__":  # pragma: no cover
    main()
