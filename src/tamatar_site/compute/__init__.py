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

__all__ = [
    "Heatmap",
    "HeatmapCell",
    "MonthLabel",
    "MonthStat",
    "SiteStats",
    "Streak",
    "StreakStats",
    "TagCount",
    "Totals",
    "WeekStat",
    "compute_active_days",
    "compute_heatmap",
    "compute_stats",
    "compute_streaks",
    "recent",
]
