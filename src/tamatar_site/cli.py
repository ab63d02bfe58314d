"""Command-line interface: parse arguments, call one stage function, map results to exit codes."""

from __future__ import annotations

from pathlib import Path

import click

from tamatar_site import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
def check(site: Path, output_format: str) -> None:
    """Validate SITE (default: the current folder) without building it; exit 1 on errors."""
    from tamatar_site.diagnostics import format_json, format_text
    from tamatar_site.validate import load_site, summary_line

    loaded = load_site(site)
    diagnostics = loaded.diagnostics.sorted()
    if output_format == "json":
        click.echo(format_json(diagnostics))
    else:
        if diagnostics:
            click.echo(format_text(diagnostics))
        click.echo(summary_line(loaded), err=True)
    if loaded.diagnostics.has_errors:
        raise SystemExit(1)


@main.command()
@click.argument(
    "site", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[SITE]"
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--drafts", is_flag=True, help="Include logs with `draft: true`.")
def serve(site: Path, port: int, host: str, drafts: bool) -> None:
    """Build SITE, serve it, rebuild on change and reload open pages."""
    from tamatar_site.serve import PortInUseError, serve_site

    if not (site / "tamatar.yaml").is_file():
        raise click.ClickException(
            f"{site / 'tamatar.yaml'} not found; run `tamatar init {site}` to create a site"
        )
    try:
        serve_site(site, host=host, port=port, drafts=drafts, report=click.echo)
    except PortInUseError as error:
        raise click.ClickException(
            f"port {error.port} on {error.host} is already in use; stop the other server "
            f"or pick another port with --port {error.port + 1}"
        ) from None
    except OSError as error:
        raise click.ClickException(f"cannot serve on {host}:{port}: {error.strerror}") from None


@main.command()
@click.argument(
    "directory", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]"
)
def init(directory: Path) -> None:
    """Create a site in DIR with sample content and a GitHub Pages workflow.

    Existing files are never overwritten. base_url is guessed from the git remote.
    """
    from tamatar_site.scaffold import init_site

    result = init_site(directory)
    for path in result.created:
        click.echo(f"created {path}")
    for path in result.skipped:
        click.echo(f"skipped {path} (already exists)")
    origin = f"from the git remote {result.repo.owner}/{result.repo.name}" if result.repo else ""
    click.echo(f"base_url: {result.base_url}" + (f" ({origin})" if origin else ""))
    click.echo(f"Next: tamatar serve {directory}")


@main.command()
@click.argument("kind", type=click.Choice(["log", "project", "resource", "goal", "snippet"]))
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
