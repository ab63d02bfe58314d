"""The routes of a site, as pages (output path, template, context).

`SiteRoutes` makes any page of the site on demand, in any order: every page reads the
bodies rendered before it (`RouteInputs.bodies`). `iter_pages()` yields all of them,
lazily; `tamatar serve` asks for only the pages an edit touched (`build/edits.py`).
Everything here is O(n) in the number of logs plus the size of the output.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from tamatar_site.compute import timeline
from tamatar_site.compute.digests import Period
from tamatar_site.model import Log
from tamatar_site.render.pages.archives import archive_page_numbers, archive_pages
from tamatar_site.render.pages.common import (
    Page,
    PageMeta,
    RouteInputs,
    body_of,
    common_context,
    index_path,
    pagination_view,
)
from tamatar_site.render.pages.digests import (
    Digests,
    digest_pages,
    digests_index_page,
    year_pages,
)
from tamatar_site.render.pages.freepages import free_pages
from tamatar_site.render.pages.learning import learning_pages
from tamatar_site.render.pages.logorder import LogOrder
from tamatar_site.render.views import content as v
from tamatar_site.render.views.achievements import achievements_view
from tamatar_site.render.views.archive import date_links
from tamatar_site.render.views.digests import year_link
from tamatar_site.render.views.recommendations import recommendations_view

__all__ = [
    "Page",
    "RouteInputs",
    "SiteRoutes",
    "iter_pages",
    "project_feed_path",
    "sitemap_permalinks",
]

HOME_RECENT_LOGS = 6
HOME_FEATURED_PROJECTS = 4
PROJECT_LOGS = 50


@dataclass
class SiteRoutes:
    """Makes the pages of one build, any page on demand and in any order."""

    inputs: RouteInputs
    order: LogOrder
    # A log shows up in the timeline, its tags' pages, its project and the home page:
    # its summary view is built once.
    summaries: dict[str, v.LogSummaryView] = field(default_factory=dict)
    known_digests: Digests | None = None  # computed already (serve's edit path)

    def __post_init__(self) -> None:
        site = self.inputs.site
        self.projects = {p.slug: p for p in site.projects}
        self.resources = {r.slug: r for r in site.resources}

    def all_pages(self) -> Iterator[Page]:
        for index in range(len(self.inputs.site.logs)):
            yield self.log_page(index)
        project_views = self.project_views()
        yield from self.timeline_pages()
        yield from self.archive_pages()
        yield from self.digest_pages()
        yield self.tags_page()
        yield from self.tag_pages()
        yield self.projects_page(project_views)
        yield from self.project_pages(project_views)
        yield from learning_pages(self.inputs)
        yield self.home_page(project_views)
        yield self.stats_page()
        yield self.following_page()
        yield from free_pages(self.inputs)
        if self.inputs.config.search:
            yield self.search_page()
        _ = self.inputs.localizer.gettext
        meta = PageMeta(
            _("Page not found"),
            "404.html",
            description=_("There is no page at this address; the links here lead to the site."),
            noindex=True,
        )
        yield Page("404.html", "404.html", common_context(self.inputs, meta))

    def log_page(self, index: int) -> Page:
        inputs = self.inputs
        log = inputs.site.logs[index]
        body = body_of(inputs, log.source)
        summary = body.summary
        neighbours = self.order.neighbours[index]
        view = v.log_view(
            log,
            html=body.html,
            words=body.words,
            tags=inputs.tags,
            projects=self.projects,
            resources=self.resources,
            older=neighbours.older,
            newer=neighbours.newer,
            related=self.order.related[index],
        )
        meta = PageMeta(log.title, log.permalink, "logs", summary)
        context = common_context(inputs, meta, log=view, dates=date_links(log.date))
        return Page(index_path(log.permalink), "log.html", context)

    def summary_of(self, log: Log) -> v.LogSummaryView:
        view = self.summaries.get(log.source)
        if view is None:
            summary = body_of(self.inputs, log.source).summary
            view = v.log_summary_view(log, summary, self.inputs.tags, self.projects)
            self.summaries[log.source] = view
        return view

    def timeline_pages(self, numbers: Container[int] | None = None) -> Iterator[Page]:
        """The pages of the timeline (`numbers`: only these)."""
        inputs = self.inputs
        lo = inputs.localizer
        logs = inputs.site.logs
        for page in timeline.paginate(logs, inputs.config.site.logs_per_page):
            if numbers is not None and page.number not in numbers:
                continue
            permalink = page.url("logs/")
            title = lo.gettext("Logs")
            if page.number > 1:
                title = lo.gettext("Logs, page %(page)s of %(pages)s") % {
                    "page": page.number,
                    "pages": page.total_pages,
                }
            description = lo.gettext("Every daily log, newest first (%(num)s).") % {
                "num": len(logs)
            }
            meta = PageMeta(title, permalink, "logs", description)
            yield Page(
                index_path(permalink),
                "logs.html",
                common_context(
                    inputs,
                    meta,
                    logs=[self.summary_of(log) for log in page.items],
                    pagination=pagination_view("logs/", page),
                    total=len(logs),
                    archive=self.order.archive.years,
                ),
            )

    def archive_pages(self, numbers: Mapping[str, Container[int]] | None = None) -> Iterator[Page]:
        """The pages of the year, month and day archives (`numbers`: only these pages of
        these archives, by archive permalink)."""
        return archive_pages(self.inputs, self.order.archive, self.summary_of, numbers)

    def archive_page_numbers(self, logs: list[Log]) -> dict[str, set[int]]:
        """The archive pages that list `logs`: archive permalink -> page numbers."""
        per_page = self.inputs.config.site.logs_per_page
        return archive_page_numbers(self.order.archive, logs, per_page)

    @cached_property
    def digests(self) -> Digests:
        """The digests and years in review (from the logs' metadata, resources and goals)."""
        return self.known_digests or Digests.of(self.inputs)

    def digest_pages(
        self, periods: Container[Period] | None = None, years: Container[int] | None = None
    ) -> Iterator[Page]:
        """The digests' index, every digest and every year in review; with `periods` or
        `years`, only the digests of these periods and the reviews of these years."""
        inputs, digests = self.inputs, self.digests
        if periods is None and years is None:
            yield digests_index_page(inputs, digests)
            yield from year_pages(inputs, digests)
            yield from digest_pages(inputs, digests, self.summary_of)
            return
        if years is not None:
            yield from year_pages(inputs, digests, years)
        if periods is not None:
            yield from digest_pages(inputs, digests, self.summary_of, periods)

    def tags_page(self) -> Page:
        tag_views = [self.inputs.tags.view(slug) for slug in self.inputs.tag_index]
        cloud = sorted(tag_views, key=lambda t: (-t.count, t.name.casefold(), t.slug))
        _ = self.inputs.localizer.gettext
        meta = PageMeta(_("Tags"), "tags/", "tags", _("Every tag, with how many logs use it."))
        return Page("tags/index.html", "tags.html", common_context(self.inputs, meta, tags=cloud))

    def tag_pages(self, numbers: Mapping[str, Container[int]] | None = None) -> Iterator[Page]:
        """The pages of every tag (`numbers`: only these pages of these tags)."""
        inputs = self.inputs
        _ = inputs.localizer.gettext
        per_page = inputs.config.site.logs_per_page
        others: dict[str, list[v.LinkView]] = {}
        for snippet in inputs.site.snippets:
            for t in snippet.tags:
                others.setdefault(t.slug, []).append(v.LinkView(snippet.title, snippet.permalink))
        for goal in inputs.site.goals:
            for t in goal.tags:
                others.setdefault(t.slug, []).append(v.LinkView(goal.title, goal.permalink))
        for slug, entry in inputs.tag_index.items():
            wanted = numbers.get(slug) if numbers is not None else None
            if numbers is not None and wanted is None:
                continue
            tag = inputs.tags.view(slug)
            feeds: tuple[v.FeedLinkView, ...] = ()
            if tag.feed_path:
                title = _("Logs tagged %(tag)s") % {"tag": tag.name}
                feeds = (v.FeedLinkView("application/atom+xml", title, tag.feed_path),)
            description = tag.description or _("Logs tagged %(tag)s.") % {"tag": tag.name}
            for page in timeline.paginate(entry.logs, per_page):
                if wanted is not None and page.number not in wanted:
                    continue
                permalink = page.url(tag.permalink)
                title = _("Tag: %(tag)s") % {"tag": tag.name}
                if page.number > 1:
                    title = _("Tag: %(tag)s, page %(page)s of %(pages)s") % {
                        "tag": tag.name,
                        "page": page.number,
                        "pages": page.total_pages,
                    }
                meta = PageMeta(title, permalink, "tags", description, feeds)
                yield Page(
                    index_path(permalink),
                    "tag.html",
                    common_context(
                        inputs,
                        meta,
                        tag=tag,
                        others=others.get(tag.slug, []) if page.number == 1 else [],
                        logs=[self.summary_of(log) for log in page.items],
                        pagination=pagination_view(tag.permalink, page),
                    ),
                )

    def project_views(self) -> list[v.ProjectView]:
        inputs = self.inputs
        by_project = timeline.compute_project_index(inputs.site.logs)
        result = []
        for project in inputs.site.projects:
            body = body_of(inputs, project.source)
            mentioned = by_project.get(project.slug, ())
            logs = tuple(self.summary_of(log) for log in mentioned[:PROJECT_LOGS])
            result.append(
                v.project_view(
                    project, html=body.html, text=body.text, logs=logs, log_count=len(mentioned)
                )
            )
        return result

    def projects_page(self, project_views: list[v.ProjectView]) -> Page:
        ordered = sorted(project_views, key=_project_order)
        _ = self.inputs.localizer.gettext
        meta = PageMeta(
            _("Projects"), "projects/", "projects", _("What I am building and have built.")
        )
        return Page(
            "projects/index.html",
            "projects.html",
            common_context(self.inputs, meta, projects=ordered),
        )

    def project_pages(
        self, project_views: list[v.ProjectView], slugs: Container[str] | None = None
    ) -> Iterator[Page]:
        """The page of every project (`slugs`: only these)."""
        atom = "atom" in self.inputs.config.feeds.formats
        for project in project_views:
            if slugs is not None and project.slug not in slugs:
                continue
            feeds: tuple[v.FeedLinkView, ...] = ()
            if atom and project.log_count:
                title = self.inputs.localizer.gettext("Logs about %(name)s") % {
                    "name": project.name
                }
                feeds = (
                    v.FeedLinkView("application/atom+xml", title, project_feed_path(project.slug)),
                )
            meta = PageMeta(project.name, project.permalink, "projects", project.summary, feeds)
            yield Page(
                index_path(project.permalink),
                "project.html",
                common_context(self.inputs, meta, project=project),
            )

    def home_page(self, project_views: list[v.ProjectView]) -> Page:
        inputs = self.inputs
        projects = sorted(project_views, key=_project_order)
        featured = [p for p in projects if p.featured] or projects
        recent = [self.summary_of(log) for log in inputs.site.logs[:HOME_RECENT_LOGS]]
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
                recommendations=recommendations_view(
                    inputs.recommendations, inputs.tags, self.resources
                ),
                achievements=achievements_view(inputs.achievements, inputs.site.tag_names),
            ),
        )

    def stats_page(self) -> Page:
        _ = self.inputs.localizer.gettext
        meta = PageMeta(
            _("Stats"), "stats/", "stats", _("Streaks, activity and focus, computed at build time.")
        )
        return Page(
            "stats/index.html",
            "stats.html",
            common_context(
                self.inputs,
                meta,
                dashboard=self.inputs.dashboard,
                years=tuple(year_link(review) for review in self.digests.reviews),
                achievements=achievements_view(
                    self.inputs.achievements, self.inputs.site.tag_names
                ),
            ),
        )

    def following_page(self) -> Page:
        people = [
            v.FollowingView(f.name, str(f.url), str(f.feed) if f.feed else None)
            for f in self.inputs.config.following
        ]
        _ = self.inputs.localizer.gettext
        meta = PageMeta(_("Following"), "following/", "following", _("People whose work I follow."))
        return Page(
            "following/index.html",
            "following.html",
            common_context(self.inputs, meta, people=people),
        )

    def search_page(self) -> Page:
        _ = self.inputs.localizer.gettext
        meta = PageMeta(
            _("Search"),
            "search/",
            "search",
            _("Search the logs, projects, resources, goals, paths and snippets."),
        )
        return Page("search/index.html", "search.html", common_context(self.inputs, meta))


def project_feed_path(slug: str) -> str:
    """`projects/<slug>/feed.xml`: the Atom feed of a project's logs."""
    return f"projects/{slug}/feed.xml"


def iter_pages(routes: SiteRoutes) -> Iterator[Page]:
    """All HTML pages of the site, made lazily."""
    return routes.all_pages()


def sitemap_permalinks(pages: Iterable[Page]) -> list[str]:
    """The permalinks of `pages` that search engines may index, sorted, once each."""
    return sorted(
        {
            meta.permalink
            for page in pages
            if isinstance(meta := page.context["page"], PageMeta) and not meta.noindex
        }
    )


def _project_order(project: v.ProjectView) -> tuple[int, int, str]:
    status_rank = {"active": 0, "planning": 1, "paused": 2, "completed": 3, "archived": 4}
    return (
        0 if project.featured else 1,
        status_rank.get(project.status, 5),
        project.name.casefold(),
    )
