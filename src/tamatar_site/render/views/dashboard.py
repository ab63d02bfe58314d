"""The figures of the home and stats pages (streaks, heatmap, charts, tables).

Charts are inline SVG made by `render/charts/svg.py`, `render/charts/heatmap.py` and
`render/charts/stats.py`, each stats chart drawn wide and narrow for phones; every chart also
gets a table (or a summary sentence) with the same numbers, so screen readers and text
browsers get them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import babel.numbers
from markupsafe import Markup

from tamatar_site.compute.heatmap import Heatmap, recent_weeks
from tamatar_site.compute.stats import SiteStats, recent
from tamatar_site.compute.streaks import StreakStats
from tamatar_site.render.charts import stats as charts
from tamatar_site.render.charts import svg
from tamatar_site.render.charts.heatmap import render_heatmap_svg
from tamatar_site.render.i18n import Localizer
from tamatar_site.render.views.content import TagView, TagViews

CHART_WEEKS = 26
# Weeks of the heatmap on phones: 22 columns and the day labels fit 390 px without scrolling.
PHONE_HEATMAP_WEEKS = 22
CHART_MONTHS = 12


@dataclass(frozen=True)
class FigureView:
    """A big number with a label: `12` / `day streak`."""

    value: str
    label: str
    detail: str = ""


@dataclass(frozen=True)
class ChartView:
    """An inline SVG chart plus the same numbers as a table."""

    id: str
    title: str
    svg: Markup
    summary: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class TopTagView:
    tag: TagView
    count: int
    percent: int  # of the most used tag, for a CSS bar


@dataclass(frozen=True)
class Dashboard:
    figures: tuple[FigureView, ...]
    heatmap: ChartView
    charts: tuple[ChartView, ...]
    top_tags: tuple[TopTagView, ...]


def _streak_detail(length: int, start: dt.date | None, end: dt.date | None, lo: Localizer) -> str:
    if not length:
        return lo.gettext("no streak yet")
    return lo.gettext("%(start)s to %(end)s") % {"start": lo.date(start), "end": lo.date(end)}


def _current_streak_detail(streaks: StreakStats, lo: Localizer) -> str:
    """The current streak's days; with none, when the last one ended (a site with a
    longest streak has had one), so the words are true on any day."""
    current = streaks.current
    if current.length:
        return _streak_detail(current.length, current.start, current.end, lo)
    if streaks.last_active is not None:
        return lo.gettext("last streak ended %(date)s") % {"date": lo.date(streaks.last_active)}
    return lo.gettext("no streak yet")


def _days(count: int, lo: Localizer) -> str:
    return lo.ngettext("%(num)s day", "%(num)s days", count) % {"num": lo.number(count)}


def build_dashboard(
    streaks: StreakStats,
    stats: SiteStats,
    heatmap: Heatmap,
    tags: TagViews,
    localizer: Localizer,
) -> Dashboard:
    """Figures, the heatmap and every chart, each with a text alternative, in the words
    of `localizer`'s language."""
    lo = localizer
    summary = lo.ngettext(
        "%(num)s log on %(days)s between %(start)s and %(end)s; "
        "current streak %(current)s, longest %(longest)s.",
        "%(num)s logs on %(days)s between %(start)s and %(end)s; "
        "current streak %(current)s, longest %(longest)s.",
        heatmap.total_logs,
    ) % {
        "num": lo.number(heatmap.total_logs),
        "days": _days(heatmap.active_days, lo),
        "start": lo.date(heatmap.start),
        "end": lo.date(heatmap.end),
        "current": _days(streaks.current.length, lo),
        "longest": _days(streaks.longest.length, lo),
    }
    title = lo.gettext("Activity in the last 365 days")
    heatmap_view = _chart_view("heatmap", title, _heatmap_variants(heatmap, title, lo), summary)
    return _with_stats(heatmap_view, streaks, stats, tags, lo)


def dashboard_with_stats(
    dashboard: Dashboard,
    streaks: StreakStats,
    stats: SiteStats,
    tags: TagViews,
    localizer: Localizer,
) -> Dashboard:
    """`build_dashboard` for new `stats` and the streaks, heatmap and language `dashboard`
    was built with: its heatmap (two SVGs of a year of days, most of the work) is kept."""
    return _with_stats(dashboard.heatmap, streaks, stats, tags, localizer)


def _with_stats(
    heatmap_view: ChartView, streaks: StreakStats, stats: SiteStats, tags: TagViews, lo: Localizer
) -> Dashboard:
    most = stats.top_tags[0].count if stats.top_tags else 1
    top_tags = tuple(
        TopTagView(tags.view(tc.tag), tc.count, round(100 * tc.count / most))
        for tc in stats.top_tags
    )
    return Dashboard(
        figures=_figures(streaks, stats, lo),
        heatmap=heatmap_view,
        charts=_charts(stats, lo),
        top_tags=top_tags,
    )


def _figures(streaks: StreakStats, stats: SiteStats, lo: Localizer) -> tuple[FigureView, ...]:
    totals = stats.totals
    current, longest = streaks.current.length, streaks.longest.length
    return (
        FigureView(
            lo.number(current),
            lo.ngettext("day current streak", "days current streak", current),
            _current_streak_detail(streaks, lo),
        ),
        FigureView(
            lo.number(longest),
            lo.gettext("days longest streak"),
            _streak_detail(longest, streaks.longest.start, streaks.longest.end, lo),
        ),
        FigureView(lo.number(streaks.active_days), lo.gettext("active days")),
        FigureView(
            lo.number(totals.logs),
            lo.ngettext("log", "logs", totals.logs),
            lo.ngettext("%(num)s word", "%(num)s words", totals.words)
            % {"num": lo.number(totals.words)},
        ),
        FigureView(lo.minutes(totals.focus_minutes or 0), lo.gettext("of focus")),
    )


def _charts(stats: SiteStats, lo: Localizer) -> tuple[ChartView, ...]:
    """The recent weeks' and months' charts of the stats page."""
    weeks = recent(stats.weeks, CHART_WEEKS)
    months = recent(stats.months, CHART_MONTHS)
    focus = sum(w.focus_minutes for w in weeks)
    week_logs = sum(w.logs for w in weeks)
    month_logs = sum(m.logs for m in months)
    in_weeks = {"num": lo.number(len(weeks))}
    return (
        _chart_view(
            "logs-per-week",
            lo.gettext("Logs per week, last %(num)s weeks") % in_weeks,
            charts.render_responsive(
                lambda size: charts.render_logs_per_week(weeks, size=size, words=lo)
            ),
            lo.ngettext(
                "%(num)s log in %(weeks)s weeks.", "%(num)s logs in %(weeks)s weeks.", week_logs
            )
            % {"num": lo.number(week_logs), "weeks": lo.number(len(weeks))},
        ),
        _chart_view(
            "logs-per-month",
            lo.gettext("Logs per month, last %(num)s months") % {"num": lo.number(len(months))},
            charts.render_responsive(
                lambda size: charts.render_logs_per_month(months, size=size, words=lo)
            ),
            lo.ngettext(
                "%(num)s log in %(months)s months.",
                "%(num)s logs in %(months)s months.",
                month_logs,
            )
            % {"num": lo.number(month_logs), "months": lo.number(len(months))},
        ),
        _chart_view(
            "mood-productivity",
            lo.gettext("Mood and productivity, weekly average"),
            charts.render_responsive(
                lambda size: charts.render_mood_productivity(weeks, size=size, words=lo)
            ),
            _mood_summary(stats, lo),
        ),
        _chart_view(
            "focus-per-week",
            lo.gettext("Focus time per week, last %(num)s weeks") % in_weeks,
            charts.render_responsive(
                lambda size: charts.render_focus_per_week(weeks, size=size, words=lo)
            ),
            lo.gettext("%(duration)s of focus in %(weeks)s weeks.")
            % {"duration": lo.minutes(focus), "weeks": lo.number(len(weeks))},
        ),
    )


def _heatmap_variants(heatmap: Heatmap, title: str, lo: Localizer) -> svg.Chart:
    """The year's heatmap, and for phones its last weeks with the day labels in view
    (the chart CSS shows one of the two, like `charts.render_responsive`)."""
    wide = render_heatmap_svg(heatmap, title=title, words=lo)
    narrow = render_heatmap_svg(
        recent_weeks(heatmap, PHONE_HEATMAP_WEEKS),
        id_prefix="heatmap-narrow",
        title=lo.gettext("Activity in the last %(num)s weeks") % {"num": PHONE_HEATMAP_WEEKS},
        with_commits=heatmap.total_commits > 0,
        words=lo,
    )
    both = (
        f'<div class="chart-variants"><div class="chart-wide">{wide.svg}</div>'
        f'<div class="chart-narrow">{narrow.svg}</div></div>'
    )
    return svg.Chart(Markup(both), wide.table)


def _chart_view(chart_id: str, title: str, chart: svg.Chart, summary: str) -> ChartView:
    return ChartView(chart_id, title, chart.svg, summary, chart.table.headers, chart.table.rows)


def _score(value: float | None, lo: Localizer) -> str:
    if value is None:
        return lo.gettext("none")
    return f"{value:.1f}".replace(".", babel.numbers.get_decimal_symbol(lo.locale))


def _mood_summary(stats: SiteStats, lo: Localizer) -> str:
    totals = stats.totals
    if totals.mood is None and totals.productivity is None:
        return lo.gettext("No log gives a mood or productivity yet.")
    return lo.gettext(
        "Average mood %(mood)s and productivity %(productivity)s out of 10 over all logs."
    ) % {"mood": _score(totals.mood, lo), "productivity": _score(totals.productivity, lo)}
