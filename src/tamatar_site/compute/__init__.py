"""Compute stage: pure functions over model values (streaks, stats, heatmap, timeline)."""

from __future__ import annotations

from tamatar_site.compute.heatmap import Heatmap, HeatmapCell, MonthLabel, compute_heatmap
from tamatar_site.compute.stats import (
    MonthStat,
    SiteStats,
    TagCount,
    Totals,
    WeekStat,
    compute_stats,
    recent,
)
from tamatar_site.compute.streaks import Streak, StreakStats, compute_active_days, compute_streaks
from tamatar_site.compute.timeline import (
    Neighbours,
    Page,
    TagEntry,
    compute_neighbours,
    compute_related,
    compute_tag_index,
    page_url,
    paginate,
)

__all__ = [
    "Heatmap",
    "HeatmapCell",
    "MonthLabel",
    "MonthStat",
    "Neighbours",
    "Page",
    "SiteStats",
    "Streak",
    "StreakStats",
    "TagCount",
    "TagEntry",
    "Totals",
    "WeekStat",
    "compute_active_days",
    "compute_heatmap",
    "compute_neighbours",
    "compute_related",
    "compute_stats",
    "compute_streaks",
    "compute_tag_index",
    "page_url",
    "paginate",
    "recent",
]
