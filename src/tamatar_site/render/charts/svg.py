"""Inline SVG charts (bars, lines) with text alternatives.

No JavaScript, no external resources, no colours in the markup: every shape has a
class (``hm-l0``..``hm-l4``, ``chart-bar``, ``chart-s1``/``chart-s2``, ``share-0``..)
that the CSS of ``charts.chart_css`` (or a theme) colours through CSS variables, so
light and dark schemes both work. Sizes come from the ``viewBox`` alone; the SVG
scales to its container, down to a 390 px phone. Each chart returns its markup
and an accessible table of the same numbers (:func:`render_chart_table`). The stats
shortcuts live in `render/charts/stats.py`, the heatmap in `render/charts/heatmap.py`.
Numbers have at most two decimals (`units.num`), so output is byte-for-byte stable;
words are English unless a chart is given the site's `words` (a Localizer).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from tamatar_site.compute.heatmap import MONTH_ABBREVIATIONS
from tamatar_site.render.charts.units import num, plural
from tamatar_site.render.i18n import ENGLISH, Localizer

WIDTH = 640  # viewBox width of the charts (the heatmap is as wide as its 53 weeks need)
SHARE_CLASSES = 8  # share-0 .. share-7, then they repeat


@dataclass(frozen=True)
class ChartTable:
    """The numbers behind a chart, for a screen reader or anyone without the picture."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    svg: Markup
    table: ChartTable


@dataclass(frozen=True)
class Category:
    """One point on the x axis: `short` under the axis, `long` in tooltips and tables."""

    short: str
    long: str


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # aligned with the categories; None is a gap


@dataclass(frozen=True)
class Share:
    label: str
    fraction: float  # 0..1


# --- small helpers -----------------------------------------------------------------


def esc(text: str) -> str:
    return escape(text, quote=True)


def day_label(date: dt.date) -> str:
    """`21 Nov 2026`, the same in every locale."""
    return f"{date.day} {MONTH_ABBREVIATIONS[date.month - 1]} {date.year}"


_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def _ids(prefix: str) -> tuple[str, str]:
    clean = _ID_UNSAFE.sub("-", prefix).strip("-") or "chart"
    if not clean[0].isalpha():
        clean = f"c-{clean}"
    return f"{clean}-title", f"{clean}-desc"


def open_svg(
    width: float,
    height: float,
    prefix: str,
    kind: str,
    title: str,
    desc: str,
    font_size: float | None = None,
) -> str:
    """The `<svg>` start tag with its title and description; `font_size` is in viewBox
    units and beats the stylesheet's size (a narrow chart scales up less)."""
    title_id, desc_id = _ids(prefix)
    style = "" if font_size is None else f' style="font-size:{num(font_size)}px"'
    return (
        f'<svg class="chart {kind}" viewBox="0 0 {num(width)} {num(height)}"{style} role="img" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}">'
        f'<title id="{title_id}">{esc(title)}</title><desc id="{desc_id}">{esc(desc)}</desc>'
    )


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is >= value (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 1.0
    while magnitude * 10 < value:
        magnitude *= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _label_step(count: int, width: float) -> int:
    """Label every n-th category so that labels get about 80 units each."""
    most = max(2, int(width // 80))
    return max(1, -(-count // most))


def render_chart_table(table: ChartTable, *, css_class: str = "chart-table") -> Markup:
    """A `<table>` with a caption, column headers and a row header per row."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in table.headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{esc(cell)}</th>' if i == 0 else f"<td>{esc(cell)}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in table.rows
    )
    return Markup(
        f'<table class="{esc(css_class)}"><caption>{esc(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


# --- bar chart ---------------------------------------------------------------------

PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 44, 26, 12, 28
X_LABEL_ROOM = 30  # viewBox units right of a centred x label's centre


def empty_chart(
    prefix: str,
    kind: str,
    title: str,
    width: float,
    font_size: float | None,
    words: Localizer = ENGLISH,
) -> str:
    empty = esc(words.gettext("No data yet"))
    at = f'x="{num(width / 2)}" y="24" text-anchor="middle"'
    return (
        open_svg(width, 40, prefix, kind, title, words.gettext("No data yet."), font_size)
        + f'<text class="chart-text" {at}>{empty}</text></svg>'
    )


def _y_axis(top_value: float, plot_height: float, width: float, words: Localizer) -> list[str]:
    """Grid lines and labels at 0, half and the top of the scale."""
    out = ['<g class="chart-text" aria-hidden="true">']
    for fraction in (0, 0.5, 1):
        y = PLOT_TOP + plot_height * (1 - fraction)
        out.append(
            f'<line class="chart-grid" x1="{PLOT_LEFT}" x2="{num(width - PLOT_RIGHT)}" '
            f'y1="{num(y)}" y2="{num(y)}"/>'
            f'<text x="{PLOT_LEFT - 6}" y="{num(y + 4)}" text-anchor="end">'
            f"{words.decimal(num(top_value * fraction))}</text>"
        )
    out.append("</g>")
    return out


def _x_labels(
    categories: Sequence[Category], centers: Sequence[float], baseline: float, width: float
) -> str:
    """Every n-th label under the axis, centred on its category; one that would run off
    the right edge (the line chart's last point sits on it) ends at the edge instead."""
    step = _label_step(len(categories), width)
    last = len(categories) - 1
    y = num(baseline + 18)
    texts = [
        f'<text x="{num(x)}" y="{y}" text-anchor="middle">{esc(c.short)}</text>'
        if width - x >= X_LABEL_ROOM
        else f'<text x="{num(width - 1)}" y="{y}" text-anchor="end">{esc(c.short)}</text>'
        for i, (c, x) in enumerate(zip(categories, centers, strict=True))
        if (last - i) % step == 0
    ]
    return '<g class="chart-text" aria-hidden="true">' + "".join(texts) + "</g>"


def render_bar_chart(
    categories: Sequence[Category],
    values: Sequence[float],
    *,
    title: str,
    id_prefix: str,
    unit: tuple[str, str] = ("log", "logs"),
    category_header: str = "Period",
    value_header: str = "Logs",
    width: float = WIDTH,
    height: float = 200,
    font_size: float | None = None,
    css_class: str = "",
    words: Localizer = ENGLISH,
) -> Chart:
    """Vertical bars, one per category, on a 0-based scale with a rounded top; `css_class`
    joins the `<svg>`'s classes; `font_size` (viewBox units) suits a narrow `width`."""
    kind = f"bar-chart {css_class}".rstrip()
    if len(categories) != len(values):
        raise ValueError("categories and values must have the same length")
    rows = tuple((c.long, words.decimal(num(v))) for c, v in zip(categories, values, strict=True))
    table = ChartTable(title, (category_header, value_header), rows)
    if not categories:
        return Chart(Markup(empty_chart(id_prefix, kind, title, width, font_size, words)), table)
    total, peak = sum(values), max(values)
    desc = words.gettext(
        "%(total)s over %(periods)s periods, from %(first)s to %(last)s; the most was %(peak)s."
    ) % {
        "total": plural(total, unit, words),
        "periods": len(values),
        "first": categories[0].long,
        "last": categories[-1].long,
        "peak": plural(peak, unit, words),
    }
    plot_width = width - PLOT_LEFT - PLOT_RIGHT
    plot_height = height - PLOT_TOP - PLOT_BOTTOM
    top_value = _nice_ceiling(peak)
    slot = plot_width / len(values)
    bar_width = max(1.0, slot * 0.75)
    baseline = PLOT_TOP + plot_height
    out = [open_svg(width, height, id_prefix, kind, title, desc, font_size)]
    out.extend(_y_axis(top_value, plot_height, width, words))
    out.append("<g>")
    centers = []
    for i, (category, value) in enumerate(zip(categories, values, strict=True)):
        center = PLOT_LEFT + slot * (i + 0.5)
        centers.append(center)
        if value <= 0:
            continue
        bar_height = plot_height * value / top_value
        out.append(
            f'<rect class="chart-bar" x="{num(center - bar_width / 2)}" '
            f'y="{num(baseline - bar_height)}" width="{num(bar_width)}" height="{num(bar_height)}">'
            f"<title>{esc(category.long)}: {esc(plural(value, unit, words))}</title></rect>"
        )
    out.append("</g>")
    out.append(_x_labels(categories, centers, baseline, width))
    out.append("</svg>")
    return Chart(Markup("".join(out)), table)


# --- line chart --------------------------------------------------------------------


def _marker(series_index: int, x: float, y: float, tooltip: str) -> str:
    cls = f"chart-point chart-s{series_index + 1}"
    if series_index % 2 == 0:
        shape = f'<circle class="{cls}" cx="{num(x)}" cy="{num(y)}" r="3.5">'
        return f"{shape}<title>{esc(tooltip)}</title></circle>"
    shape = f'<rect class="{cls}" x="{num(x - 3.5)}" y="{num(y - 3.5)}" width="7" height="7">'
    return f"{shape}<title>{esc(tooltip)}</title></rect>"


def render_line_chart(
    categories: Sequence[Category],
    series: Sequence[Series],
    *,
    title: str,
    id_prefix: str,
    y_max: float = 10,
    category_header: str = "Period",
    width: float = WIDTH,
    height: float = 240,
    font_size: float | None = None,
    css_class: str = "",
    words: Localizer = ENGLISH,
) -> Chart:
    """One line per series (gaps where a value is None), markers with tooltips, a legend.

    Series differ by more than colour: the second is dashed with square markers.
    `font_size` and `css_class` work as in :func:`render_bar_chart`.
    :func:`~tamatar_site.render.charts.stats.chart_css` styles two series (``chart-s1``,
    ``chart-s2``).
    """
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} does not match the categories")
    rows = tuple(
        (
            c.long,
            *(
                ("-" if s.values[i] is None else words.decimal(num(s.values[i] or 0)))
                for s in series
            ),
        )
        for i, c in enumerate(categories)
    )
    table = ChartTable(title, (category_header, *(s.name for s in series)), rows)
    kind = f"line-chart {css_class}".rstrip()
    if not categories or all(v is None for s in series for v in s.values):
        return Chart(Markup(empty_chart(id_prefix, kind, title, width, font_size, words)), table)
    legend_height = 22
    plot_height = height - PLOT_TOP - PLOT_BOTTOM - legend_height
    baseline = PLOT_TOP + plot_height
    centers = _line_centers(len(categories), width - PLOT_LEFT - PLOT_RIGHT)
    desc = _line_description(categories, series, y_max, words)
    out = [open_svg(width, height, id_prefix, kind, title, desc, font_size)]
    out.extend(_y_axis(y_max, plot_height, width, words))
    for index, s in enumerate(series):
        points = [
            (centers[i], baseline - plot_height * min(max(v, 0), y_max) / y_max, v)
            if v is not None
            else None
            for i, v in enumerate(s.values)
        ]
        out.append(_line_series(index, s.name, categories, points, words))
    out.append(_x_labels(categories, centers, baseline, width))
    out.append(_line_legend(series, height - 8))
    out.append("</svg>")
    return Chart(Markup("".join(out)), table)


def _line_centers(count: int, plot_width: float) -> list[float]:
    if count == 1:
        return [PLOT_LEFT + plot_width / 2]
    return [PLOT_LEFT + plot_width * i / (count - 1) for i in range(count)]


def _line_description(
    categories: Sequence[Category], series: Sequence[Series], y_max: float, words: Localizer
) -> str:
    averages = []
    message = words.gettext("%(series)s averaged %(average)s out of %(max)s")
    top = words.decimal(num(y_max))
    for s in series:
        given = [v for v in s.values if v is not None]
        if given:
            average = words.decimal(num(sum(given) / len(given)))
            averages.append(message % {"series": s.name, "average": average, "max": top})
    return words.gettext("From %(first)s to %(last)s: %(averages)s.") % {
        "first": categories[0].long,
        "last": categories[-1].long,
        "averages": "; ".join(averages),
    }


def _line_series(
    index: int,
    name: str,
    categories: Sequence[Category],
    points: Sequence[tuple[float, float, float] | None],
    words: Localizer,
) -> str:
    """One series: its line, broken where a value is missing, and a marker per value."""
    segments: list[list[str]] = []
    markers = []
    previous_missing = True
    for category, point in zip(categories, points, strict=True):
        if point is None:
            previous_missing = True
            continue
        x, y, value = point
        if previous_missing:
            segments.append([])
        segments[-1].append(f"{num(x)} {num(y)}")
        previous_missing = False
        value_text = words.decimal(num(value))
        markers.append(_marker(index, x, y, f"{name}, {category.long}: {value_text}"))
    paths = "".join(
        f'<path class="chart-line chart-s{index + 1}" d="M{" L".join(seg)}"/>'
        for seg in segments
        if len(seg) > 1
    )
    return f"<g>{paths}{''.join(markers)}</g>"


def _line_legend(series: Sequence[Series], legend_y: float) -> str:
    out = ['<g class="chart-legend" aria-hidden="true">']
    for index, s in enumerate(series):
        x = PLOT_LEFT + index * 160
        out.append(
            f'<path class="chart-line chart-s{index + 1}" '
            f'd="M{x} {legend_y - 4} L{x + 24} {legend_y - 4}"/>'
            f'<text class="chart-text" x="{x + 30}" y="{legend_y}">{esc(s.name)}</text>'
        )
    out.append("</g>")
    return "".join(out)
