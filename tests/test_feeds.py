"""Tests for render/feeds.py: Atom, RSS 2.0 and JSON Feed 1.1 read back by feedparser."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from qa.feeds import check_feed

from tamatar_site import __version__
from tamatar_site.render.feeds import (
    JSON_FEED_VERSION,
    FeedEntry,
    FeedMeta,
    render_atom,
    render_json_feed,
    render_rss,
    tag_uri,
)

IST = timezone(timedelta(hours=5, minutes=30))
SITE = "https://asha.github.io/devlog/"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '<script>alert("x")</script> & \'quotes\' "too" ]]>'


def meta(feed: str = "feed.xml", **changes: Any) -> FeedMeta:
    fields: dict[str, Any] = {
        "title": "Asha Rao — learning in public",
        "site_url": SITE,
        "feed_url": SITE + feed,
        "description": "Daily notes on Rust & databases",
        "language": "en",
        "author": "Asha Rao",
    }
    fields.update(changes)
    return FeedMeta(**fields)


def entry(day: int, slug: str, **changes: Any) -> FeedEntry:
    url = f"{SITE}logs/2026/11/{day:02d}/{slug}/"
    fields: dict[str, Any] = {
        "id": url,
        "title": f"Log {slug}",
        "url": url,
        "published": datetime(2026, 11, day, 21, 30, tzinfo=IST),
        "updated": datetime(2026, 11, day, 21, 30, tzinfo=IST),
        "content_html": f'<p>About <a href="{SITE}tags/rust/">rust</a> &amp; {slug}.</p>',
        "summary": f"About rust & {slug}.",
        "tags": ("rust", "learning"),
    }
    fields.update(changes)
    return FeedEntry(**fields)


@pytest.fixture
def entries() -> list[FeedEntry]:
    # given oldest first and out of order: the feeds sort them
    return [
        entry(19, "parsers"),
        entry(21, "lifetimes", updated=datetime(2026, 11, 22, 8, 0, 5, 123456, tzinfo=IST)),
        entry(20, "borrowck", id=tag_uri(SITE, date(2026, 11, 20), "log:borrowck")),
    ]


NEWEST_FIRST = ["lifetimes", "borrowck", "parsers"]


def slugs_of(links: list[str]) -> list[str]:
    return [link.rstrip("/").rsplit("/", 1)[1] for link in links]


def entry_links(data: bytes) -> list[str]:
    if data.startswith(b"{"):
        return [item["url"] for item in json.loads(data)["items"]]
    return [item.link for item in feedparser.parse(data).entries]


def write_and_check(tmp_path: Path, name: str, data: bytes) -> None:
    """The shared QA feed checker (also used on built sites) finds nothing wrong."""
    path = tmp_path / name
    path.write_bytes(data)
    report = check_feed(path, tmp_path)
    assert report.problems == []


# --- Atom ------------------------------------------------------------------------------------


def test_atom_parses_cleanly_with_complete_entries_newest_first(
    tmp_path: Path, entries: list[FeedEntry]
) -> None:
    data = render_atom(meta(), entries)
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Asha Rao — learning in public"
    assert slugs_of([e.link for e in parsed.entries]) == NEWEST_FIRST
    for item in parsed.entries:
        assert item.title.startswith("Log ")
        assert item.link.startswith(SITE)
        assert item.id
        assert item.published_parsed and item.updated_parsed
        assert item.author == "Asha Rao"  # inherited from the feed
        assert [t.term for t in item.tags] == ["rust", "learning"]
        assert item.content[0].type == "text/html"
        assert (
            '<a href="https://asha.github.io/devlog/tags/rust/">rust</a>' in item.content[0].value
        )
    assert parsed.entries[1].id == "tag:asha.github.io,2026-11-20:log:borrowck"
    write_and_check(tmp_path, "feed.xml", data)


def test_atom_feed_element(entries: list[FeedEntry]) -> None:
    root = ET.fromstring(render_atom(meta(), entries))
    assert root.findtext(f"{ATOM}id") == SITE + "feed.xml"
    links = {link.get("rel"): link.attrib for link in root.findall(f"{ATOM}link")}
    assert links["self"] == {
        "href": SITE + "feed.xml",
        "rel": "self",
        "type": "application/atom+xml",
    }
    assert links["alternate"]["href"] == SITE
    # the feed's date is the newest change among the entries, seconds only
    assert root.findtext(f"{ATOM}updated") == "2026-11-22T08:00:05+05:30"
    generator = root.find(f"{ATOM}generator")
    assert generator is not None
    assert (generator.text, generator.get("version")) == ("tamatar", __version__)
    assert root.findtext(f"{ATOM}subtitle") == "Daily notes on Rust & databases"


# --- RSS -------------------------------------------------------------------------------------


def test_rss_parses_cleanly_with_complete_items_newest_first(
    tmp_path: Path, entries: list[FeedEntry]
) -> None:
    data = render_rss(meta("rss.xml"), entries)
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0
    assert parsed.version == "rss20"
    assert parsed.feed.link == SITE
    assert slugs_of([e.link for e in parsed.entries]) == NEWEST_FIRST
    for item in parsed.entries:
        assert item.title and item.link and item.id and item.published_parsed
        assert item.author == "Asha Rao"  # dc:creator: RSS <author> wants an e-mail
    write_and_check(tmp_path, "rss.xml", data)


def test_rss_guid_is_a_permalink_only_when_it_is_the_url(entries: list[FeedEntry]) -> None:
    channel = ET.fromstring(render_rss(meta("rss.xml"), entries)).find("channel")
    assert channel is not None
    guids = [(g.text, g.get("isPermaLink")) for g in channel.iter("guid")]
    assert guids == [
        (SITE + "logs/2026/11/21/lifetimes/", "true"),
        ("tag:asha.github.io,2026-11-20:log:borrowck", "false"),
        (SITE + "logs/2026/11/19/parsers/", "true"),
    ]


def test_rss_channel_dates_and_self_link(entries: list[FeedEntry]) -> None:
    channel = ET.fromstring(render_rss(meta("rss.xml"), entries)).find("channel")
    assert channel is not None
    assert channel.findtext("link") == SITE
    self_link = channel.find(f"{ATOM}link")
    assert self_link is not None
    assert self_link.attrib == {
        "href": SITE + "rss.xml",
        "rel": "self",
        "type": "application/rss+xml",
    }
    assert channel.findtext("lastBuildDate") == "Sun, 22 Nov 2026 08:00:05 +0530"
    pub_dates = [item.findtext("pubDate") for item in channel.iter("item")]
    assert pub_dates[0] == "Sat, 21 Nov 2026 21:30:00 +0530"
    assert parsedate_to_datetime(str(pub_dates[2])) == datetime(2026, 11, 19, 16, 0, tzinfo=UTC)
    assert channel.findtext("generator") == "tamatar"


def test_rss_carries_full_content_and_a_plain_description(entries: list[FeedEntry]) -> None:
    item = ET.fromstring(render_rss(meta("rss.xml"), entries)).find("channel/item")
    assert item is not None
    assert item.findtext("description") == "About rust & lifetimes."
    content = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert content == f'<p>About <a href="{SITE}tags/rust/">rust</a> &amp; lifetimes.</p>'


# --- JSON Feed -------------------------------------------------------------------------------


def test_json_feed(tmp_path: Path, entries: list[FeedEntry]) -> None:
    data = render_json_feed(meta("feed.json", icon=SITE + "icon.png"), entries)
    feed = json.loads(data)
    assert feed["version"] == JSON_FEED_VERSION == "https://jsonfeed.org/version/1.1"
    assert feed["home_page_url"] == SITE
    assert feed["feed_url"] == SITE + "feed.json"
    assert feed["authors"] == [{"name": "Asha Rao"}]
    assert feed["language"] == "en"
    assert feed["icon"] == SITE + "icon.png"
    items = feed["items"]
    assert slugs_of([i["url"] for i in items]) == NEWEST_FIRST
    assert items[0] == {
        "id": SITE + "logs/2026/11/21/lifetimes/",
        "url": SITE + "logs/2026/11/21/lifetimes/",
        "title": "Log lifetimes",
        "content_html": f'<p>About <a href="{SITE}tags/rust/">rust</a> &amp; lifetimes.</p>',
        "summary": "About rust & lifetimes.",
        "date_published": "2026-11-21T21:30:00+05:30",
        "date_modified": "2026-11-22T08:00:05+05:30",
        "tags": ["rust", "learning"],
    }
    for item in items:
        datetime.fromisoformat(item["date_published"])  # RFC 3339
    assert data.endswith(b"}\n")
    write_and_check(tmp_path, "feed.json", data)


def test_summary_only_entries() -> None:
    short = entry(21, "lifetimes", content_html="")
    feed = json.loads(render_json_feed(meta("feed.json"), [short]))
    assert feed["items"][0]["content_text"] == "About rust & lifetimes."
    assert "content_html" not in feed["items"][0]
    parsed = feedparser.parse(render_atom(meta(), [short]))
    assert parsed.bozo == 0
    assert parsed.entries[0].summary == "About rust & lifetimes."
    assert "content" not in parsed.entries[0]


# --- the same input, the same bytes ----------------------------------------------------------

RENDERERS = [render_atom, render_rss, render_json_feed]


@pytest.mark.parametrize("render", RENDERERS)
def test_output_is_byte_identical_whatever_the_input_order(
    render: Any, entries: list[FeedEntry]
) -> None:
    first = render(meta(), entries)
    assert render(meta(), list(reversed(entries))) == first
    assert render(meta(), entries) == first


DATE_TAGS = {f"{ATOM}updated", f"{ATOM}published", "lastBuildDate", "pubDate"}


@pytest.mark.parametrize("render", [render_atom, render_rss])
def test_no_wall_clock_dates(render: Any) -> None:
    moment = datetime(2019, 3, 3, tzinfo=UTC)
    old = [entry(3, "a", published=moment, updated=moment)]
    root = ET.fromstring(render(meta(), old))
    dates = {str(e.text) for e in root.iter() if e.tag in DATE_TAGS}
    assert dates in ({"2019-03-03T00:00:00+00:00"}, {"Sun, 03 Mar 2019 00:00:00 +0000"})


def test_meta_updated_overrides_the_entries(entries: list[FeedEntry]) -> None:
    fixed = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    root = ET.fromstring(render_atom(meta(updated=fixed), entries))
    assert root.findtext(f"{ATOM}updated") == "2026-12-01T00:00:00+00:00"
    channel = ET.fromstring(render_rss(meta(updated=fixed), entries)).find("channel")
    assert channel is not None
    assert channel.findtext("lastBuildDate") == "Tue, 01 Dec 2026 00:00:00 +0000"


@pytest.mark.parametrize("render", [render_atom, render_rss])
def test_an_empty_feed_is_valid_and_stable(render: Any) -> None:
    data = render(meta(), [])
    assert feedparser.parse(data).bozo == 0
    assert data == render(meta(), [])
    assert b"1970" in data


@pytest.mark.parametrize("render", RENDERERS)
def test_limit_keeps_the_newest(render: Any, entries: list[FeedEntry]) -> None:
    assert slugs_of(entry_links(render(meta(), entries, limit=2))) == NEWEST_FIRST[:2]


# --- hostile text ----------------------------------------------------------------------------


@pytest.mark.parametrize("render", [render_atom, render_rss])
def test_hostile_titles_and_tags_are_escaped(render: Any) -> None:
    hostile = entry(21, "x", title=HOSTILE, tags=(HOSTILE, "c++"), summary=HOSTILE)
    data = render(meta(title=HOSTILE, author=HOSTILE, description=HOSTILE), [hostile])
    assert b"<script>" not in data
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0
    assert parsed.feed.title == HOSTILE
    assert parsed.entries[0].title == HOSTILE
    assert parsed.entries[0].author == HOSTILE
    assert [t.term for t in parsed.entries[0].tags] == [HOSTILE, "c++"]


def test_hostile_text_in_json_feed() -> None:
    hostile = entry(21, "x", title=HOSTILE, tags=(HOSTILE,), content_html="<p>x</p>")
    data = render_json_feed(meta(title=HOSTILE, author=HOSTILE), [hostile])
    assert b"<" not in data  # escaped as \u003c: no "</script>" even if served as HTML
    feed = json.loads(data)
    assert feed["title"] == feed["items"][0]["title"] == HOSTILE
    assert feed["authors"] == [{"name": HOSTILE}]
    assert feed["items"][0]["tags"] == [HOSTILE]
    assert feed["items"][0]["content_html"] == "<p>x</p>"


@pytest.mark.parametrize("render", [render_atom, render_rss])
def test_characters_xml_cannot_carry_are_dropped(render: Any) -> None:
    pasted = entry(21, "x", title="form\x0cfeed\x00", content_html="<p>bell\x07</p>")
    parsed = feedparser.parse(render(meta(), [pasted]))
    assert parsed.bozo == 0
    assert parsed.entries[0].title == "formfeed"


# --- ids and validation ----------------------------------------------------------------------


def test_tag_uri() -> None:
    assert tag_uri(SITE, date(2026, 11, 21), "log:lifetimes") == (
        "tag:asha.github.io,2026-11-21:log:lifetimes"
    )
    with pytest.raises(ValueError, match="must have a host"):
        tag_uri("/devlog/", date(2026, 11, 21), "x")


def test_invalid_values_are_refused() -> None:
    with pytest.raises(ValueError, match="must carry a time zone"):
        entry(21, "x", published=datetime(2026, 11, 21, 9, 0))
    with pytest.raises(ValueError, match="absolute http"):
        entry(21, "x", url="/logs/2026/11/21/x/")
    with pytest.raises(ValueError, match="absolute http"):
        meta(feed_url="feed.xml")
    with pytest.raises(ValueError, match="needs an author"):
        meta(author="")
    with pytest.raises(ValueError, match="two feed entries have the id"):
        render_atom(meta(), [entry(21, "x"), entry(21, "x")])
