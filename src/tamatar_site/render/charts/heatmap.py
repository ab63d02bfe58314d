"""The activity heatmap as inline SVG, plus a table of activity per month.

One `<rect>` per day, classed ``hm-l0``..``hm-l4`` (coloured by the chart CSS), each with
a `<title>` such as "3 logs on 21 Nov 2026"; weekday and month labels and a
"Less ... More" legend. Built on the helpers of :mod:`tamatar_site.render.charts.svg`.
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from tamatar_site.compute.heatmap import Heatmap, HeatmapCell
from tamatar_site.render.charts.svg import Chart, ChartTable, esc, open_svg
from tamatar_site.render.charts.units import plural
from tamatar_site.render.i18n import ENGLISH, Localizer

CELL, GAP = 10, 3
STEP = CELL + GAP
HM_LEFT, HM_TOP = 36, 18


def _cell_title(cell: HeatmapCell, with_commits: bool, words: Localizer) -> str:
    day = {"date": words.date(cell.date)}
    if not cell.logs and not cell.commits:
        if with_commits:
            return words.gettext("No activity on %(date)s") % day
        return words.gettext("No logs on %(date)s") % day
    logs = plural(cell.logs, ("log", "logs"), words)
    commits = plural(cell.commits, ("commit", "commits"), words)
    if cell.logs and cell.commits:
        return words.gettext("%(logs)s and %(commits)s on %(date)s") % {
            "logs": logs,
            "commits": commits,
            **day,
        }
    return words.gettext("%(count)s on %(date)s") % {"count": logs if cell.logs else commits, **day}


def render_heatmap_svg(
    heatmap: Heatmap,
    *,
    id_prefix: str = "heatmap",
    title: str = "Activity in the last 365 days",
    with_commits: bool | None = None,
    words: Localizer = ENGLISH,
) -> Chart:
    """The heatmap as an SVG grid (one `<rect>` with a `<title>` per day) and a table
    of the same activity per month."""
    commits = heatmap.total_commits > 0 if with_commits is None else with_commits
    desc = _description(heatmap, commits, words)
    columns = len(heatmap.weeks)
    width = HM_LEFT + columns * STEP
    height = HM_TOP + 7 * STEP + 22
    out = [open_svg(width, height, id_prefix, "heatmap", title, desc)]
    out.append('<g class="chart-text" aria-hidden="true">')
    for label in heatmap.month_labels:
        out.append(
            f'<text x="{HM_LEFT + label.column * STEP}" y="{HM_TOP - 6}">'
            f"{esc(words.date(dt.date(2000, label.month, 1), 'month_abbr'))}</text>"
        )
    for row in (1, 3, 5):
        y = HM_TOP + row * STEP + CELL - 1
        weekday = esc(words.weekday_abbr(row))
        out.append(f'<text x="{HM_LEFT - 5}" y="{y}" text-anchor="end">{weekday}</text>')
    out.append("</g><g>")
    for column, week in enumerate(heatmap.weeks):
        x = HM_LEFT + column * STEP
        for row, cell in enumerate(week):
            if cell is None:
                continue
            tip = esc(_cell_title(cell, commits, words))
            out.append(
                f'<rect class="hm-cell hm-l{cell.level}" x="{x}" y="{HM_TOP + row * STEP}" '
                f'width="{CELL}" height="{CELL}" rx="2"><title>{tip}</title></rect>'
            )
    out.append("</g>")
    legend_y = HM_TOP + 7 * STEP + 8
    legend_x = width - 5 * STEP - 42
    out.append('<g class="chart-text" aria-hidden="true">')
    less, more = esc(words.gettext("Less")), esc(words.gettext("More"))
    out.append(f'<text x="{legend_x - 5}" y="{legend_y + 9}" text-anchor="end">{less}</text>')
    for level in range(5):
        out.append(
            f'<rect class="hm-cell hm-l{level}" x="{legend_x + level * STEP}" y="{legend_y}" '
            f'width="{CELL}" height="{CELL}" rx="2"/>'
        )
    out.append(f'<text x="{legend_x + 5 * STEP + 2}" y="{legend_y + 9}">{more}</text></g></svg>')
    return Chart(Markup("".join(out)), _heatmap_table(heatmap, commits, words))


def _heatmap_table(heatmap: Heatmap, commits: bool, words: Localizer) -> ChartTable:
    months: dict[tuple[int, int], list[int]] = {}  # (year, month) -> [logs, commits, days]
    for cell in heatmap.cells:
        figures = months.setdefault((cell.date.year, cell.date.month), [0, 0, 0])
        figures[0] += cell.logs
        figures[1] += cell.commits
        figures[2] += 1 if cell.count else 0
    _ = words.gettext
    headers = (
        (_("Month"), _("Logs"), _("Commits"), _("Active days"))
        if commits
        else (_("Month"), _("Logs"), _("Active days"))
    )
    rows = tuple(
        (
            words.date(dt.date(year, month, 1), "month"),
            str(f[0]),
            *((str(f[1]),) if commits else ()),
            str(f[2]),
        )
        for (year, month), f in months.items()
    )
    caption = _("Activity per month, %(start)s to %(end)s") % {
        "start": words.date(heatmap.start),
        "end": words.date(heatmap.end),
    }
    return ChartTable(caption, headers, rows)


def _description(heatmap: Heatmap, commits: bool, words: Localizer) -> str:
    unit = ("contribution", "contributions") if commits else ("log", "logs")
    values = {
        "total": plural(heatmap.total, unit, words),
        "days": plural(heatmap.active_days, ("day", "days"), words),
        "start": words.date(heatmap.start),
        "end": words.date(heatmap.end),
    }
    if commits:
        desc = words.gettext(
            "%(total)s on %(days)s from %(start)s to %(end)s. Darker squares mean more logs "
            "and commits; the table has the numbers."
        )
    else:
        desc = words.gettext(
            "%(total)s on %(days)s from %(start)s to %(end)s. Darker squares mean more logs; "
            "the table has the numbers."
        )
    desc %= values
    return desc
