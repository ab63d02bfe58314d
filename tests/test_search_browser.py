"""Site search in headless Chromium (issue 12): Pagefind's real index and JavaScript, served
over HTTP under a base path, in both shipped themes.

Typing a word that occurs in one log shows that log first; after the log is edited and the
site rebuilt, its new word finds it and the old one finds nothing; after it is deleted,
nothing. The search page with results passes axe in light and dark, breaks no rule of the
page's Content-Security-Policy, and is usable without JavaScript.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from qa import axe, crawl
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.build import search
from tamatar_site.cli import main
from tamatar_site.load.themes import shipped_themes

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

WAIT_MS = 30_000  # generous: a timeout is a failure, never a measurement
UNIQUE = "zanzibarite"
EDITED = "axolotlism"
TARGET = "logs/2026-11-03-parsers.md"
TARGET_PATH = "logs/2026/11/03/parsers/"


def _logs() -> dict[str, str]:
    files = {
        f"logs/2026-11-{day:02d}-day-{day}.md": (
            f"---\ntitle: Day {day}\ndate: 2026-11-{day:02d}\ntags: [rust]\n---\n"
            f"Notes about parsers and borrowing, day {day}.\n"
        )
        for day in (1, 2, 4, 5)
    }
    files[TARGET] = (
        "---\ntitle: Parsers at last\ndate: 2026-11-03\ntags: [rust]\n---\n"
        f"Notes about parsers. The word {UNIQUE} appears in this log only.\n"
    )
    files["projects/lens.yaml"] = "name: Lens\ndescription: Parsers for query plans.\n"
    return files


@dataclass(frozen=True)
class Served:
    site: Path
    output: Path
    base_url: str  # ends with /devlog/
    theme: str


def _build(served: Served) -> None:
    args = ["build", str(served.site), "-o", str(served.output), "--offline", "-q"]
    args += ["--base-url", served.base_url]
    # In a worker thread: playwright's sync API runs an asyncio loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(
            CliRunner().invoke, main, args, env={"SOURCE_DATE_EPOCH": FIXED_EPOCH}
        ).result()
    assert result.exit_code == 0, result.output


@pytest.fixture(params=shipped_themes())
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    theme = str(request.param)
    config = (
        f"site:\n  title: Searchable\n  base_url: https://example.org/devlog/\n  theme: {theme}\n"
    )
    site = write_site(tmp_path / "site", _logs(), config=config)
    output = tmp_path / "out"
    output.mkdir()
    with crawl.serve_site(output, "/devlog/") as base_url:
        built = Served(site, output, base_url, theme)
        _build(built)
        yield built


def _search(page: Page, served: Served, words: str) -> tuple[str, list[str]]:
    """Type `words` into the search page's box; the status line and the results' links."""
    page.goto(served.base_url + "search/")
    page.fill("#search-q", words)
    status = page.locator("#search-status")
    status.filter(has_text=f"“{words}”").wait_for(timeout=WAIT_MS)
    links = page.locator("#search-results li h2 a")
    return status.inner_text(), [
        str(links.nth(i).get_attribute("href")) for i in range(links.count())
    ]


def test_a_word_of_one_log_finds_it_first_after_edits_and_deletion(
    browser: Browser, served: Served
) -> None:
    _find_after_edits_and_deletion(browser, served)


def test_an_index_made_in_parts_finds_the_same(
    browser: Browser, served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large site's base index is made by one Pagefind run a part (here of two pages)."""
    monkeypatch.setattr(search, "PART_PAGES", 2)
    shutil.rmtree(served.output)  # no index to keep: the next build makes it again
    _build(served)
    parts = json.loads((served.output / "pagefind/parts.json").read_text())["parts"]
    assert len(parts) >= 2, parts  # six searchable pages at least
    for part in parts:
        assert (served.output / "pagefind" / part / "pagefind-entry.json").is_file()
    _find_after_edits_and_deletion(browser, served)


def _find_after_edits_and_deletion(browser: Browser, served: Served) -> None:
    context = browser.new_context()
    violations: list[str] = []
    context.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    page = context.new_page()
    page.on("pageerror", lambda error: violations.append(str(error)))
    try:
        status, links = _search(page, served, UNIQUE)
        assert status == f"1 result for “{UNIQUE}”."
        assert links == [f"/devlog/{TARGET_PATH}"]
        status, links = _search(page, served, "parsers")
        assert len(links) == 6, status  # five logs and the project
        # The header's box on any page leads to the search page with the words in its URL.
        page.goto(served.base_url + TARGET_PATH)
        page.fill("#site-search-q", UNIQUE)
        page.press("#site-search-q", "Enter")
        page.locator("#search-results li h2 a").first.wait_for(timeout=WAIT_MS)
        assert page.url == f"{served.base_url}search/?q={UNIQUE}"
        assert page.locator("#search-results li h2 a").first.get_attribute("href") == (
            f"/devlog/{TARGET_PATH}"
        )

        log = served.site / TARGET
        log.write_text(log.read_text(encoding="utf-8").replace(UNIQUE, EDITED))
        _build(served)
        assert _search(page, served, EDITED)[1][0] == f"/devlog/{TARGET_PATH}"
        assert _search(page, served, UNIQUE) == (f"No results for “{UNIQUE}”.", [])

        log.unlink()
        _build(served)
        assert _search(page, served, EDITED) == (f"No results for “{EDITED}”.", [])
        assert len(_search(page, served, "parsers")[1]) == 5
    finally:
        context.close()
    assert violations == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_with_results_is_accessible(
    browser: Browser, served: Served, axe_source: str, scheme: axe.ColorScheme
) -> None:
    url = f"{served.base_url}search/?q=parsers"
    violations = axe.run_axe(browser, url, axe_source, scheme, wait_for="#search-results li")
    assert violations == [], f"{url} ({scheme}):\n" + "\n".join(v.format() for v in violations)
    for page_url in (served.base_url + "search/", served.base_url + TARGET_PATH):
        violations = axe.run_axe(browser, page_url, axe_source, scheme)
        assert violations == [], "\n".join(v.format() for v in violations)


def test_the_search_page_is_usable_without_javascript(browser: Browser, served: Served) -> None:
    assert axe.check_without_javascript(browser, served.base_url + "search/").usable
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served.base_url + TARGET_PATH)
        page.fill("#site-search-q", UNIQUE)
        page.press("#site-search-q", "Enter")
        page.wait_for_url(f"{served.base_url}search/?q={UNIQUE}")
        assert "needs JavaScript" in page.inner_text("main")
        page.get_by_role(
            "link", name="all tags" if served.theme == "default" else "the tags"
        ).click()
        page.wait_for_url(f"{served.base_url}tags/")
    finally:
        context.close()
