"""The rebuild of `tamatar serve` after an edit of log text only.

Writing in a log is the edit a serve session sees most. It changes that log's body and
nothing else: not its title, date, tags or project, so not the order of the logs, their
neighbours, related logs, tag lists, streaks or the heatmap. A full incremental build
would still compute the views of every page and fingerprint them to find the few that
changed (seconds at 10,000 logs); this path knows them:

- the edited log's own page;
- when its summary changed: the timeline page, the tag pages and the year, month and
  day archive pages that list it, its week's and month's digests, its project's page,
  the projects page and the home page (their project cards list logs);
- its year in review (it counts words);
- when the word count changed the dashboard: the home and stats pages;
- the feeds (the site's, its tags', its project's, the digest feed) and the API
  (rendered only when their fingerprint changed, as always).

Every other output file is kept as it is. `LastBuild` is what the session keeps of its
last full build for this; `edited_logs` decides whether an edit qualifies (anything else
changed: None, and the session runs the full build). The result is byte-identical to a
full build of the same input (tests/test_edits.py checks that against cold builds).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from tamatar_site.build.bodies import BodyJob, RenderedBody, render_bodies
from tamatar_site.build.inputs import link_resolver
from tamatar_site.build.memo import OutputMemo, PageStats
from tamatar_site.build.pagewriter import render_pages, write_documents
from tamatar_site.build.search import SEARCH_PREFIX, write_search_index
from tamatar_site.compute.stats import body_words
from tamatar_site.config import SiteConfig
from tamatar_site.github.enrich import GitHubEnrichment
from tamatar_site.model import Log, Site
from tamatar_site.render.documents.outputs import log_text_documents
from tamatar_site.render.pages.common import RouteInputs
from tamatar_site.render.pages.routes import Page, SiteRoutes
from tamatar_site.render.templates import make_url
from tamatar_site.render.views.dashboard import dashboard_with_stats
from tamatar_site.write import Stage, StaticStamp, WriteResult, result_of, staged_output

__all__ = ["LastBuild", "edited_logs", "edited_routes", "write_edits", "write_log_edits"]

_LOG_METADATA = tuple(
    f.name for f in dataclasses.fields(Log) if f.name not in ("body", "body_line")
)


@dataclass(frozen=True)
class LastBuild:
    """A serve session's last build: the routes its pages were made from (their inputs:
    site, configuration, GitHub data, today), its templates and output folder.

    `routes.inputs.tag_index` and `routes.order` hold that build's `Log` objects; after
    an edit of log text only they stay right (they read no body).
    """

    routes: SiteRoutes
    env: jinja2.Environment
    template_set: bytes
    output_dir: str
    static: StaticStamp | None  # the static files it copied; None: some were skipped

    def same_setting(
        self,
        config: SiteConfig,
        template_set: bytes,
        static: StaticStamp | None,
        today: dt.date,
        github: GitHubEnrichment | None,
        output_dir: str,
    ) -> bool:
        """True when everything but the content is as it was for this build. The edit path
        copies no static file and repeats no warning about one: a change to any, or one
        skipped with a warning, is for the full build."""
        inputs = self.routes.inputs
        return (
            template_set == self.template_set
            and static is not None
            and static == self.static
            and today == inputs.site_view.today
            and output_dir == self.output_dir
            and config == inputs.config
            and github == inputs.github
        )


def edited_logs(last: LastBuild, site: Site) -> list[int] | None:
    """Positions of the logs whose text alone changed since `last`; None when anything
    else in the content changed (a title, a tag, a new file, a project...)."""
    before = last.routes.inputs.site
    # Everything but the logs as before (the logs' tuple is compared item by item below).
    if len(site.logs) != len(before.logs) or dataclasses.replace(site, logs=before.logs) != before:
        return None
    edited: list[int] = []
    for index, (old, new) in enumerate(zip(before.logs, site.logs, strict=True)):
        if old is new:  # the loader reuses the objects of unchanged files
            continue
        if any(getattr(old, name) != getattr(new, name) for name in _LOG_METADATA):
            return None
        if old.body != new.body:
            edited.append(index)
    return edited


def write_log_edits(
    last: LastBuild | None,
    output_dir: Path,
    config: SiteConfig,
    site: Site,
    now: dt.datetime,
    github: GitHubEnrichment | None,
    template_set: bytes,
    static: StaticStamp | None,
    memo: OutputMemo,
) -> tuple[LastBuild, WriteResult] | None:
    """When only the text of logs changed since a session's `last` build, write what that
    changed into `output_dir` and return the new last build and the write's result; else
    None (nothing done: the session runs the full build). `template_set`, `static`: this
    build's (`write.static_stamp`)."""
    if last is None or not last.same_setting(
        config, template_set, static, now.date(), github, memo.output_dir
    ):
        return None
    edited = edited_logs(last, site)
    if edited is None:
        return None
    with staged_output(output_dir, memo.files or None, in_place=True) as stage:
        new_last, stats = write_edits(stage, last, site, edited, memo)
    memo.files = stage.paths
    return new_last, result_of(stage, rendered=stats.rendered, skipped=stats.skipped)


def write_edits(
    stage: Stage,
    last: LastBuild,
    site: Site,
    edited: Sequence[int],
    memo: OutputMemo,
) -> tuple[LastBuild, PageStats]:
    """Render what the edits of `edited` logs' text changed into `stage` and keep every
    other file of the last build. Updates `memo` in place; returns the new `LastBuild`."""
    routes = last.routes
    inputs = routes.inputs
    logs = site.logs
    sources = {logs[index].source for index in edited}

    new_routes = edited_routes(routes, site, edited)
    new_inputs = new_routes.inputs
    bodies = new_inputs.bodies
    dashboard = new_inputs.dashboard

    pages = [new_routes.log_page(index) for index in edited]
    listed = [
        index
        for index in edited
        if bodies[logs[index].source].summary != inputs.bodies[logs[index].source].summary
    ]
    pages += _list_pages(new_routes, listed, dashboard_changed=dashboard is not inputs.dashboard)
    # A year in review counts the words of its logs.
    pages += new_routes.digest_pages(years={logs[index].date.year for index in edited})

    new_memo, page_stats = render_pages(
        stage, last.env, pages, template_set=last.template_set, memo=memo
    )
    documents = OutputMemo(memo.output_dir)
    changed = log_text_documents(
        new_inputs, sources, new_routes.digests.index, summaries=bool(listed)
    )
    write_documents(stage, changed, previous=memo, memo=documents)
    memo.pages.update(new_memo.pages)
    memo.pages.update(documents.pages)
    last_bundle = memo.search_files
    if new_inputs.config.search:  # the edited pages go to the search index's delta
        # Edits are written into the output as the session's last build left it (`tamatar
        # build` checks every file before it resumes a session): the bundle is not stat'ed.
        write_search_index(stage, memo, memo, output_verified=True, edited=new_memo.pages.keys())
    if last_bundle is not None:
        stage.keep_unclaimed(memo.files - last_bundle)
    else:
        stage.keep_unclaimed([key for key in memo.files if not key.startswith(SEARCH_PREFIX)])
    memo.rendered = new_memo.rendered
    memo.site_fingerprint = b""  # not computed here: the next full build renders page by page
    return dataclasses.replace(last, routes=new_routes), page_stats


def edited_routes(
    routes: SiteRoutes,
    site: Site,
    edited: Sequence[int],
    rendered: Mapping[str, RenderedBody] | None = None,
) -> SiteRoutes:
    """`routes` (a last build's) after edits of the text of the logs at `edited` in `site`
    (positions as `edited_logs` gives them), with their bodies rendered again unless
    `rendered` has them."""
    logs = site.logs
    sources = {logs[index].source for index in edited}
    new_inputs = _edited_inputs(routes.inputs, site, edited, rendered)
    summaries = {key: view for key, view in routes.summaries.items() if key not in sources}
    digests = routes.digests.after_text_edits(new_inputs, [logs[index] for index in edited])
    return SiteRoutes(new_inputs, routes.order, summaries, digests)


def _edited_inputs(
    inputs: RouteInputs,
    site: Site,
    edited: Sequence[int],
    rendered: Mapping[str, RenderedBody] | None,
) -> RouteInputs:
    """The last build's inputs with the edited logs' bodies rendered again (or taken from
    `rendered`), and the word count (and so the dashboard) updated."""
    logs = site.logs
    bodies = dict(inputs.bodies)
    if rendered is None:
        jobs = [BodyJob(logs[index].source, logs[index].body, plain_text=False) for index in edited]
        rendered = render_bodies(
            jobs,
            unsafe_html=inputs.config.markdown.unsafe_html,
            resolve_link=link_resolver(site, make_url(inputs.config.base_path)),
            workers=1,
        )
    bodies.update(rendered)
    stats = inputs.stats
    words = stats.totals.words + sum(
        body_words(logs[index]) - body_words(inputs.site.logs[index]) for index in edited
    )
    stats = dataclasses.replace(stats, totals=dataclasses.replace(stats.totals, words=words))
    dashboard = inputs.dashboard
    if stats != inputs.stats:
        dashboard = dashboard_with_stats(
            dashboard, inputs.streaks, stats, inputs.tags, inputs.localizer
        )
    return dataclasses.replace(inputs, site=site, bodies=bodies, stats=stats, dashboard=dashboard)


def _list_pages(
    routes: SiteRoutes, listed: Sequence[int], *, dashboard_changed: bool
) -> list[Page]:
    """The lists that show the summaries of the logs at `listed`, and the pages that show
    the dashboard when it changed."""
    inputs = routes.inputs
    logs = inputs.site.logs
    per_page = inputs.config.site.logs_per_page
    pages: list[Page] = []
    if listed:
        pages += routes.timeline_pages({index // per_page + 1 for index in listed})
        tag_pages: dict[str, set[int]] = {}
        for index in listed:
            source = logs[index].source
            for tag in logs[index].tags:
                tagged = inputs.tag_index[tag.slug].logs
                position = next(i for i, log in enumerate(tagged) if log.source == source)
                tag_pages.setdefault(tag.slug, set()).add(position // per_page + 1)
        pages += routes.tag_pages(tag_pages)
        pages += routes.archive_pages(routes.archive_page_numbers([logs[i] for i in listed]))
        pages += routes.digest_pages(routes.digests.periods_of([logs[i] for i in listed]))
    projects = {project for index in listed if (project := logs[index].project)}
    if listed or dashboard_changed:
        project_views = routes.project_views()
        if listed:
            pages.append(routes.projects_page(project_views))
            pages += routes.project_pages(project_views, projects)
        pages.append(routes.home_page(project_views))
    if dashboard_changed:
        pages.append(routes.stats_page())
    return pages
