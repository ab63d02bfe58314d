"""The achievements' views for the home and stats pages, the badges and the API.

A built-in rule's title is worded from its `metric`, `threshold` and `tag` through the
message catalogue: by the templates, and by `worded_title` for the badges (the site's
language) and `stats.json` (`english_title`: data stays English).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tamatar_site.compute.achievements import Achievement
from tamatar_site.model import AchievementMetric
from tamatar_site.render.i18n import ENGLISH, N_, Localizer

# metric -> the title of a threshold of 1 and of more, as `partials/achievements.html` words
# them (the same messages, so one translation serves both); streaks and focus hours below.
_TITLES: dict[AchievementMetric, tuple[str, str]] = {
    "logs": (N_("First log"), N_("%(n)s logs")),
    "resources_finished": (N_("First resource finished"), N_("%(n)s resources finished")),
    "goals_completed": (N_("First goal completed"), N_("%(n)s goals completed")),
    "paths_completed": (N_("First learning path completed"), N_("%(n)s learning paths completed")),
    "languages": (N_("First language"), N_("%(n)s languages used")),
    "tag_logs": (N_("First log on #%(tag)s"), N_("%(n)s logs on #%(tag)s")),
}


def worded_title(
    title: str | None,
    metric: AchievementMetric,
    threshold: int,
    tag_name: str | None,
    lo: Localizer,
) -> str:
    """The rule's own `title`, else the wording of its metric and threshold in `lo`'s
    language (`ENGLISH`: the title `stats.json` gives)."""
    if title:
        return title
    n = threshold
    if metric == "streak_days":
        return lo.ngettext("%(num)s-day streak", "%(num)s-day streak", n) % {"num": lo.number(n)}
    if metric == "focus_hours":
        return lo.gettext("%(duration)s of focus") % {"duration": lo.minutes(n * 60)}
    first, more = _TITLES[metric]
    return lo.gettext(first if n == 1 else more) % {"n": lo.number(n), "tag": tag_name or ""}


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
        english_title=worded_title(rule.title, rule.metric, goal, tag, ENGLISH),
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
