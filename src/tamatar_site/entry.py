"""The `tamatar` command's entry point: the CLI, and a quiet exit on Ctrl-C while it loads.

Loading the CLI (click, pydantic, Jinja and the rest) takes a good part of a second; a
Ctrl-C in that time would otherwise print a Python traceback of whichever import it hit.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from tamatar_site.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise SystemExit(130) from None  # 128 + SIGINT, as shells report it
    cli_main()
