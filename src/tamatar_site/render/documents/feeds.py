"""Atom (RFC 4287) and RSS 2.0 feeds with feedgen, and JSON Feed 1.1.

All three take the same `FeedMeta` and `FeedEntry` values and return bytes:

- Entries come out newest first (by `published`, then `id`), `limit` of them.
- Output is byte-identical for the same input: feedgen stamps the wall clock into
  `<updated>`/`<lastBuildDate>` and its own name into `<generator>`; here they come
  from the entries (or `FeedMeta.updated`) and from tamatar's version.
- Ids are the caller's and must never change between builds: a permalink or a
  `tag:` URI (`tag_uri()`). In RSS, `<guid isPermaLink="true">` only when the id is
  the entry's full URL.
- Atom has `<link rel="self">`, RSS has `<atom:link rel="self">`.
- The summary is plain text in Atom and JSON Feed; RSS's `<description>` is HTML, so
  there the summary is HTML-escaped and `Arc<Version>` shows as written.
- Text that XML 1.0 cannot carry (control characters pasted into a log) is dropped,
  so a stray form feed never breaks a build or a feed reader; an id or URL holding
  such text is refused.

feedgen writes the whole Atom and RSS documents, entries included. A `FeedWriter`
makes the feedgen entry of a log once and adds it to every feed that carries it (a
build writes the site's feeds and one per tag with one writer).
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from feedgen.entry import FeedEntry as FeedgenEntry  # type: ignore[import-untyped]
from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]
from feedgen.version import version_full_str as _FEEDGEN_VERSION  # type: ignore[import-untyped]
from lxml.etree import LIBXML_VERSION, LXML_VERSION  # type: ignore[import-untyped]

from tamatar_site import __version__

__all__ = [
    "JSON_FEED_VERSION",
    "WRITER_VERSIONS",
    "FeedEntry",
    "FeedMeta",
    "FeedWriter",
    "render_json_feed",
    "tag_uri",
    "xml_safe",
]

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "tamatar"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The Atom and RSS bytes depend on feedgen's version and on lxml's and libxml2's (escaping,
# indentation): part of a feed's fingerprint, so that an upgrade rewrites the feeds.
WRITER_VERSIONS: tuple[object, ...] = (_FEEDGEN_VERSION, LXML_VERSION, LIBXML_VERSION)
# Characters XML 1.0 forbids (C0 controls except tab/newline/CR, lone surrogates, FFFE/FFFF).
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CONTROL_BYTES = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry."""
    # Mostly a check that finds nothing, done on bytes in C: several times faster than a
    # regex scan of a log's HTML. Lone surrogates do not encode, the forbidden C0 controls
    # are single bytes, and U+FFFE/U+FFFF start with EF BF in UTF-8 (as do U+FFC0-U+FFFD,
    # rare enough to take the regex too).
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return _NOT_XML_RE.sub("", text)
    if len(data.translate(None, _CONTROL_BYTES)) == len(data) and b"\xef\xbf" not in data:
        return text
    return _NOT_XML_RE.sub("", text)


def _require_absolute(url: str, what: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{what} must be an absolute http(s) URL, not {url!r}")


def _require_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must carry a time zone, not {moment.isoformat()}")


def _require_xml(text: str, what: str) -> None:
    if _NOT_XML_RE.search(text):
        raise ValueError(f"{what} holds characters XML cannot carry: {text!r}")


@dataclass(frozen=True)
class FeedEntry:
    """One entry (a log) in a feed.

    `content_html` is the full HTML with absolute links; leave it empty to publish
    only `summary` (plain text). `author` falls back to the feed's author.
    """

    id: str
    title: str
    url: str
    published: datetime
    updated: datetime
    content_html: str
    summary: str
    tags: tuple[str, ...] = ()
    author: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a feed entry needs an id")
        _require_xml(self.id, "an entry id")
        _require_absolute(self.url, f"entry {self.id!r}: url")
        _require_xml(self.url, f"entry {self.id!r}: url")
        _require_aware(self.published, f"entry {self.id!r}: published")
        _require_aware(self.updated, f"entry {self.id!r}: updated")


@dataclass(frozen=True)
class FeedMeta:
    """The feed itself.

    `site_url` is the HTML page the feed mirrors (the home page, or a tag's page for
    a tag feed); `feed_url` is the URL of the file being rendered (feed.xml, rss.xml
    or feed.json), so each format gets its own `FeedMeta`. `updated` overrides the
    newest entry's date; leave it None so the feed only changes when content does.
    """

    title: str
    site_url: str
    feed_url: str
    description: str
    language: str
    author: str
    updated: datetime | None = None
    icon: str | None = None

    def __post_init__(self) -> None:
        _require_absolute(self.site_url, "site_url")
        _require_absolute(self.feed_url, "feed_url")
        if self.icon is not None:
            _require_absolute(self.icon, "icon")
        if not self.author:
            raise ValueError("a feed needs an author name (Atom requires one)")
        if self.updated is not None:
            _require_aware(self.updated, "updated")


def tag_uri(site_url: str, day: date, specific: str) -> str:
    """A `tag:` URI (RFC 4151) that stays the same when paths or the scheme change.

    `tag_uri("https://asha.github.io/devlog/", date(2026, 11, 21), "log:lifetimes")`
    -> `tag:asha.github.io,2026-11-21:log:lifetimes`.
    """
    host = urlsplit(site_url).hostname
    if not host:
        raise ValueError(f"site_url must have a host, not {site_url!r}")
    return f"tag:{host},{day.isoformat()}:{specific}"


def _newest_first(entries: Sequence[FeedEntry], limit: int | None) -> list[FeedEntry]:
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise ValueError(f"two feed entries have the id {entry.id!r}")
        seen.add(entry.id)
    ordered = sorted(entries, key=lambda e: (e.published, e.id), reverse=True)
    return ordered if limit is None else ordered[:limit]


def _feed_updated(meta: FeedMeta, entries: Sequence[FeedEntry]) -> datetime:
    if meta.updated is not None:
        return _seconds(meta.updated)
    if entries:
        return _seconds(max(max(e.updated, e.published) for e in entries))
    return _EPOCH


def _seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _generator(meta: FeedMeta, updated: datetime, *, rss: bool) -> FeedGenerator:
    """A feedgen feed without entries."""
    generator = FeedGenerator()
    if rss:
        generator.load_extension("dc", atom=False, rss=True)
    generator.id(meta.feed_url)
    generator.title(xml_safe(meta.title))
    generator.description(xml_safe(meta.description) or xml_safe(meta.title))
    feed_type = "application/rss+xml" if rss else "application/atom+xml"
    generator.link(href=meta.feed_url, rel="self", type=feed_type)
    # feedgen makes the last link the RSS <link>: that must be the site, not the feed
    generator.link(href=meta.site_url, rel="alternate", type="text/html")
    generator.language(meta.language)
    generator.author(name=xml_safe(meta.author))
    generator.generator(GENERATOR, version=__version__)
    generator.updated(updated)
    if meta.icon:
        generator.icon(meta.icon)
        generator.image(url=meta.icon, title=xml_safe(meta.title), link=meta.site_url)
    return generator


class _AtomEntry(FeedgenEntry):  # type: ignore[misc]
    """A feedgen entry whose Atom `<entry>` element feedgen builds once: the site's feed
    and the feeds of the log's tags carry the same entry, and building the element costs
    several times more than copying it (about 50 µs against 12 µs for the benchmark
    corpus's 10 kB of HTML a log)."""

    _element: Any = None  # an lxml element

    def atom_entry(self, extensions: bool = True) -> Any:
        if self._element is None:
            self._element = super().atom_entry(extensions=extensions)
        # a copy for each feed: an element has one parent
        return copy.deepcopy(self._element)


def _feedgen_entry(entry: FeedEntry, author: str, *, rss: bool) -> FeedgenEntry:
    """`entry` as a feedgen entry for Atom or for RSS.

    Every entry carries the feed's author unless it has its own: in Atom for readers
    that do not inherit it; in RSS as `dc:creator`, as `<author>` must be an e-mail
    address. RSS's `<description>` is HTML: the plain-text summary goes in escaped, so
    that `Arc<Version>` shows as written instead of as a tag.
    """
    item = FeedgenEntry() if rss else _AtomEntry()
    title = xml_safe(entry.title)
    if rss:
        item.load_extension("dc", atom=False, rss=True)
        item.guid(entry.id, permalink=entry.id == entry.url)
    else:
        if not title:
            raise ValueError(f"entry {entry.id!r}: an Atom entry needs a title")
        item.id(entry.id)
    item.title(title)
    # feedgen 1.0 writes an Atom entry's link without rel and type; alternate is the default
    item.link(href=entry.url, rel="alternate", type="text/html")
    item.published(_seconds(entry.published))
    item.updated(_seconds(max(entry.updated, entry.published)))
    if entry.content_html:
        item.content(xml_safe(entry.content_html), type="html")
    if entry.summary:
        summary = xml_safe(entry.summary)
        item.summary(html.escape(summary, quote=False) if rss else summary)
    if entry.tags:  # in one call: feedgen checks all the categories again at each call
        item.category([{"term": xml_safe(tag)} for tag in dict.fromkeys(entry.tags)])
    name = xml_safe(entry.author or author)
    if rss:
        item.dc.dc_creator(name)
    else:
        item.author(name=name)
    if rss and not (title or item.description() or entry.content_html):
        raise ValueError(f"entry {entry.id!r}: an RSS item needs a title or a description")
    return item


class FeedWriter:
    """Writes Atom and RSS feeds with feedgen, making each entry's feedgen entry once.

    The feedgen entry of a `FeedEntry` is kept by id, format and feed author, and added
    again to the next feed that carries it while the entry is equal to the one it was
    made for (until `forget_unused` drops it). feedgen still writes each feed's XML,
    entries included.
    """

    def __init__(self) -> None:
        self._made: dict[tuple[str, str, bool], tuple[FeedEntry, FeedgenEntry]] = {}
        self._before: dict[tuple[str, str, bool], tuple[FeedEntry, FeedgenEntry]] = {}

    def forget_unused(self) -> None:
        """Start a new round: the entries that no feed written from now to the next call
        adds are dropped then. A writer kept from build to build (`serve`) so holds the
        entries of the last two rounds' feeds, not every entry it ever made."""
        self._before, self._made = self._made, {}

    def atom(
        self, meta: FeedMeta, entries: Sequence[FeedEntry], *, limit: int | None = None
    ) -> bytes:
        """An Atom 1.0 feed (`feed.xml`, `tags/<tag>/feed.xml`)."""
        generator = self._generator(meta, entries, limit, rss=False)
        data: bytes = generator.atom_str(pretty=True)
        return data

    def rss(
        self, meta: FeedMeta, entries: Sequence[FeedEntry], *, limit: int | None = None
    ) -> bytes:
        """An RSS 2.0 feed (`rss.xml`), with the full HTML in `content:encoded`."""
        generator = self._generator(meta, entries, limit, rss=True)
        data: bytes = generator.rss_str(pretty=True)
        return data

    def _generator(
        self, meta: FeedMeta, entries: Sequence[FeedEntry], limit: int | None, *, rss: bool
    ) -> FeedGenerator:
        ordered = _newest_first(entries, limit)
        generator = _generator(meta, _feed_updated(meta, ordered), rss=rss)
        for entry in ordered:
            key = (entry.id, meta.author, rss)
            known = self._made.get(key) or self._before.get(key)
            if known is None or not (known[0] is entry or known[0] == entry):
                known = (entry, _feedgen_entry(entry, meta.author, rss=rss))
            self._made[key] = known
            generator.add_entry(known[1], order="append")
        return generator


def _rfc3339(moment: datetime) -> str:
    return _seconds(moment).isoformat()


def render_json_feed(
    meta: FeedMeta, entries: Sequence[FeedEntry], *, limit: int | None = None
) -> bytes:
    """A JSON Feed 1.1 (`feed.json`), https://www.jsonfeed.org/version/1.1/."""
    ordered = _newest_first(entries, limit)
    feed: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": meta.title,
        "home_page_url": meta.site_url,
        "feed_url": meta.feed_url,
    }
    if meta.description:
        feed["description"] = meta.description
    if meta.icon:
        feed["icon"] = meta.icon
        feed["favicon"] = meta.icon
    feed["authors"] = [{"name": meta.author}]
    feed["language"] = meta.language
    feed["items"] = [_json_item(entry) for entry in ordered]
    # "<" only occurs inside JSON strings; escaping it means no "</script>" or "<!--"
    # ever appears, should the file be embedded in or sniffed as HTML
    text = json.dumps(feed, ensure_ascii=False, indent=2).replace("<", "\\u003c")
    return (text + "\n").encode("utf-8")


def _json_item(entry: FeedEntry) -> dict[str, object]:
    item: dict[str, object] = {"id": entry.id, "url": entry.url, "title": entry.title}
    if entry.content_html:
        item["content_html"] = entry.content_html
    else:
        item["content_text"] = entry.summary
    if entry.summary:
        item["summary"] = entry.summary
    item["date_published"] = _rfc3339(entry.published)
    item["date_modified"] = _rfc3339(max(entry.updated, entry.published))
    if entry.tags:
        item["tags"] = list(dict.fromkeys(entry.tags))
    if entry.author:
        item["authors"] = [{"name": entry.author}]
    return item
