"""Full-page screenshots of a built site at desktop and phone widths, light and dark.

For looking at the theme, not for tests (screenshots are never committed). Run from the
tests/ folder:

    cd tests && ../.venv/bin/python -m qa.screenshots ../example-site /tmp/shots logs/

It builds the site with the real CLI into a temporary folder, serves it on 127.0.0.1 and
writes `<page>-<width>-<scheme>.png` for the home page and every extra page given.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner
from playwright.sync_api import Browser, sync_playwright

from qa import crawl, tools

WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")


def take_screenshots(
    browser: Browser, base_url: str, pages: list[str], out_dir: Path, *, full_page: bool = True
) -> list[Path]:
    """Screenshot each site-relative page at every width and colour scheme."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for page_path in pages:
        name = page_path.strip("/").replace("/", "_") or "home"
        for width in WIDTHS:
            for scheme in SCHEMES:
                context = browser.new_context(
                    viewport={"width": width, "height": 900},
                    color_scheme=scheme,  # type: ignore[arg-type]
                    device_scale_factor=1,
                )
                page = context.new_page()
                page.goto(base_url + page_path, wait_until="load")
                target = out_dir / f"{name}-{width}-{scheme}.png"
                page.screenshot(path=str(target), full_page=full_page)
                context.close()
                written.append(target)
    return written


def main(argv: list[str]) -> int:
    from tamatar_site.cli import main as tamatar

    site, out_dir, *pages = argv
    executable = tools.find_chromium()
    if executable is None:
        print("no Chromium found", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "out"
        output.mkdir()
        with crawl.serve_site(output) as base_url:
            args = ["build", site, "-o", str(output), "--offline", "--base-url", base_url]
            result = CliRunner().invoke(tamatar, args)
            if result.exit_code != 0:
                print(result.output, file=sys.stderr)
                return 1
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=executable, args=tools.CHROMIUM_ARGS
                )
                for path in take_screenshots(browser, base_url, ["", *pages], Path(out_dir)):
                    print(path)
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
