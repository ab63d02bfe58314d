"""Layout checks in headless Chromium: pages that scroll sideways on a phone, and phrases
broken across lines.

`sideways_overflow(browser, urls, width)` loads each page at the given viewport width and
returns the pages whose document is wider than the viewport, with the widest elements
that stick out (the usual culprits: a long URL, a wide table, a fixed-width chart).
`broken_phrases(browser, urls, selector, width)` returns the elements matching `selector`
that the browser laid out on more than one line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

_CULPRITS_JS = """(width) => {
  const sticksOut = (e) => {
    const box = e.getBoundingClientRect();
    return box.right > width + 1 || box.left + e.scrollWidth > width + 1;
  };
  const wide = [...document.querySelectorAll('body *')].filter(sticksOut);
  // The deepest ones: an ancestor of an overflowing element overflows too.
  return wide.filter(e => !wide.some(o => o !== e && e.contains(o))).slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(
      e.getBoundingClientRect().left + e.scrollWidth)} px)`);
}"""


@dataclass(frozen=True)
class Overflow:
    """A page wider than the viewport."""

    url: str
    document_width: int
    culprits: list[str]

    def format(self) -> str:
        return f"{self.url}: {self.document_width} px wide; {', '.join(self.culprits)}"


def sideways_overflow(browser: Browser, urls: Iterable[str], width: int = 390) -> list[Overflow]:
    """Pages among `urls` whose content is wider than a `width` px viewport."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    found: list[Overflow] = []
    try:
        page = context.new_page()
        for url in urls:
            page.goto(url, wait_until="load")
            document_width = int(page.evaluate("document.documentElement.scrollWidth"))
            if document_width > width:
                culprits = [str(c) for c in page.evaluate(_CULPRITS_JS, width)]
                found.append(Overflow(url, document_width, culprits))
    finally:
        context.close()
    return found


@dataclass(frozen=True)
class BrokenPhrase:
    """An element meant to stay on one line, laid out on several."""

    url: str
    text: str
    lines: int

    def format(self) -> str:
        return f"{self.url}: {self.text!r} on {self.lines} lines"


_LINES_JS = """(selector) => [...document.querySelectorAll(selector)]
  .map(e => [e.textContent, new Set([...e.getClientRects()].map(r => Math.round(r.top))).size])"""


def broken_phrases(
    browser: Browser, urls: Iterable[str], selector: str, width: int = 360
) -> tuple[int, list[BrokenPhrase]]:
    """How many elements match `selector` on the pages at a `width` px viewport, and those
    of them laid out on more than one line."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    seen, broken = 0, []
    try:
        page = context.new_page()
        for url in urls:
            page.goto(url, wait_until="load")
            for text, lines in page.evaluate(_LINES_JS, selector):
                seen += 1
                if lines > 1:
                    broken.append(BrokenPhrase(url, str(text), int(lines)))
    finally:
        context.close()
    return seen, broken
