"""Link crawler: serve a built site under a base path and check every internal link.

`serve_site(folder, mount)` runs a real `http.server` on 127.0.0.1 that serves the folder
under `mount` ("/" or "/devlog/") and answers 404 for anything outside it, the way GitHub
Pages serves a project site under `/<repo>/`. `crawl(...)` starts from the mount and from
every HTML, XML, JSON and CSS file in the folder (so pages that nothing links to are
checked too), follows every href/src/srcset/poster/action in HTML, every URL in
sitemaps, feeds, OPML, robots.txt and JSON, and `url()` in CSS, and fetches each internal
URL once. It reports links that answer with an error, `#fragments` that name no id on the
target page, links that leave the base path, `javascript:` links, and links that point at
a "foreign" site URL (the configured base_url where `--base-url` should have replaced it).
External URLs are collected, never fetched.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

_CHECKED_SCHEMES = ("http", "https")
_HARMLESS_SCHEMES = ("mailto", "tel", "data", "irc", "ircs", "xmpp", "sms", "geo", "feed")
_PARSED_SUFFIXES = (".html", ".xml", ".opml", ".json", ".css", ".txt")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# Elements of Atom/RSS whose text is escaped HTML (entry content and summaries).
_HTML_CONTENT_TAGS = (
    "{http://www.w3.org/2005/Atom}content",
    "{http://www.w3.org/2005/Atom}summary",
    "description",
    "{http://purl.org/rss/1.0/modules/content/}encoded",
)


@dataclass(frozen=True)
class LinkProblem:
    """One bad link: where it was found, the URL it resolves to, and what is wrong."""

    source: str
    target: str
    reason: str

    def format(self) -> str:
        return f"{self.source}: {self.target}: {self.reason}"


@dataclass
class CrawlReport:
    """What a crawl found. `problems` is empty for a healthy site."""

    start_url: str
    documents: int = 0
    checked: int = 0
    problems: list[LinkProblem] = field(default_factory=list)
    external: set[str] = field(default_factory=set)
    unreachable_pages: list[str] = field(default_factory=list)

    @property
    def broken(self) -> list[LinkProblem]:
        return [p for p in self.problems if not p.reason.startswith("escapes")]

    @property
    def escaping(self) -> list[LinkProblem]:
        return [p for p in self.problems if p.reason.startswith("escapes")]

    def summary(self) -> str:
        return (
            f"crawled {self.start_url}: {self.documents} documents parsed, "
            f"{self.checked} internal URLs fetched, {len(self.broken)} broken, "
            f"{len(self.escaping)} escaping the base path, {len(self.external)} external"
        )

    def format_problems(self, limit: int = 50) -> str:
        lines = [p.format() for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more")
        return "\n".join(lines)


class _MountedHandler(SimpleHTTPRequestHandler):
    """Serves `directory` under the URL prefix `mount`; everything else is a 404."""

    def __init__(self, *args: Any, mount: str, **kwargs: Any) -> None:
        self.mount = mount
        super().__init__(*args, **kwargs)

    def send_head(self) -> Any:
        if not urlsplit(self.path).path.startswith(self.mount):
            self.send_error(404, "Outside the base path")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        url_path = urlsplit(path).path
        return super().translate_path("/" + url_path[len(self.mount) :])

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@contextmanager
def serve_site(directory: Path, mount: str = "/") -> Iterator[str]:
    """Serve `directory` under `mount` on 127.0.0.1 and yield the base URL.

    The folder may be (re)built while the server runs: every request reads the disk.
    """
    if not (mount.startswith("/") and mount.endswith("/")):
        raise ValueError(f"mount must start and end with '/': {mount!r}")
    handler = partial(_MountedHandler, directory=str(directory), mount=mount)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{mount}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _HtmlLinks(HTMLParser):
    """Collects link-like attribute values, element ids and <base href> from HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag == "base" and "href" in values and self.base is None:
            self.base = values["href"]
            return
        if tag == "link" and values.get("rel", "").lower() in ("preconnect", "dns-prefetch"):
            return
        for name in ("href", "src", "poster", "action", "xlink:href"):
            if name in values:
                self.links.append(values[name])
        if tag == "object" and "data" in values:
            self.links.append(values["data"])
        for name in ("srcset", "imagesrcset"):
            if name in values:
                self.links.extend(_srcset_urls(values[name]))
        if tag == "meta":
            self._meta(values)

    def _meta(self, values: dict[str, str]) -> None:
        prop = values.get("property", values.get("name", "")).lower()
        content = values.get("content", "")
        if prop in ("og:url", "og:image", "twitter:image") and content:
            self.links.append(content)
        if values.get("http-equiv", "").lower() == "refresh" and "url=" in content.lower():
            self.links.append(content[content.lower().index("url=") + 4 :].strip("'\" "))


def _srcset_urls(srcset: str) -> list[str]:
    return [c.strip().split()[0] for c in srcset.split(",") if c.strip()]


def parse_html(text: str) -> tuple[list[str], set[str], str | None]:
    """Links, ids and <base href> of one HTML document."""
    parser = _HtmlLinks()
    parser.feed(text)
    parser.close()
    return parser.links, parser.ids, parser.base


def _xml_links(text: str, document_url: str) -> list[tuple[str, str]]:
    """(url, base) pairs from an XML document: attributes and texts that are URLs,
    plus the links inside escaped-HTML content, resolved against xml:base."""
    found: list[tuple[str, str]] = []
    root = ET.fromstring(text)

    def walk(element: ET.Element, base: str) -> None:
        base = urljoin(base, element.get(_XML_BASE, ""))
        for name, value in element.attrib.items():
            if name in ("href", "src", "url", "xmlUrl", "htmlUrl") or _looks_absolute(value):
                found.append((value.strip(), base))
        text = (element.text or "").strip()
        if element.tag in _HTML_CONTENT_TAGS and "<" in text:
            links, _ids, html_base = parse_html(text)
            content_base = urljoin(base, html_base or "")
            found.extend((link, content_base) for link in links)
        elif _looks_absolute(text):
            found.append((text, base))
        for child in element:
            walk(child, base)

    walk(root, document_url)
    return found


def _looks_absolute(value: str) -> bool:
    value = value.strip()
    return value.startswith(("http://", "https://")) and not any(c.isspace() for c in value)


def _json_links(text: str, document_url: str) -> list[tuple[str, str]]:
    """(url, base) pairs from JSON: every absolute URL string, plus links inside
    `content_html` (resolved against the item's `url`, as feed readers do)."""
    found: list[tuple[str, str]] = []

    def walk(value: object, base: str) -> None:
        if isinstance(value, dict):
            item_base = value.get("url") if isinstance(value.get("url"), str) else None
            for key, child in value.items():
                if key == "content_html" and isinstance(child, str):
                    links, _ids, html_base = parse_html(child)
                    content_base = urljoin(item_base or base, html_base or "")
                    found.extend((link, content_base) for link in links)
                else:
                    walk(child, base)
        elif isinstance(value, list):
            for child in value:
                walk(child, base)
        elif isinstance(value, str) and _looks_absolute(value):
            found.append((value.strip(), base))

    walk(json.loads(text), document_url)
    return found


def _css_links(text: str) -> list[str]:
    return [m.group(2) for m in _CSS_URL.finditer(text)] + [
        m.group(2) for m in _CSS_IMPORT.finditer(text)
    ]


def _robots_links(text: str) -> list[str]:
    return [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.lower().startswith("sitemap:")
    ]


@dataclass
class _Fetched:
    status: int
    ids: set[str] | None  # None when the document is not HTML


class _Crawler:
    def __init__(self, start_url: str, foreign_site_urls: Sequence[str]) -> None:
        parts = urlsplit(start_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.mount = parts.path
        self.foreign = [u for u in foreign_site_urls if u]
        self.report = CrawlReport(start_url=start_url)
        self.fetched: dict[str, _Fetched] = {}
        self.queue: list[str] = []
        self.fragments: list[tuple[str, str, str]] = []  # (source, page url, fragment)
        self.referrers: dict[str, str] = {}

    def add_link(self, source: str, raw: str, base: str) -> None:
        raw = raw.strip()
        scheme = raw.split(":", 1)[0].lower() if ":" in raw.split("/", 1)[0] else ""
        if scheme == "javascript" or scheme == "vbscript":
            self.report.problems.append(LinkProblem(source, raw, "unsafe URL scheme"))
            return
        if scheme in _HARMLESS_SCHEMES:
            return
        url = urljoin(base, raw)
        if urlsplit(url).scheme not in _CHECKED_SCHEMES:
            return
        for foreign in self.foreign:
            if url.startswith(foreign):
                reason = f"points at the configured site URL {foreign}, not the served one"
                self.report.problems.append(LinkProblem(source, url, reason))
                return
        page, fragment = urldefrag(url)
        if not page.startswith(self.origin + "/"):
            self.report.external.add(url)
            return
        if not urlsplit(page).path.startswith(self.mount):
            reason = f"escapes the base path {self.mount}"
            self.report.problems.append(LinkProblem(source, url, reason))
            return
        if fragment:
            self.fragments.append((source, page, unquote(fragment)))
        self.enqueue(page, source)

    def enqueue(self, page: str, source: str) -> None:
        if page not in self.fetched and page not in self.referrers:
            self.referrers[page] = source
            self.queue.append(page)

    def run(self) -> CrawlReport:
        while self.queue:
            page = self.queue.pop(0)
            self.fetched[page] = self.fetch(page)
        fragments, self.fragments = self.fragments, []
        for source, page, fragment in fragments:
            ids = self.fetched[page].ids
            if self.fetched[page].status == 200 and ids is not None and fragment not in ids:
                reason = f"no element with id {fragment!r} on the target page"
                self.report.problems.append(LinkProblem(source, f"{page}#{fragment}", reason))
        self.report.checked = len(self.fetched)
        return self.report

    def fetch(self, url: str) -> _Fetched:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body: bytes = response.read()
                final_url: str = response.geturl()
                status: int = response.status
        except urllib.error.HTTPError as error:
            error.close()
            reason = f"HTTP {error.code}"
            self.report.problems.append(LinkProblem(self.referrers.get(url, ""), url, reason))
            return _Fetched(error.code, None)
        return _Fetched(status, self.parse(final_url, body))

    def parse(self, url: str, body: bytes) -> set[str] | None:
        path = urlsplit(url).path
        text = body.decode("utf-8", errors="replace")
        suffix = Path(path).suffix.lower()
        links: list[tuple[str, str]]
        ids: set[str] | None = None
        try:
            if path.endswith("/") or suffix in (".html", ".htm"):
                raw_links, ids, html_base = parse_html(text)
                base = urljoin(url, html_base or "")
                links = [(link, base) for link in raw_links]
            elif suffix in (".xml", ".opml", ".atom", ".rss"):
                links = _xml_links(text, url)
            elif suffix == ".json":
                links = _json_links(text, url)
            elif suffix == ".css":
                links = [(link, url) for link in _css_links(text)]
            elif path.endswith("/robots.txt"):
                links = [(link, url) for link in _robots_links(text)]
            else:
                return None
        except (ET.ParseError, json.JSONDecodeError) as error:
            self.report.problems.append(LinkProblem(url, url, f"cannot parse: {error}"))
            return None
        self.report.documents += 1
        for link, base in links:
            self.add_link(url, link, base)
        return ids


def crawl(
    start_url: str,
    directory: Path | None = None,
    *,
    foreign_site_urls: Sequence[str] = (),
) -> CrawlReport:
    """Crawl a served site from `start_url` (the mount URL, ending in '/').

    With `directory` (the served folder), every HTML/XML/JSON/CSS/robots file in it is a
    starting point too, and HTML pages that no link reaches are listed in
    `unreachable_pages`. `foreign_site_urls` are absolute URL prefixes that must not appear
    (typically the site's configured base_url when the build overrode it).
    """
    crawler = _Crawler(start_url, foreign_site_urls)
    crawler.enqueue(start_url, "(start)")
    if directory is not None and (directory / "404.html").is_file():
        # Static hosts serve 404.html at whatever URL was missing, so its links must work
        # from any depth: parse it as if it were served deep inside the site.
        deep_url = start_url + "no/such/page/"
        links, _ids, html_base = parse_html((directory / "404.html").read_text("utf-8"))
        base = urljoin(deep_url, html_base or "")
        for link in links:
            if not link.startswith("#"):  # same-document links stay on the 404 page
                crawler.add_link(f"404.html served at {deep_url}", link, base)
    seeded: list[str] = []
    if directory is not None:
        for file in sorted(directory.rglob("*")):
            if file.is_file() and file.suffix.lower() in _PARSED_SUFFIXES:
                relative = file.relative_to(directory).as_posix()
                if relative.endswith("index.html"):
                    relative = relative[: -len("index.html")]
                seeded.append(start_url + relative)
    # Follow links first, so `referrers` names a real linking page where there is one.
    report = crawler.run()
    linked = set(crawler.fetched)
    for url in seeded:
        crawler.enqueue(url, "(file in the output folder)")
    report = crawler.run()
    report.unreachable_pages = [
        url for url in seeded if url not in linked and (url.endswith("/") or url.endswith(".html"))
    ]
    return report
