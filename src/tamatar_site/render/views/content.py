"""Template view models. Templates get these values, never model objects.

Views hold plain strings, numbers and dates; the only HTML they carry is `Markup` made by
us (rendered Markdown, inline SVG), so autoescaping covers everything else.
Permalinks are site-relative; templates pass them through `url()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from tamatar_site.config import SiteConfig
from tamatar_site.model import Log, Milestone, Project, Resource, Tag
from tamatar_site.render.markdown.summary import summarize


def trusted_html(html: str) -> Markup:
    """Rendered Markdown as `Markup`. A body's HTML already is (the body stage makes it so),
    and is taken as it is: `Markup(html)` would copy it, once more per page that shows it."""
    return html if isinstance(html, Markup) else Markup(html)


@dataclass(frozen=True)
class LinkView:
    """A titled internal link (permalink is site-relative)."""

    title: str
    permalink: str


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    permalink: str


@dataclass(frozen=True)
class FeedLinkView:
    """One `<link rel="alternate">`: MIME type, title and site-relative path."""

    type: str
    title: str
    path: str


@dataclass(frozen=True)
class ProfileLinkView:
    label: str
    url: str


@dataclass(frozen=True)
class ProfileView:
    name: str
    bio_html: Markup
    avatar_url: str | None  # site-relative path or absolute URL
    location: str | None
    skills: tuple[str, ...]
    links: tuple[ProfileLinkView, ...]
    initials: str


@dataclass(frozen=True)
class SiteView:
    """What every page knows about the site."""

    title: str
    description: str
    language: str
    base_url: str
    nav: tuple[NavItem, ...]
    feeds: tuple[FeedLinkView, ...]
    profile: ProfileView
    today: dt.date
    generator: str
    search: bool = False  # a search page and box (`search:` of tamatar.yaml)


@dataclass(frozen=True)
class TagView:
    slug: str
    name: str
    permalink: str
    count: int = 0
    description: str = ""
    style: str = ""  # `--tag-bg:#…;--tag-fg:#…` when the tag has a configured colour
    feed_path: str | None = None


@dataclass(frozen=True)
class MilestoneView:
    title: str
    done: bool
    date: dt.date | None


@dataclass(frozen=True)
class LogSummaryView:
    """A log in a list: timeline, tag page, project page, home."""

    title: str
    permalink: str
    date: dt.date
    tags: tuple[TagView, ...]
    summary: str
    project: LinkView | None
    mood: int | None
    productivity: int | None
    focus_minutes: int | None


@dataclass(frozen=True)
class ResourceRefView:
    slug: str
    title: str
    url: str | None
    type: str
    permalink: str


@dataclass(frozen=True)
class LogView:
    """One log's own page."""

    title: str
    permalink: str
    date: dt.date
    timestamp: dt.datetime
    html: Markup
    tags: tuple[TagView, ...]
    project: LinkView | None
    resources: tuple[ResourceRefView, ...]
    mood: int | None
    productivity: int | None
    focus_minutes: int | None
    reading_minutes: int
    previous: LinkView | None  # older
    next: LinkView | None  # newer
    related: tuple[LinkView, ...] = ()
    commits: tuple[str, ...] = ()  # explicit SHAs; GitHub data fills in the rest later


@dataclass(frozen=True)
class ProjectView:
    slug: str
    name: str
    permalink: str
    description_html: Markup
    summary: str
    status: str
    tech_stack: tuple[str, ...]
    start_date: dt.date | None
    end_date: dt.date | None
    repo: str | None
    repo_url: str | None
    live_url: str | None
    featured: bool
    milestones: tuple[MilestoneView, ...]
    log_count: int = 0
    logs: tuple[LogSummaryView, ...] = ()


@dataclass(frozen=True)
class FollowingView:
    name: str
    url: str
    feed: str | None


@dataclass(frozen=True)
class PageLinkView:
    number: int
    permalink: str
    current: bool


@dataclass(frozen=True)
class PaginationView:
    page: int
    pages: int
    previous: str | None  # permalink of the newer page (lower number)
    next: str | None
    links: tuple[PageLinkView, ...] = field(default_factory=tuple)


def contrast_text_color(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (#rgb or #rrggbb)."""
    hex_value = background.lstrip("#")
    if len(hex_value) == 3:
        hex_value = "".join(ch * 2 for ch in hex_value)
    channels = [int(hex_value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    against_black = (luminance + 0.05) / 0.05
    against_white = 1.05 / (luminance + 0.05)
    return "#000000" if against_black >= against_white else "#ffffff"


def tag_permalink(slug: str) -> str:
    return f"tags/{slug}/"


class TagViews:
    """Builds `TagView`s once per tag (colours, descriptions, counts) and hands them out."""

    def __init__(self, config: SiteConfig, tag_names: Mapping[str, str]) -> None:
        self._config = config
        self._names = dict(tag_names)
        self._cache: dict[str, TagView] = {}
        self._counts: dict[str, int] = {}
        self.feeds = config.feeds.per_tag and "atom" in config.feeds.formats

    def set_counts(self, counts: Mapping[str, int]) -> None:
        self._counts = dict(counts)
        self._cache.clear()

    def view(self, tag: Tag | str) -> TagView:
        slug = tag if isinstance(tag, str) else tag.slug
        cached = self._cache.get(slug)
        if cached is not None:
            return cached
        name = self._names.get(slug) or (slug if isinstance(tag, str) else tag.name)
        settings = self._config.tags.get(slug)
        style = ""
        description = ""
        if settings is not None:
            description = settings.description
            if settings.color:
                style = f"--tag-bg:{settings.color};--tag-fg:{contrast_text_color(settings.color)}"
        view = TagView(
            slug=slug,
            name=name,
            permalink=tag_permalink(slug),
            count=self._counts.get(slug, 0),
            description=description,
            style=style,
            feed_path=f"tags/{slug}/feed.xml" if self.feeds else None,
        )
        self._cache[slug] = view
        return view

    def views(self, tags: Sequence[Tag]) -> tuple[TagView, ...]:
        return tuple(self.view(tag) for tag in tags)


def reading_minutes(words: int) -> int:
    return max(1, round(words / 220))


def milestone_views(milestones: Sequence[Milestone]) -> tuple[MilestoneView, ...]:
    return tuple(MilestoneView(m.title, m.done, m.date) for m in milestones)


def log_summary_view(
    log: Log, summary: str, tags: TagViews, projects: Mapping[str, Project]
) -> LogSummaryView:
    project = projects.get(log.project) if log.project else None
    return LogSummaryView(
        title=log.title,
        permalink=log.permalink,
        date=log.date,
        tags=tags.views(log.tags),
        summary=summary,
        project=LinkView(project.name, project.permalink) if project else None,
        mood=log.mood,
        productivity=log.productivity,
        focus_minutes=log.focus_minutes,
    )


def resource_ref_view(resource: Resource) -> ResourceRefView:
    return ResourceRefView(
        resource.slug, resource.title, resource.url, resource.type, resource.permalink
    )


def log_view(
    log: Log,
    *,
    html: str,
    words: int,
    tags: TagViews,
    projects: Mapping[str, Project],
    resources: Mapping[str, Resource],
    older: Log | None,
    newer: Log | None,
    related: Sequence[Log] = (),
) -> LogView:
    project = projects.get(log.project) if log.project else None
    return LogView(
        title=log.title,
        permalink=log.permalink,
        date=log.date,
        timestamp=log.timestamp,
        html=trusted_html(html),
        tags=tags.views(log.tags),
        project=LinkView(project.name, project.permalink) if project else None,
        resources=tuple(resource_ref_view(resources[s]) for s in log.resources if s in resources),
        mood=log.mood,
        productivity=log.productivity,
        focus_minutes=log.focus_minutes,
        reading_minutes=reading_minutes(words),
        previous=LinkView(older.title, older.permalink) if older else None,
        next=LinkView(newer.title, newer.permalink) if newer else None,
        related=tuple(LinkView(other.title, other.permalink) for other in related),
        commits=log.commits if isinstance(log.commits, tuple) else (),
    )


def project_view(
    project: Project,
    *,
    html: str,
    text: str,
    logs: tuple[LogSummaryView, ...] = (),
    log_count: int = 0,
) -> ProjectView:
    return ProjectView(
        slug=project.slug,
        name=project.name,
        permalink=project.permalink,
        description_html=trusted_html(html),
        summary=summarize(text, 160),
        status=project.status,
        tech_stack=project.tech_stack,
        start_date=project.start_date,
        end_date=project.end_date,
        repo=project.repo,
        repo_url=f"https://github.com/{project.repo}" if project.repo else None,
        live_url=project.live_url,
        featured=project.featured,
        milestones=milestone_views(project.milestones),
        log_count=log_count,
        logs=logs,
    )


def initials(name: str) -> str:
    parts = [p for p in name.split() if p[:1].isalnum()]
    return "".join(p[0].upper() for p in parts[:2]) or "?"
