"""The figures of the home and stats pages (streaks, heatmap, charts, tables).

Charts are inline SVG made by `render/charts/svg.py`, `render/charts/heatmap.py` and
`render/charts/stats.py`, each stats chart drawn wide and narrow for phones; every chart also
gets a table (or a summary sentence) with the same numbers, so screen readers and text
browsers get them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from tamatar_site.compute.heatmap import Heatmap, recent_weeks
from tamatar_site.compute.stats import SiteStats, recent
from tamatar_site.compute.streaks import StreakStats
from tamatar_site.render.charts import stats as charts
from tamatar_site.render.charts import svg
from tamatar_site.render.charts.heatmap import render_heatmap_svg
from tamatar_site.render.templates import format_date, format_minutes
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


def _streak_detail(length: int, start: dt.date | None, end: dt.date | None) -> str:
    if not length:
        return "no streak yet"
    return f"{format_date(start)} to {format_date(end)}"


def _current_streak_detail(streaks: StreakStats) -> str:
    """The current streak's days; with none, when the last one ended (a site with a
    longest streak has had one), so the words are true on any day."""
    current = streaks.current
    if current.length:
        return _streak_detail(current.length, current.start, current.end)
    if streaks.last_active is not None:
        return f"last streak ended {format_date(streaks.last_active)}"
    return "no streak yet"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count:,} days"


def build_dashboard(
    streaks: StreakStats, stats: SiteStats, heatmap: Heatmap, tags: TagViews
) -> Dashboard:
    """Figures, the heatmap and every chart, each with a text alternative."""
    heatmap_view = _chart_view(
        "heatmap",
        "Activity in the last 365 days",
        _heatmap_variants(heatmap),
        f"{heatmap.total_logs:,} logs on {_days(heatmap.active_days)} between "
        f"{format_date(heatmap.start)} and {format_date(heatmap.end)}; "
        f"current streak {_days(streaks.current.length)}, "
        f"longest {_days(streaks.longest.length)}.",
    )
    most = stats.top_tags[0].count if stats.top_tags else 1
    top_tags = tuple(
        TopTagView(tags.view(tc.tag), tc.count, round(100 * tc.count / most))
        for tc in stats.top_tags
    )
    return Dashboard(
        figures=_figures(streaks, stats),
        heatmap=heatmap_view,
        charts=_charts(stats),
        top_tags=top_tags,
    )


def _figures(streaks: StreakStats, stats: SiteStats) -> tuple[FigureView, ...]:
    totals = stats.totals
    return (
        FigureView(
            str(streaks.current.length),
            "day current streak" if streaks.current.length == 1 else "days current streak",
            _current_streak_detail(streaks),
        ),
        FigureView(
            str(streaks.longest.length),
            "days longest streak",
            _streak_detail(streaks.longest.length, streaks.longest.start, streaks.longest.end),
        ),
        FigureView(f"{streaks.active_days:,}", "active days"),
        FigureView(f"{totals.logs:,}", "logs", f"{totals.words:,} words"),
        FigureView(format_minutes(totals.focus_minutes) or "0 min", "of focus"),
    )


def _charts(stats: SiteStats) -> tuple[ChartView, ...]:
    """The recent weeks' and months' charts of the stats page."""
    weeks = recent(stats.weeks, CHART_WEEKS)
    months = recent(stats.months, CHART_MONTHS)
    focus = sum(w.focus_minutes for w in weeks)
    return (
        _chart_view(
            "logs-per-week",
            f"Logs per week, last {len(weeks)} weeks",
            charts.render_responsive(lambda size: charts.render_logs_per_week(weeks, size=size)),
            f"{sum(w.logs for w in weeks):,} logs in {len(weeks)} weeks.",
        ),
        _chart_view(
            "logs-per-month",
            f"Logs per month, last {len(months)} months",
            charts.render_responsive(lambda size: charts.render_logs_per_month(months, size=size)),
            f"{sum(m.logs for m in months):,} logs in {len(months)} months.",
        ),
        _chart_view(
            "mood-productivity",
            "Mood and productivity, weekly average",
            charts.render_responsive(
                lambda size: charts.render_mood_productivity(weeks, size=size)
            ),
            _mood_summary(stats),
        ),
        _chart_view(
            "focus-per-week",
            f"Focus time per week, last {len(weeks)} weeks",
            charts.render_responsive(lambda size: charts.render_focus_per_week(weeks, size=size)),
            f"{format_minutes(focus) or '0 min'} of focus in {len(weeks)} weeks.",
        ),
    )


def _heatmap_variants(heatmap: Heatmap) -> svg.Chart:
    """The year's heatmap, and for phones its last weeks with the day labels in view
    (the chart CSS shows one of the two, like `charts.render_responsive`)."""
    wide = render_heatmap_svg(heatmap)
    narrow = render_heatmap_svg(
        recent_weeks(heatmap, PHONE_HEATMAP_WEEKS),
        id_prefix="heatmap-narrow",
        title=f"Activity in the last {PHONE_HEATMAP_WEEKS} weeks",
        with_commits=heatmap.total_commits > 0,
    )
    both = (
        f'<div class="chart-variants"><div class="chart-wide">{wide.svg}</div>'
        f'<div class="chart-narrow">{narrow.svg}</div></div>'
    )
    return svg.Chart(Markup(both), wide.table)


def _chart_view(chart_id: str, title: str, chart: svg.Chart, summary: str) -> ChartView:
    return ChartView(chart_id, title, chart.svg, summary, chart.table.headers, chart.table.rows)


def _score(value: float | None) -> str:
    return "none" if value is None else f"{value:.1f}"


def _mood_summary(stats: SiteStats) -> str:
    totals = stats.totals
    if totals.mood is None and totals.productivity is None:
        return "No log gives a mood or productivity yet."
    return (
        f"Average mood {_score(totals.mood)} and productivity {_score(totals.productivity)} "
        "out of 10 over all logs."
    )
