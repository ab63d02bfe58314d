"""The share bar: one horizontal bar split into segments with a legend (GitHub's language
bar), for the top-languages card."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from tamatar_site.render.charts.svg import (
    SHARE_CLASSES,
    WIDTH,
    Chart,
    ChartTable,
    Share,
    empty_chart,
    esc,
    open_svg,
)
from tamatar_site.render.charts.units import num

__all__ = ["render_share_bar", "share_bar_height"]


def share_bar_height(count: int, width: float = WIDTH) -> int:
    """The height of a share bar of `count` shares: the bar, then its legend in rows of as
    many 200-unit columns as `width` holds."""
    columns = max(1, int(width // 200))
    return 16 + 12 + -(-count // columns) * 22


def render_share_bar(
    shares: Sequence[Share],
    *,
    title: str,
    id_prefix: str,
    label_header: str = "Language",
    width: float = WIDTH,
) -> Chart:
    """One horizontal bar split into segments (GitHub's language bar) and a legend.

    Fractions are normalised to their sum; segments are classed ``share-0``.. in
    order, repeating after :data:`SHARE_CLASSES`.
    """
    total = sum(max(0.0, s.fraction) for s in shares)
    parts = [(s.label, max(0.0, s.fraction) / total if total else 0.0) for s in shares]
    rows = tuple((label, f"{fraction * 100:.1f}%") for label, fraction in parts)
    table = ChartTable(title, (label_header, "Share"), rows)
    columns = max(1, int(width // 200))
    height = share_bar_height(len(parts), width)
    if not parts or total <= 0:
        return Chart(Markup(empty_chart(id_prefix, "share-bar", title, width, None)), table)
    desc = ", ".join(f"{label} {share}" for label, share in rows) + "."
    out = [open_svg(width, height, id_prefix, "share-bar", title, desc), "<g>"]
    x = 0.0
    for index, (label, fraction) in enumerate(parts):
        segment = width * fraction
        if segment > 0:
            out.append(
                f'<rect class="share share-{index % SHARE_CLASSES}" x="{num(x)}" y="0" '
                f'width="{num(segment)}" height="16">'
                f"<title>{esc(label)}: {rows[index][1]}</title></rect>"
            )
        x += segment
    out.append('</g><g class="chart-legend" aria-hidden="true">')
    for index, (label, _) in enumerate(parts):
        column, row = index % columns, index // columns
        lx, ly = column * (width / columns), 28 + row * 22
        out.append(
            f'<rect class="share share-{index % SHARE_CLASSES}" x="{num(lx)}" y="{ly}" '
            f'width="12" height="12" rx="6"/><text class="chart-text" x="{num(lx + 18)}" '
            f'y="{ly + 10}">{esc(label)} {rows[index][1]}</text>'
        )
    out.append("</g></svg>")
    return Chart(Markup("".join(out)), table)
