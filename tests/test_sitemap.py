"""Tests for render/sitemap.py: sitemap.xml, robots.txt and following.opml."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tamatar_site.config import FollowingEntry
from tamatar_site.render.sitemap import (
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
