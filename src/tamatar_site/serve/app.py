"""`tamatar serve`: build once, serve the output, rebuild on change, reload open pages.

The loop on one screen: bind the port (so the local base_url is known), build, start the
HTTP thread, then rebuild for every debounced batch of changes until Ctrl-C.
"""

from __future__ import annotations

import errno
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tamatar_site.serve.server import BuildOutcome, LiveReloadServer, normalise_base_path
from tamatar_site.serve.session_build import SessionBuild
from tamatar_site.serve.signals import (
    ExitOnSignal,
    ignore_interrupts,
    keep_signals,
    sigterm_as_interrupt,
)
from tamatar_site.serve.watch import (
    ChangeKind,
    belongs_to_site,
    classify_changes,
    watch_site,
    watched_theme_dir,
)

Report = Callable[[str], None]


@dataclass(frozen=True)
class LocalBuild:
    """One build for the dev server: where, for which URL, with drafts, with or without network."""

    site_dir: Path
    base_url: str
    drafts: bool = False
    offline: bool = False
    changed: frozenset[Path] | None = None  # what the watcher saw since the last build
    future: bool = False  # logs dated after today too
    refresh: bool = False  # ask GitHub even when its cache is fresh
    warming: bool = False  # the build after a quick start: expected to write nothing


# Builds the site and reports its outcome; the real one wraps build_site.
SiteBuildFunction = Callable[[LocalBuild], BuildOutcome]
# The first build's outcome when the output is current, without building; else None.
QuickStart = Callable[[LocalBuild], BuildOutcome | None]


@dataclass(frozen=True)
class ServeSettings:
    """What the server needs from tamatar.yaml, read leniently so a broken file still serves."""

    output_dir: Path
    base_path: str
    theme_dir: Path | None


def read_settings(site_dir: Path) -> ServeSettings:
    """`site.output_dir`, the path of `site.base_url` and `site.theme`, read as the build
    reads them (`validate/configfile.py`).

    Errors in tamatar.yaml are the build's to report (in the overlay); here they only mean
    falling back to the defaults.
    """
    from tamatar_site.diagnostics import Diagnostics
    from tamatar_site.validate.configfile import load_config

    config, _ = load_config(site_dir, Diagnostics())
    if config is None:
        return ServeSettings(site_dir / "_site", "/", watched_theme_dir(site_dir, "default"))
    return ServeSettings(
        site_dir / config.site.output_dir,
        normalise_base_path(config.base_path),
        watched_theme_dir(site_dir, config.site.theme),
    )


def session_builder() -> SessionBuild:
    """The real build for one serve session (`serve/session_build.py`): a `SiteBuilder`
    (`build/session.py`) kept between builds, so a rebuild reads only the files that changed
    and renders only the pages whose inputs changed."""
    return SessionBuild()


class _SiteBuilder:
    """The server's `builder`: knows the local URL only after the port is bound.

    Only the first build may reach GitHub; rebuilds on save use the cache, so typing in an
    editor never spends API rate limit or waits for the network. With `quick_start`, the
    first build may be answered without building (the output is current); the session is
    then made warm by `warm_up()` once the server runs.
    """

    def __init__(
        self,
        site_dir: Path,
        *,
        drafts: bool,
        offline: bool,
        build: SiteBuildFunction,
        future: bool = False,
        refresh: bool = False,
        quick_start: QuickStart | None = None,
    ) -> None:
        self.site_dir = site_dir
        self.quick_start = quick_start
        self.warm_pending = False  # the first build was a quick start: the session is cold
        self.drafts = drafts
        self.future = future
        self.offline = offline
        self.refresh = refresh  # for the first build
        self.build = build
        self.base_url = ""
        self.count = 0
        self.changed: set[Path] = set()
        self.check_everything = True  # the first build, or after a failure or a config change

    def note_changes(self, paths: set[Path], *, everything: bool = False) -> None:
        self.changed |= paths
        self.check_everything = self.check_everything or everything

    def __call__(self, *, warming: bool = False) -> BuildOutcome:
        offline = self.offline or self.count > 0
        refresh = self.refresh and self.count == 0
        first = self.count == 0
        self.count += 1
        changed = None if self.check_everything else frozenset(self.changed)
        self.changed = set()
        self.check_everything = True  # until this build returns
        request = LocalBuild(
            self.site_dir,
            self.base_url,
            self.drafts,
            offline,
            changed,
            future=self.future,
            refresh=refresh,
            warming=warming,
        )
        if first and self.quick_start is not None:
            quick = self.quick_start(request)
            if quick is not None:
                self.warm_pending = True  # and check everything next time
                return quick
        outcome = self.build(request)
        self.check_everything = False
        return outcome

    def warm_up(self) -> BuildOutcome | None:
        """After a quick start: the build that makes the session warm (it writes nothing
        unless something changed meanwhile); None when there is none to run."""
        if not self.warm_pending:
            return None
        self.warm_pending = False
        return self(warming=True)


class _OutcomeReporter:
    """Prints each build's result; warnings only when they differ from the last build's."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.last_warnings: tuple[str, ...] = ()

    def __call__(self, outcome: BuildOutcome, prefix: str) -> None:
        if outcome.ok:
            self.report(f"{prefix}: {outcome.summary}" if outcome.summary else f"{prefix}: done")
            if outcome.warnings != self.last_warnings:
                for line in outcome.warnings:
                    self.report(f"  {line}")
            self.last_warnings = outcome.warnings
            return
        count = len(outcome.errors)
        self.report(f"{prefix}: failed with {count} error{'s' if count != 1 else ''}")
        for line in outcome.errors:
            self.report(f"  {line}")


def serve_site(
    site_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    drafts: bool = False,
    future: bool = False,
    offline: bool = False,
    refresh: bool = False,
    report: Report = print,
    build: SiteBuildFunction | None = None,
    stop: threading.Event | None = None,
    on_ready: Callable[[LiveReloadServer], None] | None = None,
    exit_on_signal: bool = False,
) -> None:
    """Serve `site_dir` until Ctrl-C (or `stop` is set). Raises PortInUseError before serving.

    `exit_on_signal` (the `tamatar serve` process): Ctrl-C or SIGTERM ends the process
    itself at once (see `ExitOnSignal`) instead of unwinding through a build in progress.
    """
    site_dir = site_dir.resolve()
    settings = read_settings(site_dir)
    if exit_on_signal:
        ExitOnSignal(lambda: read_settings(site_dir).output_dir, report).install()
    # The real build can start at once from a current output and saves its state when idle.
    session: SessionBuild | None = None
    if build is None:
        build = session = session_builder()
    builder = _SiteBuilder(
        site_dir,
        drafts=drafts,
        future=future,
        offline=offline,
        refresh=refresh,
        build=build,
        quick_start=session.quick_start if session is not None else None,
    )
    idle = _IdleSaver(session.persist if session is not None else None)
    server = LiveReloadServer(
        settings.output_dir,
        builder,
        host=host,
        port=port,
        base_path=settings.base_path,
        log=report,
    )
    restore_sigterm = keep_signals if exit_on_signal else sigterm_as_interrupt()
    try:
        builder.base_url = server.url
        report(f"Building {site_dir.name} for {server.url} ...")
        report_outcome = _OutcomeReporter(report)
        report_outcome(server.rebuild(), "Built")
        server.start()
        announced: list[bool] = []

        def announce() -> None:  # once the watcher runs: no edit after this line is missed
            if not announced:
                announced.append(True)
                report(f"Serving {site_dir.name} at {server.url} (Ctrl-C to stop)")
                if on_ready is not None:
                    on_ready(server)
                _warm_up(server, builder, report_outcome)
                idle.built()

        while _rebuild_on_changes(
            site_dir, settings, server, builder, report_outcome, stop, announce, idle
        ):
            settings = read_settings(site_dir)  # the output folder or theme moved: re-watch
    except KeyboardInterrupt:
        pass
    finally:
        restore_sigint = ignore_interrupts()
        server.stop()
        restore_sigterm()
        restore_sigint()
        report("Stopped.")


def _rebuild_on_changes(
    site_dir: Path,
    settings: ServeSettings,
    server: LiveReloadServer,
    builder: _SiteBuilder,
    report_outcome: _OutcomeReporter,
    stop: threading.Event | None,
    on_started: Callable[[], None],
    idle: _IdleSaver,
) -> bool:
    """Rebuild for every batch of changes; True when the watch must restart with new settings."""
    for paths in watch_site(
        site_dir,
        settings.output_dir,
        theme_dir=settings.theme_dir,
        stop=stop,
        on_started=on_started,
        on_idle=idle,
    ):
        restart = False
        kind = classify_changes(paths, site_dir, settings.theme_dir)
        builder.note_changes(paths, everything=kind is ChangeKind.CONFIG)
        if kind is ChangeKind.CONFIG:
            changed = read_settings(site_dir)
            restart = (changed.output_dir, changed.theme_dir) != (
                settings.output_dir,
                settings.theme_dir,
            )
            server.root = changed.output_dir
            server.set_base_path(changed.base_path)
            builder.base_url = server.url
        started = time.monotonic()
        outcome = server.rebuild()
        elapsed = time.monotonic() - started
        what = _changed_files(paths, site_dir, settings)
        report_outcome(outcome, f"Rebuilt{what} ({elapsed:.2f}s)")
        idle.built()
        if restart:
            return True
    return False


def _warm_up(server: LiveReloadServer, builder: _SiteBuilder, report: _OutcomeReporter) -> None:
    """After a quick start, build in the session while the site is served: open pages are
    told to reload only if the build wrote something or failed."""
    started = time.monotonic()
    outcome = builder.warm_up()
    if outcome is None or (outcome.ok and not outcome.changed_output):
        return
    server.set_outcome(outcome)
    report(outcome, f"Rebuilt ({time.monotonic() - started:.2f}s)")


class _IdleSaver:
    """Calls `persist` once the server has been idle for `IDLE_SECONDS` after a build."""

    IDLE_SECONDS = 1.0

    def __init__(self, persist: Callable[[], None] | None) -> None:
        self.persist = persist
        self.last_build: float | None = None

    def built(self) -> None:
        self.last_build = time.monotonic()

    def __call__(self) -> None:
        if self.persist is None or self.last_build is None:
            return
        if time.monotonic() - self.last_build >= self.IDLE_SECONDS:
            self.last_build = None
            self.persist()


def _changed_files(paths: set[Path], site_dir: Path, settings: ServeSettings) -> str:
    """` after logs/a.md, tamatar.yaml and 2 more`: the site's files among `paths`; editor
    temporary files (`sed -i`'s `sedAbC123`, `.~lock` files) and other strays are left out."""
    named = sorted(
        _display(path, site_dir)
        for path in paths
        if belongs_to_site(path, site_dir, settings.theme_dir)
    )
    if not named:
        return ""
    more = f" and {len(named) - 3} more" if len(named) > 3 else ""
    return f" after {', '.join(named[:3])}{more}"


def _display(path: Path, site_dir: Path) -> str:
    try:
        return path.resolve().relative_to(site_dir).as_posix()
    except ValueError:
        return path.name


def free_port_near(host: str, port: int, tries: int = 20) -> int | None:
    """The first port after `port` that `host` can bind now, or None."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, candidate))
            except OSError as error:
                if error.errno in (errno.EADDRINUSE, errno.EACCES):
                    continue
                return None
            return candidate
    return None
