"""The activity heatmap as inline SVG, plus a table of activity per month.

One `<rect>` per day, classed ``hm-l0``..``hm-l4`` (coloured by the chart CSS), each with
a `<title>` such as "3 logs on 21 Nov 2026"; weekday and month labels and a
"Less ... More" legend. Built on the helpers of :mod:`tamatar_site.render.charts.svg`.
"""

from __future__ import annotations

from markupsafe import Markup

from tamatar_site.compute.heatmap import MONTH_ABBREVIATIONS, WEEKDAY_NAMES, Heatmap, HeatmapCell
from tamatar_site.render.charts.svg import Chart, ChartTable, day_label, open_svg, plural

CELL, GAP = 10, 3
STEP = CELL + GAP
HM_LEFT, HM_TOP = 36, 18


def _cell_title(cell: HeatmapCell, with_commits: bool) -> str:
    parts = []
    if cell.logs:
        parts.append(plural(cell.logs, ("log", "logs")))
    if cell.commits:
        parts.append(plural(cell.commits, ("commit", "commits")))
    if not parts:
        return f"No {'activity' if with_commits else 'logs'} on {day_label(cell.date)}"
    return f"{' and '.join(parts)} on {day_label(cell.date)}"


def render_heatmap_svg(
    heatmap: Heatmap,
    *,
    id_prefix: str = "heatmap",
    title: str = "Activity in the last 365 days",
    with_commits: bool | None = None,
) -> Chart:
    """The heatmap as an SVG grid (one `<rect>` with a `<title>` per day) and a table
    of the same activity per month."""
    commits = heatmap.total_commits > 0 if with_commits is None else with_commits
    what = "logs and commits" if commits else "logs"
    unit = ("contribution", "contributions") if commits else ("log", "logs")
    desc = (
        f"{plural(heatmap.total, unit)} on {plural(heatmap.active_days, ('day', 'days'))}"
        f" from {day_label(heatmap.start)}"
        f" to {day_label(heatmap.end)}. Darker squares mean more {what}; the table has the numbers."
    )
    columns = len(heatmap.weeks)
    width = HM_LEFT + columns * STEP
    height = HM_TOP + 7 * STEP + 22
    out = [open_svg(width, height, id_prefix, "heatmap", title, desc)]
    out.append('<g class="chart-text" aria-hidden="true">')
    for label in heatmap.month_labels:
        out.append(
            f'<text x="{HM_LEFT + label.column * STEP}" y="{HM_TOP - 6}">{label.text}</text>'
        )
    for row in (1, 3, 5):
        y = HM_TOP + row * STEP + CELL - 1
        out.append(f'<text x="{HM_LEFT - 5}" y="{y}" text-anchor="end">{WEEKDAY_NAMES[row]}</text>')
    out.append("</g><g>")
    for column, week in enumerate(heatmap.weeks):
        x = HM_LEFT + column * STEP
        for row, cell in enumerate(week):
            if cell is None:
                continue
            out.append(
                f'<rect class="hm-cell hm-l{cell.level}" x="{x}" y="{HM_TOP + row * STEP}" '
                f'width="{CELL}" height="{CELL}" rx="2"><title>{_cell_title(cell, commits)}'
                "</title></rect>"
            )
    out.append("</g>")
    legend_y = HM_TOP + 7 * STEP + 8
    legend_x = width - 5 * STEP - 42
    out.append('<g class="chart-text" aria-hidden="true">')
    out.append(f'<text x="{legend_x - 5}" y="{legend_y + 9}" text-anchor="end">Less</text>')
    for level in range(5):
        out.append(
            f'<rect class="hm-cell hm-l{level}" x="{legend_x + level * STEP}" y="{legend_y}" '
            f'width="{CELL}" height="{CELL}" rx="2"/>'
        )
    out.append(f'<text x="{legend_x + 5 * STEP + 2}" y="{legend_y + 9}">More</text></g></svg>')
    return Chart(Markup("".join(out)), _heatmap_table(heatmap, commits))


def _heatmap_table(heatmap: Heatmap, commits: bool) -> ChartTable:
    months: dict[tuple[int, int], list[int]] = {}  # (year, month) -> [logs, commits, days]
    for cell in heatmap.cells:
        figures = months.setdefault((cell.date.year, cell.date.month), [0, 0, 0])
        figures[0] += cell.logs
        figures[1] += cell.commits
        figures[2] += 1 if cell.count else 0
    headers = (
        ("Month", "Logs", "Commits", "Active days") if commits else ("Month", "Logs", "Active days")
    )
    rows = tuple(
        (
            f"{MONTH_ABBREVIATIONS[month - 1]} {year}",
            str(f[0]),
            *((str(f[1]),) if commits else ()),
            str(f[2]),
        )
        for (year, month), f in months.items()
    )
    caption = f"Activity per month, {day_label(heatmap.start)} to {day_label(heatmap.end)}"
    return ChartTable(caption, headers, rows)
