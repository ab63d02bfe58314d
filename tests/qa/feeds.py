"""Feed checks: feedparser (`bozo == 0`) plus the RSS 2.0, RFC 4287 and JSON Feed 1.1 rules
that feed readers depend on.

For every Atom and RSS file: it parses without error, every entry has a title, link, id
and date, ids are unique, entries are newest first, links are absolute. Atom: the feed
has id/title/updated, a rel="self" link and an author (on the feed or on every entry).
RSS: the channel has title/link/description, a `guid` that is a permalink is a full URL,
dates are RFC 822. JSON Feed: the version URL, and each item's id/url/title/date/content.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from time import struct_time
from typing import Any
from urllib.parse import urlsplit

import feedparser  # type: ignore[import-untyped]

ATOM = "{http://www.w3.org/2005/Atom}"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass
class FeedReport:
    """One feed file: its format, how many entries it has, and what is wrong with it."""

    path: str
    format: str
    entries: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.path}: {message}")


def _is_absolute_url(value: object) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def find_feeds(directory: Path) -> list[Path]:
    """Every Atom/RSS (.xml) and JSON Feed (.json) file in a built site, sorted."""
    feeds: list[Path] = []
    for path in sorted(directory.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".xml":
            head = path.read_bytes()[:2000]
            if b"<feed" in head or b"<rss" in head:
                feeds.append(path)
        elif path.suffix == ".json" and b"jsonfeed.org/version" in path.read_bytes()[:2000]:
            feeds.append(path)
    return feeds


def check_feed(path: Path, directory: Path) -> FeedReport:
    """Check one feed file (Atom, RSS 2.0 or JSON Feed, chosen by its content)."""
    relative = path.relative_to(directory).as_posix()
    data = path.read_bytes()
    if path.suffix == ".json":
        return _check_json_feed(relative, data)
    report = FeedReport(relative, "xml")
    parsed = feedparser.parse(data)
    if parsed.bozo:
        report.problem(f"feedparser bozo: {parsed.bozo_exception!r}")
    report.format = str(parsed.version or "unknown")
    if parsed.version not in ("atom10", "rss20"):
        report.problem(f"expected Atom 1.0 or RSS 2.0, feedparser says {parsed.version!r}")
    if not parsed.feed.get("title"):
        report.problem("the feed has no title")
    report.entries = len(parsed.entries)
    _check_parsed_entries(report, parsed.entries)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        report.problem(f"not well-formed XML: {error}")
        return report
    if root.tag == f"{ATOM}feed":
        _check_atom_structure(report, root)
    elif root.tag == "rss":
        _check_rss_structure(report, root)
    return report


def _check_parsed_entries(report: FeedReport, entries: list[Any]) -> None:
    seen_ids: set[str] = set()
    dates: list[struct_time] = []
    for index, entry in enumerate(entries, start=1):
        label = f"entry {index} ({entry.get('title', '?')!r})"
        for key in ("title", "link", "id"):
            if not entry.get(key):
                report.problem(f"{label} has no {key}")
        if not _is_absolute_url(entry.get("link")):
            report.problem(f"{label} link is not an absolute URL: {entry.get('link')!r}")
        date = entry.get("published_parsed") or entry.get("updated_parsed")
        if date is None:
            report.problem(f"{label} has no date")
        else:
            dates.append(date)
        entry_id = entry.get("id", "")
        if entry_id in seen_ids:
            report.problem(f"{label} repeats the id {entry_id!r}")
        seen_ids.add(entry_id)
    if dates != sorted(dates, reverse=True):
        report.problem("entries are not ordered newest first")


def _check_atom_structure(report: FeedReport, root: ET.Element) -> None:
    for name in ("id", "title", "updated"):
        if len(root.findall(f"{ATOM}{name}")) != 1:
            report.problem(f"the feed must have exactly one <{name}> (RFC 4287 4.1.1)")
    self_links = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    if not self_links or not _is_absolute_url(self_links[0].get("href")):
        report.problem('the feed has no absolute <link rel="self">')
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    for index, entry in enumerate(root.findall(f"{ATOM}entry"), start=1):
        for name in ("id", "title", "updated"):
            if len(entry.findall(f"{ATOM}{name}")) != 1:
                report.problem(f"entry {index} must have exactly one <{name}>")
        entry_id = (entry.findtext(f"{ATOM}id") or "").strip()
        if ":" not in entry_id:
            report.problem(f"entry {index} id is not an IRI: {entry_id!r}")
        if not feed_has_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            report.problem(f"entry {index} has no author and the feed has none (RFC 4287 4.1.1)")
        for link in entry.findall(f"{ATOM}link"):
            if not _is_absolute_url(link.get("href")):
                report.problem(f"entry {index} link is not absolute: {link.get('href')!r}")


def _check_rss_structure(report: FeedReport, root: ET.Element) -> None:
    if root.get("version") != "2.0":
        report.problem(f'<rss version="2.0"> expected, got {root.get("version")!r}')
    channel = root.find("channel")
    if channel is None:
        report.problem("no <channel>")
        return
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            report.problem(f"the channel has no <{name}> (RSS 2.0 requires it)")
    if not _is_absolute_url((channel.findtext("link") or "").strip()):
        report.problem("the channel <link> is not an absolute URL")
    for index, item in enumerate(channel.findall("item"), start=1):
        guid = item.find("guid")
        is_permalink = guid is not None and guid.get("isPermaLink", "true") != "false"
        if is_permalink and guid is not None and not _is_absolute_url((guid.text or "").strip()):
            report.problem(f"item {index} guid is a permalink but not a full URL")
        link = (item.findtext("link") or "").strip()
        if link and not _is_absolute_url(link):
            report.problem(f"item {index} <link> is not an absolute URL: {link!r}")
        pub_date = item.findtext("pubDate")
        if pub_date is not None:
            try:
                parsedate_to_datetime(pub_date)
            except (TypeError, ValueError):
                report.problem(f"item {index} pubDate is not RFC 822: {pub_date!r}")


def _parse_rfc3339(value: object) -> datetime | None:
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _check_json_feed(relative: str, data: bytes) -> FeedReport:
    report = FeedReport(relative, "json")
    try:
        feed = json.loads(data)
    except json.JSONDecodeError as error:
        report.problem(f"not JSON: {error}")
        return report
    if feed.get("version") != JSON_FEED_VERSION:
        report.problem(f"version must be {JSON_FEED_VERSION!r}, got {feed.get('version')!r}")
    report.format = "json1.1"
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        report.problem("the feed has no title")
    for key in ("home_page_url", "feed_url"):
        if not _is_absolute_url(feed.get(key)):
            report.problem(f"{key} is missing or not an absolute URL: {feed.get(key)!r}")
    items = feed.get("items")
    if not isinstance(items, list):
        report.problem("items is not a list")
        return report
    report.entries = len(items)
    seen_ids: set[str] = set()
    dates: list[datetime] = []
    for index, item in enumerate(items, start=1):
        label = f"item {index} ({item.get('title', '?')!r})"
        if not isinstance(item.get("id"), str) or not item["id"]:
            report.problem(f"{label} has no string id")
        elif item["id"] in seen_ids:
            report.problem(f"{label} repeats the id {item['id']!r}")
        else:
            seen_ids.add(item["id"])
        if not _is_absolute_url(item.get("url")):
            report.problem(f"{label} url is missing or not absolute: {item.get('url')!r}")
        if not item.get("title"):
            report.problem(f"{label} has no title")
        if not (item.get("content_html") or item.get("content_text")):
            report.problem(f"{label} has neither content_html nor content_text")
        published = _parse_rfc3339(item.get("date_published"))
        if published is None:
            report.problem(
                f"{label} date_published is not RFC 3339: {item.get('date_published')!r}"
            )
        else:
            dates.append(published)
    if dates != sorted(dates, reverse=True):
        report.problem("items are not ordered newest first")
    return report


def check_feeds(directory: Path) -> list[FeedReport]:
    """Check every feed of a built site."""
    return [check_feed(path, directory) for path in find_feeds(directory)]
