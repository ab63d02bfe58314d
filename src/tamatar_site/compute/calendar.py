"""Compute stage: the dated things of a site, the events of its `calendar.ics`.

Goal target dates, goal and project milestones with a date, and learning-path steps with
a date. Each gets a key that names it the same way in every build (kind, owner's slug and,
for a milestone or step, a digest of its title), from which the calendar's UIDs are made:
a calendar application that subscribed to the file updates the events it already has.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from tamatar_site.model import Milestone, Site

CalendarKind = Literal["goal-target", "goal-milestone", "project-milestone", "path-step"]


@dataclass(frozen=True)
class CalendarItem:
    """One all-day event: `day` is a local date in the site's time zone."""

    key: str  # stable within the site: `goal-<slug>-target`, `path-<slug>-step-<digest>`
    kind: CalendarKind
    day: dt.date
    title: str  # the milestone's or step's title; the goal's for a target date
    owner: str  # the goal's, project's or path's title
    permalink: str  # the owner's page
    done: bool
    cancelled: bool = False


def _title_key(title: str, seen: dict[str, int]) -> str:
    """A short digest of `title` (so reordering or inserting milestones keeps the others'
    keys); a second item with the same title gets `-2`, and so on."""
    digest = hashlib.blake2b(title.encode("utf-8"), digest_size=5).hexdigest()
    count = seen[digest] = seen.get(digest, 0) + 1
    return digest if count == 1 else f"{digest}-{count}"


def _milestones(prefix: str, milestones: tuple[Milestone, ...]) -> Iterator[tuple[str, Milestone]]:
    seen: dict[str, int] = {}
    for milestone in milestones:
        key = f"{prefix}-milestone-{_title_key(milestone.title, seen)}"
        if milestone.date is not None:
            yield key, milestone


def compute_calendar(site: Site) -> tuple[CalendarItem, ...]:
    """Every dated item of `site`, by day, then key (the order of the calendar's events)."""
    items: list[CalendarItem] = []
    for goal in site.goals:
        cancelled = goal.status == "cancelled"
        if goal.target_date is not None:
            items.append(
                CalendarItem(
                    key=f"goal-{goal.slug}-target",
                    kind="goal-target",
                    day=goal.target_date,
                    title=goal.title,
                    owner=goal.title,
                    permalink=goal.permalink,
                    done=goal.status == "completed",
                    cancelled=cancelled,
                )
            )
        for key, milestone in _milestones(f"goal-{goal.slug}", goal.milestones):
            assert milestone.date is not None
            items.append(
                CalendarItem(
                    key=key,
                    kind="goal-milestone",
                    day=milestone.date,
                    title=milestone.title,
                    owner=goal.title,
                    permalink=goal.permalink,
                    done=milestone.done,
                    cancelled=cancelled,
                )
            )
    for project in site.projects:
        for key, milestone in _milestones(f"project-{project.slug}", project.milestones):
            assert milestone.date is not None
            items.append(
                CalendarItem(
                    key=key,
                    kind="project-milestone",
                    day=milestone.date,
                    title=milestone.title,
                    owner=project.name,
                    permalink=project.permalink,
                    done=milestone.done,
                )
            )
    for path in site.paths:
        seen: dict[str, int] = {}
        for step in path.steps:
            key = f"path-{path.slug}-step-{_title_key(step.title, seen)}"
            if step.date is not None:
                items.append(
                    CalendarItem(
                        key=key,
                        kind="path-step",
                        day=step.date,
                        title=step.title,
                        owner=path.title,
                        permalink=path.permalink,
                        done=step.done,
                    )
                )
    items.sort(key=lambda item: (item.day, item.key))
    return tuple(items)
