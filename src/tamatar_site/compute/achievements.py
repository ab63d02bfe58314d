"""Compute stage: achievements, badges earned from the content (first log, streaks, counts
of logs, finished resources, completed goals and paths, languages, hours of focus).

A rule measures one *metric* against a *threshold*. Each metric is a timeline of dated
events (a log, a finished resource, a project's first use of a language, ...); the rule is
earned by the event that brings the metric to the threshold, and keeps that event's date:
reaching the threshold again later (a second 30-day streak) changes nothing. Events without
a date (a completed goal with no dated milestone) count after every dated one. Events after
``today`` are ignored, as the streaks ignore logs dated in the future.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from tamatar_site.compute.streaks import compute_streaks, first_days_reaching
from tamatar_site.model import (
    AchievementMetric,
    AchievementRule,
    Goal,
    LearningPath,
    Log,
    Project,
    Resource,
    Site,
)


@dataclass(frozen=True)
class Event:
    """One step of a metric: what happened, when, in which file."""

    date: dt.date | None
    source: str  # the file that earned it, relative to the site
    permalink: str  # its page
    label: str  # its title
    amount: int = 1


@dataclass(frozen=True)
class Achievement:
    rule: AchievementRule
    progress: int  # the metric's value now (longest streak, hours, count)
    earned: Event | None  # the event that reached the threshold; None: not yet


def compute_achievements(
    site: Site,
    rules: Sequence[AchievementRule],
    today: dt.date,
    *,
    extra_days: Iterable[dt.date] = (),
    grace_days: int = 0,
) -> tuple[Achievement, ...]:
    """Each rule's progress and, once earned, the event that earned it."""
    logs = sorted((log for log in site.logs if log.date <= today), key=_log_order)
    timelines = _Timelines(site, logs, today)
    extra = frozenset(extra_days)
    achievements = []
    for rule in rules:
        if rule.metric == "streak_days":
            achievements.append(_streak_achievement(rule, logs, today, extra, grace_days))
            continue
        events = timelines.events(rule)
        total, earned = 0, None
        goal = rule.threshold * 60 if rule.metric == "focus_hours" else rule.threshold
        for event in events:
            total += event.amount
            if earned is None and total >= goal:
                earned = event
        progress = total // 60 if rule.metric == "focus_hours" else total
        achievements.append(Achievement(rule, progress, earned))
    return tuple(achievements)


def _log_order(log: Log) -> tuple[dt.datetime, str]:
    return log.timestamp, log.source


def _log_event(log: Log, amount: int = 1) -> Event:
    return Event(log.date, log.source, log.permalink, log.title, amount)


def _streak_achievement(
    rule: AchievementRule,
    logs: list[Log],
    today: dt.date,
    extra_days: frozenset[dt.date],
    grace_days: int,
) -> Achievement:
    streaks = compute_streaks(logs, today, extra_days, grace_days=grace_days)
    reached = first_days_reaching(logs, today, extra_days, grace_days=grace_days)
    if rule.threshold > len(reached):
        return Achievement(rule, streaks.longest.length, None)
    day = reached[rule.threshold - 1]
    first = next((log for log in logs if log.date == day), None)
    # A day active through commits only has no log to point at.
    event = _log_event(first) if first else Event(day, "", "", "")
    return Achievement(rule, streaks.longest.length, event)


def _dated(events: Iterable[Event]) -> list[Event]:
    """Oldest first; undated events last, by source."""
    return sorted(events, key=lambda e: (e.date is None, e.date or dt.date.min, e.source))


class _Timelines:
    """The events of each metric, built once per build for all the rules."""

    def __init__(self, site: Site, logs: list[Log], today: dt.date) -> None:
        self.site, self.logs, self.today = site, logs, today
        cited: dict[str, dt.date] = {}
        for log in logs:  # oldest first: the last log citing a resource wins
            for slug in log.resources:
                cited[slug] = log.date
        self.finished = {
            r.slug: _finished_on(r, cited.get(r.slug))
            for r in site.resources
            if r.status == "done" or r.finished is not None
        }
        self._cache: dict[AchievementMetric, list[Event]] = {}

    def events(self, rule: AchievementRule) -> list[Event]:
        if rule.metric == "tag_logs":
            return [
                _log_event(log) for log in self.logs if any(t.slug == rule.tag for t in log.tags)
            ]
        if rule.metric not in self._cache:
            self._cache[rule.metric] = [
                e for e in self._build(rule.metric) if e.date is None or e.date <= self.today
            ]
        return self._cache[rule.metric]

    def _build(self, metric: AchievementMetric) -> list[Event]:
        site = self.site
        if metric == "logs":
            return [_log_event(log) for log in self.logs]
        if metric == "focus_hours":
            return [_log_event(log, log.focus_minutes) for log in self.logs if log.focus_minutes]
        if metric == "resources_finished":
            return _dated(
                _file_event(r, r.title, self.finished[r.slug])
                for r in site.resources
                if r.slug in self.finished
            )
        if metric == "goals_completed":
            return _dated(
                _file_event(g, g.title, g.completed_on)
                for g in site.goals
                if g.status == "completed"
            )
        if metric == "paths_completed":
            return _dated(self._path_events())
        return list(_language_events(site.projects, self.logs))

    def _path_events(self) -> Iterator[Event]:
        for path in self.site.paths:
            if path.steps and all(step.done for step in path.steps):
                yield _file_event(path, path.title, self._path_finished_on(path))

    def _path_finished_on(self, path: LearningPath) -> dt.date | None:
        dates = [self.finished.get(step.resource or "") for step in path.steps]
        known = [d for d in dates if d is not None]
        return max(known) if known else None


def _file_event(item: Resource | Goal | LearningPath, label: str, date: dt.date | None) -> Event:
    return Event(date, item.source, item.permalink, label)


def _finished_on(resource: Resource, last_cited: dt.date | None) -> dt.date | None:
    """When a finished resource was finished: its `finished` date, else the last log that
    cites it, else the day it was `added`."""
    return resource.finished or last_cited or resource.added


def _language_events(projects: Sequence[Project], logs: list[Log]) -> Iterator[Event]:
    """One event per language of the projects' tech stacks (compared case-insensitively),
    at its first use: the first log about a project that lists it, else that project's
    start date."""
    first_log: dict[str, Log] = {}
    for entry in logs:
        if entry.project is not None:
            first_log.setdefault(entry.project, entry)
    starts: list[tuple[dt.date | None, str, Event]] = []
    for project in projects:
        log = first_log.get(project.slug)
        event = (
            _log_event(log)
            if log
            else Event(project.start_date, project.source, project.permalink, project.name)
        )
        for language in project.tech_stack:
            starts.append((event.date, language, event))
    seen: set[str] = set()
    for _, language, event in sorted(
        starts, key=lambda s: (s[0] is None, s[0] or dt.date.min, s[2].source, s[1])
    ):
        if language.casefold() not in seen:
            seen.add(language.casefold())
            yield event
