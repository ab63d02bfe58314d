"""Render stage: the XML of one feed entry, an Atom `<entry>` or an RSS `<item>`, as bytes.

A log sits in the site's feeds and in the feed of each of its tags, and its entry is the
same in all of them: `feeds.FeedWriter` writes it once with these functions and splices
the bytes into every feed that carries it (feedgen still writes each feed's head).

The bytes are exactly what feedgen and lxml wrote for the same entry (pretty-printed,
indented for its depth in the feed; the feed's root declares the `content:` and `dc:`
prefixes), so feeds did not change when entries stopped going through lxml. That means
escaping as libxml2 does: in text `&`, `<`, `>` and carriage returns; in attribute values
also `"`, tabs and newlines. Text XML 1.0 cannot carry (control characters pasted into a
log, lone surrogates, U+FFFE/U+FFFF) is dropped; an id or URL that holds such text is
refused (lxml refused control characters there too). tests/test_feed_xml.py compares
whole feeds with feedgen's for text that needs all of this.

Why not feedgen once per entry: its entry API plus lxml's element building took about
110 µs per entry of the benchmark corpus (10 kB of HTML), this about 30 µs, most of it
escaping the HTML.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tamatar_site.render.feeds import FeedEntry

__all__ = ["atom_entry", "rfc822", "rss_item", "xml_safe"]

# Characters XML 1.0 forbids (C0 controls except tab/newline/CR, lone surrogates, FFFE/FFFF).
_NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_NOT_XML_RE = re.compile(f"[{_NOT_XML}]")
# The forbidden characters that UTF-8 writes as one byte each (no multi-byte sequence
# holds a byte below 0x80), and U+FFFE/U+FFFF in UTF-8.
_CONTROL_BYTES = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))
_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")
# What makes a text need more than encoding: the above and what XML escapes.
_TEXT_SPECIAL_RE = re.compile(f"[&<>\r{_NOT_XML}]")
_SHORT = 1024  # characters: a regex scan is cheaper below, bytes methods above
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry."""
    if text.isascii():  # constant time; then one pass in C instead of a regex scan
        data = text.encode("ascii")
        if len(data.translate(None, _CONTROL_BYTES)) == len(data):
            return text
    return _NOT_XML_RE.sub("", text)


def _safe_utf8(text: str) -> bytes:
    """`xml_safe(text)` in UTF-8, mostly without a regex scan of `text`."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return _NOT_XML_RE.sub("", text).encode("utf-8")
    if not text.isascii() and any(nonchar in data for nonchar in _NONCHARACTERS):
        return _NOT_XML_RE.sub("", text).encode("utf-8")
    return data.translate(None, _CONTROL_BYTES)


def _escape_text(data: bytes) -> bytes:
    """UTF-8 text as libxml2 writes it in an element."""
    if b"&" in data:
        data = data.replace(b"&", b"&amp;")
    if b"<" in data:
        data = data.replace(b"<", b"&lt;")
    if b">" in data:
        data = data.replace(b">", b"&gt;")
    if b"\r" in data:
        data = data.replace(b"\r", b"&#13;")
    return data


def _escape_attribute(data: bytes) -> bytes:
    """UTF-8 text as libxml2 writes it in a double-quoted attribute value."""
    data = _escape_text(data)
    if b'"' in data:
        data = data.replace(b'"', b"&quot;")
    if b"\n" in data:
        data = data.replace(b"\n", b"&#10;")
    if b"\t" in data:
        data = data.replace(b"\t", b"&#9;")
    return data


def _text(text: str) -> bytes:
    """`xml_safe(text)` escaped for an element, in UTF-8."""
    # One regex scan answers for a short text; a long one (the HTML) is faster in bytes.
    if len(text) < _SHORT and _TEXT_SPECIAL_RE.search(text) is None:
        return text.encode("utf-8")
    return _escape_text(_safe_utf8(text))


def _checked(text: str, what: str) -> bytes:
    """`text` (an id or URL, written as it is) in UTF-8; ValueError if XML cannot carry it."""
    if _NOT_XML_RE.search(text):
        raise ValueError(f"{what} holds characters XML cannot carry: {text!r}")
    return text.encode("utf-8")


def _element(indent: bytes, name: bytes, text: bytes) -> bytes:
    """`<name>text</name>` on its own line; lxml writes `<name></name>` for empty text."""
    return b"%s<%s>%s</%s>\n" % (indent, name, text, name)


def _date(moment: datetime) -> bytes:
    return moment.replace(microsecond=0).isoformat().encode("ascii")


# A site has a few authors and tags for many entries: their XML is written once.
@functools.lru_cache(maxsize=64)
def _atom_author(name: str) -> bytes:
    text = _text(name)
    if not text:  # feedgen leaves out an author without a name
        return b""
    return b"    <author>\n      <name>%s</name>\n    </author>\n" % text


@functools.lru_cache(maxsize=64)
def _rss_creator(name: str) -> bytes:
    return _element(b"      ", b"dc:creator", _text(name))


@functools.lru_cache(maxsize=4096)
def _atom_category(tag: str) -> bytes:
    return b'    <category term="%s"/>\n' % _escape_attribute(_safe_utf8(tag))


@functools.lru_cache(maxsize=4096)
def _rss_category(tag: str) -> bytes:
    return _element(b"      ", b"category", _text(tag))


def rfc822(moment: datetime) -> str:
    """`moment` as RSS dates want it (`Sat, 21 Nov 2026 21:30:00 +0530`), in English
    whatever the locale, without touching the process's locale."""
    return (
        f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} "
        + moment.strftime("%Y %H:%M:%S %z")
    )


def atom_entry(entry: FeedEntry, default_author: str) -> bytes:
    """The `<entry>` of an Atom feed, indented for its place under `<feed>`."""
    title = _text(entry.title)
    if not title:
        raise ValueError(f"entry {entry.id!r}: an Atom entry needs a title")
    url = _escape_attribute(_checked(entry.url, f"entry {entry.id!r}: url"))
    parts = [
        b"  <entry>\n",
        _element(b"    ", b"id", _escape_text(_checked(entry.id, "an entry id"))),
        _element(b"    ", b"title", title),
        _element(b"    ", b"updated", _date(max(entry.updated, entry.published))),
        _atom_author(entry.author or default_author),
    ]
    if entry.content_html:
        content = _text(entry.content_html)
        if content:
            parts += (b'    <content type="html">', content, b"</content>\n")
        else:
            parts.append(b'    <content type="html"/>\n')
    # feedgen 1.0 drops an entry link's rel and type (its loop variable shadows them);
    # rel="alternate" is Atom's default, so the link means the same
    parts.append(b'    <link href="%s"/>\n' % url)
    if entry.summary:
        summary = _text(entry.summary)
        parts.append(_element(b"    ", b"summary", summary) if summary else b"    <summary/>\n")
    parts += map(_atom_category, dict.fromkeys(entry.tags))
    parts.append(_element(b"    ", b"published", _date(entry.published)))
    parts.append(b"  </entry>\n")
    return b"".join(parts)


def rss_item(entry: FeedEntry, default_author: str) -> bytes:
    """The `<item>` of an RSS 2.0 feed, indented for its place under `<channel>`.

    The summary is the `<description>` and the HTML goes in `<content:encoded>`; with
    only one of them, it is the `<description>`.
    """
    title = _text(entry.title)
    content = _text(entry.content_html) if entry.content_html else None
    summary = _text(entry.summary) if entry.summary else None
    if not title and summary is None and content is None:
        raise ValueError(f"entry {entry.id!r}: an RSS item needs a title or a description")
    parts = [b"    <item>\n"]
    if title:
        parts.append(_element(b"      ", b"title", title))
    url = _escape_text(_checked(entry.url, f"entry {entry.id!r}: url"))
    parts.append(_element(b"      ", b"link", url))
    if summary and content is not None:
        parts.append(_element(b"      ", b"description", summary))
        parts += (b"      <content:encoded>", content, b"</content:encoded>\n")
    elif summary:
        parts.append(_element(b"      ", b"description", summary))
    elif content is not None:
        parts += (b"      <description>", content, b"</description>\n")
    permalink = b"true" if entry.id == entry.url else b"false"
    guid = _escape_text(_checked(entry.id, "an entry id"))
    parts.append(b'      <guid isPermaLink="%s">%s</guid>\n' % (permalink, guid))
    parts += map(_rss_category, dict.fromkeys(entry.tags))
    parts.append(_element(b"      ", b"pubDate", rfc822(entry.published).encode("ascii")))
    parts.append(_rss_creator(entry.author or default_author))
    parts.append(b"    </item>\n")
    return b"".join(parts)
