"""Command-line interface: parse arguments, call one stage function, map results to exit codes."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tamatar_site import __version__

if TYPE_CHECKING:
    from tamatar_site.build import manifest
    from tamatar_site.diagnostics import Diagnostics


_REFRESH_OPTION = click.option(
    "--refresh", is_flag=True, help="Ask GitHub now, even when its cache is fresh (github.max_age)."
)


class _Commands(click.Group):
    """Ctrl-C ends a command with status 130 (128 + SIGINT, as shells report it), where
    click would print "Aborted!" and exit 1 as for any failure."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            pass
        except Exception as error:
            if not _interrupted_schema_build(error):
                raise
        click.echo(file=sys.stderr)  # ends the line after the terminal's `^C`
        raise click.exceptions.Exit(130) from None


def _interrupted_schema_build(error: Exception) -> bool:
    """Whether `error` is a Ctrl-C that came while pydantic built a model's validator (as a
    module defining one loads): pydantic-core reports it as a SchemaError that names the
    KeyboardInterrupt, not as the KeyboardInterrupt."""
    if type(error).__name__ != "SchemaError" or "pydantic_core" not in sys.modules:
        return False
    from pydantic_core import SchemaError

    return isinstance(error, SchemaError) and "KeyboardInterrupt" in str(error)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tamatar")
def main() -> None:
    """tamatar: build a developer portfolio from daily logs, projects and GitHub activity."""


@main.command()
@click.argument(
    "site",
    default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="[SITE]",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one `path:line:column: severity: message` a line; json: a list of objects.",
)
@click.option("--strict", is_flag=True, help="Report warnings as errors (exit 1), for CI.")
def check(site: Path, output_format: str, strict: bool) -> None:
    """Validate SITE (default: the current folder) without building it; exit 1 on errors."""
    from tamatar_site.confine import site_file_warnings
    from tamatar_site.diagnostics import format_json, format_text
    from tamatar_site.validate import load_site, summary_line

    loaded = load_site(site)
    loaded.diagnostics.extend(site_file_warnings(site))  # links out of the site, pipes...
    found = loaded.diagnostics.strict() if strict else loaded.diagnostics
    diagnostics = found.sorted()
    if output_format == "json":
        click.echo(format_json(diagnostics))
    else:
        if diagnostics:
            click.echo(format_text(diagnostics))
        click.echo(summary_line(loaded, found), err=True)
    if found.has_errors:
        raise SystemExit(1)


class ContentError(click.ClickException):
    """Errors in the site's files: shown one per line, then a count; exit code 1."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(f"{len(lines)} error{'s' if len(lines) != 1 else ''}; nothing was written")
        self.lines = lines

    def show(self, file: object = None) -> None:
        for line in self.lines:
            click.echo(line, err=True)
        click.echo(f"Error: {self.message}", err=True)


def _report_content(diagnostics: Diagnostics, *, strict: bool = False) -> None:
    """Print the warnings; raise ContentError (exit 1, nothing written) if there are errors
    (with `strict`, warnings are errors)."""
    if strict:
        diagnostics = diagnostics.strict()
    for warning in diagnostics.warnings:
        click.echo(warning.format(), err=True)
    if diagnostics.has_errors:
        raise ContentError([d.format() for d in diagnostics.errors])


@main.command()
@click.argument(
    "site", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[SITE]"
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: site.output_dir of tamatar.yaml, `_site`).",
)
@click.option("--drafts", is_flag=True, help="Include logs with `draft: true`.")
@click.option("--future", is_flag=True, help="Include logs dated after today.")
@click.option("--base-url", help="Override site.base_url, e.g. https://user.github.io/repo/.")
@click.option("--offline", is_flag=True, help="Never touch the network; use cached GitHub data.")
@_REFRESH_OPTION
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but warnings and errors.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors: exit 1, write nothing.")
def build(
    site: Path,
    output: Path | None,
    drafts: bool,
    future: bool,
    base_url: str | None,
    offline: bool,
    refresh: bool,
    quiet: bool,
    strict: bool,
) -> None:
    """Build SITE (default: the current folder) into its output folder."""
    import gc

    from tamatar_site.build import manifest
    from tamatar_site.progress import command_started, report_unchanged_build

    started = command_started()
    request = manifest.BuildRequest(site, output, drafts, base_url, offline, future, refresh)
    # Nothing changed since the last build: say so before loading the build stack (the
    # `tamatar` command checks this before loading click, see entry.py).
    recorded = manifest.read(request)
    kept = manifest.check(request, recorded)
    if kept is not None:
        if strict and kept.warnings:
            # the kept build's warnings, as the errors a strict build makes of them
            lines = [line.replace(": warning: ", ": error: ", 1) for line in kept.warnings]
            raise ContentError(lines)
        report_unchanged_build(kept, quiet=quiet, started=started)
        return
    stamp = manifest.prepare(request)
    # A build makes millions of objects and next to no reference cycles (about 1,300
    # collected in a 1,000-log build), so the cycle collector's passes over the growing
    # heap are nearly pure cost in this short-lived process and in the workers it forks.
    gc.disable()
    try:
        _build_site(request, stamp, recorded, quiet, strict, started)
    finally:
        gc.enable()  # for callers that run the command in their own process (tests)


def _build_site(
    request: manifest.BuildRequest,
    stamp: manifest.BuildStamp | None,
    recorded: manifest.Recorded | None,
    quiet: bool,
    strict: bool,
    started: float,
) -> None:
    """The normal build: `tamatar build` when the no-change check did not answer."""
    import dataclasses

    from tamatar_site.build import manifest, resume
    from tamatar_site.build.prerender import start_prerender
    from tamatar_site.progress import format_build_summary

    site = Path(request.site)
    # Workers start rendering the logs' Markdown while this process loads the rest; a
    # resumed session renders only what changed, so no bodies are rendered ahead for it.
    prerender = None if resume.has_saved_session(site) else start_prerender(site)
    try:
        from tamatar_site.build.pipeline import BuildError, BuildOptions

        options = BuildOptions(
            output_dir=None if request.output is None else Path(request.output),
            drafts=request.drafts,
            future=request.future,
            base_url=request.base_url,
            offline=request.offline,
            refresh=request.refresh,
            strict=strict,
        )
        builder = resume.resume_builder(site)
        try:
            result = builder.build(options, prerender=prerender)
        except BuildError as error:
            raise click.ClickException(str(error)) from None
    finally:
        if prerender is not None:
            prerender.close()
    if result.output_dir is not None and not result.diagnostics.has_errors:
        resume.save_builder(builder)
    _report_content(result.diagnostics, strict=strict)
    manifest.record(request, stamp, result, previous=recorded)
    if not quiet:
        shown = dataclasses.replace(result, seconds=time.perf_counter() - started)
        click.echo(f"{format_build_summary(shown)} -> {result.output_dir}", err=True)


@main.command()
@click.argument(
    "site", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[SITE]"
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one (the `Serving ... at` line names it).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--drafts", is_flag=True, help="Include logs with `draft: true`.")
@click.option("--future", is_flag=True, help="Include logs dated after today.")
@click.option("--offline", is_flag=True, help="Never call the GitHub API; use the cache.")
@_REFRESH_OPTION
def serve(
    site: Path, port: int, host: str, drafts: bool, future: bool, offline: bool, refresh: bool
) -> None:
    """Build SITE, serve it, rebuild on change and reload open pages."""
    from tamatar_site.serve import PortInUseError, serve_site
    from tamatar_site.serve.app import free_port_near

    if not (site / "tamatar.yaml").is_file():
        raise click.ClickException(
            f"{site / 'tamatar.yaml'} not found; run `tamatar init {site}` to create a site"
        )
    try:
        serve_site(
            site,
            host=host,
            port=port,
            drafts=drafts,
            future=future,
            offline=offline,
            refresh=refresh,
            report=click.echo,
            exit_on_signal=True,
        )
    except PortInUseError as error:
        free = free_port_near(error.host, error.port)
        suggestion = f"--port {free} (free now) or " if free is not None else ""
        raise click.ClickException(
            f"port {error.port} on {error.host} is already in use; stop the other server "
            f"or pick another port with {suggestion}--port 0 (any free port)"
        ) from None
    except OSError as error:
        raise click.ClickException(f"cannot serve on {host}:{port}: {error.strerror}") from None


@main.command()
@click.argument(
    "site",
    default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="[SITE]",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only warnings and errors.")
def sync(site: Path, quiet: bool) -> None:
    """Refresh SITE's GitHub cache (.tamatar/cache/github/) without building.

    GitHub trouble (rate limits, network, a bad token) gives one warning and exit code 0:
    the cache keeps what it had.
    """
    from tamatar_site.github.sync import format_sync_summary, sync_site
    from tamatar_site.progress import Progress, output_mode
    from tamatar_site.validate import load_site

    loaded = load_site(site)
    _report_content(loaded.diagnostics)
    assert loaded.config is not None and loaded.site is not None  # no errors: both loaded
    if not loaded.config.github.user:
        raise click.ClickException(
            f"{site / 'tamatar.yaml'}: no `github.user` is set, so there is nothing to sync"
        )
    with Progress("Syncing GitHub", mode=output_mode(quiet=quiet)) as progress:

        def advance(done: int, total: int) -> None:
            progress.total = total
            progress.advance(done - progress.done)

        result = sync_site(site, loaded.config, loaded.site, progress=advance, building=False)
        progress.finish(format_sync_summary(result))
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


@main.command()
@click.argument(
    "directory", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]"
)
@click.option(
    "--action",
    is_flag=True,
    help="Write the workflow that builds with the tamatar GitHub Action (one `uses:` step).",
)
def init(directory: Path, action: bool) -> None:
    """Create a site in DIR with sample content and a GitHub Pages workflow.

    Existing files are never overwritten. base_url is guessed from the git remote; the
    workflow deploys from the remote's default branch (else the current one, else main).
    """
    from tamatar_site.scaffold import init_site

    result = init_site(directory, action=action)
    for path in result.created:
        click.echo(f"created {path}")
    for path in result.skipped:
        click.echo(f"skipped {path} (already exists)")
    origin = f"from the git remote {result.repo.owner}/{result.repo.name}" if result.repo else ""
    click.echo(f"base_url: {result.base_url}" + (f" ({origin})" if origin else ""))
    why = {
        "remote": "the default branch of origin",
        "current": "the current branch; origin's default branch is not known",
        "default": "no git branch yet",
    }[result.branch_source]
    click.echo(f"deploys on pushes to: {result.branch} ({why})")
    click.echo(f"Next: tamatar serve {directory}")


@main.command()
# scaffold.CONTENT_KINDS, spelled out so that `tamatar --help` does not import the scaffolder
@click.argument(
    "kind", type=click.Choice(["log", "project", "resource", "goal", "path", "snippet", "page"])
)
@click.argument("title", nargs=-1, required=True)
@click.option(
    "--site",
    "-s",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder.",
)
def new(kind: str, title: tuple[str, ...], site: Path) -> None:
    """Write a new KIND file titled TITLE, dated today in the site's time zone."""
    from tamatar_site.scaffold import ScaffoldError, new_file

    try:
        path = new_file(site, kind, " ".join(title))
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from None
    click.echo(str(path))


if __name__ == "__main__":  # pragma: no cover
    main()
