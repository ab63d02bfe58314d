"""The example site, built by the real CLI, passes every QA check of issue 3, in every
theme tamatar ships (`default` and `minimal`):

- the Nu Html Checker reports 0 errors on every page;
- every feed parses with feedparser (bozo == 0) and follows RSS 2.0 / RFC 4287 / JSON Feed;
- a crawler finds 0 broken internal links at the root and under `/devlog/`;
- axe-core reports no violations on the home, timeline, a log, a tag, a project and the
  stats page, in light and dark;
- the pages are usable with JavaScript disabled.

Each build is served by a real http.server whose port is known before the build, so the
build's `--base-url` is the URL the pages are really served from. The module-scoped site
fixtures are parametrised by theme: pytest runs every test of one theme, then the next.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import Browser
from qa import axe, crawl, feeds, layout, vnu
from qa.tools import REPO_ROOT

from tamatar_site.cli import main
from tamatar_site.load.themes import shipped_themes

EXAMPLE_SITE = REPO_ROOT / "example-site"
THEMES = shipped_themes()


@dataclass(frozen=True)
class BuiltSite:
    """A build of the example site and the URL it is served from."""

    output: Path
    base_url: str
    configured_base_url: str
    theme: str


def build_example_site(tmp: Path, output: Path, base_url: str, theme: str) -> BuiltSite:
    site = tmp / "example-site"
    shutil.copytree(EXAMPLE_SITE, site, ignore=shutil.ignore_patterns("_site"))
    config_file = site / "tamatar.yaml"
    config_text = config_file.read_text(encoding="utf-8")
    assert "\n  theme: default\n" in config_text
    config_file.write_text(config_text.replace("\n  theme: default\n", f"\n  theme: {theme}\n"))
    args = ["build", str(site), "-o", str(output), "--offline", "--base-url", base_url]
    # In a worker thread: it has no running asyncio loop even when a playwright browser is
    # already open in this thread (see the `browser` fixture), so the build's asyncio.run()
    # works whatever order the tests run in.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(CliRunner().invoke, main, args).result()
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((site / "tamatar.yaml").read_text(encoding="utf-8"))
    assert config["site"]["theme"] == theme
    stylesheets = {link.get("href", "") for link in read_head(output / "index.html").links}
    assert any(href.endswith(f"/assets/{THEME_STYLESHEETS[theme]}") for href in stylesheets)
    return BuiltSite(output, base_url, str(config["site"]["base_url"]), theme)


# The stylesheet that tells which theme a build used.
THEME_STYLESHEETS = {"default": "tamatar.css", "minimal": "minimal.css"}


def test_every_shipped_theme_is_checked() -> None:
    assert sorted(THEME_STYLESHEETS) == THEMES


@pytest.fixture(scope="module", params=THEMES)
def root_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BuiltSite]:
    """The example site built (in each shipped theme) for and served at
    http://127.0.0.1:PORT/."""
    tmp = tmp_path_factory.mktemp(f"qa-root-{request.param}")
    output = tmp / "out"
    output.mkdir()
    with crawl.serve_site(output, "/") as base_url:
        yield build_example_site(tmp, output, base_url, request.param)


@pytest.fixture(scope="module", params=THEMES)
def devlog_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BuiltSite]:
    """The example site built (in each shipped theme) for and served at
    http://127.0.0.1:PORT/devlog/."""
    tmp = tmp_path_factory.mktemp(f"qa-devlog-{request.param}")
    output = tmp / "out"
    output.mkdir()
    with crawl.serve_site(output, "/devlog/") as base_url:
        yield build_example_site(tmp, output, base_url, request.param)


def first_page(output: Path, pattern: str) -> str:
    """Site-relative URL of the first page (sorted) matching a glob of index.html files."""
    matches = sorted(output.glob(pattern))
    assert matches, f"no page matches {pattern} in the build"
    return matches[0].parent.relative_to(output).as_posix() + "/"


# The pages issue 3 names, as globs of their index.html in the output.
KEY_PAGES = {
    "home": "index.html",
    "timeline": "logs/index.html",
    "log": "logs/*/*/*/*/index.html",
    "tag": "tags/*/index.html",
    "project": "projects/*/index.html",
    "stats": "stats/index.html",
}


def key_page_url(built: BuiltSite, name: str) -> str:
    pattern = KEY_PAGES[name]
    if "*" not in pattern:
        assert (built.output / pattern).is_file(), f"{pattern} is missing"
        return built.base_url + pattern.removesuffix("index.html")
    return built.base_url + first_page(built.output, pattern)


def test_every_page_is_valid_html(root_site: BuiltSite, vnu_command: tuple[str, Path]) -> None:
    java, jar = vnu_command
    report = vnu.run_vnu(root_site.output, jar=jar, java=java, also_check_css=True)
    print(f"{root_site.theme}: {report.summary()}")
    assert report.files_checked > 20
    assert report.errors == [], report.grouped()


def test_every_feed_is_valid(root_site: BuiltSite) -> None:
    reports = feeds.check_feeds(root_site.output)
    names = {r.path for r in reports}
    assert {"feed.xml", "rss.xml", "feed.json", "digests/feed.xml"} <= names
    assert any(name.startswith("tags/") for name in names), "no per-tag feeds"
    for report in reports:
        print(f"{report.path}: {report.format}, {report.entries} entries")
        assert report.entries > 0, f"{report.path} has no entries"
    problems = [p for r in reports for p in r.problems]
    assert problems == [], "\n".join(problems)


def check_links(built: BuiltSite) -> None:
    foreign = [built.configured_base_url] if built.configured_base_url != built.base_url else []
    report = crawl.crawl(built.base_url, built.output, foreign_site_urls=foreign)
    print(f"{built.theme}: {report.summary()}")
    assert report.checked > 20
    assert report.problems == [], report.format_problems()


def test_no_broken_internal_links(root_site: BuiltSite) -> None:
    check_links(root_site)


def test_no_broken_internal_links_under_a_base_path(devlog_site: BuiltSite) -> None:
    check_links(devlog_site)


class _HeadLinks(HTMLParser):
    """The <link> and <meta> elements of a page, as attribute dicts."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.metas: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link":
            self.links.append(values)
        elif tag == "meta":
            self.metas.append(values)


def read_head(path: Path) -> _HeadLinks:
    parser = _HeadLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_url(built: BuiltSite, path: Path) -> str:
    relative = path.relative_to(built.output).as_posix()
    return built.base_url + relative.removesuffix("index.html")


def test_sitemap_lists_every_indexable_page(root_site: BuiltSite) -> None:
    sitemap = ET.parse(root_site.output / "sitemap.xml").getroot()
    listed = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    indexable = {
        page_url(root_site, path)
        for path in root_site.output.rglob("*.html")
        if not any(m.get("name") == "robots" for m in read_head(path).metas)
    }
    assert listed == indexable
    robots = (root_site.output / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {root_site.base_url}sitemap.xml" in robots


def test_every_page_advertises_the_feeds(root_site: BuiltSite) -> None:
    wanted = {
        ("application/atom+xml", root_site.base_url + "feed.xml"),
        ("application/rss+xml", root_site.base_url + "rss.xml"),
        ("application/feed+json", root_site.base_url + "feed.json"),
    }
    missing: list[str] = []
    for path in sorted(root_site.output.rglob("*.html")):
        alternates = {
            (link.get("type", ""), urljoin(page_url(root_site, path), link.get("href", "")))
            for link in read_head(path).links
            if link.get("rel") == "alternate"
        }
        missing.extend(f"{path.relative_to(root_site.output)}: {w}" for w in wanted - alternates)
    assert missing == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_name", list(KEY_PAGES))
def test_no_accessibility_violations(
    root_site: BuiltSite, browser: Browser, axe_source: str, page_name: str, scheme: axe.ColorScheme
) -> None:
    url = key_page_url(root_site, page_name)
    violations = axe.run_axe(browser, url, axe_source, scheme)
    assert violations == [], f"{url} ({scheme}):\n" + "\n".join(v.format() for v in violations)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_name", ["home", "log"])
def test_no_accessibility_violations_on_a_phone(
    root_site: BuiltSite, browser: Browser, axe_source: str, page_name: str, scheme: axe.ColorScheme
) -> None:
    url = key_page_url(root_site, page_name)
    violations = axe.run_axe(browser, url, axe_source, scheme, viewport_width=390)
    assert violations == [], f"{url} ({scheme}, 390 px):\n" + "\n".join(
        v.format() for v in violations
    )


# One page of every other kind, so a template that only those pages use is checked too.
OTHER_PAGES = {
    "tags": "tags/index.html",
    "projects": "projects/index.html",
    "resources": "resources/index.html",
    "resource-filter": "resources/*/*/index.html",
    "resource": "resources/database-internals/index.html",  # a half star, a review, dates
    "goals": "goals/index.html",
    "goal": "goals/tidepool-v0-1/index.html",  # a quest chain, logs, projects, resources
    "paths": "paths/index.html",
    "path": "paths/*/index.html",
    "snippets": "snippets/index.html",
    "snippet": "snippets/*/index.html",
    "following": "following/index.html",
    "free-page": "about/index.html",
    "timeline-page-2": "logs/page/2/index.html",
    "archive-year": "logs/[0-9]*/index.html",
    "archive-month": "logs/[0-9]*/[0-9]*/index.html",
    "archive-day": "logs/[0-9]*/[0-9]*/[0-9]*/index.html",
    "not-found": "404.html",
    "search": "search/index.html",
}


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations_on_other_pages(
    root_site: BuiltSite, browser: Browser, axe_source: str, scheme: axe.ColorScheme
) -> None:
    failures: list[str] = []
    for pattern in OTHER_PAGES.values():
        if "*" in pattern:
            url = root_site.base_url + first_page(root_site.output, pattern)
        else:
            assert (root_site.output / pattern).is_file(), f"{pattern} is missing"
            url = root_site.base_url + pattern.removesuffix("index.html")
        violations = axe.run_axe(browser, url, axe_source, scheme)
        failures.extend(f"{url} ({scheme}): {v.format()}" for v in violations)
    assert failures == [], "\n".join(failures)


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_phone(root_site: BuiltSite, browser: Browser) -> None:
    urls = [
        root_site.base_url
        + path.relative_to(root_site.output).as_posix().removesuffix("index.html")
        for path in sorted(root_site.output.rglob("*.html"))
    ]
    overflowing = layout.sideways_overflow(browser, urls, width=390)
    assert overflowing == [], "\n".join(o.format() for o in overflowing)


@pytest.mark.browser
def test_short_code_phrases_stay_on_one_line_on_a_phone(
    root_site: BuiltSite, browser: Browser
) -> None:
    logs = sorted(root_site.output.glob("logs/*/*/*/*/index.html"))
    urls = [
        root_site.base_url + path.parent.relative_to(root_site.output).as_posix() + "/"
        for path in logs
    ]
    seen, broken = layout.broken_phrases(browser, urls, "code.nowrap", width=360)
    assert seen > 20  # the example's logs have many (`cargo build --release`, ...)
    assert broken == [], "\n".join(b.format() for b in broken)


@pytest.mark.browser
def test_keyboard_users_can_skip_to_the_content(root_site: BuiltSite, browser: Browser) -> None:
    first_stop, focused_id = axe.skip_link_target(browser, root_site.base_url)
    assert first_stop == "Skip to content"
    assert focused_id == "main"


@pytest.mark.browser
@pytest.mark.parametrize("page_name", ["home", "log"])
def test_focus_is_always_visible(root_site: BuiltSite, browser: Browser, page_name: str) -> None:
    stops = axe.tab_through(browser, key_page_url(root_site, page_name), stops=25)
    invisible = [stop for stop in stops if not stop.focus_visible]
    assert invisible == []


@pytest.mark.browser
def test_pages_are_usable_without_javascript(root_site: BuiltSite, browser: Browser) -> None:
    urls = [key_page_url(root_site, name) for name in KEY_PAGES]
    for section in ("tags", "projects", "resources", "goals", "paths", "snippets", "following"):
        if (root_site.output / section / "index.html").is_file():
            urls.append(f"{root_site.base_url}{section}/")
    results = [axe.check_without_javascript(browser, url) for url in urls]
    unusable = [r for r in results if not r.usable]
    assert unusable == []


# Computed colours in the browser: each tag count with its chip, each language swatch with
# the page behind it (opacity folded into the count's colour as a browser paints it).
_COLOURS_JS = """
() => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const page = rgb(getComputedStyle(document.body).backgroundColor);
  const counts = [...document.querySelectorAll('.tag-colored .tag-count')].map((el) => {
    const style = getComputedStyle(el);
    const chip = getComputedStyle(el.closest('.tag-colored'));
    return {fg: rgb(style.color), opacity: Number(style.opacity), bg: rgb(chip.backgroundColor)};
  });
  const swatches = [...document.querySelectorAll('.language-legend rect, .swatch')].map((el) => {
    const style = getComputedStyle(el);
    return rgb(el.tagName === 'rect' ? style.fill : style.backgroundColor);
  });
  return {page, counts, swatches};
}
"""


def _contrast(first: list[float], second: list[float]) -> float:
    def luminance(rgb: list[float]) -> float:
        def channel(c: float) -> float:
            c /= 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_tag_counts_and_language_swatches_reach_contrast(
    root_site: BuiltSite, browser: Browser, scheme: axe.ColorScheme
) -> None:
    measured: dict[str, dict[str, list[object]]] = {}
    for page_path in ("tags/", "projects/hello-world/", ""):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(root_site.base_url + page_path)
            measured[page_path] = page.evaluate(_COLOURS_JS)
        finally:
            context.close()
    counts = [c for m in measured.values() for c in m["counts"]]
    assert counts or root_site.theme == "minimal", "no coloured tag with a count"
    for count in counts:
        assert isinstance(count, dict)
        bg, fg, opacity = count["bg"], count["fg"], count["opacity"]
        painted = [opacity * f + (1 - opacity) * b for f, b in zip(fg, bg, strict=False)]
        assert _contrast(painted, bg) >= 4.5, count
    swatches = measured["projects/hello-world/"]["swatches"]
    assert len(swatches) >= 2, "no language swatches on the Hello World project"
    page_bg = measured["projects/hello-world/"]["page"]
    assert isinstance(page_bg, list)
    for swatch in swatches:
        assert isinstance(swatch, list)
        assert _contrast(swatch, page_bg) >= 3, (swatch, page_bg)
