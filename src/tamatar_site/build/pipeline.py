"""The build pipeline on one screen: load, GitHub, compute, bodies, pages, documents,
static files, commit.

`build_site()` never prints; it returns a `BuildResult` whose diagnostics the CLI shows.
Content errors stop the build before anything is staged, so the output stays untouched.
`write_site()` is its second half, from the validated site to the committed output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import jinja2
from pydantic import HttpUrl, ValidationError

from tamatar_site.build.bodies import BodyCache
from tamatar_site.build.confined_templates import site_environment, template_diagnostic
from tamatar_site.build.edits import LastBuild, write_log_edits
from tamatar_site.build.fingerprint import template_set_fingerprint
from tamatar_site.build.inputs import compute_views, start_site_bodies
from tamatar_site.build.memo import (
    OutputMemo,
    PageStats,
    keep_unchanged_output,
    load_memo,
    save_memo,
)
from tamatar_site.build.pagewriter import (
    start_pages,
    write_documents,
)
from tamatar_site.build.prerender import BODY_CACHE, Prerender
from tamatar_site.build.search import SearchError, write_search_index
from tamatar_site.build.sitefingerprint import site_fingerprint
from tamatar_site.build.social import SOCIAL_CACHE, social_image_groups
from tamatar_site.build.workers import release_free_memory
from tamatar_site.clock import build_now
from tamatar_site.config import SiteConfig, babel_locale
from tamatar_site.diagnostics import Diagnostics
from tamatar_site.github.build_step import github_step
from tamatar_site.github.enrich import GitHubEnrichment
from tamatar_site.layout import SOURCE_FOLDERS
from tamatar_site.load.catalogues import catalogue_dirs, load_translations
from tamatar_site.load.themes import ThemeError, resolve_theme_dir
from tamatar_site.model import Site
from tamatar_site.render.documents.outputs import iter_documents
from tamatar_site.render.i18n import ENGLISH, Localizer
from tamatar_site.render.pages.logorder import LogOrder
from tamatar_site.render.pages.routes import SiteRoutes, iter_pages
from tamatar_site.render.templates import compile_templates
from tamatar_site.validate.loader import ContentLoader
from tamatar_site.write import (
    OutputError,
    Stage,
    StaticStamp,
    WriteResult,
    check_output_dir,
    copy_static,
    result_of,
    staged_output,
    static_stamp,
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
    future: bool = False  # include logs dated after today
    base_url: str | None = None  # overrides site.base_url
    offline: bool = False  # never touch the network (GitHub data from the cache only)
    refresh: bool = False  # ask GitHub even when the cache is fresh (`github.max_age`)
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
    replaced: frozenset[str] | None = None  # see `WriteResult.replaced`
    config: SiteConfig | None = None  # the configuration the output was built with
    # GitHub data from a cache fresh until then (seconds since the epoch); else None
    github_fresh_until: float | None = None


class Session(Protocol):
    """What a serve session keeps between builds (`build/session.py`)."""

    loader: ContentLoader
    last: LastBuild | None
    long_lived: bool  # serve's: old trees deleted in the background, no site fingerprint

    def page_memo(self, output_dir: Path) -> OutputMemo: ...


def build_site(
    site_dir: Path,
    options: BuildOptions,
    *,
    prerender: Prerender | None = None,
    session: Session | None = None,
    changed: Iterable[Path] | None = None,
) -> BuildResult:
    """Build the site in `site_dir`; errors in the diagnostics mean nothing was written.
    `prerender`: bodies rendered ahead (`build/prerender.py`); `session`, `changed` (paths a
    watcher saw change): a serve session's rebuild. Raises BuildError for a bad output
    folder, theme or base URL."""
    started = time.perf_counter()
    loader = session.loader if session is not None else new_loader(site_dir)
    loaded = loader.load(
        include_drafts=options.drafts, include_future=options.future, changed=changed
    )
    diagnostics = loaded.diagnostics
    if loaded.config is None or loaded.site is None or diagnostics.has_errors:
        return BuildResult(diagnostics, seconds=time.perf_counter() - started)
    config = with_base_url(loaded.config, options.base_url)
    output_dir = options.output_dir or site_dir / config.site.output_dir
    now = build_now(config.site.timezone)
    github, fresh_until = github_step(site_dir, config, loaded.site, now, options, diagnostics)
    if options.strict and diagnostics.items:  # warnings, GitHub's too: write nothing
        return BuildResult(diagnostics.strict(), seconds=time.perf_counter() - started)
    try:
        written = write_site(
            site_dir, output_dir, config, loaded.site, now, github, session, prerender, diagnostics
        )
    except jinja2.TemplateError as error:
        if session is not None:
            session.last = None
        diagnostics.items.append(template_diagnostic(error, site_dir))
        return BuildResult(diagnostics, seconds=time.perf_counter() - started)
    return result_of_build(config, diagnostics, written, output_dir, started, fresh_until)


def new_loader(site_dir: Path, *, save_after: int = 1) -> ContentLoader:
    """The content loader of `site_dir`, with its record cache."""
    return ContentLoader(site_dir, cache_file=site_dir / RECORD_CACHE, save_after=save_after)


def result_of_build(
    config: SiteConfig,
    diagnostics: Diagnostics,
    written: WriteResult,
    output_dir: Path,
    started: float,
    github_fresh_until: float | None = None,
) -> BuildResult:
    """The `BuildResult` of a build that wrote its output (`started`: `perf_counter()`)."""
    return BuildResult(
        diagnostics,
        written.written,
        written.unchanged,
        written.removed,
        time.perf_counter() - started,
        output_dir,
        rendered=written.rendered,
        skipped=written.skipped,
        outputs=written.paths,
        replaced=written.replaced,
        config=config,
        github_fresh_until=github_fresh_until,
    )


@dataclass(frozen=True)
class _Setting:
    """What a build writes with, besides the content: where, which theme, which templates."""

    site_dir: Path
    output_dir: Path
    config: SiteConfig
    now: dt.datetime
    github: GitHubEnrichment | None
    theme_dir: Path
    template_set: bytes
    static: StaticStamp | None  # of the static files, for a session's edit path


def write_site(
    site_dir: Path,
    output_dir: Path,
    config: SiteConfig,
    site: Site,
    now: dt.datetime | None = None,
    github: GitHubEnrichment | None = None,
    session: Session | None = None,
    prerender: Prerender | None = None,
    diagnostics: Diagnostics | None = None,
    *,
    memo: OutputMemo | None = None,
) -> WriteResult:
    """Compute, render every output file (changed ones into a staging folder), then commit
    them into `output_dir` (see `write/`).

    Pages whose inputs did not change since the last build are not rendered again
    (`build/pagewriter.py`): the memo of the last build is `memo`, else the `session`'s,
    else read from (and saved to) the site's cache. A `session` keeps its `last` build and
    rebuilds after edits of log text only from it (`build/edits.py`). Skipped static files
    are warnings in `diagnostics`.

    Raises:
        BuildError: the output folder cannot be used or written; it is left as it was.
    """
    try:
        return _write_site(
            site_dir, output_dir, config, site, now, github, memo, session, prerender, diagnostics
        )
    except (OutputError, SearchError) as error:
        raise BuildError(str(error)) from None
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        raise BuildError(
            f"cannot write the site to {output_dir}: {error.strerror or error}{where}; "
            "the output folder was left as it was"
        ) from None


def _write_site(
    site_dir: Path,
    output_dir: Path,
    config: SiteConfig,
    site: Site,
    now: dt.datetime | None,
    github: GitHubEnrichment | None,
    memo: OutputMemo | None,
    session: Session | None,
    prerender: Prerender | None,
    diagnostics: Diagnostics | None,
) -> WriteResult:
    try:
        check_output_dir(site_dir, output_dir, SOURCE_FOLDERS)
        theme_dir = resolve_theme_dir(config.site.theme, site_dir)
    except (OutputError, ThemeError) as error:
        raise BuildError(str(error)) from None
    now = now or build_now(config.site.timezone)
    template_set = template_set_fingerprint(
        (site_dir / "templates", theme_dir / "templates", *catalogue_dirs(theme_dir, site_dir)),
        config.model_dump_json(),
    )
    static_dirs = (site_dir / "static", theme_dir / "static")
    # Before copying: a file changed during the build is seen as changed by the next one.
    static = static_stamp(*static_dirs, site_dir) if session is not None else None
    setting = _Setting(site_dir, output_dir, config, now, github, theme_dir, template_set, static)
    memo = session.page_memo(output_dir) if memo is None and session is not None else memo
    previous = _previous_memo(site_dir, output_dir, memo)
    if session is not None and memo is not None:
        last, session.last = session.last, None  # until written: writing updates its state
        edits = write_log_edits(
            last, output_dir, config, site, now, github, template_set, static, memo
        )
        if edits is not None:
            session.last, written = edits
            return written
    # Serve reloads pages before the old tree is gone and needs no site fingerprint.
    background = session is not None and session.long_lived
    site_key = b""
    if not background and previous.site_fingerprint:
        site_key = site_fingerprint(site, template_set, now.date(), github)
    with staged_output(output_dir, previous.files or None, background=background) as stage:
        # Nothing changed since the last build: keep its output without computing views.
        kept = keep_unchanged_output(stage, previous, site_key)
        if kept is None:
            new_memo, stats, last, site_key = _render_site(
                stage, setting, site, previous, not background, site_key, prerender, diagnostics
            )
        else:
            (new_memo, stats), last = kept, None
        copy_static(stage, *static_dirs, site_dir=site_dir, diagnostics=diagnostics)
    if session is not None:
        session.last = last
    new_memo.files = stage.paths
    new_memo.site_fingerprint = site_key
    if memo is not None:
        memo.replace_with(new_memo)
    else:
        save_memo(site_dir / PAGE_MEMO, new_memo)
    return result_of(stage, rendered=stats.rendered, skipped=stats.skipped)


def _previous_memo(site_dir: Path, output_dir: Path, memo: OutputMemo | None) -> OutputMemo:
    """What the last build into `output_dir` wrote: `memo`, else the site's memo file."""
    previous = memo if memo is not None else load_memo(site_dir / PAGE_MEMO, output_dir)
    if previous.output_dir != str(output_dir.absolute()):
        previous = OutputMemo(str(output_dir.absolute()))
    return previous


def _site_localizer(setting: _Setting, diagnostics: Diagnostics | None) -> Localizer:
    """The theme's (and the site's) catalogue for `site.language`, read once per build.
    A language Babel does not know is English (validation warned about it)."""
    language = setting.config.site.language
    locale = babel_locale(language)
    if locale is None:
        return ENGLISH
    dirs = catalogue_dirs(setting.theme_dir, setting.site_dir)
    translations = load_translations(
        dirs, locale, site_dir=setting.site_dir, diagnostics=diagnostics
    )
    return Localizer(language, translations)


def _render_site(
    stage: Stage,
    setting: _Setting,
    site: Site,
    previous: OutputMemo,
    fingerprint_site: bool,
    site_key: bytes,
    prerender: Prerender | None,
    diagnostics: Diagnostics | None,
) -> tuple[OutputMemo, PageStats, LastBuild, bytes]:
    """Bodies, pages and documents into `stage`: the compute and render half of a build.
    Returns the pages' memo and stats, the build for a session, the site fingerprint."""
    config = setting.config
    localizer = _site_localizer(setting, diagnostics)
    env = site_environment(setting.site_dir, setting.theme_dir, config, localizer, diagnostics)
    body_cache = BodyCache(setting.site_dir / BODY_CACHE)
    ahead = prerender.results if prerender is not None else None
    with start_site_bodies(config, site, body_cache, prerendered=ahead) as pending_bodies:
        order = LogOrder.of(site.logs, config, localizer)
        compile_templates(env)  # inherited by the page workers
        views = compute_views(config, site, setting.now.date(), setting.github, localizer)
        inputs = dataclasses.replace(views, bodies=pending_bodies.result())
    # The body cache was saved and let go of by `result()` (its entries are a copy of every
    # body): what Python freed goes back to the system before the page workers fork.
    release_free_memory()
    routes = SiteRoutes(inputs, order)
    pages = list(iter_pages(routes))
    documents = OutputMemo(previous.output_dir)
    with start_pages(
        stage, env, pages, template_set=setting.template_set, memo=previous
    ) as pending_pages:
        documents_of_site = iter_documents(inputs, pages, routes.digests.index)
        write_documents(stage, documents_of_site, previous=previous, memo=documents)
        social = social_image_groups(inputs, setting.site_dir / SOCIAL_CACHE, previous)
        write_documents(stage, social, previous=previous, memo=documents)
        if fingerprint_site and not site_key:
            site_key = site_fingerprint(
                site, setting.template_set, setting.now.date(), setting.github
            )
        new_memo, stats = pending_pages.result()
    del pages  # their contexts: not held through the search stage
    new_memo.pages.update(documents.pages)
    if config.search:  # the Pagefind index of the pages just staged or kept
        release_free_memory()  # what the documents let go of, before Pagefind's run
        write_search_index(stage, new_memo, previous)
    last = LastBuild(routes, env, setting.template_set, previous.output_dir, setting.static)
    return new_memo, stats, last, site_key


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
