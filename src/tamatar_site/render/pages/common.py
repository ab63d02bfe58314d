"""What every page shares: the page record, head data, the inputs of the
routes, and the site-wide views (navigation, feeds, profile)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from tamatar_site import __version__
from tamatar_site.compute import Heatmap, SiteStats, StreakStats, timeline
from tamatar_site.compute.achievements import Achievement
from tamatar_site.compute.calendar import CalendarItem
from tamatar_site.compute.recommendations import Recommendations
from tamatar_site.config import SiteConfig
from tamatar_site.github.enrich import GitHubEnrichment
from tamatar_site.model import Log, Site
from tamatar_site.render.i18n import ENGLISH, Localizer
from tamatar_site.render.markdown import MarkdownRenderer, RenderedBody
from tamatar_site.render.pages.social import social_view
from tamatar_site.render.views import content as v
from tamatar_site.render.views.dashboard import Dashboard
from tamatar_site.render.views.freepages import free_page_nav


@dataclass(frozen=True)
class Page:
    """One HTML page: where it goes, which template renders it, and the template context."""

    path: str  # output path relative to the output folder, e.g. `logs/index.html`
    template: str
    context: Mapping[str, object]


@dataclass(frozen=True)
class PageMeta:
    """Per-page head and navigation data."""

    title: str
    permalink: str
    section: str = ""
    description: str = ""
    feeds: tuple[v.FeedLinkView, ...] = ()
    noindex: bool = False


def index_path(permalink: str) -> str:
    """`logs/` -> `logs/index.html`; `` -> `index.html`."""
    return f"{permalink}index.html" if permalink else "index.html"


def pagination_view(base: str, page: timeline.Page[Log]) -> v.PaginationView:
    """Links to the previous/next page and a window of page numbers around the current one."""
    number, pages = page.number, page.total_pages
    window = sorted({1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)})
    return v.PaginationView(
        page=number,
        pages=pages,
        previous=page.prev_url(base),
        next=page.next_url(base),
        links=tuple(v.PageLinkView(n, timeline.page_url(base, n), n == number) for n in window),
    )


@dataclass(frozen=True)
class RouteInputs:
    """Everything routes need, computed once per build by `compute_route_inputs`."""

    config: SiteConfig
    site: Site
    bodies: Mapping[str, RenderedBody]  # source -> rendered Markdown
    abs_url: Callable[[str], str]
    site_view: v.SiteView
    tags: v.TagViews
    tag_index: Mapping[str, timeline.TagEntry]  # tag slug -> its logs, newest first
    streaks: StreakStats
    stats: SiteStats
    heatmap: Heatmap
    dashboard: Dashboard
    github: GitHubEnrichment | None = None
    recommendations: Recommendations = field(default_factory=Recommendations)  # learn next
    achievements: tuple[Achievement, ...] = ()
    calendar: tuple[CalendarItem, ...] = ()  # none when `calendar: false`
    localizer: Localizer = ENGLISH  # the words and formats of site.language


def common_context(inputs: RouteInputs, meta: PageMeta, **extra: object) -> dict[str, object]:
    context: dict[str, object] = {"site": inputs.site_view, "page": meta, "github": inputs.github}
    context.update(extra)
    # The pages with their own social image are those of `social_cards`: home, logs, projects.
    own_image = meta.section == "home" or "log" in extra or "project" in extra
    context["social"] = social_view(
        title=meta.title,
        description=meta.description or inputs.config.site.description,
        permalink=meta.permalink,
        own_image=own_image,
        article="log" in extra,
        images=inputs.config.social_images,
        abs_url=inputs.abs_url,
    )
    return context


def streak_commit_days(config: SiteConfig, github: GitHubEnrichment | None) -> frozenset[dt.date]:
    """The days with commits that count as active in streaks (`streaks.count_commits`)."""
    return github.commit_days if github and config.streaks.count_commits else frozenset()


def body_of(inputs: RouteInputs, source: str) -> RenderedBody:
    """The rendered Markdown of a source file (rendered once, in `render_all_bodies`)."""
    return inputs.bodies[source]


def site_view(
    config: SiteConfig,
    site: Site,
    today: dt.date,
    profile: v.ProfileView,
    localizer: Localizer,
) -> v.SiteView:
    """The navigation and head data every page shares."""
    _ = localizer.gettext
    nav = [v.NavItem("logs", _("Logs"), "logs/")]
    if site.projects:
        nav.append(v.NavItem("projects", _("Projects"), "projects/"))
    nav.append(v.NavItem("tags", _("Tags"), "tags/"))
    if site.resources:
        nav.append(v.NavItem("resources", _("Resources"), "resources/"))
    if site.goals:
        nav.append(v.NavItem("goals", _("Goals"), "goals/"))
    if site.paths:
        nav.append(v.NavItem("paths", _("Paths"), "paths/"))
    if site.snippets:
        nav.append(v.NavItem("snippets", _("Snippets"), "snippets/"))
    nav.append(v.NavItem("stats", _("Stats"), "stats/"))
    if config.following:
        nav.append(v.NavItem("following", _("Following"), "following/"))
    nav += free_page_nav(site.pages)
    feeds = []
    formats = config.feeds.formats
    if "atom" in formats:
        feeds.append(
            v.FeedLinkView("application/atom+xml", f"{config.site.title} (Atom)", "feed.xml")
        )
    if "rss" in formats:
        feeds.append(v.FeedLinkView("application/rss+xml", f"{config.site.title} (RSS)", "rss.xml"))
    if "json" in formats:
        feeds.append(
            v.FeedLinkView("application/feed+json", f"{config.site.title} (JSON Feed)", "feed.json")
        )
    return v.SiteView(
        title=config.site.title,
        description=config.site.description,
        language=config.site.language,
        base_url=str(config.site.base_url),
        nav=tuple(nav),
        feeds=tuple(feeds),
        profile=profile,
        today=today,
        generator=f"tamatar {__version__}",
        search=config.search,
    )


def profile_view(
    config: SiteConfig, markdown: MarkdownRenderer, github: GitHubEnrichment | None = None
) -> v.ProfileView:
    """The profile of `tamatar.yaml`; name and avatar fall back to the GitHub profile."""
    profile = config.profile
    remote = github.profile if github is not None else None
    name = profile.name or (remote.name if remote and remote.name else "") or config.site.title
    avatar = profile.avatar
    if avatar and "://" not in avatar:
        avatar = avatar.removeprefix("./").removeprefix("static/")
    if not avatar and remote is not None and remote.avatar_url:
        avatar = remote.avatar_url  # an https URL (github/views.py keeps no other)
    return v.ProfileView(
        name=name,
        bio_html=Markup(markdown.render(profile.bio).html) if profile.bio else Markup(""),
        avatar_url=avatar or None,
        location=profile.location,
        skills=tuple(profile.skills),
        links=tuple(v.ProfileLinkView(link.label, str(link.url)) for link in profile.links),
        initials=v.initials(name),
    )
