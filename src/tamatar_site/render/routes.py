"""Render stage: the routes of a site, as pages (output path, template, context).

`iter_pages()` yields pages lazily in an order that lets each log's Markdown be rendered
exactly once: log pages first (their summaries are kept for the lists, their HTML only for
the logs that feeds need), then the lists, indexes and the other sections.
Everything here is O(n) in the number of logs plus the size of the output.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from tamatar_site.compute import compute_streaks, timeline
from tamatar_site.compute.heatmap import compute_heatmap
from tamatar_site.compute.stats import compute_stats
from tamatar_site.config import SiteConfig
from tamatar_site.github.enrich import GitHubEnrichment
from tamatar_site.model import Log, Site, Tag
from tamatar_site.render import views as v
from tamatar_site.render.bodies import BodyCache, BodyJob, render_bodies
from tamatar_site.render.dashboard import build_dashboard
from tamatar_site.render.learning import learning_pages
from tamatar_site.render.markdown import MarkdownRenderer, RenderedMarkdown
from tamatar_site.render.pages import (
    Page,
    PageMeta,
    RenderState,
    RouteInputs,
    body_of,
    common_context,
    index_path,
    pagination_view,
    profile_view,
    site_view,
)
from tamatar_site.render.templates import make_abs_url, make_url

__all__ = ["Page", "RenderState", "RouteInputs", "compute_route_inputs", "iter_pages"]

HOME_RECENT_LOGS = 6
HOME_FEATURED_PROJECTS = 4
PROJECT_LOGS = 50


def resolve_relative(
    source: str, path: str, targets: Mapping[str, str], url: Callable[[str], str]
) -> str | None:
    """Resolve a relative link written in `source` to another source file's page.

    `[see](2026-11-20-borrowck.md)` in `logs/2026/x.md` becomes the URL of
    `logs/2026/2026-11-20-borrowck.md`'s page; `../static/a.png` becomes `url("a.png")`.
    The renderer passes the path without `?query`/`#fragment` and puts those back.
    Anything else (unknown files, paths leaving the site) is left as written (None).
    """
    if not path or path.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if joined == ".." or joined.startswith("../"):
        return None
    permalink = targets.get(joined)
    if permalink is not None:
        return url(permalink.split("#", 1)[0])
    if joined.startswith("static/"):
        return url(joined[len("static/") :])
    return None


def render_all_bodies(
    config: SiteConfig, site: Site, url: Callable[[str], str], cache_file: Path | None
) -> dict[str, RenderedMarkdown]:
    """Every Markdown text of the site, rendered once (in worker processes for big sites,
    from the body cache when unchanged), by source path."""
    jobs = [BodyJob(log.source, log.body) for log in site.logs]
    jobs += [BodyJob(p.source, p.description) for p in site.projects]
    jobs += [BodyJob(r.source, r.review) for r in site.resources]
    jobs += [BodyJob(g.source, g.description) for g in site.goals]
    jobs += [BodyJob(p.source, p.description) for p in site.paths]
    jobs += [BodyJob(s.source, s.body) for s in site.snippets]
    targets = source_targets(site)
    cache = BodyCache(cache_file)
    bodies = render_bodies(
        jobs,
        unsafe_html=config.markdown.unsafe_html,
        resolve_link=lambda source, path: resolve_relative(source, path, targets, url),
        cache=cache,
    )
    cache.save()
    return bodies


def source_targets(site: Site) -> dict[str, str]:
    """Every content file's source path -> its permalink."""
    targets: dict[str, str] = {}
    for group in (site.logs, site.projects, site.resources, site.goals, site.paths, site.snippets):
        for item in group:
            targets[item.source] = item.permalink
    return targets


def feed_log_sources(logs: Sequence[Log], config: SiteConfig) -> set[str]:
    """Sources of the logs any feed will carry: the newest `limit` overall and per tag."""
    limit = config.feeds.limit
    wanted = {log.source for log in logs[:limit]}
    if config.feeds.per_tag and "atom" in config.feeds.formats:
        per_tag: dict[str, int] = {}
        for log in logs:
            for tag in log.tags:
                seen = per_tag.get(tag.slug, 0)
                if seen < limit:
                    per_tag[tag.slug] = seen + 1
                    wanted.add(log.source)
    return wanted


def compute_route_inputs(
    config: SiteConfig,
    site: Site,
    now: dt.datetime,
    *,
    body_cache: Path | None = None,
    github: GitHubEnrichment | None = None,
) -> RouteInputs:
    """The compute stage for rendering: Markdown bodies, tag index, streaks, stats, heatmap
    and the views every page shares."""
    today = now.date()
    url = make_url(config.base_path)
    markdown = MarkdownRenderer(unsafe_html=config.markdown.unsafe_html)
    tag_index = dict(timeline.compute_tag_index(site.logs, site.tag_names))
    other_tags = [t for s in site.snippets for t in s.tags] + [
        t for g in site.goals for t in g.tags
    ]
    for tag in other_tags:  # tags used only by snippets or goals still get a page
        if tag.slug not in tag_index:
            name = site.tag_names.get(tag.slug, tag.name)
            tag_index[tag.slug] = timeline.TagEntry(Tag(tag.slug, name), ())
    tags = v.TagViews(config, site.tag_names)
    tags.set_counts({slug: entry.count for slug, entry in tag_index.items()})
    commit_days = github.commit_days if github and config.streaks.count_commits else frozenset()
    streaks = compute_streaks(site.logs, today, commit_days)
    stats = compute_stats(site.logs, today, tag_names=site.tag_names)
    heatmap = compute_heatmap(site.logs, today, _commits_per_day(github, config))
    return RouteInputs(
        config=config,
        site=site,
        bodies=render_all_bodies(config, site, url, body_cache),
        abs_url=make_abs_url(str(config.site.base_url)),
        site_view=site_view(config, site, today, profile_view(config, markdown, github)),
        tags=tags,
        tag_index=dict(sorted(tag_index.items())),
        streaks=streaks,
        dashboard=build_dashboard(streaks, stats, heatmap, tags),
        github=github,
    )


def _commits_per_day(
    github: GitHubEnrichment | None, config: SiteConfig
) -> dict[dt.date, int] | None:
    """Commit counts for the heatmap, when commits count as activity."""
    if github is None or not config.streaks.count_commits:
        return None
    return github.commits_per_day


def iter_pages(inputs: RouteInputs, rendered: RenderState) -> Iterator[Page]:
    """All HTML pages of the site. Fills `rendered` (summaries, feed HTML, sitemap) as
    pages go by, so consume the pages before reading it."""
    for page in _iter_pages(inputs, rendered):
        meta = page.context["page"]
        if isinstance(meta, PageMeta) and not meta.noindex:
            rendered.sitemap.append(meta.permalink)
        yield page


def _iter_pages(inputs: RouteInputs, rendered: RenderState) -> Iterator[Page]:
    site, config = inputs.site, inputs.config
    projects = {p.slug: p for p in site.projects}
    resources = {r.slug: r for r in site.resources}
    feed_sources = feed_log_sources(site.logs, config)

    logs = site.logs
    neighbours = timeline.compute_neighbours(logs)
    related = timeline.compute_related(logs)
    for index, log in enumerate(logs):
        body = body_of(inputs, log.source)
        summary = v.summarize(body.text)
        rendered.summaries[log.source] = summary
        if log.source in feed_sources:
            rendered.html[log.source] = body.html
        view = v.log_view(
            log,
            html=body.html,
            text=body.text,
            tags=inputs.tags,
            projects=projects,
            resources=resources,
            older=neighbours[index].older,
            newer=neighbours[index].newer,
            related=related[index],
        )
        meta = PageMeta(log.title, log.permalink, "logs", summary)
        yield Page(index_path(log.permalink), "log.html", common_context(inputs, meta, log=view))

    summaries: dict[str, v.LogSummaryView] = {}

    def summary_of(log: Log) -> v.LogSummaryView:
        # A log shows up in the timeline, its tags' pages, its project and the home page:
        # build its summary view once.
        view = summaries.get(log.source)
        if view is None:
            summary = rendered.summaries[log.source]
            view = summaries[log.source] = v.log_summary_view(log, summary, inputs.tags, projects)
        return view

    project_views = _project_views(inputs, summary_of)
    yield from _timeline_pages(inputs, logs, summary_of)
    yield from _tag_pages(inputs, summary_of)
    yield from _project_pages(inputs, project_views)
    yield from learning_pages(inputs)
    yield _home_page(inputs, project_views, summary_of)
    yield _stats_page(inputs)
    yield _following_page(inputs)
    meta = PageMeta("Page not found", "404.html", noindex=True)
    yield Page("404.html", "404.html", common_context(inputs, meta))


def _timeline_pages(
    inputs: RouteInputs, logs: Sequence[Log], summary_of: Callable[[Log], v.LogSummaryView]
) -> Iterator[Page]:
    pages = timeline.paginate(logs, inputs.config.site.logs_per_page)
    for page in pages:
        permalink = page.url("logs/")
        title = "Logs" if page.number == 1 else f"Logs, page {page.number} of {page.total_pages}"
        meta = PageMeta(title, permalink, "logs", f"Every daily log, newest first ({len(logs)}).")
        yield Page(
            index_path(permalink),
            "logs.html",
            common_context(
                inputs,
                meta,
                logs=[summary_of(log) for log in page.items],
                pagination=pagination_view("logs/", page),
                total=len(logs),
            ),
        )


def _tag_pages(
    inputs: RouteInputs, summary_of: Callable[[Log], v.LogSummaryView]
) -> Iterator[Page]:
    per_page = inputs.config.site.logs_per_page
    tag_views = [inputs.tags.view(slug) for slug in inputs.tag_index]
    cloud = sorted(tag_views, key=lambda t: (-t.count, t.name.casefold(), t.slug))
    meta = PageMeta("Tags", "tags/", "tags", "Every tag, with how many logs use it.")
    yield Page("tags/index.html", "tags.html", common_context(inputs, meta, tags=cloud))
    others: dict[str, list[v.LinkView]] = {}
    for snippet in inputs.site.snippets:
        for t in snippet.tags:
            others.setdefault(t.slug, []).append(v.LinkView(snippet.title, snippet.permalink))
    for goal in inputs.site.goals:
        for t in goal.tags:
            others.setdefault(t.slug, []).append(v.LinkView(goal.title, goal.permalink))
    for tag in tag_views:
        feeds: tuple[v.FeedLinkView, ...] = ()
        if tag.feed_path:
            title = f"Logs tagged {tag.name}"
            feeds = (v.FeedLinkView("application/atom+xml", title, tag.feed_path),)
        description = tag.description or f"Logs tagged {tag.name}."
        for page in timeline.paginate(inputs.tag_index[tag.slug].logs, per_page):
            permalink = page.url(tag.permalink)
            title = f"Tag: {tag.name}"
            if page.number > 1:
                title += f", page {page.number} of {page.total_pages}"
            meta = PageMeta(title, permalink, "tags", description, feeds)
            yield Page(
                index_path(permalink),
                "tag.html",
                common_context(
                    inputs,
                    meta,
                    tag=tag,
                    others=others.get(tag.slug, []) if page.number == 1 else [],
                    logs=[summary_of(log) for log in page.items],
                    pagination=pagination_view(tag.permalink, page),
                ),
            )


def _project_views(
    inputs: RouteInputs, summary_of: Callable[[Log], v.LogSummaryView]
) -> list[v.ProjectView]:
    by_project: dict[str, list[Log]] = {}
    for log in inputs.site.logs:
        if log.project:
            by_project.setdefault(log.project, []).append(log)
    result = []
    for project in inputs.site.projects:
        body = body_of(inputs, project.source)
        mentioned = by_project.get(project.slug, [])
        logs = tuple(summary_of(log) for log in mentioned[:PROJECT_LOGS])
        result.append(
            v.project_view(
                project, html=body.html, text=body.text, logs=logs, log_count=len(mentioned)
            )
        )
    return result


def _project_order(project: v.ProjectView) -> tuple[int, int, str]:
    status_rank = {"active": 0, "planning": 1, "paused": 2, "completed": 3, "archived": 4}
    return (
        0 if project.featured else 1,
        status_rank.get(project.status, 5),
        project.name.casefold(),
    )


def _project_pages(inputs: RouteInputs, project_views: list[v.ProjectView]) -> Iterator[Page]:
    ordered = sorted(project_views, key=_project_order)
    meta = PageMeta("Projects", "projects/", "projects", "What I am building and have built.")
    yield Page(
        "projects/index.html", "projects.html", common_context(inputs, meta, projects=ordered)
    )
    for project in project_views:
        meta = PageMeta(project.name, project.permalink, "projects", project.summary)
        yield Page(
            index_path(project.permalink),
            "project.html",
            common_context(inputs, meta, project=project),
        )


def _home_page(
    inputs: RouteInputs,
    project_views: list[v.ProjectView],
    summary_of: Callable[[Log], v.LogSummaryView],
) -> Page:
    projects = sorted(project_views, key=_project_order)
    featured = [p for p in projects if p.featured] or projects
    recent = [summary_of(log) for log in inputs.site.logs[:HOME_RECENT_LOGS]]
    meta = PageMeta(inputs.site_view.title, "", "home", inputs.site_view.description)
    return Page(
        "index.html",
        "index.html",
        common_context(
            inputs,
            meta,
            featured=featured[:HOME_FEATURED_PROJECTS],
            recent=recent,
            dashboard=inputs.dashboard,
        ),
    )


def _stats_page(inputs: RouteInputs) -> Page:
    meta = PageMeta(
        "Stats", "stats/", "stats", "Streaks, activity and focus, computed at build time."
    )
    return Page(
        "stats/index.html", "stats.html", common_context(inputs, meta, dashboard=inputs.dashboard)
    )


def _following_page(inputs: RouteInputs) -> Page:
    people = [
        v.FollowingView(f.name, str(f.url), str(f.feed) if f.feed else None)
        for f in inputs.config.following
    ]
    meta = PageMeta("Following", "following/", "following", "People whose work I follow.")
    return Page(
        "following/index.html", "following.html", common_context(inputs, meta, people=people)
    )
