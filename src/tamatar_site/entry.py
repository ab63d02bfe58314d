"""The `tamatar` command's entry point: the CLI, a quiet exit on Ctrl-C while it loads, and
`tamatar build` with nothing to do answered before the CLI loads.

Loading the CLI (click, pydantic, Jinja and the rest) takes a good part of a second; a
Ctrl-C in that time would otherwise print a Python traceback of whichever import it hit.
Importing click alone takes longer than the no-change check of a 1,000-log site, so a
`tamatar build` whose arguments are only the site and options spelled as below is checked
first (`build/manifest.py`); anything else, and any build with something to do, goes to
click as always.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sys import UnraisableHookArgs

    from tamatar_site.build.manifest import BuildRequest

# The `tamatar build` options understood here, by the parameter of `cli.build` they set.
_FLAGS = {
    "-q": "quiet",
    "--quiet": "quiet",
    "--offline": "offline",
    "--drafts": "drafts",
    "--future": "future",
}
_WITH_VALUE = {"-o": "output", "--output": "output", "--base-url": "base_url"}


def main() -> None:
    sys.unraisablehook = _keeping_interrupts(sys.unraisablehook)
    try:
        if _answered_unchanged(sys.argv[1:]):
            return
        from tamatar_site.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise SystemExit(130) from None  # 128 + SIGINT, as shells report it
    cli_main()


def _keeping_interrupts(
    default: Callable[[UnraisableHookArgs], object],
) -> Callable[[UnraisableHookArgs], None]:
    """An unraisable hook that raises a swallowed Ctrl-C again in the main thread. Python
    only prints "Exception ignored in ..." for a KeyboardInterrupt raised in a weakref
    callback or a finalizer, as when the signal lands while importlib drops a module lock,
    and the command went on as if no Ctrl-C had come."""

    def hook(unraisable: UnraisableHookArgs) -> None:
        if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
            # Raised now, it would land in this hook and be swallowed again: a moment later
            # it lands where the main thread is then (swallowed there too, this hook runs
            # again).
            import _thread
            import threading

            again = threading.Timer(0.01, _thread.interrupt_main)
            again.daemon = True
            again.start()
            return
        default(unraisable)

    return hook


def _answered_unchanged(args: Sequence[str]) -> bool:
    """Whether `args` asked for a build whose output is current, and that was reported."""
    parsed = simple_build_request(args)
    if parsed is None:
        return False
    from tamatar_site.build import manifest
    from tamatar_site.progress import command_started, report_unchanged_build

    started = command_started()
    request, quiet = parsed
    kept = manifest.check(request, manifest.read(request))
    if kept is None:
        return False
    report_unchanged_build(kept, quiet=quiet, started=started)
    return True


def simple_build_request(args: Sequence[str]) -> tuple[BuildRequest, bool] | None:
    """The request and `--quiet` of `tamatar build` with `args` (the command line after
    `tamatar`), as click would read them, when they are `build`, at most one SITE and only
    the options above, each a separate argument; None for any other command line."""
    if not args or args[0] != "build":
        return None
    options: dict[str, str | bool] = {}
    sites: list[str] = []
    rest = iter(args[1:])
    for argument in rest:
        if argument in _FLAGS:
            options[_FLAGS[argument]] = True
        elif argument in _WITH_VALUE:
            value = next(rest, "")
            if not value or value.startswith("-"):
                return None
            options[_WITH_VALUE[argument]] = value
        elif argument and not argument.startswith("-"):
            sites.append(argument)
        else:
            return None
    if len(sites) > 1:
        return None
    from tamatar_site.build.manifest import BuildRequest

    def text(name: str) -> str | None:
        value = options.get(name)
        return value if isinstance(value, str) else None

    request = BuildRequest(
        site=sites[0] if sites else ".",
        output=text("output"),
        drafts="drafts" in options,
        base_url=text("base_url"),
        offline="offline" in options,
        future="future" in options,
    )
    return request, "quiet" in options
