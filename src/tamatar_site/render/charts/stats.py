"""The stats charts (logs, focus, mood per week or month) and their CSS.

Thin shortcuts over the primitives of :mod:`tamatar_site.render.charts.svg`: they turn the
:class:`~tamatar_site.compute.stats.WeekStat` and
:class:`~tamatar_site.compute.stats.MonthStat` series into categories and values and
pick the titles, units and table headers. :func:`render_responsive` draws a chart
wide and narrow (bigger text, fewer labels) for phones. :func:`chart_css` holds the
default colours (light and dark) for every class the charts use and the rules that
pick the variant by container width.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from tamatar_site.compute.stats import MonthStat, WeekStat
from tamatar_site.render.charts.svg import (
    WIDTH,
    Category,
    Chart,
    Series,
    render_bar_chart,
    render_line_chart,
)
from tamatar_site.render.i18n import ENGLISH, Localizer


def week_categories(weeks: Sequence[WeekStat], words: Localizer = ENGLISH) -> list[Category]:
    return [
        Category(
            words.date(w.start, "day_month_abbr"),
            words.gettext("Week of %(date)s") % {"date": words.date(w.start)},
        )
        for w in weeks
    ]


def month_categories(months: Sequence[MonthStat], words: Localizer = ENGLISH) -> list[Category]:
    labels = [dt.date(m.year, m.month, 1) for m in months]
    return [
        Category(
            words.date(d, "month") if d.month == 1 or i == 0 else words.date(d, "month_abbr"),
            words.date(d, "month"),
        )
        for i, d in enumerate(labels)
    ]


@dataclass(frozen=True)
class ChartSize:
    """How big a chart is drawn: viewBox width, font size in viewBox units (None: the
    stylesheet's), a class for the `<svg>` and a suffix that keeps its ids unique."""

    width: float
    font_size: float | None = None
    css_class: str = ""
    id_suffix: str = ""


NARROW_WIDTH = 340  # about a 390 px phone's chart width, so text keeps its size
NARROW_FONT_SIZE = 14
DEFAULT_SIZE = ChartSize(WIDTH)
WIDE = ChartSize(WIDTH, css_class="chart-wide")
NARROW = ChartSize(NARROW_WIDTH, NARROW_FONT_SIZE, "chart-narrow", "-narrow")


def render_responsive(render: Callable[[ChartSize], Chart]) -> Chart:
    """A chart drawn twice, :data:`WIDE` and :data:`NARROW`, in one container.

    :func:`chart_css` shows the narrow one (fewer x labels, bigger text) on screens up
    to 30rem (480 px) wide and hides the other with ``display:none``, so screen readers
    meet one chart. (Media, not container, queries: the Nu Html Checker rejects the
    latter.) A theme whose layout puts charts in columns sets the wide one's
    ``font-size`` for its own breakpoints.
    """
    wide, narrow = render(WIDE), render(NARROW)
    return Chart(Markup(f'<div class="chart-variants">{wide.svg}{narrow.svg}</div>'), wide.table)


def render_logs_per_week(
    weeks: Sequence[WeekStat], *, size: ChartSize = DEFAULT_SIZE, words: Localizer = ENGLISH
) -> Chart:
    _ = words.gettext
    return render_bar_chart(
        week_categories(weeks, words), [w.logs for w in weeks], title=_("Logs per week"),
        id_prefix="logs-week" + size.id_suffix, category_header=_("Week"),
        value_header=_("Logs"), width=size.width, font_size=size.font_size,
        css_class=size.css_class, words=words,
    )  # fmt: skip


def render_logs_per_month(
    months: Sequence[MonthStat], *, size: ChartSize = DEFAULT_SIZE, words: Localizer = ENGLISH
) -> Chart:
    _ = words.gettext
    return render_bar_chart(
        month_categories(months, words), [m.logs for m in months], title=_("Logs per month"),
        id_prefix="logs-month" + size.id_suffix, category_header=_("Month"),
        value_header=_("Logs"), width=size.width, font_size=size.font_size,
        css_class=size.css_class, words=words,
    )  # fmt: skip


def render_focus_per_week(
    weeks: Sequence[WeekStat], *, size: ChartSize = DEFAULT_SIZE, words: Localizer = ENGLISH
) -> Chart:
    _ = words.gettext
    return render_bar_chart(
        week_categories(weeks, words), [w.focus_minutes for w in weeks],
        title=_("Focus minutes per week"), id_prefix="focus-week" + size.id_suffix,
        unit=("minute", "minutes"), category_header=_("Week"),
        value_header=_("Focus minutes"), width=size.width, font_size=size.font_size,
        css_class=size.css_class, words=words,
    )  # fmt: skip


def render_mood_productivity(
    weeks: Sequence[WeekStat], *, size: ChartSize = DEFAULT_SIZE, words: Localizer = ENGLISH
) -> Chart:
    _ = words.gettext
    series = [
        Series(_("Mood"), tuple(w.mood for w in weeks)),
        Series(_("Productivity"), tuple(w.productivity for w in weeks)),
    ]
    return render_line_chart(
        week_categories(weeks, words), series,
        title=_("Mood and productivity per week (average, 1-10)"),
        id_prefix="mood" + size.id_suffix, category_header=_("Week"), width=size.width,
        font_size=size.font_size, css_class=size.css_class, words=words,
    )  # fmt: skip


# --- CSS -----------------------------------------------------------------------------

_CSS = """\
:root{--hm-l0:#ebedf0;--hm-l1:#9be9a8;--hm-l2:#40c463;--hm-l3:#30a14e;--hm-l4:#216e39;\
--chart-bar:#2f7d4f;--chart-s1:#0b6bcb;--chart-s2:#b3261e;\
--share-0:#3a6fb0;--share-1:#c2571a;--share-2:#2f8a5b;--share-3:#8e4ec6;\
--share-4:#b8860b;--share-5:#d0417e;--share-6:#2a8a9a;--share-7:#6b6b6b}
@media (prefers-color-scheme:dark){:root{--hm-l0:#161b22;--hm-l1:#0e4429;--hm-l2:#006d32;\
--hm-l3:#26a641;--hm-l4:#39d353;--chart-bar:#4fbf7f;--chart-s1:#6cb6ff;--chart-s2:#ff8a80;\
--share-0:#79a8e8;--share-1:#f0a35e;--share-2:#6fd39b;--share-3:#c29bf0;\
--share-4:#e8c55a;--share-5:#f08cb6;--share-6:#6fd0df;--share-7:#b0b0b0}}
svg.chart{display:block;width:100%;height:auto;font:11px system-ui,sans-serif}
@media (max-width:40rem){svg.chart{font-size:15px}}
.chart-text,.chart-text text{fill:currentColor}
.chart-grid{stroke:currentColor;stroke-opacity:.2;stroke-width:1}
.hm-l0{fill:var(--hm-l0)}.hm-l1{fill:var(--hm-l1)}.hm-l2{fill:var(--hm-l2)}\
.hm-l3{fill:var(--hm-l3)}.hm-l4{fill:var(--hm-l4)}
.hm-cell{stroke:currentColor;stroke-opacity:.08}
.chart-bar{fill:var(--chart-bar)}
.chart-line{fill:none;stroke-width:2.5;stroke-linejoin:round;stroke-linecap:round}
.chart-line.chart-s1{stroke:var(--chart-s1)}\
.chart-line.chart-s2{stroke:var(--chart-s2);stroke-dasharray:6 4}
.chart-point.chart-s1{fill:var(--chart-s1)}.chart-point.chart-s2{fill:var(--chart-s2)}
.share-0{fill:var(--share-0)}.share-1{fill:var(--share-1)}.share-2{fill:var(--share-2)}\
.share-3{fill:var(--share-3)}.share-4{fill:var(--share-4)}.share-5{fill:var(--share-5)}\
.share-6{fill:var(--share-6)}.share-7{fill:var(--share-7)}
.chart-variants>.chart-narrow{display:none}
@media (max-width:30rem){.chart-variants>.chart-wide{display:none}\
.chart-variants>.chart-narrow{display:block}}
@media (min-width:30.01rem) and (max-width:40rem){.chart-variants>svg.chart-wide{font-size:16px}}
"""


def chart_css() -> str:
    """Default colours (light and dark) for every class the charts use.

    Include it before a theme's own rules; a theme re-colours charts by setting the
    variables (``--hm-l0``.. ``--hm-l4``, ``--chart-bar``, ``--chart-s1``/``-s2``,
    ``--share-0``..``-7``).
    """
    return _CSS
