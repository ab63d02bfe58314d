"""Sitemap.xml, robots.txt and following.opml.

Built with `xml.etree.ElementTree`, which escapes text and attributes; URLs must be
absolute (sitemaps and OPML are read by programs that know nothing of the base path).
Output is deterministic: entries keep the caller's order and no dates are invented.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Protocol
from urllib.parse import urlsplit
from xml.sax.saxutils import escape  # element text, escaped as ElementTree does

from tamatar_site.render.documents.feeds import xml_safe

__all__ = [
    "SITEMAP_NAMESPACE",
    "FollowedSite",
    "render_opml",
    "render_robots",
    "render_sitemap",
    "render_sitemaps",
]

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_MAX_URLS = 50_000  # sitemaps.org: a larger site needs a sitemap index


class FollowedSite(Protocol):
    """Someone the site owner follows (config's `following:` entries fit)."""

    @property
    def name(self) -> str: ...
    @property
    def url(self) -> object: ...
    @property
    def feed(self) -> object | None: ...


def _absolute(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"expected an absolute http(s) URL, not {url!r}")
    return url


def _lastmod(moment: date) -> str:
    if isinstance(moment, datetime):
        if moment.utcoffset() is None:
            raise ValueError(f"lastmod must carry a time zone, not {moment.isoformat()}")
        return moment.replace(microsecond=0).isoformat()
    return moment.isoformat()


def _to_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def render_sitemap(urls: Sequence[tuple[str, date | None]]) -> bytes:
    """A sitemaps.org `sitemap.xml`: one `<url>` per (absolute URL, last modified or None).

    A URL listed twice is written once (its first `lastmod` wins).
    """
    seen: set[str] = set()
    lines = [f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP_NAMESPACE}\">"]
    for url, modified in urls:
        if url in seen:
            continue
        seen.add(url)
        # The same text ElementTree writes (indented by ET.indent), without building a
        # tree of 3 elements per page: a 10,000-log site has 12,000 URLs.
        lines.append(f"  <url>\n    <loc>{escape(_absolute(url))}</loc>")
        if modified is not None:
            lines.append(f"    <lastmod>{_lastmod(modified)}</lastmod>")
        lines.append("  </url>")
    if len(seen) > SITEMAP_MAX_URLS:
        raise ValueError(f"a sitemap holds at most {SITEMAP_MAX_URLS} URLs, not {len(seen)}")
    if not seen:
        return _to_bytes(ET.Element("urlset", xmlns=SITEMAP_NAMESPACE))
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def render_sitemaps(
    urls: Sequence[tuple[str, date | None]], abs_url: Callable[[str], str]
) -> list[tuple[str, bytes]]:
    """`sitemap.xml`, or for a site of more than 50,000 pages a sitemap index at that path
    and numbered sitemaps (`sitemap-1.xml`, ...) of at most 50,000 URLs each.

    Args:
        urls: (absolute URL, last modified or None), in the order to write them.
        abs_url: turns a site-relative path (`sitemap-1.xml`) into an absolute URL.
    """
    first: dict[str, date | None] = {}
    for url, modified in urls:
        first.setdefault(url, modified)  # a URL listed twice keeps its first lastmod
    unique = list(first.items())
    if len(unique) <= SITEMAP_MAX_URLS:
        return [("sitemap.xml", render_sitemap(unique))]
    parts: list[tuple[str, bytes]] = []
    for number, start in enumerate(range(0, len(unique), SITEMAP_MAX_URLS), 1):
        chunk = unique[start : start + SITEMAP_MAX_URLS]
        parts.append((f"sitemap-{number}.xml", render_sitemap(chunk)))
    lines = [
        "<?xml version='1.0' encoding='utf-8'?>",
        f'<sitemapindex xmlns="{SITEMAP_NAMESPACE}">',
    ]
    for path, _ in parts:
        loc = escape(_absolute(abs_url(path)))
        lines.append(f"  <sitemap>\n    <loc>{loc}</loc>\n  </sitemap>")
    lines.append("</sitemapindex>\n")
    return [("sitemap.xml", "\n".join(lines).encode("utf-8")), *parts]


def render_robots(sitemap_url: str) -> str:
    """`robots.txt`: everything may be crawled; where the sitemap is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {_absolute(sitemap_url)}\n"


def render_opml(title: str, entries: Sequence[FollowedSite]) -> bytes:
    """OPML 2.0 (`following.opml`) that feed readers import as subscriptions.

    People with a feed become `type="rss"` outlines; people without one become
    `type="link"` outlines, which readers skip but the blogroll keeps.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = xml_safe(title)
    body = ET.SubElement(root, "body")
    for entry in entries:
        name = xml_safe(entry.name)
        site = _absolute(str(entry.url))
        if entry.feed is not None:
            ET.SubElement(
                body,
                "outline",
                type="rss",
                text=name,
                title=name,
                xmlUrl=_absolute(str(entry.feed)),
                htmlUrl=site,
            )
        else:
            ET.SubElement(body, "outline", type="link", text=name, title=name, url=site)
    return _to_bytes(root)
