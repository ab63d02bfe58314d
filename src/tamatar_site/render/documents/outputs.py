"""Every output that is not an HTML page (feeds of the site, its tags and its projects,
sitemap, robots.txt, following.opml, the JSON API and the generated stylesheets), as
bytes with their paths.

Feeds and the API are the dear ones (feedgen, pretty JSON of every log). They come as
`DocumentGroup`s: a fingerprint of their inputs, computed without rendering, and a function
that renders them. The write stage renders a group only when its fingerprint differs from
the last build's or one of its files is not intact (`pagewriter.write_documents`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import marshal
from collections.abc import Callable, Container, Iterator, Sequence
from typing import NamedTuple
from urllib.parse import urlsplit

from tamatar_site.compute import timeline
from tamatar_site.compute.digests import DigestIndex
from tamatar_site.model import Log
from tamatar_site.render.charts.stats import chart_css
from tamatar_site.render.documents.api import Absolute
from tamatar_site.render.documents.api_outputs import api_documents, api_log_text_documents
from tamatar_site.render.documents.badge_groups import iter_badge_groups
from tamatar_site.render.documents.calendar import calendar_documents
from tamatar_site.render.documents.card_groups import iter_card_groups
from tamatar_site.render.documents.digest_feed import digest_feed
from tamatar_site.render.documents.feeds import (
    WRITER_VERSIONS,
    FeedEntry,
    FeedMeta,
    FeedWriter,
    render_json_feed,
    tag_uri,
)
from tamatar_site.render.documents.groups import Document as Document  # re-exported
from tamatar_site.render.documents.groups import DocumentGroup as DocumentGroup
from tamatar_site.render.documents.groups import fingerprint as _fingerprint
from tamatar_site.render.documents.groups import plain
from tamatar_site.render.documents.sitemap import render_opml, render_robots, render_sitemaps
from tamatar_site.render.markdown import RenderedBody, highlight_css, strip_heading_anchors
from tamatar_site.render.pages.common import Page, body_of
from tamatar_site.render.pages.routes import RouteInputs, project_feed_path, sitemap_permalinks


def iter_documents(
    inputs: RouteInputs, pages: Sequence[Page], digests: DigestIndex
) -> Iterator[Document | DocumentGroup]:
    """Feeds (the digest feed too), sitemap (of `pages`), robots.txt, OPML, API, CSS, the
    profile cards, the calendar and the achievements' badges."""
    yield Document("assets/highlight.css", highlight_css().encode("utf-8"))
    yield Document("assets/charts.css", chart_css().encode("utf-8"))
    yield from _feeds(inputs)
    yield from digest_feed(inputs, digests)
    yield from _crawler_files(inputs, sitemap_permalinks(pages))
    yield from api_documents(inputs, _absolute(inputs))
    yield from iter_card_groups(inputs)
    yield from calendar_documents(inputs)
    yield from iter_badge_groups(inputs)


def log_text_documents(
    inputs: RouteInputs, logs: Container[str], digests: DigestIndex, *, summaries: bool
) -> Iterator[Document | DocumentGroup]:
    """The documents that show what the text of `logs` (sources) becomes: the feeds that
    carry them and the API's files that show them (its log list only if a summary changed:
    `summaries`). The others depend on the logs' metadata and the configuration only."""
    yield from _feeds(inputs, logs)
    yield from digest_feed(inputs, digests, logs)
    yield from api_log_text_documents(inputs, _absolute(inputs), logs, summaries=summaries)


def _absolute(inputs: RouteInputs) -> Absolute:
    """`absolute_links` for a page of this site, by its permalink."""
    parts = urlsplit(str(inputs.config.site.base_url))
    origin = f"{parts.scheme}://{parts.netloc}"

    def absolute(html: str, permalink: str) -> str:
        return absolute_links(html, origin, inputs.abs_url(permalink))

    return absolute


def absolute_links(html: str, origin: str, page_url: str) -> str:
    """Make root-relative links (`/repo/logs/...`) and `#fragment` links absolute, as feed
    readers need (they show entries away from the site)."""
    # `\s(href|src)="/` (not `//`) and `\shref="#`, found by splitting on `="/` and `="#`:
    # a few times faster than a regular expression that tries every whitespace character.
    if '="/' in html:
        html = _prefix_attribute_values(html, '="/', ("href", "src"), f'="{origin}/', root=True)
    if '="#' in html:
        html = _prefix_attribute_values(html, '="#', ("href",), f'="{page_url}#', root=False)
    return html


def _prefix_attribute_values(
    html: str, marker: str, names: tuple[str, ...], replacement: str, *, root: bool
) -> str:
    """`html` with each `marker` that follows whitespace and one of `names` replaced; with
    `root`, not where the value goes on with a second `/` (protocol-relative URLs)."""
    parts = html.split(marker)
    out = [parts[0]]
    for before, after in itertools.pairwise(parts):
        hit = any(
            len(before) > len(name) and before.endswith(name) and before[-len(name) - 1].isspace()
            for name in names
        )
        out.append(replacement if hit and not (root and after.startswith("/")) else marker)
        out.append(after)
    return "".join(out)


class _EntryFields(NamedTuple):
    """What a log's feed entry is made of. The entry is built from these alone (and the
    site's URL, which every feed's fingerprint has), so they are its fingerprint too."""

    slug: str
    title: str
    permalink: str
    date: dt.date
    timestamp: dt.datetime
    tags: tuple[str, ...]  # names
    html: str  # the body when feeds carry it (`feeds.full_content`), else ""
    summary: str


class _KnownFields(NamedTuple):
    """A log's entry fields and their digest, with what they were made of: the same log
    and body objects (both frozen), tag names and `full_content` make the same fields."""

    log: Log
    body: RenderedBody
    tags: tuple[str, ...]
    full_content: bool
    fields: _EntryFields
    key: bytes


class _KeptEntries:
    """The feed entries of this process's last two builds, by site URL and fingerprint
    (`_FeedEntries.key`), and the feedgen entries made of them (`FeedWriter`): a `serve`
    edit makes only the entries of the logs it changed, not those of every log in the
    feeds that carry them (their links made absolute, feedgen's checks of every field:
    about half of what those feeds cost). The entries' fields and digests are kept too (by
    source), so an edit does not hash again the bodies of the logs it did not change.
    What the last two builds did not use goes."""

    def __init__(self) -> None:
        self.writer = FeedWriter()
        self._entries: dict[tuple[str, bytes], FeedEntry] = {}
        self._before: dict[tuple[str, bytes], FeedEntry] = {}
        self._fields: dict[str, _KnownFields] = {}
        self._fields_before: dict[str, _KnownFields] = {}

    def next_build(self) -> None:
        self.writer.forget_unused()
        self._before, self._entries = self._entries, {}
        self._fields_before, self._fields = self._fields, {}

    def get(self, key: tuple[str, bytes]) -> FeedEntry | None:
        entry = self._entries.get(key) or self._before.get(key)
        if entry is not None:
            self._entries[key] = entry
        return entry

    def put(self, key: tuple[str, bytes], entry: FeedEntry) -> None:
        self._entries[key] = entry

    def fields(
        self, log: Log, body: RenderedBody, tags: tuple[str, ...], full_content: bool
    ) -> _KnownFields | None:
        known = self._fields.get(log.source) or self._fields_before.get(log.source)
        if known is None or known.log is not log or known.body is not body:
            return None
        if known.tags != tags or known.full_content != full_content:
            return None
        self._fields[log.source] = known
        return known

    def put_fields(self, known: _KnownFields) -> None:
        self._fields[known.log.source] = known


_KEPT = _KeptEntries()


class _FeedEntries:
    """Feed entries and their fingerprints, built once per log for all the feeds it is in
    (and kept for the next build in `_KEPT`)."""

    def __init__(self, inputs: RouteInputs) -> None:
        self._inputs = inputs
        site_url = str(inputs.config.site.base_url)
        parts = urlsplit(site_url)
        self._site_url = site_url
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self._fields: dict[str, tuple[_EntryFields, bytes]] = {}
        self._entries: dict[str, FeedEntry] = {}

    def key(self, log: Log) -> bytes:
        """A digest of what the log's entry is made of, without building the entry."""
        return self._fields_of(log)[1]

    def entries(self, logs: Sequence[Log]) -> list[FeedEntry]:
        return [self._entry(log) for log in logs]

    def _fields_of(self, log: Log) -> tuple[_EntryFields, bytes]:
        known = self._fields.get(log.source)
        if known is None:
            inputs = self._inputs
            body = body_of(inputs, log.source)
            tags = tuple(inputs.tags.view(tag).name for tag in log.tags)
            full_content = inputs.config.feeds.full_content
            kept = _KEPT.fields(log, body, tags, full_content)
            if kept is None:
                fields = _EntryFields(
                    slug=log.slug,
                    title=log.title,
                    permalink=log.permalink,
                    date=log.date,
                    timestamp=log.timestamp,
                    tags=tags,
                    html=body.html if full_content else "",
                    summary=body.summary,
                )
                key = hashlib.blake2b(marshal.dumps(plain([fields]), 2), digest_size=16).digest()
                kept = _KnownFields(log, body, tags, full_content, fields, key)
                _KEPT.put_fields(kept)
            known = self._fields[log.source] = (kept.fields, kept.key)
        return known

    def _entry(self, log: Log) -> FeedEntry:
        entry = self._entries.get(log.source)
        if entry is not None:
            return entry
        fields, key = self._fields_of(log)
        entry = _KEPT.get((self._site_url, key))
        if entry is not None:
            self._entries[log.source] = entry
            return entry
        url = self._inputs.abs_url(fields.permalink)
        content = ""
        if fields.html:
            html = strip_heading_anchors(fields.html)  # `#` in readers
            content = absolute_links(html, self._origin, url)
        entry = self._entries[log.source] = FeedEntry(
            id=tag_uri(self._site_url, fields.date, f"log:{fields.slug}"),
            title=fields.title,
            url=url,
            published=fields.timestamp,
            updated=fields.timestamp,
            content_html=content,
            summary=fields.summary,
            tags=fields.tags,
        )
        _KEPT.put((self._site_url, key), entry)
        return entry


def _feeds(inputs: RouteInputs, carrying: Container[str] | None = None) -> Iterator[DocumentGroup]:
    """The feeds (`carrying`: only those with one of these logs, by source)."""
    config = inputs.config
    formats, limit = config.feeds.formats, config.feeds.limit
    author = config.profile.name or config.site.title
    home = inputs.abs_url("")
    _KEPT.next_build()
    entries = _FeedEntries(inputs)
    writer = _KEPT.writer  # makes a log's feedgen entry once for all the feeds it is in
    settings = config.feeds.model_dump_json()

    def meta(title: str, page: str, path: str, description: str) -> FeedMeta:
        return FeedMeta(
            title=title,
            site_url=page,
            feed_url=inputs.abs_url(path),
            description=description or title,
            language=config.site.language,
            author=author,
        )

    def group(
        path: str,
        feed_meta: FeedMeta,
        logs: Sequence[Log],
        render: Callable[[FeedMeta, list[FeedEntry]], bytes],
    ) -> DocumentGroup:
        fingerprint = _fingerprint(
            path,
            render.__name__,
            WRITER_VERSIONS,
            settings,
            repr(feed_meta),
            [entries.key(log) for log in logs],
        )
        return DocumentGroup(
            (path,),
            fingerprint,
            lambda: [Document(path, render(feed_meta, entries.entries(logs)))],
        )

    def wanted(logs: Sequence[Log]) -> bool:
        return carrying is None or any(log.source in carrying for log in logs)

    title, description = config.site.title, config.site.description
    newest = inputs.site.logs[:limit]
    main = wanted(newest)  # feed.xml, rss.xml and feed.json
    if "atom" in formats and main:
        yield group("feed.xml", meta(title, home, "feed.xml", description), newest, writer.atom)
    if "rss" in formats and main:
        yield group("rss.xml", meta(title, home, "rss.xml", description), newest, writer.rss)
    if "json" in formats and main:
        json_meta = meta(title, home, "feed.json", description)
        yield group("feed.json", json_meta, newest, render_json_feed)
    if "atom" in formats:
        for path, about, page, description, logs in _topic_feeds(inputs, limit):
            if wanted(logs):
                topic_meta = meta(f"{title}: {about}", inputs.abs_url(page), path, description)
                yield group(path, topic_meta, logs, writer.atom)


def _topic_feeds(
    inputs: RouteInputs, limit: int
) -> Iterator[tuple[str, str, str, str, Sequence[Log]]]:
    """The Atom feeds of tags (with `feeds.per_tag`) and of projects that have logs: their
    paths, what they are about, their pages, descriptions and logs (the newest `limit`)."""
    if inputs.config.feeds.per_tag:
        for slug, entry in inputs.tag_index.items():
            tag = inputs.tags.view(slug)
            if tag.feed_path is not None:
                about = f"logs tagged {tag.name}"
                yield tag.feed_path, about, tag.permalink, tag.description, entry.logs[:limit]
    by_project = timeline.compute_project_index(inputs.site.logs)
    for project in inputs.site.projects:
        logs = by_project.get(project.slug, ())[:limit]
        if logs:  # no feed (and no link to one) without logs
            about = f"logs about {project.name}"
            description = f"Daily logs about {project.name}."
            yield project_feed_path(project.slug), about, project.permalink, description, logs


def _crawler_files(inputs: RouteInputs, sitemap: Sequence[str]) -> Iterator[Document]:
    lastmod = {log.permalink: log.date for log in inputs.site.logs}
    urls = [(inputs.abs_url(p), lastmod.get(p)) for p in sitemap]
    for path, data in render_sitemaps(urls, inputs.abs_url):
        yield Document(path, data)
    robots = render_robots(inputs.abs_url("sitemap.xml"))
    yield Document("robots.txt", robots.encode("utf-8"))
    title = f"{inputs.config.site.title}: following"
    yield Document("following.opml", render_opml(title, inputs.config.following))
