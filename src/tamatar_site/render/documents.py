"""Render stage: every output that is not an HTML page (feeds, sitemap, robots.txt,
following.opml, the JSON API and the generated stylesheets), as bytes with their paths."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from tamatar_site.model import Log
from tamatar_site.render.api import render_api
from tamatar_site.render.feeds import (
    FeedEntry,
    FeedMeta,
    render_atom,
    render_json_feed,
    render_rss,
    tag_uri,
)
from tamatar_site.render.markdown import highlight_css
from tamatar_site.render.routes import RenderState, RouteInputs
from tamatar_site.render.sitemap import render_opml, render_robots, render_sitemap
from tamatar_site.render.svg import chart_css

_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')
_FRAGMENT_ONLY = re.compile(r'(\shref=")#')


@dataclass(frozen=True)
class Document:
    path: str  # output path relative to the output folder
    data: bytes


def iter_documents(inputs: RouteInputs, rendered: RenderState) -> Iterator[Document]:
    """Feeds, sitemap, robots.txt, OPML, API and CSS. Call after the pages were rendered."""
    yield Document("assets/highlight.css", highlight_css().encode("utf-8"))
    yield Document("assets/charts.css", chart_css().encode("utf-8"))
    yield from _feeds(inputs, rendered)
    yield from _crawler_files(inputs, rendered)
    site = inputs.site
    for doc in render_api(
        config=inputs.config,
        logs=site.logs,
        projects=site.projects,
        tag_counts={slug: entry.count for slug, entry in inputs.tag_index.items()},
        tag_names={slug: entry.tag.name for slug, entry in inputs.tag_index.items()},
        summaries=rendered.summaries,
        streaks=inputs.streaks,
        abs_url=inputs.abs_url,
    ):
        yield Document(doc.path, doc.data)


def absolute_links(html: str, origin: str, page_url: str) -> str:
    """Make root-relative links (`/repo/logs/...`) and `#fragment` links absolute, as feed
    readers need (they show entries away from the site)."""
    html = _ROOT_RELATIVE.sub(lambda m: f"{m.group(1)}{origin}/", html)
    return _FRAGMENT_ONLY.sub(lambda m: f"{m.group(1)}{page_url}#", html)


def _feed_entries(
    inputs: RouteInputs, rendered: RenderState, logs: Sequence[Log]
) -> list[FeedEntry]:
    config = inputs.config
    site_url = str(config.site.base_url)
    parts = urlsplit(site_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    entries = []
    for log in logs:
        url = inputs.abs_url(log.permalink)
        content = ""
        if config.feeds.full_content:
            content = absolute_links(rendered.html[log.source], origin, url)
        entries.append(
            FeedEntry(
                id=tag_uri(site_url, log.date, f"log:{log.slug}"),
                title=log.title,
                url=url,
                published=log.timestamp,
                updated=log.timestamp,
                content_html=content,
                summary=rendered.text[log.source],
                tags=tuple(inputs.tags.view(tag).name for tag in log.tags),
            )
        )
    return entries


def _feeds(inputs: RouteInputs, rendered: RenderState) -> Iterator[Document]:
    config = inputs.config
    formats, limit = config.feeds.formats, config.feeds.limit
    author = config.profile.name or config.site.title
    home = inputs.abs_url("")
    entries = _feed_entries(inputs, rendered, inputs.site.logs[:limit])

    def meta(title: str, page: str, path: str, description: str) -> FeedMeta:
        return FeedMeta(
            title=title,
            site_url=page,
            feed_url=inputs.abs_url(path),
            description=description or title,
            language=config.site.language,
            author=author,
        )

    title, description = config.site.title, config.site.description
    if "atom" in formats:
        yield Document("feed.xml", render_atom(meta(title, home, "feed.xml", description), entries))
    if "rss" in formats:
        yield Document("rss.xml", render_rss(meta(title, home, "rss.xml", description), entries))
    if "json" in formats:
        json_meta = meta(title, home, "feed.json", description)
        yield Document("feed.json", render_json_feed(json_meta, entries))
    if config.feeds.per_tag and "atom" in formats:
        for slug, entry in inputs.tag_index.items():
            tag = inputs.tags.view(slug)
            if tag.feed_path is None:
                continue
            tag_entries = _feed_entries(inputs, rendered, entry.logs[:limit])
            tag_meta = meta(
                f"{title}: logs tagged {tag.name}",
                inputs.abs_url(tag.permalink),
                tag.feed_path,
                tag.description,
            )
            yield Document(tag.feed_path, render_atom(tag_meta, tag_entries))


def _crawler_files(inputs: RouteInputs, rendered: RenderState) -> Iterator[Document]:
    lastmod = {log.permalink: log.date for log in inputs.site.logs}
    urls = [(inputs.abs_url(p), lastmod.get(p)) for p in sorted(set(rendered.sitemap))]
    yield Document("sitemap.xml", render_sitemap(urls))
    robots = render_robots(inputs.abs_url("sitemap.xml"))
    yield Document("robots.txt", robots.encode("utf-8"))
    title = f"{inputs.config.site.title}: following"
    yield Document("following.opml", render_opml(title, inputs.config.following))
