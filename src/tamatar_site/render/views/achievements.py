"""The achievements' views for the home and stats pages, the badges and the API.

Templates and badges word a built-in rule themselves (through the message catalogue, from
`metric`, `threshold` and `tag`); `english_title` is the same wording for `stats.json`,
which is data and stays English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tamatar_site.compute.achievements import Achievement
from tamatar_site.model import AchievementMetric, AchievementRule

# metric -> (singular, plural) of the English title; {n} is the threshold, {tag} the tag.
_TITLES: dict[AchievementMetric, tuple[str, str]] = {
    "logs": ("First log", "{n} logs"),
    "streak_days": ("1-day streak", "{n}-day streak"),
    "focus_hours": ("1 h of focus", "{n} h of focus"),  # durations as everywhere: `1 h 35 min`
    "resources_finished": ("First resource finished", "{n} resources finished"),
    "goals_completed": ("First goal completed", "{n} goals completed"),
    "paths_completed": ("First learning path completed", "{n} learning paths completed"),
    "languages": ("First language", "{n} languages used"),
    "tag_logs": ("First log on #{tag}", "{n} logs on #{tag}"),
}


def english_title(rule: AchievementRule, tag_name: str | None = None) -> str:
    """The rule's own title, else the English wording of its metric and threshold."""
    if rule.title:
        return rule.title
    one, many = _TITLES[rule.metric]
    text = one if rule.threshold == 1 else many
    return text.format(n=f"{rule.threshold:,}", tag=tag_name or rule.tag or "")


@dataclass(frozen=True)
class AchievementView:
    id: str
    title: str | None  # the rule's own title; None: the template words it
    english_title: str
    metric: AchievementMetric
    threshold: int
    tag: str | None  # the tag's name, for `tag_logs`
    progress: int
    percent: int  # of the threshold, 0-100
    earned: bool
    date: dt.date | None  # when it was earned (None: not yet, or undated)
    source: str | None  # the file that earned it
    link: str | None  # its page, site-relative
    label: str  # its title
    badge: str  # the badge's path: badges/<id>.svg


@dataclass(frozen=True)
class AchievementsView:
    items: tuple[AchievementView, ...]  # in the rules' order
    earned: tuple[AchievementView, ...]  # the earned ones, newest first

    @property
    def count(self) -> int:
        return len(self.items)


def badge_path(rule_id: str) -> str:
    return f"badges/{rule_id}.svg"


def achievement_view(achievement: Achievement, tag_names: dict[str, str]) -> AchievementView:
    rule, earned = achievement.rule, achievement.earned
    tag = tag_names.get(rule.tag, rule.tag) if rule.tag else None
    goal = rule.threshold
    return AchievementView(
        id=rule.id,
        title=rule.title,
        english_title=english_title(rule, tag),
        metric=rule.metric,
        threshold=goal,
        tag=tag,
        progress=achievement.progress,
        percent=min(100, achievement.progress * 100 // goal),
        earned=earned is not None,
        date=earned.date if earned else None,
        source=earned.source or None if earned else None,
        link=earned.permalink or None if earned else None,
        label=earned.label if earned else "",
        badge=badge_path(rule.id),
    )


def achievements_view(
    achievements: tuple[Achievement, ...], tag_names: dict[str, str]
) -> AchievementsView:
    items = tuple(achievement_view(a, tag_names) for a in achievements)
    earned = [item for item in items if item.earned]
    earned.sort(key=lambda item: item.date or dt.date.min, reverse=True)
    return AchievementsView(items, tuple(earned))
