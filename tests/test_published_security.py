"""Published pages are safe to host: a Content Security Policy on every page, no request to
another origin, `rel="noopener noreferrer"` on links elsewhere, and no secret from the
environment in anything a build writes or prints.

The example site is built by the real CLI in every shipped theme; pages are parsed with
lxml and loaded in headless Chromium from a local server.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub, example_reply
from playwright.sync_api import Browser, ConsoleMessage, Request
from qa.crawl import serve_site
from qa.tools import REPO_ROOT
from serve_process import ServeProcess
from sitefiles import FIXED_EPOCH

from tamatar_site.cli import main
from tamatar_site.load.themes import shipped_themes

EXAMPLE_SITE = REPO_ROOT / "example-site"
MOUNT = "/devlog/"
POLICY = (
    "default-src 'self'; img-src 'self' data: https:; style-src 'self'; "
    "style-src-attr 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)
# The search page alone may compile WebAssembly: Pagefind's search runs in it.
SEARCH_POLICY = POLICY.replace("script-src 'self';", "script-src 'self' 'wasm-unsafe-eval';")


def _build(site: Path, output: Path, *args: str, env: dict[str, str] | None = None) -> str:
    command = ["build", str(site), "-o", str(output), *args]
    # A worker thread has no running asyncio loop even while playwright runs in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(
            CliRunner().invoke, main, command, env={"SOURCE_DATE_EPOCH": FIXED_EPOCH, **(env or {})}
        ).result()
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module", params=shipped_themes())
def example_build(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str]]:
    """The example site built in one theme and served under /devlog/: (output, base URL)."""
    tmp = tmp_path_factory.mktemp(f"security-{request.param}")
    site = tmp / "site"
    shutil.copytree(EXAMPLE_SITE, site, ignore=shutil.ignore_patterns("_site"))
    config = site / "tamatar.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "\n  theme: default\n", f"\n  theme: {request.param}\n"
        ),
        encoding="utf-8",
    )
    output = tmp / "out"
    with serve_site(output, MOUNT) as base_url:
        _build(site, output, "--offline", "--base-url", base_url)
        yield output, base_url


def _pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def page_types(output: Path) -> list[str]:
    """One page of every kind: each section's index, its first page below, the home, 404."""
    paths = ["", "404.html"]
    for section in sorted(p for p in output.iterdir() if (p / "index.html").is_file()):
        paths.append(f"{section.name}/")
        below = sorted(p for p in section.rglob("index.html") if p.parent != section)
        if below:
            deepest = max(below, key=lambda index: (len(index.parts), index))  # a log, not a list
            paths.append(deepest.parent.relative_to(output).as_posix() + "/")
    return paths


def test_every_page_starts_with_the_content_security_policy(
    example_build: tuple[Path, str],
) -> None:
    output, base_url = example_build
    search_script = f"{urlsplit(base_url).path}assets/search.js"
    pages = _pages(output)
    assert len(pages) > 60
    for page in pages:
        head = lxml.html.parse(str(page)).getroot().find("head")
        assert head is not None, page
        metas = head.xpath("meta[@http-equiv='Content-Security-Policy']")
        search = page == output / "search" / "index.html"
        assert [meta.get("content") for meta in metas] == [SEARCH_POLICY if search else POLICY]
        # before anything the policy governs: only <meta charset> comes earlier
        earlier = [el.tag for el in metas[0].itersiblings(preceding=True)]
        assert earlier == ["meta"], (page, earlier)
        scripts = head.getroottree().getroot().xpath("//script | //style")
        # The one script of the themes: the search page's, from the site, never inline.
        wanted = [("script", "module", search_script, "")] if search else []
        found = [(e.tag, e.get("type"), e.get("src"), e.text or "") for e in scripts]
        assert found == wanted, page


def test_external_links_have_noopener_noreferrer(example_build: tuple[Path, str]) -> None:
    output, base_url = example_build
    own = urlsplit(base_url).netloc
    external = 0
    for page in _pages(output):
        for link in lxml.html.parse(str(page)).getroot().iter("a"):
            href = urljoin(base_url, link.get("href", ""))
            if urlsplit(href).scheme in ("http", "https") and urlsplit(href).netloc != own:
                external += 1
                rel = set((link.get("rel") or "").split())
                assert {"noopener", "noreferrer"} <= rel, (page, href, rel)
    assert external > 20  # profile links, resources, repo links, links in logs


@pytest.mark.browser
def test_pages_load_only_local_resources_and_break_no_policy(
    browser: Browser, example_build: tuple[Path, str]
) -> None:
    output, base_url = example_build
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    requests: list[str] = []
    console: list[str] = []
    context = browser.new_context()
    page = context.new_page()

    def on_request(request: Request) -> None:
        requests.append(request.url)

    def on_console(message: ConsoleMessage) -> None:
        console.append(f"{message.type}: {message.text}")

    page.on("request", on_request)
    page.on("console", on_console)
    visited = page_types(output)
    assert len(visited) >= 15 and any(path.startswith("logs/20") for path in visited)
    for path in visited:
        page.goto(base_url + path, wait_until="load")
        page.wait_for_load_state("networkidle")
    context.close()
    assert len(requests) > len(visited)  # pages, their styles, icons and images
    foreign = [url for url in requests if not url.startswith((origin + "/", "data:"))]
    assert foreign == []
    violations = [line for line in console if "Content Security Policy" in line]
    assert violations == []
    assert [line for line in console if line.startswith("error")] == []


@pytest.mark.browser
def test_live_reload_runs_under_the_policy(browser: Browser, tmp_path: Path) -> None:
    """`tamatar serve` injects an inline script; the page's CSP lets exactly it run."""
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE_SITE, site, ignore=shutil.ignore_patterns("_site"))
    server = ServeProcess(site, "--offline")
    console: list[str] = []
    try:
        server.wait_until_serving()
        page = browser.new_page()
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.goto(server.url, wait_until="load")
        meta = page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
        assert meta is not None and "'sha256-" in meta
        marker = "live reload under the policy"
        (site / "tamatar.yaml").write_text(
            (site / "tamatar.yaml")
            .read_text(encoding="utf-8")
            .replace("Mona Octocat — learning in public", marker),
            encoding="utf-8",
        )
        page.get_by_text(marker).first.wait_for(timeout=20_000)
        page.close()
    finally:
        assert server.interrupt() == 0
    assert [line for line in console if "Content Security Policy" in line] == []


# --- secrets ----------------------------------------------------------------------------------

CANARIES = {
    "GITHUB_TOKEN": "ghp_canaryTOKEN0123456789abcdefABCDEF0123",
    "MY_SECRET": "canary-secret-7f3a9c1e",
    "AWS_SECRET_ACCESS_KEY": "canaryAWSkey/abc+def=ghi",
    "DEPLOY_API_TOKEN": "canary-deploy-token-55",
}


def _secret_site(root: Path, api_url: str) -> Path:
    site = root / "site"
    (site / "logs").mkdir(parents=True)
    (site / "projects").mkdir()
    (site / "tamatar.yaml").write_text(
        "site:\n  title: Secrets\n  timezone: UTC\n"
        f"github:\n  user: octocat\n  token_env: GITHUB_TOKEN\n  api_url: {api_url}\n"
        "  repos: [octocat/Hello-World]\n",
        encoding="utf-8",
    )
    (site / "projects" / "hello.yaml").write_text(
        "name: Hello\nrepo: octocat/Hello-World\n", encoding="utf-8"
    )
    (site / "logs" / "2026-11-20-a.md").write_text(
        "---\ntitle: A\nproject: hello\n---\nText.\n", encoding="utf-8"
    )
    return site


def test_no_secret_from_the_environment_is_written_or_printed(tmp_path: Path) -> None:
    with FakeGitHub() as gh:
        gh.add("/users/octocat", example_reply("users-get-user.json"))
        gh.add("/repos/octocat/Hello-World", example_reply("repos-get.json"))
        gh.add("/repos/octocat/Hello-World/languages", example_reply("repos-list-languages.json"))
        gh.add("/repos/octocat/Hello-World/commits", example_reply("repos-list-commits.json"))
        site = _secret_site(tmp_path, gh.url)
        output = tmp_path / "out"
        printed = _build(site, output, env={**CANARIES, "CI": "true"})
        printed += _build(site, output, "--offline", env=CANARIES)
        sent = [r.headers.get("authorization") for r in gh.requests]
    # the token was really used, so a leak would have had something to leak
    assert f"Bearer {CANARIES['GITHUB_TOKEN']}" in sent
    written = [p for p in (*output.rglob("*"), *site.rglob("*")) if p.is_file()]
    cache = [p for p in written if ".tamatar" in p.parts]
    assert any(p.suffix == ".json" and "github" in p.parts for p in cache)
    for value in CANARIES.values():
        assert value not in printed
        for path in written:
            assert value.encode() not in path.read_bytes(), (path, value)
    for path in cache:
        if path.suffix == ".json" and "github" in path.parts:
            text = path.read_text(encoding="utf-8")
            assert "authorization" not in text.lower(), path
            entry = json.loads(text)
            assert set(entry) <= {"url", "status", "etag", "last_modified", "link", "body"}
