"""Tests for render/sitemap.py: sitemap.xml, robots.txt and following.opml."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tamatar_site.config import FollowingEntry
from tamatar_site.render.documents.sitemap import (
    SITEMAP_NAMESPACE,
    render_opml,
    render_robots,
    render_sitemap,
)

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://asha.github.io/devlog/"


def test_sitemap_lists_absolute_urls_with_lastmod() -> None:
    data = render_sitemap(
        [
            (SITE, date(2026, 11, 21)),
            (SITE + "logs/2026/11/21/lifetimes/", date(2026, 11, 21)),
            (SITE + "tags/c%2B%2B/?page=2&x=<y>", None),
            (SITE, date(2020, 1, 1)),  # listed twice: written once, first wins
        ]
    )
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<urlset")
    root = ET.fromstring(data)
    assert root.tag == f"{NS}urlset"
    urls = [(u.findtext(f"{NS}loc"), u.findtext(f"{NS}lastmod")) for u in root]
    assert urls == [
        (SITE, "2026-11-21"),
        (SITE + "logs/2026/11/21/lifetimes/", "2026-11-21"),
        (SITE + "tags/c%2B%2B/?page=2&x=<y>", None),
    ]
    assert b"&amp;x=&lt;y&gt;" in data


def test_sitemap_lastmod_may_be_an_aware_datetime() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    data = render_sitemap([(SITE, datetime(2026, 11, 21, 9, 5, 7, 999, tzinfo=ist))])
    assert ET.fromstring(data).findtext(f"{NS}url/{NS}lastmod") == "2026-11-21T09:05:07+05:30"
    with pytest.raises(ValueError, match="must carry a time zone"):
        render_sitemap([(SITE, datetime(2026, 11, 21, 9, 5))])


def test_sitemap_refuses_relative_urls() -> None:
    with pytest.raises(ValueError, match="absolute http"):
        render_sitemap([("/devlog/logs/", None)])


def test_empty_sitemap_is_valid_and_output_is_stable() -> None:
    assert len(ET.fromstring(render_sitemap([]))) == 0
    urls = [(SITE + f"logs/page/{n}/", None) for n in range(1, 4)]
    assert render_sitemap(urls) == render_sitemap(list(urls))


def test_robots() -> None:
    assert render_robots(SITE + "sitemap.xml") == (
        "User-agent: *\nAllow: /\n\nSitemap: https://asha.github.io/devlog/sitemap.xml\n"
    )
    with pytest.raises(ValueError, match="absolute http"):
        render_robots("sitemap.xml")


def test_opml_from_the_following_config() -> None:
    following = [
        FollowingEntry.model_validate(
            {"name": "Julia Evans", "url": "https://jvns.ca", "feed": "https://jvns.ca/atom.xml"}
        ),
        FollowingEntry.model_validate(
            {"name": 'Dan "Luu" <&>', "url": "https://danluu.com/", "feed": None}
        ),
    ]
    data = render_opml('Asha Rao "follows" <&>', following)
    root = ET.fromstring(data)
    assert root.tag == "opml"
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == 'Asha Rao "follows" <&>'
    outlines = [o.attrib for o in root.iterfind("body/outline")]
    assert outlines == [
        {
            "type": "rss",
            "text": "Julia Evans",
            "title": "Julia Evans",
            "xmlUrl": "https://jvns.ca/atom.xml",
            "htmlUrl": "https://jvns.ca/",
        },
        {
            "type": "link",
            "text": 'Dan "Luu" <&>',
            "title": 'Dan "Luu" <&>',
            "url": "https://danluu.com/",
        },
    ]
    assert b"&lt;&amp;&gt;" in data
    assert render_opml("x", following) == render_opml("x", list(following))


def test_opml_with_nobody_followed_and_stray_control_characters() -> None:
    root = ET.fromstring(render_opml("Blog\x0croll", []))
    assert root.findtext("head/title") == "Blogroll"
    assert list(root.iterfind("body/outline")) == []


def test_sitemap_text_is_what_elementtree_writes() -> None:
    """The sitemap is written as text for speed; it must stay the XML ElementTree writes."""
    urls: list[tuple[str, date | None]] = [
        ("https://a.example/x/?a=1&b=<2>", date(2026, 1, 2)),
        ("https://a.example/", None),
        ("https://a.example/", date(2026, 1, 1)),  # listed twice: written once
        ("https://a.example/é/\"q'/", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
    ]
    root = ET.Element("urlset", xmlns=SITEMAP_NAMESPACE)
    for url, modified in urls[:2] + urls[3:]:
        element = ET.SubElement(root, "url")
        ET.SubElement(element, "loc").text = url
        if modified is not None:
            ET.SubElement(element, "lastmod").text = modified.isoformat()
    ET.indent(root)
    expected = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    assert render_sitemap(urls) == expected
    assert ET.fromstring(render_sitemap(urls)).tag == f"{{{SITEMAP_NAMESPACE}}}urlset"


def test_large_sites_get_a_sitemap_index(monkeypatch: pytest.MonkeyPatch) -> None:
    from tamatar_site.render.documents import sitemap

    monkeypatch.setattr(sitemap, "SITEMAP_MAX_URLS", 2)
    urls = [(f"https://x.example/p{i}/", None) for i in range(5)] + [
        ("https://x.example/p0/", None)
    ]
    files = sitemap.render_sitemaps(urls, lambda path: f"https://x.example/{path}")
    assert [path for path, _ in files] == [
        "sitemap.xml",
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap-3.xml",
    ]
    ns = {"s": SITEMAP_NAMESPACE}
    index = ET.fromstring(files[0][1])
    assert index.tag == f"{{{SITEMAP_NAMESPACE}}}sitemapindex"
    assert [e.text for e in index.findall("s:sitemap/s:loc", ns)] == [
        "https://x.example/sitemap-1.xml",
        "https://x.example/sitemap-2.xml",
        "https://x.example/sitemap-3.xml",
    ]
    listed = [
        loc.text for _, data in files[1:] for loc in ET.fromstring(data).findall("s:url/s:loc", ns)
    ]
    assert listed == [f"https://x.example/p{i}/" for i in range(5)]  # once each, in order


def test_small_sites_keep_one_sitemap() -> None:
    from tamatar_site.render.documents.sitemap import render_sitemap, render_sitemaps

    urls = [("https://x.example/", None), ("https://x.example/a/", None)]
    assert render_sitemaps(urls, str) == [("sitemap.xml", render_sitemap(urls))]
