"""The build pipeline on one screen: load, stop on errors, compute, render, write.

`build_site()` never prints; it returns a `BuildResult` whose diagnostics the CLI shows.
Content errors stop the build before anything is staged, so the output stays untouched.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from pydantic import HttpUrl, ValidationError

from tamatar_site.build.bodies import BodyCache
from tamatar_site.build.edits import LastBuild, edited_logs, write_edits
from tamatar_site.build.fingerprint import template_set_fingerprint
from tamatar_site.build.inputs import compute_route_inputs
from tamatar_site.build.pagewriter import (
    OutputMemo,
    keep_unchanged_output,
    load_memo,
    render_pages,
    save_memo,
    write_documents,
)
from tamatar_site.build.prerender import BODY_CACHE, Prerender
from tamatar_site.build.sitefingerprint import site_fingerprint
from tamatar_site.clock import build_now
from tamatar_site.config import SiteConfig
from tamatar_site.diagnostics import Diagnostic, Diagnostics
from tamatar_site.github.build_step import github_step
from tamatar_site.github.enrich import GitHubEnrichment
from tamatar_site.layout import SOURCE_FOLDERS
from tamatar_site.load.themes import ThemeError, resolve_theme_dir
from tamatar_site.model import Site
from tamatar_site.render.documents.outputs import iter_documents
from tamatar_site.render.pages.routes import LogOrder, SiteRoutes, iter_pages
from tamatar_site.render.templates import compile_templates, make_environment
from tamatar_site.validate.loader import ContentLoader
from tamatar_site.write import (
    OutputError,
    WriteResult,
    check_output_dir,
    copy_static,
    result_of,
    staged_output,
)

# What the last build wrote, so unchanged pages are not rendered again.
PAGE_MEMO = Path(".tamatar/cache/content/pages.marshal")
# Each content file's validated record by content hash, so unchanged files are not parsed.
RECORD_CACHE = Path(".tamatar/cache/content/records.marshal")


class BuildError(Exception):
    """A problem with the build's setup (output folder, theme, --base-url), not the content."""


@dataclass(frozen=True)
class BuildOptions:
    """The options of `tamatar build` (and of the builds `tamatar serve` runs)."""

    output_dir: Path | None = None  # default: site_dir / config.site.output_dir
    drafts: bool = False
    base_url: str | None = None  # overrides site.base_url
    offline: bool = False  # never touch the network (GitHub data from the cache only)
    strict: bool = False  # a warning stops the build like an error (`--strict`)


@dataclass(frozen=True)
class BuildResult:
    """Diagnostics (errors mean nothing was written) and what the write stage did."""

    diagnostics: Diagnostics
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    output_dir: Path | None = None
    rendered: int = 0  # HTML pages whose template ran
    skipped: int = 0  # HTML pages not rendered: inputs and output file unchanged
    outputs: frozenset[str] = frozenset()  # every output file, relative, forward slashes


def build_site(
    site_dir: Path, options: BuildOptions, *, prerender: Prerender | None = None
) -> BuildResult:
    """Build the site in `site_dir`. Returns diagnostics; errors mean nothing was written.
    `prerender`: log bodies already being rendered (`render/prerender.py`).

    Raises:
        BuildError: the output folder, theme or base URL cannot be used.
    """
    return SiteBuilder(site_dir).build(options, prerender=prerender)


class SiteBuilder:
    """Builds one site again and again, keeping what it can between builds.

    `build_site` uses a fresh one for each build: unchanged files still skip parsing (the
    record cache) and unchanged pages skip rendering (the page memo), both kept on disk.
    `tamatar serve` keeps one for its session (`session=True`): a rebuild then reads only
    the files that changed (the watcher's paths, else those whose size or times changed),
    remakes only their records, and keeps the page memo in memory. When only the text of
    logs changed, it renders just the pages that show it (`render/edits.py`).
    """

    def __init__(self, site_dir: Path, *, session: bool = False) -> None:
        self.site_dir = site_dir
        self.session = session
        # A session writes the record cache after its first build and then only now and
        # then: rewriting it for every saved edit would cost more than the edit.
        self.loader = ContentLoader(
            site_dir, cache_file=site_dir / RECORD_CACHE, save_after=64 if session else 1
        )
        self.page_memo: OutputMemo | None = None
        self.last: LastBuild | None = None  # a session's last build, for `render/edits.py`

    def build(
        self,
        options: BuildOptions,
        *,
        changed: Iterable[Path] | None = None,
        prerender: Prerender | None = None,
    ) -> BuildResult:
        """Build like `build_site`. `changed`: the absolute paths a watcher saw change since
        the last build of this builder (None: check every file).

        Raises:
            BuildError: the output folder, theme or base URL cannot be used.
        """
        started = time.perf_counter()
        site_dir = self.site_dir
        loaded = self.loader.load(include_drafts=options.drafts, changed=changed)
        diagnostics = loaded.diagnostics
        if loaded.config is None or loaded.site is None or diagnostics.has_errors:
            return BuildResult(diagnostics, seconds=time.perf_counter() - started)
        config = with_base_url(loaded.config, options.base_url)
        output_dir = options.output_dir or site_dir / config.site.output_dir
        now = build_now(config.site.timezone)
        github = github_step(
            site_dir, config, loaded.site, now, offline=options.offline, diagnostics=diagnostics
        )
        if options.strict and diagnostics.items:  # warnings, GitHub's too: write nothing
            return BuildResult(diagnostics.strict(), seconds=time.perf_counter() - started)
        session = self if self.session else None
        try:
            written = write_site(
                site_dir,
                output_dir,
                config,
                loaded.site,
                now=now,
                github=github,
                memo=self._page_memo(output_dir),
                session=session,
                prerender=prerender,
            )
        except jinja2.TemplateError as error:
            self.last = None
            diagnostics.items.append(template_diagnostic(error, site_dir))
            return BuildResult(diagnostics, seconds=time.perf_counter() - started)
        seconds = time.perf_counter() - started
        return BuildResult(
            diagnostics,
            written.written,
            written.unchanged,
            written.removed,
            seconds,
            output_dir,
            rendered=written.rendered,
            skipped=written.skipped,
            outputs=written.paths,
        )

    def _page_memo(self, output_dir: Path) -> OutputMemo | None:
        """Outside a session None (`write_site` reads and saves the memo file); in one, the
        memo of the session's last build, updated in place by `write_site`."""
        if not self.session:
            return None
        if self.page_memo is None or self.page_memo.output_dir != str(output_dir.absolute()):
            self.page_memo = load_memo(self.site_dir / PAGE_MEMO, output_dir)
        return self.page_memo


def write_site(
    site_dir: Path,
    output_dir: Path,
    config: SiteConfig,
    site: Site,
    *,
    now: dt.datetime | None = None,
    github: GitHubEnrichment | None = None,
    memo: OutputMemo | None = None,
    session: SiteBuilder | None = None,
    prerender: Prerender | None = None,
) -> WriteResult:
    """Compute, render every output file (changed ones into a staging folder), then commit
    them into `output_dir` (see `write.py`).

    Pages whose inputs did not change since the last build are not rendered again
    (`render/pagewriter.py`): `memo` is what the last build remembered; when None it is
    read from (and saved to) the site's cache. A caller that keeps a memo in memory
    (`tamatar serve`) passes the same object to every build; it is updated in place.
    A `session` (with `memo`) keeps its `last` build, and rebuilds after edits of log text
    only from it (`render/edits.py`).
    """
    try:
        check_output_dir(site_dir, output_dir, SOURCE_FOLDERS)
        theme_dir = resolve_theme_dir(config.site.theme, site_dir)
    except (OutputError, ThemeError) as error:
        raise BuildError(str(error)) from None
    now = now or build_now(config.site.timezone)
    memo_file = site_dir / PAGE_MEMO
    previous = memo if memo is not None else load_memo(memo_file, output_dir)
    if previous.output_dir != str(output_dir.absolute()):
        previous = OutputMemo(str(output_dir.absolute()))
    template_set = template_set_fingerprint(
        (site_dir / "templates", theme_dir / "templates"), config.model_dump_json()
    )
    if session is not None and memo is not None:
        written = _write_log_edits(
            session, output_dir, config, site, now, github, template_set, memo
        )
        if written is not None:
            return written
    env = make_environment(
        theme_dir,
        site_dir / "templates",
        base_path=config.base_path,
        base_url=str(config.site.base_url),
    )
    new_last: LastBuild | None = None
    # A session computes the views even when nothing changed (its edits start from them),
    # and needs no site fingerprint; a build with no earlier one computes it later, while
    # worker processes render.
    site_key = b""
    if session is None and previous.site_fingerprint:
        site_key = site_fingerprint(site, template_set, now.date(), github)
    with staged_output(output_dir, previous.files or None) as stage:
        # Nothing changed since the last build: keep its output without computing views.
        kept = keep_unchanged_output(stage, previous, site_key)
        if kept is not None:
            new_memo, stats = kept
        else:
            body_cache = BodyCache(site_dir / BODY_CACHE)
            order: list[LogOrder] = []

            def while_bodies_render() -> None:  # in this process while workers render
                order.append(LogOrder.of(site.logs, config))
                compile_templates(env)  # inherited by the page workers

            inputs = compute_route_inputs(
                config,
                site,
                now,
                body_cache=body_cache,
                github=github,
                meanwhile=while_bodies_render,
                prerendered=prerender.results if prerender is not None else None,
            )
            routes = SiteRoutes(inputs, order[0])
            pages = list(iter_pages(routes))
            documents = OutputMemo(previous.output_dir)

            def while_rendering() -> None:  # in this process while workers render pages
                nonlocal site_key
                write_documents(
                    stage, iter_documents(inputs, pages), previous=previous, memo=documents
                )
                body_cache.save()
                if session is None and not site_key:
                    site_key = site_fingerprint(site, template_set, now.date(), github)

            new_memo, stats = render_pages(
                stage,
                env,
                pages,
                template_set=template_set,
                memo=previous,
                while_rendering=while_rendering,
            )
            new_memo.pages.update(documents.pages)
            new_last = LastBuild(routes, env, template_set, previous.output_dir)
        copy_static(stage, site_dir / "static", theme_dir / "static")
    if session is not None:
        session.last = new_last
    new_memo.files = stage.paths
    new_memo.site_fingerprint = site_key
    if memo is not None:
        memo.replace_with(new_memo)
    else:
        save_memo(memo_file, new_memo)
    return result_of(stage, rendered=stats.rendered, skipped=stats.skipped)


def _write_log_edits(
    session: SiteBuilder,
    output_dir: Path,
    config: SiteConfig,
    site: Site,
    now: dt.datetime,
    github: GitHubEnrichment | None,
    template_set: bytes,
    memo: OutputMemo,
) -> WriteResult | None:
    """When only the text of logs changed since the session's last build, write what
    that changed (`render/edits.py`); else None (nothing done)."""
    last = session.last
    if last is None or not last.same_setting(
        config, template_set, now.date(), github, memo.output_dir
    ):
        return None
    edited = edited_logs(last, site)
    if edited is None:
        return None
    session.last = None  # until the edits are written: writing them updates its state
    with staged_output(output_dir, memo.files or None) as stage:
        session.last, stats = write_edits(stage, last, site, edited, memo)
    return result_of(stage, rendered=stats.rendered, skipped=stats.skipped)


def with_base_url(config: SiteConfig, base_url: str | None) -> SiteConfig:
    """`config` with `site.base_url` replaced by the `--base-url` option, when given."""
    if not base_url:
        return config
    try:
        url = HttpUrl(base_url if base_url.endswith("/") else base_url + "/")
    except ValidationError:
        raise BuildError(f"--base-url {base_url!r} is not an http(s) URL") from None
    site = config.site.model_copy(update={"base_url": url})
    return config.model_copy(update={"site": site})


def template_diagnostic(error: jinja2.TemplateError, site_dir: Path) -> Diagnostic:
    """A diagnostic at the template file and line where rendering failed."""
    filename: str | None = getattr(error, "filename", None)
    line: int | None = getattr(error, "lineno", None)
    if filename is None:
        # Runtime errors (undefined names...) carry no position; jinja's rewritten
        # traceback frames do.
        tb = error.__traceback__
        while tb is not None:
            frame_file = tb.tb_frame.f_code.co_filename
            if frame_file.endswith((".html", ".xml", ".txt", ".j2")):
                filename, line = frame_file, tb.tb_lineno
            tb = tb.tb_next
    path = Path(filename) if filename else Path("templates")
    if path.is_absolute():
        site = site_dir.resolve()
        path = path.relative_to(site) if path.resolve().is_relative_to(site) else path
    message = f"template error: {error.message or type(error).__name__}"
    return Diagnostic(path.as_posix(), line or 1, 1, "error", message)
