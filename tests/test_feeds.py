"""Tests for render/feeds.py: Atom, RSS 2.0 and JSON Feed 1.1 read back by feedparser and by
strict XML and HTML parsers, through `FeedWriter` as a build uses it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedgen.entry  # type: ignore[import-untyped]
import feedparser
import pytest
from qa.feeds import check_feed

from tamatar_site import __version__
from tamatar_site.render.documents.feeds import (
    JSON_FEED_VERSION,
    FeedEntry,
    FeedMeta,
    FeedWriter,
    render_json_feed,
    tag_uri,
    xml_safe,
)

IST = timezone(timedelta(hours=5, minutes=30))
SITE = "https://asha.github.io/devlog/"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
HOSTILE = '<script>alert("x")</script> & \'quotes\' "too" ]]>'
ODD_OFFSET = timezone(timedelta(hours=-3, minutes=-25, seconds=-7))
# everything XML escapes or cannot carry, and text beyond ASCII
TRICKY = (
    "a & b < c > d \"q\" 's' ]]> x\r\ny\rz\tt \x00\x07\x0b\x0c\x1f\x7f"
    " é ñ ü 日本語 😀 \u0085 \u2028 \u200f עברית \ud800 \udfff \ufffe \uffff end"
)
CONTROLS_ONLY = "\x00\x01\x0c\x1f"


def render_atom(meta: FeedMeta, entries: Sequence[FeedEntry], *, limit: int | None = None) -> bytes:
    """An Atom feed from a fresh writer (a build uses one writer for all its feeds)."""
    return FeedWriter().atom(meta, entries, limit=limit)


def render_rss(meta: FeedMeta, entries: Sequence[FeedEntry], *, limit: int | None = None) -> bytes:
    """An RSS feed from a fresh writer."""
    return FeedWriter().rss(meta, entries, limit=limit)


class _DisplayedText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def displayed(html: str) -> tuple[str, list[str]]:
    """What a reader shows of `html` as text, and the tags it found in it."""
    parser = _DisplayedText()
    parser.feed(html)
    parser.close()
    return "".join(parser.text), parser.tags


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


def test_rss_carries_full_content_and_the_summary_as_html(entries: list[FeedEntry]) -> None:
    item = ET.fromstring(render_rss(meta("rss.xml"), entries)).find("channel/item")
    assert item is not None
    assert item.findtext("description") == "About rust &amp; lifetimes."
    content = item.findtext(CONTENT)
    assert content == f'<p>About <a href="{SITE}tags/rust/">rust</a> &amp; lifetimes.</p>'


@pytest.mark.parametrize("content_html", ["<p>Full text.</p>", ""], ids=["full", "summary only"])
def test_rss_description_shows_the_summary_as_written(content_html: str) -> None:
    # RSS <description> is HTML: a summary that says `Arc<Version>` must not become a tag
    summary = "An Arc<Version> & a Box<dyn Fn()>; <b>not bold</b> \"q\" 's' ]]> &amp; done"
    data = render_rss(meta("rss.xml"), [entry(21, "x", summary=summary, content_html=content_html)])
    assert b"Arc&amp;lt;Version&amp;gt;" in data
    description = ET.fromstring(data).findtext("channel/item/description")
    assert description is not None
    assert displayed(description) == (summary, [])
    assert feedparser.parse(data).bozo == 0


def test_rss_description_of_tricky_text() -> None:
    data = render_rss(meta("rss.xml"), [entry(21, "x", summary=TRICKY)])
    description = ET.fromstring(data).findtext("channel/item/description")
    assert description is not None
    assert displayed(description) == (xml_safe(TRICKY), [])


def test_rss_description_is_the_html_when_there_is_no_summary() -> None:
    html = "<p>Only <code>Arc&lt;T&gt;</code></p>"
    data = render_rss(meta("rss.xml"), [entry(21, "x", summary="", content_html=html)])
    item = ET.fromstring(data).find("channel/item")
    assert item is not None
    assert item.findtext("description") == html
    assert item.find(CONTENT) is None
    assert displayed(html) == ("Only Arc<T>", ["p", "code"])


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


@pytest.mark.parametrize(
    "changes",
    [
        {"id": "tag:asha.github.io,2026:log:\x00bad"},
        {"url": SITE + "logs/\x07bell/"},
        {"id": "tag:asha.github.io,2026:log:\ud800"},
    ],
    ids=["control in id", "control in url", "surrogate in id"],
)
def test_ids_and_urls_xml_cannot_carry_are_refused(changes: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="XML cannot carry"):
        entry(21, "x", **changes)


def test_an_atom_entry_needs_a_title_an_rss_item_does_not() -> None:
    untitled = entry(21, "x", title=CONTROLS_ONLY)
    with pytest.raises(ValueError, match="needs a title"):
        render_atom(meta(), [untitled])
    parsed = feedparser.parse(render_rss(meta("rss.xml"), [untitled]))
    assert parsed.bozo == 0
    assert "title" not in parsed.entries[0]
    assert parsed.entries[0].link == SITE + "logs/2026/11/21/x/"
    empty = entry(21, "x", title="", content_html="", summary="")
    with pytest.raises(ValueError, match="needs a title or a description"):
        render_rss(meta("rss.xml"), [empty])


# --- text XML must escape or cannot carry ----------------------------------------------------


def long_html(text: str) -> str:
    return "".join(
        f'<p class="x">{text} #{n} &amp; <a href="/a?b=1&c=2">l</a></p>\n' for n in range(80)
    )


def test_text_comes_back_as_given_less_what_xml_cannot_carry() -> None:
    html = long_html(TRICKY)
    tricky = entry(21, "x", title=TRICKY, content_html=html, summary=TRICKY, tags=(TRICKY,))
    data = render_atom(meta(), [tricky])
    assert feedparser.parse(data).bozo == 0
    item = ET.fromstring(data).find(f"{ATOM}entry")
    assert item is not None
    # XML parsers normalise line ends ("\r\n" and "\r" to "\n") unless written as &#13;
    assert item.findtext(f"{ATOM}title") == xml_safe(TRICKY)
    assert item.findtext(f"{ATOM}content") == xml_safe(html)
    assert item.findtext(f"{ATOM}summary") == xml_safe(TRICKY)
    category = item.find(f"{ATOM}category")
    assert category is not None
    assert category.get("term") == xml_safe(TRICKY)  # tabs and newlines kept in attributes
    data = render_rss(meta("rss.xml"), [tricky])
    assert feedparser.parse(data).bozo == 0
    channel = ET.fromstring(data).find("channel")
    assert channel is not None
    assert channel.findtext("item/title") == xml_safe(TRICKY)
    assert channel.findtext("item/" + CONTENT) == xml_safe(html)
    assert channel.findtext("item/category") == xml_safe(TRICKY)


def test_markup_in_text_is_escaped_not_passed_through() -> None:
    marked = entry(21, "x", title="<b>bold</b> & ]]>", content_html="<p>x</p>]]><script>")
    atom = render_atom(meta(), [marked])
    assert b"<title>&lt;b&gt;bold&lt;/b&gt; &amp; ]]&gt;</title>" in atom
    assert b'<content type="html">&lt;p&gt;x&lt;/p&gt;]]&gt;&lt;script&gt;</content>' in atom
    assert b"<script>" not in render_rss(meta("rss.xml"), [marked])


def test_carriage_returns_survive_a_round_trip() -> None:
    atom = render_atom(meta(), [entry(21, "x", content_html="<pre>a\r\nb</pre>")])
    assert b"a&#13;\nb" in atom
    content = ET.fromstring(atom).find(f"{ATOM}entry/{ATOM}content")
    assert content is not None
    assert content.text == "<pre>a\r\nb</pre>"


def test_non_ascii_is_written_as_utf8() -> None:
    accented = entry(21, "x", title="Café 日本 😀")
    assert "<title>Café 日本 😀</title>".encode() in render_atom(meta(), [accented])
    assert "<title>Café 日本 😀</title>".encode() in render_rss(meta(), [accented])


def test_urls_are_escaped_in_attributes_and_text() -> None:
    url = SITE + "logs/14/?a=1&b=<2>"
    linked = entry(21, "x", id=url, url=url)
    atom = render_atom(meta(), [linked])
    assert b'<link href="https://asha.github.io/devlog/logs/14/?a=1&amp;b=&lt;2&gt;"/>' in atom
    parsed = feedparser.parse(atom)
    assert (parsed.entries[0].id, parsed.entries[0].link) == (url, url)
    rss = feedparser.parse(render_rss(meta("rss.xml"), [linked]))
    assert (rss.entries[0].id, rss.entries[0].link) == (url, url)


def test_xml_safe() -> None:
    assert xml_safe("plain\ttext\r\n") == "plain\ttext\r\n"
    assert xml_safe("form\x0cfeed\x00") == "formfeed"
    assert xml_safe("é\x07😀\ud800\ufffe\uffff\x1f") == "é😀"
    plain = "no controls at all"
    assert xml_safe(plain) is plain


# --- one writer for all the feeds of a build -------------------------------------------------

VARIED = [
    entry(
        1,
        "tricky",
        title=TRICKY,
        content_html=f"<p>{TRICKY}</p>",
        summary=TRICKY,
        tags=(TRICKY, "c++", "c++", "日本"),
        author=TRICKY,
    ),
    entry(2, "long", content_html=long_html(TRICKY)),
    entry(3, "summary-only", content_html=""),
    entry(4, "content-only", summary=""),
    entry(
        5,
        "controls",
        content_html=CONTROLS_ONLY,
        summary=CONTROLS_ONLY,
        tags=(CONTROLS_ONLY, "", "ok"),
        author=CONTROLS_ONLY,
    ),
    entry(6, "no-tags", tags=()),
    entry(
        7,
        "odd",
        published=datetime(2026, 11, 7, 1, 2, 3, 456789, tzinfo=ODD_OFFSET),
        updated=datetime(2026, 11, 8, 1, 2, 3, 999999, tzinfo=UTC),
    ),
    entry(8, "updated-before-published", updated=datetime(2026, 1, 1, tzinfo=UTC)),
]


def test_one_writer_gives_the_same_bytes_as_a_fresh_one() -> None:
    writer = FeedWriter()
    for feed in (VARIED, VARIED[::3], VARIED[:5], VARIED):
        for feed_meta in (meta(), meta(author="Somebody Else")):
            atom = writer.atom(feed_meta, feed)
            assert atom == render_atom(feed_meta, feed)
            assert writer.rss(feed_meta, feed) == render_rss(feed_meta, feed)
            parsed = feedparser.parse(atom)
            assert parsed.bozo == 0
            assert len(parsed.entries) == len(feed)


def test_a_writer_does_not_reuse_an_entry_that_changed() -> None:
    writer = FeedWriter()
    before = entry(21, "x", title="Before")
    after = entry(21, "x", title="After")  # same id, new text (a rebuild in `serve`)
    assert b"<title>Before</title>" in writer.atom(meta(), [before])
    assert b"<title>After</title>" in writer.atom(meta(), [after])
    assert b"<title>After</title>" in writer.rss(meta(), [after])


def _count_atom_entries_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the Atom entries feedgen builds from now on (until `monkeypatch.undo()`)."""
    built: list[str] = []
    build_entry = feedgen.entry.FeedEntry.atom_entry

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        element = build_entry(self, *args, **kwargs)
        built.append(element.findtext("id"))
        return element

    monkeypatch.setattr(feedgen.entry.FeedEntry, "atom_entry", counted)
    return built


def test_feedgen_builds_each_atom_entry_once_per_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    built = _count_atom_entries_built(monkeypatch)
    writer = FeedWriter()
    site_feed = writer.atom(meta(), VARIED)
    tag_feed = writer.atom(meta("tags/rust/feed.xml"), VARIED[:3])
    assert sorted(built) == sorted(e.id for e in VARIED)  # not again for the tag feed
    monkeypatch.undo()
    assert site_feed == render_atom(meta(), VARIED)
    assert tag_feed == render_atom(meta("tags/rust/feed.xml"), VARIED[:3])


def test_a_writer_keeps_the_entries_of_the_last_two_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    built = _count_atom_entries_built(monkeypatch)
    writer = FeedWriter()
    first, rest = VARIED[:1], VARIED[1:4]
    writer.atom(meta(), [*first, *rest])
    writer.forget_unused()
    again = writer.atom(meta(), rest)  # a round that does not use `first`
    assert sorted(built) == sorted(e.id for e in [*first, *rest])  # `rest` not built again
    writer.forget_unused()
    writer.atom(meta(), [*first, *rest])  # `first` was dropped with the round before last
    assert sorted(built) == sorted(e.id for e in [*first, *first, *rest])
    monkeypatch.undo()
    assert again == render_atom(meta(), rest)
