"""Achievement badges: one standalone SVG per rule (`badges/<id>.svg`).

A medallion with the rule's number and unit and its title under it; a badge not earned yet
is drawn grey with a dashed ring and its progress. Light and dark colours come from the
badge's own `<style>` (`prefers-color-scheme`), so one file serves both schemes wherever it
is shown; no fonts or images are fetched. The badge is an image with a title and a
description (`role="img"`), every text escaped.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from tamatar_site.render.charts.svg import esc

WIDTH, HEIGHT = 160, 200
FONT = '-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif'
_STYLE = (
    "<style>"
    f"text{{font-family:{FONT};text-anchor:middle}}"
    ".bg{fill:#ffffff;stroke:#d0d7de}.ring{fill:#fff4d6;stroke:#b8860b;stroke-width:6}"
    ".locked .ring{fill:#f0f2f4;stroke:#8c959f;stroke-dasharray:6 5}"
    ".n{fill:#7a4b00;font-size:34px;font-weight:700}.n.l{font-size:25px}.u{fill:#7a4b00;font-size:13px}"
    ".locked .n,.locked .u{fill:#59636e}"
    ".t{fill:#1f2328;font-size:13px;font-weight:600}.m{fill:#59636e;font-size:11px}"
    "@media (prefers-color-scheme: dark){"
    ".bg{fill:#0d1117;stroke:#30363d}.ring{fill:#3b2a05;stroke:#e8c55a}"
    ".locked .ring{fill:#161b22;stroke:#8b949e}"
    ".n,.u{fill:#f5d77a}.locked .n,.locked .u{fill:#9198a1}"
    ".t{fill:#e6edf3}.m{fill:#9198a1}}"
    "</style>"
)


@dataclass(frozen=True)
class Badge:
    id: str
    title: str
    number: str  # the threshold, shown big
    unit: str  # what it counts
    status: str  # `Earned 21 Nov 2026` or `3 of 10`
    description: str  # the whole badge in one sentence, for screen readers
    earned: bool


def render_badge(badge: Badge) -> str:
    """The badge's SVG document."""
    title_id, desc_id = f"badge-{badge.id}-title", f"badge-{badge.id}-desc"
    lines = textwrap.wrap(badge.title, 20, max_lines=2, placeholder="…") or [""]
    title = "".join(
        f'<text class="t" x="80" y="{150 + 16 * i}">{esc(line)}</text>'
        for i, line in enumerate(lines)
    )
    state = "earned" if badge.earned else "locked"
    number = "n l" if len(badge.number) > 3 else "n"  # `1,000` fits the ring smaller
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{esc(badge.title)}</title>'
        f'<desc id="{desc_id}">{esc(badge.description)}</desc>{_STYLE}'
        f'<rect class="bg" x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}" rx="10"/>'
        f'<g class="{state}"><circle class="ring" cx="80" cy="72" r="54"/>'
        f'<text class="{number}" x="80" y="80">{esc(badge.number)}</text>'
        f'<text class="u" x="80" y="99">{esc(badge.unit)}</text></g>'
        f'{title}<text class="m" x="80" y="{HEIGHT - 12}">{esc(badge.status)}</text></svg>\n'
    )
