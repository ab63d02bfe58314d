"""Compute stage: pure functions over model values (streaks, stats, heatmap, timeline)."""

from __future__ import annotations

from tamatar_site.compute.streaks import Streak, StreakStats, compute_active_days, compute_streaks

__all__ = ["Streak", "StreakStats", "compute_active_days", "compute_streaks"]
