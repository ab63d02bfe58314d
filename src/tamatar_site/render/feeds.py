"""Render stage: Atom (RFC 4287) and RSS 2.0 feeds with feedgen, and JSON Feed 1.1.

All three take the same `FeedMeta` and `FeedEntry` values and return bytes:

- Entries come out newest first (by `published`, then `id`), `limit` of them.
- Output is byte-identical for the same input: feedgen stamps the wall clock into
  `<updated>`/`<lastBuildDate>` and its own name into `<generator>`; here they come
  from the entries (or `FeedMeta.updated`) and from tamatar's version.
- Ids are the caller's and must never change between builds: a permalink or a
  `tag:` URI (`tag_uri()`). In RSS, `<guid isPermaLink="true">` only when the id is
  the entry's full URL.
- Atom has `<link rel="self">`, RSS has `<atom:link rel="self">`.
- Text that XML 1.0 cannot carry (control characters pasted into a log) is dropped,
  so a stray form feed never breaks a build or a feed reader.

feedgen writes each feed's head (the `<feed>` or `<channel>` element and its children);
the entries are written by `feed_xml`, byte for byte as feedgen would, and spliced in.
A `FeedWriter` writes the entry of a log once for all the feeds that carry it (a build
renders the site's feeds and one per tag with one writer); `render_atom` and
`render_rss` use a new writer each time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from tamatar_site import __version__
from tamatar_site.render.feed_xml import atom_entry, rss_item, xml_safe

__all__ = [
    "JSON_FEED_VERSION",
    "FeedEntry",
    "FeedMeta",
    "FeedWriter",
    "render_atom",
    "render_json_feed",
    "render_rss",
    "tag_uri",
    "xml_safe",
]

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "tamatar"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Where the entries go in the head feedgen writes for a feed without entries.
_ATOM_TAIL = b"</feed>\n"
_RSS_TAIL = b"  </channel>\n</rss>\n"


def _require_absolute(url: str, what: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{what} must be an absolute http(s) URL, not {url!r}")


def _require_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must carry a time zone, not {moment.isoformat()}")


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
        _require_absolute(self.url, f"entry {self.id!r}: url")
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
    """A feedgen feed without entries: its head."""
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


class FeedWriter:
    """Writes Atom and RSS feeds that share entries, each entry's XML once.

    Every entry carries the feed's author unless it has its own (in Atom for readers
    that do not inherit it; in RSS as `dc:creator`, as `<author>` must be an e-mail
    address). The XML of an entry is kept by id, format and author, and used again
    while the entry is equal to the one it was written for.
    """

    def __init__(self) -> None:
        self._written: dict[tuple[str, str, bool], tuple[FeedEntry, bytes]] = {}

    def atom(
        self, meta: FeedMeta, entries: Sequence[FeedEntry], *, limit: int | None = None
    ) -> bytes:
        """An Atom 1.0 feed (`feed.xml`, `tags/<tag>/feed.xml`)."""
        ordered = _newest_first(entries, limit)
        head: bytes = _generator(meta, _feed_updated(meta, ordered), rss=False).atom_str(
            pretty=True
        )
        return self._splice(head, _ATOM_TAIL, meta.author, ordered, rss=False)

    def rss(
        self, meta: FeedMeta, entries: Sequence[FeedEntry], *, limit: int | None = None
    ) -> bytes:
        """An RSS 2.0 feed (`rss.xml`), with the full HTML in `content:encoded`."""
        ordered = _newest_first(entries, limit)
        head: bytes = _generator(meta, _feed_updated(meta, ordered), rss=True).rss_str(pretty=True)
        return self._splice(head, _RSS_TAIL, meta.author, ordered, rss=True)

    def _splice(
        self, head: bytes, tail: bytes, author: str, entries: list[FeedEntry], *, rss: bool
    ) -> bytes:
        if not head.endswith(tail):  # a feedgen or lxml that writes feeds differently
            raise RuntimeError(f"feedgen's feed does not end with {tail!r}: {head[-80:]!r}")
        write: Callable[[FeedEntry, str], bytes] = rss_item if rss else atom_entry
        parts = [head[: -len(tail)]]
        for entry in entries:
            key = (entry.id, author, rss)
            known = self._written.get(key)
            if known is None or not (known[0] is entry or known[0] == entry):
                known = self._written[key] = (entry, write(entry, author))
            parts.append(known[1])
        parts.append(tail)
        return b"".join(parts)


def render_atom(meta: FeedMeta, entries: Sequence[FeedEntry], *, limit: int | None = None) -> bytes:
    """An Atom 1.0 feed (`feed.xml`, `tags/<tag>/feed.xml`)."""
    return FeedWriter().atom(meta, entries, limit=limit)


def render_rss(meta: FeedMeta, entries: Sequence[FeedEntry], *, limit: int | None = None) -> bytes:
    """An RSS 2.0 feed (`rss.xml`), with the full HTML in `content:encoded`."""
    return FeedWriter().rss(meta, entries, limit=limit)


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
