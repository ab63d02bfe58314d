"""Headless Chromium against the real `tamatar serve`: live reload, error overlay, recovery."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from serve_process import ServeProcess

from tamatar_site.scaffold import init_site
from tamatar_site.serve.inject import OVERLAY_ID

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

DAY = dt.date(2026, 11, 1)
LOG = f"logs/{DAY:%Y}/{DAY:%Y-%m-%d}-hello-tamatar.md"
LOG_PATH = f"logs/{DAY:%Y/%m/%d}/hello-tamatar/"
FRONT = "---\ntitle: Hello, tamatar\ndate: 2026-11-01\ntags: [learning]\n---\n"
EDITS = 10
WAIT_MS = 20_000  # generous: a timeout is a failure, never a measurement


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, ServeProcess]]:
    site = tmp_path / "devlog"
    init_site(site, remote="git@github.com:asha/devlog.git", timezone="UTC", today=DAY)
    server = ServeProcess(site, "--offline")
    try:
        server.wait_until_serving()
        yield site, server
    finally:
        assert server.running, f"the server exited: {server.stdout} {server.stderr}"
        assert server.interrupt() == 0
        assert "Traceback" not in "\n".join(server.stderr)


def _edit_and_wait(page: Page, log: Path, text: str) -> float:
    started = time.monotonic()
    log.write_text(FRONT + text + "\n", encoding="utf-8")
    page.get_by_text(text, exact=False).first.wait_for(timeout=WAIT_MS)
    return time.monotonic() - started


def test_live_reload_error_overlay_and_recovery(
    browser: Browser, served: tuple[Path, ServeProcess], capsys: pytest.CaptureFixture[str]
) -> None:
    site, server = served
    log = site / LOG
    page = browser.new_page()
    page.goto(server.url + LOG_PATH)
    assert "Today I worked through the shell lecture" in page.inner_text("body")

    seconds = [
        _edit_and_wait(page, log, f"Edit number {i} shows up by itself.") for i in range(EDITS)
    ]
    median = statistics.median(seconds)
    with capsys.disabled():
        print(
            f"\nserve live reload, edit on disk -> new text in Chromium: median {median:.3f}s, "
            f"max {max(seconds):.3f}s over {EDITS} edits"
        )

    # A typo in the front matter: the page keeps the last good text under an overlay.
    log.write_text(FRONT.replace("title:", "titel:") + "Broken.\n", encoding="utf-8")
    overlay = page.locator(f"#{OVERLAY_ID}")
    overlay.wait_for(timeout=WAIT_MS)
    message = overlay.inner_text()
    assert f"{LOG}:2:1: error:" in message
    assert "titel" in message
    assert f"Edit number {EDITS - 1}" in page.inner_text("body")
    assert server.running

    _edit_and_wait(page, log, "Fixed and back.")
    assert page.locator(f"#{OVERLAY_ID}").count() == 0
    assert server.running
    page.close()


def test_pages_work_without_javascript(browser: Browser, served: tuple[Path, ServeProcess]) -> None:
    _site, server = served
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    response = page.goto(server.url)
    assert response is not None and response.status == 200
    link = page.locator(f'a[href$="{LOG_PATH}"]').first
    link.click()
    page.wait_for_load_state()
    assert page.url == server.url + LOG_PATH
    assert "Today I worked through the shell lecture" in page.inner_text("body")
    context.close()
