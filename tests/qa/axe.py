"""axe-core accessibility checks in headless Chromium, in light and dark colour schemes.

`run_axe(browser, url, axe_source, color_scheme)` opens the page in a fresh context,
emulates `prefers-color-scheme`, injects axe.min.js (from the npm package `axe-core`)
and returns the violations as data. `check_without_javascript` loads a page with
JavaScript disabled and says whether its main content is there and visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ColorScheme = Literal["light", "dark"]

# WCAG 2.x A and AA rules plus axe's best practices (landmarks, one h1, region, ...).
_RUN_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@dataclass(frozen=True)
class AxeViolation:
    """One failed axe rule on a page, with the CSS selectors of the failing nodes."""

    rule: str
    impact: str
    help: str
    targets: list[str]
    summary: str

    def format(self) -> str:
        where = ", ".join(self.targets[:5])
        more = f" (+{len(self.targets) - 5} more)" if len(self.targets) > 5 else ""
        return f"{self.rule} [{self.impact}] {self.help}: {where}{more}\n    {self.summary}"


def _violation(raw: dict[str, Any]) -> AxeViolation:
    nodes = raw.get("nodes", [])
    targets = [" ".join(str(t) for t in node.get("target", [])) for node in nodes]
    summary = str(nodes[0].get("failureSummary", "")) if nodes else ""
    return AxeViolation(
        rule=str(raw.get("id")),
        impact=str(raw.get("impact")),
        help=str(raw.get("help")),
        targets=targets,
        summary=summary.replace("\n", " "),
    )


def run_axe(
    browser: Browser,
    url: str,
    axe_source: str,
    color_scheme: ColorScheme = "light",
    *,
    viewport_width: int = 1280,
    wait_for: str | None = None,
) -> list[AxeViolation]:
    """Violations of WCAG 2.2 A/AA and best-practice rules on `url` (once an element
    matching the CSS selector `wait_for` is there, when given: content made by a script)."""
    # bypass_csp: the pages' Content-Security-Policy forbids the injected axe script
    context = browser.new_context(
        color_scheme=color_scheme,
        viewport={"width": viewport_width, "height": 900},
        bypass_csp=True,
    )
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.emulate_media(color_scheme=color_scheme)
        if wait_for is not None:
            page.locator(wait_for).first.wait_for(timeout=30_000)
        page.add_script_tag(content=axe_source)
        raw = page.evaluate(
            "async (options) => (await axe.run(document, options)).violations", _RUN_OPTIONS
        )
        return [_violation(v) for v in raw]
    finally:
        context.close()


@dataclass(frozen=True)
class NoScriptResult:
    """What a page shows with JavaScript disabled."""

    url: str
    has_main: bool
    main_visible: bool
    main_text_length: int
    h1: str

    @property
    def usable(self) -> bool:
        return self.has_main and self.main_visible and self.main_text_length > 0 and bool(self.h1)


def check_without_javascript(browser: Browser, url: str) -> NoScriptResult:
    """Load `url` with JavaScript disabled and look at its <main> and <h1>."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        main = page.locator("main")
        has_main = main.count() == 1
        visible = has_main and main.is_visible()
        text = main.inner_text() if has_main else ""
        h1 = page.locator("h1")
        heading = h1.first.inner_text().strip() if h1.count() and h1.first.is_visible() else ""
        return NoScriptResult(url, has_main, visible, len(text.strip()), heading)
    finally:
        context.close()


@dataclass(frozen=True)
class TabStop:
    """One element reached with the Tab key, and whether its focus is visible."""

    description: str
    outline: str
    in_viewport: bool

    @property
    def focus_visible(self) -> bool:
        return self.in_viewport and not self.outline.startswith(("none", "0px"))


_FOCUSED_JS = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  const text = (e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return {
    description: `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''} "${text}"`,
    outline: `${style.outlineStyle} ${style.outlineWidth}`,
    in_viewport: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
  };
}"""


def tab_through(browser: Browser, url: str, stops: int = 15) -> list[TabStop]:
    """Press Tab `stops` times from the top of `url` and describe each focused element."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        found: list[TabStop] = []
        for _ in range(stops):
            page.keyboard.press("Tab")
            raw = page.evaluate(_FOCUSED_JS)
            found.append(
                TabStop(str(raw["description"]), str(raw["outline"]), bool(raw["in_viewport"]))
            )
        return found
    finally:
        context.close()


def skip_link_target(browser: Browser, url: str) -> tuple[str, str]:
    """Tab once and press Enter: (the first Tab stop's text, the id of the focused element)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.keyboard.press("Tab")
        first = str(page.evaluate("document.activeElement.textContent")).strip()
        page.keyboard.press("Enter")
        return first, str(page.evaluate("document.activeElement.id"))
    finally:
        context.close()
