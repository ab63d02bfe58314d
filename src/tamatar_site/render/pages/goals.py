"""The goals' pages: `goals/` (every goal after the goals it depends on) and each
goal's own page `goals/<slug>/` (its quest chain, milestones, and the logs, projects and
resources that belong to it; see `views/goals.py`)."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence

from tamatar_site.compute import timeline
from tamatar_site.model import Goal
from tamatar_site.render.pages.calendar import calendar_links, calendar_path
from tamatar_site.render.pages.common import (
    Page,
    PageMeta,
    RouteInputs,
    body_of,
    common_context,
    index_path,
)
from tamatar_site.render.views import goals as gv
from tamatar_site.render.views import learning as lv


def goals_in_dependency_order(goals: Sequence[Goal]) -> list[Goal]:
    """Goals whose dependencies come first (Kahn's algorithm; ties keep the input order)."""
    by_slug = {g.slug: g for g in goals}
    waiting = {g.slug: sum(1 for d in g.depends_on if d in by_slug) for g in goals}
    dependants: dict[str, list[str]] = {}
    for goal in goals:
        for dependency in goal.depends_on:
            dependants.setdefault(dependency, []).append(goal.slug)
    position = {g.slug: i for i, g in enumerate(goals)}
    ready = [g.slug for g in goals if waiting[g.slug] == 0]
    ordered: list[Goal] = []
    heap = [(position[s], s) for s in ready]
    heapq.heapify(heap)
    while heap:
        _, slug = heapq.heappop(heap)
        ordered.append(by_slug[slug])
        for other in dependants.get(slug, []):
            waiting[other] -= 1
            if waiting[other] == 0:
                heapq.heappush(heap, (position[other], other))
    seen = {g.slug for g in ordered}
    ordered.extend(g for g in goals if g.slug not in seen)  # cycles: validation reports them
    return ordered


def goal_pages(inputs: RouteInputs) -> Iterator[Page]:
    site = inputs.site
    ordered = goals_in_dependency_order(site.goals)
    titles = {g.slug: g.title for g in site.goals}
    views = {
        g.slug: lv.goal_view(
            g, body_of(inputs, g.source).html, titles, inputs.tags, inputs.localizer
        )
        for g in ordered
    }
    _ = inputs.localizer.gettext
    meta = PageMeta(
        _("Goals"),
        "goals/",
        "goals",
        _("Goals and quests, in dependency order."),
        calendar_links(inputs),
    )
    context = common_context(
        inputs, meta, goals=list(views.values()), calendar=calendar_path(inputs)
    )
    yield Page("goals/index.html", "goals.html", context)

    by_slug = {g.slug: g for g in site.goals}
    dependants = gv.dependants_of(site.goals)
    logs = timeline.compute_index(site.logs, lambda log: log.goals)
    projects = {p.slug: p for p in site.projects}
    resources = {r.slug: r for r in site.resources}
    for goal in ordered:
        view = gv.goal_page_view(
            views[goal.slug],
            gv.quest_chain(goal, ordered, by_slug, dependants),
            dependants.get(goal.slug, ()),
            logs.get(goal.slug, ()),
            projects,
            resources,
        )
        description = body_of(inputs, goal.source).summary or (
            f"{view.goal.type_label}: {goal.progress}% done."
        )
        meta = PageMeta(goal.title, goal.permalink, "goals", description)
        yield Page(index_path(goal.permalink), "goal.html", common_context(inputs, meta, goal=view))
