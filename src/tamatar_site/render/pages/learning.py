"""The learning sections: resources (with filter pages that need no
JavaScript), goals in dependency order, learning paths and snippets."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence

from tamatar_site.model import Goal
from tamatar_site.render.i18n import N_, Localizer
from tamatar_site.render.pages.common import (
    Page,
    PageMeta,
    RouteInputs,
    body_of,
    common_context,
    index_path,
)
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


def learning_pages(inputs: RouteInputs) -> Iterator[Page]:
    site = inputs.site
    lo = inputs.localizer
    _ = lo.gettext
    resources = {r.slug: r for r in site.resources}
    resource_views = [
        lv.resource_view(r, body_of(inputs, r.source).html, lo)
        for r in sorted(site.resources, key=lambda r: r.title.casefold())
    ]
    yield from _resource_pages(inputs, resource_views)

    titles = {g.slug: g.title for g in site.goals}
    goal_views = [
        lv.goal_view(g, body_of(inputs, g.source).html, titles, inputs.tags, lo)
        for g in goals_in_dependency_order(site.goals)
    ]
    meta = PageMeta(_("Goals"), "goals/", "goals", _("Goals and quests, in dependency order."))
    yield Page("goals/index.html", "goals.html", common_context(inputs, meta, goals=goal_views))

    path_views = []
    for path in site.paths:
        body = body_of(inputs, path.source)
        path_views.append(lv.path_view(path, body.html, body.text, resources, lo))
    meta = PageMeta(_("Learning paths"), "paths/", "paths", _("Ordered steps over resources."))
    yield Page("paths/index.html", "paths.html", common_context(inputs, meta, paths=path_views))
    for view in path_views:
        meta = PageMeta(view.title, view.permalink, "paths", view.summary)
        yield Page(index_path(view.permalink), "path.html", common_context(inputs, meta, path=view))

    snippet_views = [
        lv.snippet_view(s, body_of(inputs, s.source).html, inputs.tags)
        for s in sorted(site.snippets, key=lambda s: (s.title.casefold(), s.slug))
    ]
    meta = PageMeta(
        _("Snippets"), "snippets/", "snippets", _("Small pieces of code worth keeping.")
    )
    yield Page(
        "snippets/index.html", "snippets.html", common_context(inputs, meta, snippets=snippet_views)
    )
    for snippet in snippet_views:
        meta = PageMeta(snippet.title, snippet.permalink, "snippets", snippet.description)
        yield Page(
            index_path(snippet.permalink),
            "snippet.html",
            common_context(inputs, meta, snippet=snippet),
        )


_FACET_NAMES = {"status": N_("status"), "difficulty": N_("difficulty")}
FacetCounts = list[tuple[str, str, int]]  # (key, label, how many resources) per facet value


def _resource_facets(resources: list[lv.ResourceView], lo: Localizer) -> dict[str, FacetCounts]:
    """The filters of the resources pages: each status and difficulty with its count."""
    return {
        facet: [
            (key, lo.gettext(label), sum(1 for r in resources if getattr(r, facet) == key))
            for key, label in labels.items()
        ]
        for facet, labels in (
            ("status", lv.RESOURCE_STATUS_LABELS),
            ("difficulty", lv.DIFFICULTY_LABELS),
        )
    }


def _filter_links(
    facets: dict[str, FacetCounts], current: str
) -> dict[str, list[lv.FilterLinkView]]:
    """The filter links of one resources page; `current` is its "facet/key" ("" for all)."""
    return {
        facet: [
            lv.FilterLinkView(label, f"resources/{facet}/{key}/", n, current == f"{facet}/{key}")
            for key, label, n in counts
            if n
        ]
        for facet, counts in facets.items()
    }


def _resource_groups(selected: list[lv.ResourceView], lo: Localizer) -> list[lv.ResourceGroupView]:
    return [
        lv.ResourceGroupView(kind, lo.gettext(label), tuple(r for r in selected if r.type == kind))
        for kind, label in lv.RESOURCE_TYPE_LABELS.items()
        if any(r.type == kind for r in selected)
    ]


def _resource_pages(inputs: RouteInputs, resources: list[lv.ResourceView]) -> Iterator[Page]:
    """`resources/` lists all, grouped by type; `resources/status/<s>/` and
    `resources/difficulty/<d>/` are the same list filtered, so filtering needs no JavaScript."""
    lo = inputs.localizer
    facets = _resource_facets(resources, lo)
    meta = PageMeta(
        lo.gettext("Resources"),
        "resources/",
        "resources",
        lo.gettext("What I read, watch and use to learn."),
    )
    yield Page(
        "resources/index.html",
        "resources.html",
        common_context(
            inputs,
            meta,
            groups=_resource_groups(resources, lo),
            filters=_filter_links(facets, ""),
            filter_label=None,
            total=len(resources),
        ),
    )
    for facet, counts in facets.items():
        for key, label, count in counts:
            if not count:
                continue
            selected = [r for r in resources if getattr(r, facet) == key]
            permalink = f"resources/{facet}/{key}/"
            description = lo.gettext(
                "%(shown)s of %(total)s learning resources, %(facet)s %(value)s: "
                "what I read, watch and use to learn."
            ) % {
                "shown": len(selected),
                "total": len(resources),
                "facet": lo.gettext(_FACET_NAMES[facet]),
                "value": label.lower(),
            }
            title = lo.gettext("Resources: %(filter)s") % {"filter": label}
            meta = PageMeta(title, permalink, "resources", description)
            yield Page(
                index_path(permalink),
                "resources.html",
                common_context(
                    inputs,
                    meta,
                    groups=_resource_groups(selected, lo),
                    filters=_filter_links(facets, f"{facet}/{key}"),
                    filter_label=label,
                    total=len(resources),
                ),
            )
