"""`tamatar build` end to end: the pages, links and feeds a real site produces."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner, Result
from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main

CONFIG = """\
site:
  title: Asha's devlog
  base_url: https://asha.github.io/devlog/
  description: Daily notes on Rust
  timezone: Asia/Kolkata
  logs_per_page: 2
profile:
  name: Asha Rao
  bio: "Backend engineer. **Learning Rust** in public."
  location: Pune
  skills: [rust, python]
tags:
  rust: {color: "#dea584", description: Systems programming}
following:
  - {name: Julia Evans, url: "https://jvns.ca", feed: "https://jvns.ca/atom.xml"}
"""

LOGS = {
    "logs/2026/2026-11-18-start.md": """\
        ---
        title: Starting out
        date: 2026-11-18
        tags: [rust]
        ---
        First day. Read [the next one](2026-11-19-borrowck.md#why).
        """,
    "logs/2026/2026-11-19-borrowck.md": """\
        ---
        title: Borrow checker
        date: 2026-11-19
        tags: [rust, learning]
        project: tamatar
        mood: 8
        productivity: 7
        focus_minutes: 95
        resources: [rust-book]
        ---
        ## Why

        Fighting the borrow checker.
        """,
    "logs/2026/2026-11-20-lifetimes.md": """\
        ---
        title: Lifetimes finally clicked
        date: 2026-11-20
        tags: [rust]
        ---
        Lifetimes are just regions.
        """,
    "logs/2026/2026-11-21-traits.md": """\
        ---
        title: Traits
        date: 2026-11-21
        tags: [learning]
        ---
        Traits and generics.
        """,
    "logs/2026/2026-11-22-macros.md": """\
        ---
        title: Macros
        date: 2026-11-22
        tags: [rust]
        ---
        `macro_rules!` today.
        """,
    "projects/tamatar.yaml": """\
        name: tamatar
        description: A static site generator.
        status: active
        featured: true
        repo: asha/tamatar
        tech_stack: [python, jinja]
        milestones:
          - {title: First build, done: true, date: 2026-11-01}
          - {title: Feeds, done: false}
        """,
    "resources/rust-book.yaml": """\
        title: The Rust Book
        url: https://doc.rust-lang.org/book/
        type: book
        difficulty: beginner
        status: in-progress
        rating: 5
        """,
    "resources/nomicon.yaml": """\
        title: The Rustonomicon
        type: book
        difficulty: advanced
        status: to-read
        """,
    "goals/learn-rust.yaml": """\
        title: Learn Rust
        type: skill_development
        milestones:
          - {title: Finish the book, done: true}
          - {title: Write a crate, done: false}
        """,
    "goals/ship-crate.yaml": """\
        title: Ship a crate
        type: project_completion
        depends_on: [learn-rust]
        """,
    "paths/rust-basics.yaml": """\
        title: Rust basics
        difficulty: beginner
        steps:
          - {title: Read the book, resource: rust-book, done: true}
          - {title: Build something}
        """,
    "snippets/swap.md": """\
        ---
        title: Swap two values
        language: rust
        tags: [rust]
        ---
        ```rust
        std::mem::swap(&mut a, &mut b);
        ```
        """,
}


def build(site: Path, out: Path, *args: str) -> Result:
    """Run `tamatar build SITE -o OUT ...` with a fixed "today" (2026-11-22)."""
    return CliRunner().invoke(
        main,
        ["build", str(site), "-o", str(out), *args],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", dict(LOGS), config=CONFIG)


@pytest.fixture
def built(site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    result = build(site, out)
    assert result.exit_code == 0, result.output
    return out


def read(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def test_every_section_is_written(built: Path) -> None:
    expected = [
        "index.html",
        "404.html",
        "logs/index.html",
        "logs/2026/11/19/borrowck/index.html",
        "tags/index.html",
        "tags/rust/index.html",
        "tags/rust/feed.xml",
        "projects/index.html",
        "projects/tamatar/index.html",
        "resources/index.html",
        "resources/status/to-read/index.html",
        "resources/difficulty/advanced/index.html",
        "goals/index.html",
        "paths/index.html",
        "paths/rust-basics/index.html",
        "snippets/index.html",
        "snippets/swap/index.html",
        "following/index.html",
        "following.opml",
        "stats/index.html",
        "feed.xml",
        "rss.xml",
        "feed.json",
        "sitemap.xml",
        "robots.txt",
        "api/v1/logs.json",
        "api/v1/projects.json",
        "api/v1/tags.json",
        "api/v1/profile.json",
        "assets/tamatar.css",
        "assets/highlight.css",
        "assets/charts.css",
    ]
    missing = [path for path in expected if not (built / path).is_file()]
    assert missing == []


def test_summary_line(site: Path, tmp_path: Path) -> None:
    result = build(site, tmp_path / "out")
    assert re.search(r"\d+ pages written, 0 unchanged, 0 removed in [\d.]+s", result.output)
    quiet = build(site, tmp_path / "out", "--quiet")
    assert quiet.exit_code == 0
    assert quiet.output == ""


def test_home_page_shows_profile_streaks_and_recent_logs(built: Path) -> None:
    home = read(built, "index.html")
    assert '<h1 id="profile-name">Asha Rao</h1>' in home
    assert "<strong>Learning Rust</strong>" in home
    # 18..22 Nov are all active and today is the 22nd: a 5-day current and longest streak.
    assert re.search(r'figure-value">5</span> <span class="figure-label">days current', home)
    assert re.search(r'figure-value">5</span> <span class="figure-label">days longest', home)
    assert 'class="chart heatmap"' in home
    wide, narrow = home.split('<div class="chart-narrow">')
    assert wide.count('class="hm-cell hm-l') == 365 + 5  # the days plus the legend
    # phones get the last 22 weeks: 21 full ones and this one up to today (a Sunday)
    assert narrow.count('class="hm-cell hm-l') == 21 * 7 + 1 + 5
    assert 'href="/devlog/projects/tamatar/"' in home  # featured project
    assert "Macros" in home and "Starting out" in home


def test_log_page_content(built: Path) -> None:
    page = read(built, "logs/2026/11/19/borrowck/index.html")
    assert "<h1>Borrow checker</h1>" in page
    assert page.count("<h1") == 1
    assert 'href="/devlog/projects/tamatar/">tamatar</a>' in page
    assert 'href="/devlog/tags/rust/"' in page and 'href="/devlog/tags/learning/"' in page
    assert "1 h 35 min" in page and "8<span" in page and "7<span" in page
    assert 'href="/devlog/resources/rust-book/">The Rust Book</a>' in page
    # older is the 18th, newer the 20th
    assert 'href="/devlog/logs/2026/11/18/start/" rel="prev"' in page
    assert 'href="/devlog/logs/2026/11/20/lifetimes/" rel="next"' in page
    newest = read(built, "logs/2026/11/22/macros/index.html")
    assert 'rel="next"' not in newest
    oldest = read(built, "logs/2026/11/18/start/index.html")
    assert 'rel="prev"' not in oldest


def test_relative_links_between_logs_resolve_to_permalinks(built: Path) -> None:
    page = read(built, "logs/2026/11/18/start/index.html")
    assert 'href="/devlog/logs/2026/11/19/borrowck/#why"' in page


def test_timeline_pagination_boundaries(built: Path) -> None:
    # 5 logs, 2 per page: pages 1..3, the last with one log
    assert (built / "logs/index.html").is_file()
    assert (built / "logs/page/2/index.html").is_file()
    assert (built / "logs/page/3/index.html").is_file()
    assert not (built / "logs/page/4").exists()
    assert not (built / "logs/page/1").exists()
    first = read(built, "logs/index.html")
    assert "Macros" in first and "Traits" in first and "Lifetimes" not in first
    assert 'href="/devlog/logs/page/2/" rel="next"' in first
    assert 'rel="prev"' not in first
    last = read(built, "logs/page/3/index.html")
    assert "Starting out" in last and "Borrow checker" not in last
    assert 'href="/devlog/logs/page/2/" rel="prev"' in last
    assert 'rel="next"' not in last
    middle = read(built, "logs/page/2/index.html")
    assert 'href="/devlog/logs/" rel="prev"' in middle


def test_tag_pages_paginate_and_link_their_feed(built: Path) -> None:
    # rust: 22, 20, 19, 18 -> two pages of two
    rust = read(built, "tags/rust/index.html")
    assert "Systems programming" in rust
    assert "Macros" in rust and "Lifetimes finally clicked" in rust and "Borrow" not in rust
    assert (built / "tags/rust/page/2/index.html").is_file()
    assert not (built / "tags/rust/page/3").exists()
    assert (
        'type="application/atom+xml" title="Logs tagged rust" href="/devlog/tags/rust/feed.xml"'
        in rust
    )
    learning = read(built, "tags/learning/index.html")
    assert not (built / "tags/learning/page/2").exists()
    assert "Traits" in learning and "Borrow checker" in learning
    cloud = read(built, "tags/index.html")
    assert cloud.index("#rust") < cloud.index("#learning")  # most used first


def test_tag_colours_get_a_contrasting_text_colour(built: Path) -> None:
    rust = read(built, "tags/rust/index.html")
    assert 'style="--tag-bg:#dea584;--tag-fg:#000000"' in rust


def test_every_page_links_the_feeds_in_its_head(built: Path) -> None:
    for page in built.rglob("*.html"):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert 'rel="alternate" type="application/atom+xml"' in head, page
        assert 'type="application/rss+xml"' in head, page
        assert 'type="application/feed+json"' in head, page


def test_feeds_order_ids_and_absolute_links(built: Path) -> None:
    atom = feedparser.parse((built / "feed.xml").read_bytes())
    assert atom.bozo == 0
    titles = [e.title for e in atom.entries]
    assert titles == [
        "Macros",
        "Traits",
        "Lifetimes finally clicked",
        "Borrow checker",
        "Starting out",
    ]
    assert atom.entries[0].id == "tag:asha.github.io,2026-11-22:log:macros"
    assert atom.entries[0].link == "https://asha.github.io/devlog/logs/2026/11/22/macros/"
    start = next(e for e in atom.entries if e.title == "Starting out")
    assert (
        'href="https://asha.github.io/devlog/logs/2026/11/19/borrowck/#why"'
        in start.content[0].value
    )
    borrowck = next(e for e in atom.entries if e.title == "Borrow checker").content[0].value
    assert 'id="why"' in borrowck  # the heading is there, its `#` link beside it is not
    assert 'class="anchor"' not in borrowck
    # dates come from the logs (midnight in site.timezone), not from the clock
    assert atom.feed.updated == "2026-11-22T00:00:00+05:30"
    assert [e.published for e in atom.entries][-1] == "2026-11-18T00:00:00+05:30"
    rss = feedparser.parse((built / "rss.xml").read_bytes())
    assert rss.bozo == 0
    assert [e.title for e in rss.entries] == titles
    assert [e.id for e in rss.entries] == [e.id for e in atom.entries]
    assert [e.link for e in rss.entries] == [e.link for e in atom.entries]
    assert rss.entries[-1].published == "Wed, 18 Nov 2026 00:00:00 +0530"
    assert rss.entries[0].content[0].value == atom.entries[0].content[0].value
    tag_feed = feedparser.parse((built / "tags/learning/feed.xml").read_bytes())
    assert [e.title for e in tag_feed.entries] == ["Traits", "Borrow checker"]
    data = json.loads(read(built, "feed.json"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["title"] for item in data["items"]] == titles


def test_only_the_feeds_that_carry_an_edited_log_are_written_again(
    site: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []
    atom_str, rss_str = FeedGenerator.atom_str, FeedGenerator.rss_str

    def atom(self: FeedGenerator, *args: Any, **kwargs: Any) -> bytes:
        written.append(f"atom: {self.title()}")
        return atom_str(self, *args, **kwargs)  # type: ignore[no-any-return]

    def rss(self: FeedGenerator, *args: Any, **kwargs: Any) -> bytes:
        written.append(f"rss: {self.title()}")
        return rss_str(self, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(FeedGenerator, "atom_str", atom)
    monkeypatch.setattr(FeedGenerator, "rss_str", rss)
    rust_feed = (built / "tags/rust/feed.xml").read_bytes()
    log = site / "logs/2026/2026-11-21-traits.md"  # tagged `learning` only
    log.write_text(log.read_text(encoding="utf-8") + "\nMore about traits.\n", encoding="utf-8")
    assert build(site, built).exit_code == 0
    assert sorted(written) == [
        "atom: Asha's devlog",
        "atom: Asha's devlog: logs tagged learning",
        "rss: Asha's devlog",
    ]
    assert "More about traits." in read(built, "tags/learning/feed.xml")
    assert "More about traits." in read(built, "rss.xml")
    assert "More about traits." in read(built, "feed.json")
    assert (built / "tags/rust/feed.xml").read_bytes() == rust_feed


def test_sitemap_robots_and_opml(built: Path) -> None:
    sitemap = read(built, "sitemap.xml")
    assert "<loc>https://asha.github.io/devlog/</loc>" in sitemap
    assert "<loc>https://asha.github.io/devlog/logs/2026/11/19/borrowck/</loc>" in sitemap
    assert "404" not in sitemap
    assert "Sitemap: https://asha.github.io/devlog/sitemap.xml" in read(built, "robots.txt")
    assert 'xmlUrl="https://jvns.ca/atom.xml"' in read(built, "following.opml")


def test_json_api(built: Path) -> None:
    logs = json.loads(read(built, "api/v1/logs.json"))
    assert logs["version"] == 1
    assert [log["title"] for log in logs["logs"]][:2] == ["Macros", "Traits"]
    assert logs["logs"][0]["url"] == "https://asha.github.io/devlog/logs/2026/11/22/macros/"
    tags = json.loads(read(built, "api/v1/tags.json"))
    assert tags["tags"][0] == {
        "slug": "rust",
        "name": "rust",
        "url": "https://asha.github.io/devlog/tags/rust/",
        "logs": 4,
    }
    projects = json.loads(read(built, "api/v1/projects.json"))
    assert projects["projects"][0]["logs"] == 1
    stats = json.loads(read(built, "api/v1/stats.json"))
    streaks = stats["streaks"]
    assert (streaks["current"]["length"], streaks["longest"]["length"]) == (5, 5)
    assert (streaks["active_days"], stats["as_of"]) == (5, "2026-11-22")


def test_projects_resources_goals_paths(built: Path) -> None:
    project = read(built, "projects/tamatar/index.html")
    assert "A static site generator." in project
    assert "First build" in project and "Borrow checker" in project
    assert 'href="https://github.com/asha/tamatar"' in project
    resources = read(built, "resources/index.html")
    assert 'id="rust-book"' in resources and 'id="nomicon"' in resources
    assert resources.index(">Books<") < resources.index("The Rust Book")
    to_read = read(built, "resources/status/to-read/index.html")
    assert "The Rustonomicon" in to_read and "The Rust Book" not in to_read
    assert 'aria-current="page">To read' in to_read
    goals = read(built, "goals/index.html")
    assert goals.index('id="learn-rust"') < goals.index('id="ship-crate"')
    assert 'value="50"' in goals  # one of two milestones done
    assert 'href="/devlog/goals/learn-rust/">Learn Rust</a>' in goals
    path = read(built, "paths/rust-basics/index.html")
    assert 'href="/devlog/resources/rust-book/">The Rust Book</a>' in path
    snippet = read(built, "snippets/swap/index.html")
    assert 'class="language-rust"' in snippet
    assert 'href="/devlog/snippets/swap/"' in read(built, "tags/rust/index.html")


def test_stats_page_has_charts_with_tables(built: Path) -> None:
    stats = read(built, "stats/index.html")
    assert stats.count("<svg") >= 5
    assert stats.count("<table") >= 5
    assert "Top tags" in stats
    assert "<h1>Stats</h1>" in stats


def test_following_and_404(built: Path) -> None:
    assert 'href="https://jvns.ca/" rel="noopener noreferrer">Julia Evans</a>' in read(
        built, "following/index.html"
    )
    missing = read(built, "404.html")
    assert '<meta name="robots" content="noindex">' in missing
    assert 'href="/devlog/"' in missing


HREF = re.compile(r'(?:href|src)="([^"]*)"')


def test_base_path_prefixes_every_internal_link(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(site, out, "--base-url", "https://user.github.io/repo/")
    assert result.exit_code == 0, result.output
    for page in out.rglob("*.html"):
        for link in HREF.findall(page.read_text(encoding="utf-8")):
            if link.startswith("/"):
                assert link.startswith("/repo/"), (page, link)
            elif "://" not in link and not link.startswith(("#", "mailto:")):
                pytest.fail(f"{page}: relative link {link!r}")
            elif link.startswith("https://user.github.io/"):
                assert link.startswith("https://user.github.io/repo/"), (page, link)
    pages = {"feed.xml": "", "rss.xml": "", "tags/rust/feed.xml": "tags/rust/"}
    for name, page in pages.items():
        feed = feedparser.parse((out / name).read_bytes())
        assert feed.bozo == 0
        assert feed.feed.link == f"https://user.github.io/repo/{page}"
        assert all(e.link.startswith("https://user.github.io/repo/logs/") for e in feed.entries)
        assert "https://user.github.io/repo/logs/" in feed.entries[-1].content[0].value
    assert "<loc>https://user.github.io/repo/stats/</loc>" in read(out, "sitemap.xml")


def test_root_base_path(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(site, out, "--base-url", "http://127.0.0.1:8000").exit_code == 0
    home = read(out, "index.html")
    assert 'href="/logs/"' in home
    assert 'href="/assets/tamatar.css"' in home


def test_hostile_titles_and_tags_are_escaped(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "logs/2026-11-20-x.md": """\
                ---
                title: "<script>alert(1)</script> & friends"
                date: 2026-11-20
                tags: ["<img src=x onerror=alert(1)>"]
                ---
                Body <script>alert(2)</script>
                """,
        },
    )
    out = tmp_path / "out"
    result = build(site, out)
    assert result.exit_code == 0, result.output
    for path in out.rglob("*"):
        if path.suffix in {".html", ".xml", ".json"}:
            text = path.read_text(encoding="utf-8")
            assert "<script>" not in text, path
            assert "<img src=x" not in text, path
    page = next(out.glob("logs/2026/11/20/*/index.html")).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in page


def test_drafts_only_with_the_flag(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "logs/2026-11-20-public.md": "---\ntitle: Public\ndate: 2026-11-20\n---\nx\n",
            "logs/2026-11-21-secret.md": (
                "---\ntitle: Secret\ndate: 2026-11-21\ndraft: true\n---\ny\n"
            ),
        },
    )
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    assert not (out / "logs/2026/11/21").exists()
    assert "Secret" not in read(out, "feed.xml")
    assert build(site, out, "--drafts").exit_code == 0
    assert (out / "logs/2026/11/21/secret/index.html").is_file()


def test_site_templates_override_the_theme_file_by_file(site: Path, tmp_path: Path) -> None:
    write_site(
        site,
        {
            "templates/404.html": """\
                {% extends "base.html" %}
                {% block content %}<h1>Lost, {{ site.profile.name }}?</h1>{% endblock %}
                """,
            "static/CNAME": "devlog.example.com\n",
            "static/assets/tamatar.css": "body { color: red }\n",
        },
        config=None,
    )
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    assert "<h1>Lost, Asha Rao?</h1>" in read(out, "404.html")
    assert 'href="/devlog/logs/"' in read(out, "404.html")  # the theme's base.html still applies
    assert read(out, "CNAME") == "devlog.example.com\n"
    assert read(out, "assets/tamatar.css") == "body { color: red }\n"
    assert (out / "assets/favicon.svg").is_file()  # the rest of the theme's static


def test_template_errors_are_diagnostics(site: Path, tmp_path: Path) -> None:
    write_site(site, {"templates/tags.html": "{% for x in %}\n"}, config=None)
    result = build(site, tmp_path / "out")
    assert result.exit_code == 1
    assert "templates/tags.html:1:1: error: template error:" in result.output
    assert not (tmp_path / "out").exists()


def test_a_broken_template_no_page_uses_does_not_stop_the_build(site: Path, tmp_path: Path) -> None:
    # Every template is compiled ahead of use (while the Markdown renders): only the
    # templates pages use may fail the build.
    write_site(site, {"templates/drafts/unused.html": "{% for x in %}\n"}, config=None)
    result = build(site, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "index.html").is_file()


def test_content_errors_exit_1_and_write_nothing(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {"logs/2026-11-20-bad.md": "---\ntitle: Bad\ndate: 2026-11-20\nmood: 11\n---\nx\n"},
    )
    out = tmp_path / "out"
    result = build(site, out)
    assert result.exit_code == 1
    assert "logs/2026-11-20-bad.md:4:" in result.output
    assert "Error: 1 error; nothing was written" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_bad_base_url_is_a_clean_error(site: Path, tmp_path: Path) -> None:
    result = build(site, tmp_path / "out", "--base-url", "not a url")
    assert result.exit_code == 1
    assert "Error: --base-url 'not a url' is not an http(s) URL" in result.output


def test_empty_site_builds(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {})
    out = tmp_path / "out"
    result = build(site, out)
    assert result.exit_code == 0, result.output
    assert "No logs yet." in read(out, "logs/index.html")
    assert (out / "feed.xml").is_file()


def test_default_output_dir_is_site_output_dir(site: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(site)], env={"SOURCE_DATE_EPOCH": FIXED_EPOCH})
    assert result.exit_code == 0, result.output
    assert (site / "_site" / "index.html").is_file()


def test_feed_settings_choose_formats_and_summaries(tmp_path: Path) -> None:
    config = (
        "site:\n  title: T\n  base_url: https://t.example/\n"
        "feeds: {formats: [rss], per_tag: true, full_content: false, limit: 1}\n"
    )
    site = write_site(
        tmp_path / "site",
        {
            "logs/2026-11-20-a.md": "---\ntitle: A\ndate: 2026-11-20\ntags: [x]\n---\nAlpha.\n",
            "logs/2026-11-21-b.md": "---\ntitle: B\ndate: 2026-11-21\ntags: [x]\n---\nBeta body.\n",
        },
        config=config,
    )
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    assert not (out / "feed.xml").exists() and not (out / "feed.json").exists()
    assert not (out / "tags/x/feed.xml").exists()  # tag feeds are Atom feeds
    rss = feedparser.parse((out / "rss.xml").read_bytes())
    assert [e.title for e in rss.entries] == ["B"]
    assert "<p>" not in rss.entries[0].summary
    home = read(out, "index.html")
    assert 'type="application/rss+xml"' in home and "application/atom+xml" not in home


class _DisplayedText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("full_content", [True, False])
def test_rss_descriptions_show_summaries_as_written(tmp_path: Path, full_content: bool) -> None:
    # RSS <description> is HTML: a summary saying `Arc<Version>` must not turn into a tag
    body = "The version set is an `Arc<Version>` & readers clone the <Arc> first.\n"
    site = write_site(
        tmp_path / "site",
        {"logs/2026-11-20-arc.md": f"---\ntitle: Arc\ndate: 2026-11-20\n---\n{body}"},
        config=(
            "site:\n  title: T\n  base_url: https://t.example/\n"
            f"feeds: {{formats: [rss, json], full_content: {str(full_content).lower()}}}\n"
        ),
    )
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    summary = json.loads(read(out, "feed.json"))["items"][0]["summary"]
    assert summary == "The version set is an Arc<Version> & readers clone the <Arc> first."
    data = (out / "rss.xml").read_bytes()
    assert feedparser.parse(data).bozo == 0
    description = ET.fromstring(data).findtext("channel/item/description")
    assert description is not None
    parser = _DisplayedText()
    parser.feed(description)
    parser.close()
    assert ("".join(parser.text), parser.tags) == (summary, [])


def test_unsafe_html_passes_raw_html_through(tmp_path: Path) -> None:
    body = '---\ntitle: A\ndate: 2026-11-20\n---\n<span class="kbd">Ctrl</span>\n'
    site = write_site(
        tmp_path / "site",
        {"logs/2026-11-20-a.md": body},
        config="site:\n  title: T\nmarkdown: {unsafe_html: true}\n",
    )
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    assert '<span class="kbd">Ctrl</span>' in read(out, "logs/2026/11/20/a/index.html")
    safe = write_site(tmp_path / "safe", {"logs/2026-11-20-a.md": body})
    assert build(safe, tmp_path / "out2").exit_code == 0
    assert "&lt;span" in read(tmp_path / "out2", "logs/2026/11/20/a/index.html")


def test_tags_only_on_snippets_still_get_a_page(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {"snippets/s.md": "---\ntitle: S\ntags: [bash]\n---\n```sh\nls\n```\n"},
    )
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    page = read(out, "tags/bash/index.html")
    assert 'href="/snippets/s/">S</a>' in page
    assert 'href="/tags/bash/"' in read(out, "snippets/s/index.html")
