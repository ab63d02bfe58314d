"""Tests for render/feed_xml.py: entries written without lxml come out byte for byte as
feedgen and lxml wrote them (the whole feed is compared with a feed built by feedgen
alone), escape what XML needs escaped, and drop or refuse what XML cannot carry."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import feedparser
import pytest
from feedgen.feed import FeedGenerator
from feedgen.util import formatRFC2822

from tamatar_site import __version__
from tamatar_site.render.feed_xml import rfc822, xml_safe
from tamatar_site.render.feeds import (
    FeedEntry,
    FeedMeta,
    FeedWriter,
    render_atom,
    render_rss,
)

SITE = "https://asha.github.io/devlog/"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
IST = timezone(timedelta(hours=5, minutes=30))
ODD_OFFSET = timezone(timedelta(hours=-3, minutes=-25, seconds=-7))
# everything XML escapes or cannot carry, and text beyond ASCII
TRICKY = (
    "a & b < c > d \"q\" 's' ]]> x\r\ny\rz\tt \x00\x07\x0b\x0c\x1f\x7f"
    " é ñ ü 日本語 😀 \u0085 \u2028 \u200f עברית \ud800 \udfff \ufffe \uffff end"
)
CONTROLS_ONLY = "\x00\x01\x0c\x1f"


def long_html(text: str) -> str:
    """Longer than the cut-over where feed_xml stops scanning with a regex."""
    return "".join(
        f'<p class="x">{text} #{n} &amp; <a href="/a?b=1&c=2">l</a></p>\n' for n in range(80)
    )


def feedgen_reference(meta: FeedMeta, entries: list[FeedEntry], *, rss: bool) -> bytes:
    """The feed as tamatar wrote it with feedgen alone, before feed_xml."""
    ordered = sorted(entries, key=lambda e: (e.published, e.id), reverse=True)
    gen = FeedGenerator()
    if rss:
        gen.load_extension("dc", atom=False, rss=True)
    gen.id(meta.feed_url)
    gen.title(xml_safe(meta.title))
    gen.description(xml_safe(meta.description) or xml_safe(meta.title))
    gen.link(
        href=meta.feed_url,
        rel="self",
        type="application/rss+xml" if rss else "application/atom+xml",
    )
    gen.link(href=meta.site_url, rel="alternate", type="text/html")
    gen.language(meta.language)
    gen.author(name=xml_safe(meta.author))
    gen.generator("tamatar", version=__version__)
    newest = max((max(e.updated, e.published) for e in ordered), default=None)
    gen.updated(newest.replace(microsecond=0) if newest else datetime(1970, 1, 1, tzinfo=UTC))
    if meta.icon:
        gen.icon(meta.icon)
        gen.image(url=meta.icon, title=xml_safe(meta.title), link=meta.site_url)
    for entry in ordered:
        item = gen.add_entry(order="append")
        item.id(entry.id)
        item.guid(entry.id, permalink=entry.id == entry.url)
        item.title(xml_safe(entry.title))
        item.link(href=entry.url, rel="alternate", type="text/html")
        item.published(entry.published.replace(microsecond=0))
        item.updated(max(entry.updated, entry.published).replace(microsecond=0))
        if entry.content_html:
            item.content(xml_safe(entry.content_html), type="html")
        if entry.summary:
            item.summary(xml_safe(entry.summary))
        for tag in dict.fromkeys(entry.tags):
            item.category(term=xml_safe(tag))
        author = xml_safe(entry.author or meta.author)
        if rss:
            item.dc.dc_creator(author)
        else:
            item.author(name=author)
    data: bytes = gen.rss_str(pretty=True) if rss else gen.atom_str(pretty=True)
    return data


def make_meta(**changes: Any) -> FeedMeta:
    fields: dict[str, Any] = {
        "title": "Asha Rao — learning & <testing>",
        "site_url": SITE,
        "feed_url": SITE + "feed.xml",
        "description": "Notes on Rust & databases ]]>",
        "language": "en",
        "author": "Asha Rao",
    }
    fields.update(changes)
    return FeedMeta(**fields)


def make_entry(n: int, **changes: Any) -> FeedEntry:
    url = f"{SITE}logs/2026/11/{n:02d}/log-{n}/"
    moment = datetime(2026, 11, n, 21, 30, tzinfo=IST)
    fields: dict[str, Any] = {
        "id": f"tag:asha.github.io,2026-11-{n:02d}:log:log-{n}",
        "title": f"Log {n}",
        "url": url,
        "published": moment,
        "updated": moment,
        "content_html": f'<p>About <a href="{SITE}tags/rust/">rust</a> &amp; log {n}.</p>',
        "summary": f"About rust & log {n}.",
        "tags": ("rust", "learning"),
    }
    fields.update(changes)
    return FeedEntry(**fields)


TRICKY_ENTRIES: dict[str, FeedEntry] = {
    "tricky everywhere": make_entry(
        1,
        title=TRICKY,
        content_html=f"<p>{TRICKY}</p>",
        summary=TRICKY,
        tags=(TRICKY, "c++", "c++", "日本"),
        author=TRICKY,
    ),
    "long tricky html": make_entry(2, content_html=long_html(TRICKY), summary=long_html(TRICKY)),
    "long ascii html with controls": make_entry(3, content_html=long_html("bell\x07 ff\x0c cr\r")),
    "long html with a lone surrogate": make_entry(4, content_html=long_html("x\udc80y")),
    "long html with noncharacters": make_entry(5, content_html=long_html("x\ufffe\uffffy é")),
    "long plain html": make_entry(6, content_html=long_html("plain")),
    "summary only": make_entry(7, content_html=""),
    "content only": make_entry(8, summary=""),
    "summary that is only control characters": make_entry(9, summary=CONTROLS_ONLY),
    "content that is only control characters": make_entry(10, content_html=CONTROLS_ONLY),
    "both only control characters": make_entry(
        11, content_html=CONTROLS_ONLY, summary=CONTROLS_ONLY
    ),
    "empty tag and author after stripping": make_entry(
        12, tags=(CONTROLS_ONLY, "", "ok"), author=CONTROLS_ONLY
    ),
    "no tags": make_entry(13, tags=()),
    "id is the url, with a query": make_entry(
        14,
        id=f"{SITE}logs/14/?a=1&b=<2>",
        url=f"{SITE}logs/14/?a=1&b=<2>",
    ),
    "odd offset and microseconds": make_entry(
        15,
        published=datetime(2026, 11, 15, 1, 2, 3, 456789, tzinfo=ODD_OFFSET),
        updated=datetime(2026, 11, 16, 1, 2, 3, 999999, tzinfo=UTC),
    ),
    "updated before published": make_entry(
        16,
        published=datetime(2026, 11, 16, 12, 0, tzinfo=UTC),
        updated=datetime(2026, 1, 1, tzinfo=UTC),
    ),
}


@pytest.mark.parametrize("name", list(TRICKY_ENTRIES))
@pytest.mark.parametrize("rss", [False, True], ids=["atom", "rss"])
def test_each_entry_is_written_as_feedgen_wrote_it(name: str, rss: bool) -> None:
    feed = [TRICKY_ENTRIES[name], make_entry(20)]
    meta = make_meta()
    render = render_rss if rss else render_atom
    assert render(meta, feed) == feedgen_reference(meta, feed, rss=rss)


@pytest.mark.parametrize("rss", [False, True], ids=["atom", "rss"])
def test_a_whole_feed_is_written_as_feedgen_wrote_it(rss: bool) -> None:
    feed = list(TRICKY_ENTRIES.values())
    meta = make_meta(icon=SITE + "icon.png", title=TRICKY, author="Ásha\x00", description="")
    data = (render_rss if rss else render_atom)(meta, feed)
    assert data == feedgen_reference(meta, feed, rss=rss)
    assert feedparser.parse(data).bozo == 0
    ET.fromstring(data)  # well-formed to a strict parser too


@pytest.mark.parametrize("rss", [False, True], ids=["atom", "rss"])
def test_an_empty_feed_is_written_as_feedgen_wrote_it(rss: bool) -> None:
    meta = make_meta()
    assert (render_rss if rss else render_atom)(meta, []) == feedgen_reference(meta, [], rss=rss)


def test_text_comes_back_as_given_less_what_xml_cannot_carry() -> None:
    html = long_html(TRICKY)
    entry = make_entry(1, title=TRICKY, content_html=html, summary=TRICKY, tags=(TRICKY,))
    root = ET.fromstring(render_atom(make_meta(), [entry]))
    item = root.find(f"{ATOM}entry")
    assert item is not None
    # XML parsers normalise line ends ("\r\n" and "\r" to "\n") unless written as &#13;
    assert item.findtext(f"{ATOM}title") == xml_safe(TRICKY)
    assert item.findtext(f"{ATOM}content") == xml_safe(html)
    assert item.findtext(f"{ATOM}summary") == xml_safe(TRICKY)
    category = item.find(f"{ATOM}category")
    assert category is not None
    assert category.get("term") == xml_safe(TRICKY)  # tabs and newlines kept in attributes
    channel = ET.fromstring(render_rss(make_meta(), [entry])).find("channel")
    assert channel is not None
    assert channel.findtext("item/" + CONTENT) == xml_safe(html)
    assert channel.findtext("item/category") == xml_safe(TRICKY)


def test_markup_in_text_is_escaped_not_passed_through() -> None:
    entry = make_entry(1, title="<b>bold</b> & ]]>", content_html="<p>x</p>]]><script>")
    atom = render_atom(make_meta(), [entry])
    assert b"<title>&lt;b&gt;bold&lt;/b&gt; &amp; ]]&gt;</title>" in atom
    assert b'<content type="html">&lt;p&gt;x&lt;/p&gt;]]&gt;&lt;script&gt;</content>' in atom
    assert b"<script>" not in render_rss(make_meta(), [entry])


def test_carriage_returns_survive_a_round_trip() -> None:
    entry = make_entry(1, content_html="<pre>a\r\nb</pre>")
    atom = render_atom(make_meta(), [entry])
    assert b"a&#13;\nb" in atom
    parsed = ET.fromstring(atom).find(f"{ATOM}entry/{ATOM}content")
    assert parsed is not None
    assert parsed.text == "<pre>a\r\nb</pre>"


def test_non_ascii_is_written_as_utf8() -> None:
    entry = make_entry(1, title="Café 日本 😀")
    assert "<title>Café 日本 😀</title>".encode() in render_atom(make_meta(), [entry])
    assert "<title>Café 日本 😀</title>".encode() in render_rss(make_meta(), [entry])


@pytest.mark.parametrize("render", [render_atom, render_rss])
@pytest.mark.parametrize(
    "changes",
    [
        {"id": "tag:asha.github.io,2026:log:\x00bad"},
        {"url": SITE + "logs/\x07bell/"},
        {"id": "tag:asha.github.io,2026:log:\ud800"},
    ],
    ids=["control in id", "control in url", "surrogate in id"],
)
def test_ids_and_urls_xml_cannot_carry_are_refused(render: Any, changes: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="XML cannot carry"):
        render(make_meta(), [make_entry(1, **changes)])


def test_an_atom_entry_needs_a_title_an_rss_item_does_not() -> None:
    untitled = make_entry(1, title=CONTROLS_ONLY)
    with pytest.raises(ValueError, match="needs a title"):
        render_atom(make_meta(), [untitled])
    assert render_rss(make_meta(), [untitled]) == feedgen_reference(
        make_meta(), [untitled], rss=True
    )
    empty = make_entry(1, title="", content_html="", summary="")
    with pytest.raises(ValueError, match="needs a title or a description"):
        render_rss(make_meta(), [empty])


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 21, 21, 30, tzinfo=IST),
        datetime(2024, 2, 29, 0, 0, 59, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=ODD_OFFSET),
        datetime(2030, 6, 2, 12, 0, tzinfo=timezone(timedelta(hours=-8))),
    ],
)
def test_rfc822_dates_match_feedgen(moment: datetime) -> None:
    assert rfc822(moment) == formatRFC2822(moment)
    if moment.utcoffset() != ODD_OFFSET.utcoffset(None):
        assert rfc822(moment) == format_datetime(moment)


def test_xml_safe() -> None:
    assert xml_safe("plain\ttext\r\n") == "plain\ttext\r\n"
    assert xml_safe("form\x0cfeed\x00") == "formfeed"
    assert xml_safe("é\x07😀\ud800\ufffe\uffff\x1f") == "é😀"
    plain = "no controls at all"
    assert xml_safe(plain) is plain


def test_one_writer_gives_the_same_bytes_as_a_fresh_one() -> None:
    writer = FeedWriter()
    everything = list(TRICKY_ENTRIES.values())
    tagged = everything[::3]
    for feed in (everything, tagged, everything[:5]):
        for meta in (make_meta(), make_meta(author="Somebody Else")):
            assert writer.atom(meta, feed) == render_atom(meta, feed)
            assert writer.rss(meta, feed) == render_rss(meta, feed)


def test_a_writer_does_not_reuse_an_entry_that_changed() -> None:
    writer = FeedWriter()
    before = make_entry(1, title="Before")
    after = make_entry(1, title="After")  # same id, new text (a rebuild in `serve`)
    assert b"<title>Before</title>" in writer.atom(make_meta(), [before])
    assert b"<title>After</title>" in writer.atom(make_meta(), [after])
    assert b"<title>After</title>" in writer.rss(make_meta(), [after])
