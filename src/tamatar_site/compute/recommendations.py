"""Compute stage: "what to learn next", from the content alone (no service, no model).

Two kinds of recommendation, each with its reason:

- the next step of each active learning path: a path with at least one step done and at
  least one not done (a path not started yet is not pushed; its own page still shows its
  first step);
- resources still `to-read` whose categories are among the tags logged most in the last
  `RECENT_DAYS` days, counted back from the newest log's date (not from today, so the same
  content gives the same recommendations whenever it is built).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tamatar_site.model import LearningPath, Log, PathStep, Resource, Site, tag_slug

RECENT_DAYS = 30  # the window of "recent" logs, ending on the newest log's date
TOP_TAGS = 5  # the tags logged most in that window that resources are matched against
MAX_RESOURCES = 5  # resources recommended at most


@dataclass(frozen=True)
class NextStep:
    """The first step of `path` not done yet."""

    path: LearningPath
    step: PathStep
    number: int  # its position in the path, from 1
    done: int  # steps of the path done
    total: int  # steps of the path


@dataclass(frozen=True)
class ResourcePick:
    """A to-read resource and why: `logs` logs tagged `tag` (a slug) in the window."""

    resource: Resource
    tag: str
    logs: int


@dataclass(frozen=True)
class Recommendations:
    next_steps: tuple[NextStep, ...] = ()  # of the active paths, in the site's path order
    resources: tuple[ResourcePick, ...] = ()  # the best reason first, at most `limit`
    days: int = RECENT_DAYS
    until: dt.date | None = None  # the newest log's date: the window's last day


def next_step(path: LearningPath) -> NextStep | None:
    """The first step of `path` not done, or None when every step is done (or none exist)."""
    done = sum(1 for step in path.steps if step.done)
    for number, step in enumerate(path.steps, 1):
        if not step.done:
            return NextStep(path, step, number, done, len(path.steps))
    return None


def is_active(path: LearningPath) -> bool:
    """Started and not finished: a step done and a step to do."""
    return any(s.done for s in path.steps) and not all(s.done for s in path.steps)


def recent_tag_counts(logs: Sequence[Log], days: int = RECENT_DAYS) -> dict[str, int]:
    """Tag slug -> logs with that tag dated in the `days` days that end on the newest log's
    date (`logs` newest first), most used first, then by slug."""
    if not logs:
        return {}
    first = logs[0].date - dt.timedelta(days=days - 1)
    counts: dict[str, int] = {}
    for log in logs:
        if log.date < first:
            break
        for tag in log.tags:
            counts[tag.slug] = counts.get(tag.slug, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def compute_recommendations(
    site: Site,
    *,
    days: int = RECENT_DAYS,
    top_tags: int = TOP_TAGS,
    limit: int = MAX_RESOURCES,
) -> Recommendations:
    """What to learn next in `site`: a resource's categories match tags as tags match each
    other (`tag_slug`)."""
    steps = tuple(
        step for path in site.paths if is_active(path) and (step := next_step(path)) is not None
    )
    counts = recent_tag_counts(site.logs, days)
    top = dict(list(counts.items())[:top_tags])
    rank = {slug: position for position, slug in enumerate(top)}
    picks: list[ResourcePick] = []
    for resource in site.resources:
        if resource.status != "to-read":
            continue
        matches = [slug for c in resource.categories if (slug := tag_slug(c)) in top]
        if matches:
            best = min(matches, key=rank.__getitem__)
            picks.append(ResourcePick(resource, best, top[best]))
    picks.sort(key=lambda p: (rank[p.tag], p.resource.title.casefold(), p.resource.slug))
    return Recommendations(
        next_steps=steps,
        resources=tuple(picks[:limit]),
        days=days,
        until=site.logs[0].date if site.logs else None,
    )
