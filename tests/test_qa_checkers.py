"""The QA checkers in tests/qa find the problems they are meant to find.

Each checker runs on a tiny hand-written site with known defects, so a checker that
silently finds nothing cannot make the real site checks in test_qa_site.py pass.
"""

from __future__ import annotations

import textwrap
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from qa import axe, crawl, feeds, layout, vnu

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{css}"></head>
<body><main id="main"><h1>{title}</h1>{body}</main></body></html>
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def small_site(root: Path) -> Path:
    """A site for /devlog/ with one of each link defect."""
    return write(
        root,
        {
            "index.html": PAGE.format(
                title="Home",
                css="/devlog/style.css",
                body="""
                <a href="logs/">logs</a> <a href="logs/#top">top</a>
                <a href="logs/#nowhere">missing anchor</a>
                <a href="/devlog/missing/">missing page</a>
                <a href="/elsewhere/">escapes</a>
                <a href="javascript:alert(1)">js</a>
                <a href="https://example.org/x">external</a>
                <a href="mailto:me@example.org">mail</a>
                <img alt="" srcset="a.png 1x, gone.png 2x" src="a.png">
                """,
            ),
            "logs/index.html": PAGE.format(
                title="Logs", css="../style.css", body='<p id="top">Logs <a href="#top">t</a></p>'
            ),
            "orphan/index.html": PAGE.format(title="Orphan", css="../style.css", body=""),
            "style.css": "body { background: url('bg.png'); } .x { background: url(nope.png) }",
            "bg.png": "png",
            "a.png": "png",
            "404.html": PAGE.format(title="Not found", css="style.css", body=""),
            "sitemap.xml": """
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                <url><loc>{base}logs/</loc></url><url><loc>{base}gone/</loc></url>
                <url><loc>https://asha.github.io/devlog/logs/</loc></url>
                </urlset>
                """,
        },
    )


def test_server_serves_only_under_the_mount(tmp_path: Path) -> None:
    write(tmp_path, {"index.html": "hi", "logs/index.html": "logs"})
    with crawl.serve_site(tmp_path, "/devlog/") as base:
        assert base.endswith("/devlog/")
        with urllib.request.urlopen(base + "logs/") as response:
            assert response.read() == b"logs"
        origin = base.removesuffix("devlog/")
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(origin + "logs/")
        error.value.close()
        assert error.value.code == 404


def test_crawler_reports_every_kind_of_bad_link(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    with crawl.serve_site(site, "/devlog/") as base:
        sitemap = site / "sitemap.xml"
        sitemap.write_text(sitemap.read_text().replace("{base}", base))
        report = crawl.crawl(base, site, foreign_site_urls=["https://asha.github.io/devlog/"])
    problems = {(p.target.removeprefix(base), p.reason) for p in report.problems}
    origin = base.removesuffix("devlog/")
    assert problems == {
        ("logs/#nowhere", "no element with id 'nowhere' on the target page"),
        ("missing/", "HTTP 404"),
        (origin + "elsewhere/", "escapes the base path /devlog/"),
        ("javascript:alert(1)", "unsafe URL scheme"),
        ("gone.png", "HTTP 404"),
        ("nope.png", "HTTP 404"),
        ("gone/", "HTTP 404"),
        (
            "https://asha.github.io/devlog/logs/",
            "points at the configured site URL https://asha.github.io/devlog/, not the served one",
        ),
        # 404.html uses a relative stylesheet link, which breaks below the top level.
        ("no/such/page/style.css", "HTTP 404"),
    }
    assert report.external == {"https://example.org/x"}
    assert report.unreachable_pages == [base + "404.html", base + "orphan/"]
    sources = {p.target.removeprefix(base): p.source for p in report.problems}
    assert sources["missing/"] == base
    assert sources["nope.png"] == base + "style.css"
    assert "8 broken, 1 escaping the base path, 1 external" in report.summary()


def test_crawler_is_happy_with_a_clean_site(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "index.html": PAGE.format(title="Home", css="style.css", body='<a href="a/">a</a>'),
            "a/index.html": PAGE.format(title="A", css="/style.css", body='<a href="/">home</a>'),
            "style.css": "body { color: black }",
        },
    )
    with crawl.serve_site(tmp_path) as base:
        report = crawl.crawl(base, tmp_path)
    assert report.problems == []
    assert report.checked == 3
    assert report.documents == 3


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>https://x.test/</id><title>X</title><updated>2026-11-21T10:00:00Z</updated>
  <link rel="self" href="https://x.test/feed.xml"/><author><name>A</name></author>
  <entry><id>https://x.test/b/</id><title>B</title><updated>2026-11-21T10:00:00Z</updated>
    <link href="https://x.test/b/"/><content type="html">&lt;p&gt;b&lt;/p&gt;</content></entry>
  <entry><id>https://x.test/a/</id><title>A</title><updated>2026-11-20T10:00:00Z</updated>
    <link href="https://x.test/a/"/><content type="html">&lt;p&gt;a&lt;/p&gt;</content></entry>
</feed>
"""

BAD_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>X</title><link>https://x.test/</link>
  <description>d</description>
  <item><title>A</title><link>https://x.test/a/</link><guid>/a/</guid>
    <pubDate>Fri, 20 Nov 2026 10:00:00 +0000</pubDate></item>
  <item><title>B</title><link>https://x.test/b/</link><guid isPermaLink="false">b</guid>
    <pubDate>Sat, 21 Nov 2026 10:00:00 +0000</pubDate></item>
  <item><title>C</title><link>/c/</link></item>
</channel></rss>
"""


def test_feed_checks_accept_a_valid_atom_feed(tmp_path: Path) -> None:
    write(tmp_path, {"feed.xml": ATOM, "sitemap.xml": "<urlset/>"})
    [report] = feeds.check_feeds(tmp_path)
    assert (report.path, report.format, report.entries) == ("feed.xml", "atom10", 2)
    assert report.problems == []


def test_feed_checks_report_rss_mistakes(tmp_path: Path) -> None:
    write(tmp_path, {"rss.xml": BAD_RSS})
    [report] = feeds.check_feeds(tmp_path)
    assert report.problems == [
        "rss.xml: entry 3 ('C') has no id",
        "rss.xml: entry 3 ('C') link is not an absolute URL: '/c/'",
        "rss.xml: entry 3 ('C') has no date",
        "rss.xml: entries are not ordered newest first",
        "rss.xml: item 1 guid is a permalink but not a full URL",
        "rss.xml: item 3 <link> is not an absolute URL: '/c/'",
    ]


def test_feed_checks_report_json_feed_mistakes(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "feed.json": """
            {"version": "https://jsonfeed.org/version/1.1", "title": "X",
             "home_page_url": "https://x.test/", "feed_url": "feed.json",
             "items": [
               {"id": "1", "url": "https://x.test/a/", "title": "A",
                "content_html": "<p>a</p>", "date_published": "2026-11-21T10:00:00+00:00"},
               {"id": "1", "url": "https://x.test/b/", "title": "B",
                "date_published": "2026-11-20"}]}
            """
        },
    )
    [report] = feeds.check_feeds(tmp_path)
    assert report.entries == 2
    assert report.problems == [
        "feed.json: feed_url is missing or not an absolute URL: 'feed.json'",
        "feed.json: item 2 ('B') repeats the id '1'",
        "feed.json: item 2 ('B') has neither content_html nor content_text",
        "feed.json: item 2 ('B') date_published is not RFC 3339: '2026-11-20'",
    ]


def test_vnu_finds_a_skipped_heading_level(tmp_path: Path, vnu_command: tuple[str, Path]) -> None:
    java, jar = vnu_command
    write(
        tmp_path,
        {
            "ok/index.html": PAGE.format(title="Fine", css="s.css", body="<p>ok</p>"),
            "bad/index.html": PAGE.format(title="Bad", css="s.css", body="<h3>skipped</h3>"),
            "notes.txt": "<h3>not html</h3>",
        },
    )
    report = vnu.run_vnu(tmp_path, jar=jar, java=java)
    assert report.files_checked == 2
    assert [(e.file, e.line) for e in report.errors] == [("bad/index.html", 4)]
    assert "skipping 1 heading level" in report.errors[0].message


def test_axe_finds_violations_and_passes_a_clean_page(
    tmp_path: Path, browser: Browser, axe_source: str
) -> None:
    write(
        tmp_path,
        {
            "good.html": PAGE.format(title="Good", css="s.css", body="<p>Readable.</p>"),
            "bad.html": PAGE.format(
                title="Bad",
                css="s.css",
                body='<p style="color:#ccc;background:#fff">Faint</p><img src="x.png">',
            ),
            "s.css": "@media (prefers-color-scheme: dark) { p { color: #222; background: #000 } }",
        },
    )
    with crawl.serve_site(tmp_path) as base:
        assert axe.run_axe(browser, base + "good.html", axe_source, "light") == []
        dark = axe.run_axe(browser, base + "good.html", axe_source, "dark")
        bad = axe.run_axe(browser, base + "bad.html", axe_source, "light")
        no_js = axe.check_without_javascript(browser, base + "good.html")
    assert [v.rule for v in dark] == ["color-contrast"]
    assert {v.rule for v in bad} == {"color-contrast", "image-alt"}
    assert no_js.usable
    assert no_js.h1 == "Good"


def test_layout_finds_a_page_wider_than_a_phone(tmp_path: Path, browser: Browser) -> None:
    write(
        tmp_path,
        {
            "narrow.html": PAGE.format(title="Narrow", css="s.css", body="<p>Fits.</p>"),
            "wide.html": PAGE.format(
                title="Wide", css="s.css", body='<pre class="wide">' + "x" * 200 + "</pre>"
            ),
            "s.css": "pre.wide { white-space: pre; }",
        },
    )
    with crawl.serve_site(tmp_path) as base:
        found = layout.sideways_overflow(browser, [base + "narrow.html", base + "wide.html"])
    assert [o.url for o in found] == [base + "wide.html"]
    assert found[0].document_width > 390
    assert any(c.startswith("pre.wide") for c in found[0].culprits), found[0].culprits
