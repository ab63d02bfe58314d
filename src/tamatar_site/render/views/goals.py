"""The views of a goal's own page (`goals/<slug>/`): its quest chain (every goal it
depends on and every goal that depends on it, in dependency order), and the logs,
projects and resources that belong to it.

A log belongs to a goal when it names it in `goals:`; the projects and resources of a
goal are those its logs name (`project:`, `resources:`). Lists show a log's title and
date only, so an edit of a log's text leaves goal pages as they are."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from tamatar_site.model import Goal, Log, Project, Resource
from tamatar_site.render.views.content import LinkView
from tamatar_site.render.views.learning import GoalView
from tamatar_site.render.views.resources import DatedLinkView, dated_links

_Neighbours = Callable[[str], Iterable[str]]


@dataclass(frozen=True)
class ChainStepView:
    """One goal of a quest chain."""

    title: str
    permalink: str
    status: str
    progress: int
    current: bool  # the goal whose page this is
    after: tuple[LinkView, ...]  # the goals of the chain it directly depends on


@dataclass(frozen=True)
class GoalResourceView:
    title: str
    permalink: str
    status: str


@dataclass(frozen=True)
class GoalPageView:
    goal: GoalView
    chain: tuple[ChainStepView, ...]  # prerequisites, this goal, then dependants
    needed_by: tuple[LinkView, ...]  # goals that depend on this one directly
    logs: tuple[DatedLinkView, ...]  # newest first
    projects: tuple[LinkView, ...]
    resources: tuple[GoalResourceView, ...]


def dependants_of(goals: Sequence[Goal]) -> dict[str, list[Goal]]:
    """Goal slug -> the goals that name it in `depends_on`, in input order."""
    dependants: dict[str, list[Goal]] = {}
    for goal in goals:
        for slug in dict.fromkeys(goal.depends_on):
            dependants.setdefault(slug, []).append(goal)
    return dependants


def quest_chain(
    goal: Goal,
    ordered: Sequence[Goal],
    by_slug: Mapping[str, Goal],
    dependants: Mapping[str, Sequence[Goal]],
) -> tuple[ChainStepView, ...]:
    """Every goal `goal` depends on and every goal that depends on it, transitively, in
    `ordered` (dependency) order; a goal alone has no chain."""
    members = {goal.slug}
    _reach(goal.slug, lambda s: by_slug[s].depends_on if s in by_slug else (), members)
    _reach(goal.slug, lambda s: [g.slug for g in dependants.get(s, ())], members)
    if len(members) == 1:
        return ()
    return tuple(
        ChainStepView(
            title=g.title,
            permalink=g.permalink,
            status=g.status,
            progress=g.progress,
            current=g.slug == goal.slug,
            after=tuple(
                LinkView(by_slug[d].title, by_slug[d].permalink)
                for d in dict.fromkeys(g.depends_on)
                if d in members and d in by_slug
            ),
        )
        for g in ordered
        if g.slug in members
    )


def _reach(start: str, neighbours: _Neighbours, seen: set[str]) -> None:
    stack = [start]
    while stack:
        for slug in neighbours(stack.pop()):
            if slug not in seen:
                seen.add(slug)
                stack.append(slug)


def goal_page_view(
    view: GoalView,
    chain: tuple[ChainStepView, ...],
    dependants: Sequence[Goal],
    logs: Sequence[Log],
    projects: Mapping[str, Project],
    resources: Mapping[str, Resource],
) -> GoalPageView:
    project_slugs = dict.fromkeys(log.project for log in logs if log.project in projects)
    resource_slugs = dict.fromkeys(s for log in logs for s in log.resources if s in resources)
    goal_projects = sorted(
        (projects[s] for s in project_slugs if s), key=lambda p: p.name.casefold()
    )
    goal_resources = sorted(
        (resources[s] for s in resource_slugs), key=lambda r: r.title.casefold()
    )
    return GoalPageView(
        goal=view,
        chain=chain,
        needed_by=tuple(LinkView(g.title, g.permalink) for g in dependants),
        logs=dated_links(logs),
        projects=tuple(LinkView(p.name, p.permalink) for p in goal_projects),
        resources=tuple(GoalResourceView(r.title, r.permalink, r.status) for r in goal_resources),
    )
