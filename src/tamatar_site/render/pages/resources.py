"""The resources' pages: `resources/` (all, grouped by type), its filter pages
(`resources/status/<s>/`, `resources/difficulty/<d>/`, `resources/category/<c>/`: the same
list filtered, so filtering needs no JavaScript) and each resource's own page
`resources/<slug>/` (its review, rating, dates, and the logs that cite it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from tamatar_site.compute import timeline
from tamatar_site.model import Log, Resource
from tamatar_site.render.pages.common import (
    Page,
    PageMeta,
    RouteInputs,
    body_of,
    common_context,
    index_path,
)
from tamatar_site.render.views import learning as lv
from tamatar_site.render.views import resources as rv
from tamatar_site.render.views.content import LinkView

FACETS = ("status", "difficulty", "category")


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str
    resources: tuple[lv.ResourceView, ...]


def resource_pages(inputs: RouteInputs) -> Iterator[Page]:
    site = inputs.site
    ordered = sorted(site.resources, key=lambda r: (r.title.casefold(), r.slug))
    views = {
        r.slug: lv.resource_view(r, body_of(inputs, r.source).html, inputs.localizer)
        for r in ordered
    }
    labels = rv.category_labels(ordered)
    yield from _list_pages(inputs, list(views.values()), labels)

    cited = timeline.compute_index(site.logs, lambda log: log.resources)
    paths: dict[str, list[LinkView]] = {}
    for path in site.paths:
        for slug in dict.fromkeys(s.resource for s in path.steps if s.resource):
            paths.setdefault(slug, []).append(LinkView(path.title, path.permalink))
    for resource in ordered:
        yield _resource_page(inputs, resource, views[resource.slug], cited, paths, labels)


def _resource_page(
    inputs: RouteInputs,
    resource: Resource,
    view: lv.ResourceView,
    cited: Mapping[str, Sequence[Log]],
    paths: Mapping[str, list[LinkView]],
    labels: Mapping[str, str],
) -> Page:
    page_view = rv.resource_page_view(
        resource, view, cited.get(resource.slug, ()), paths.get(resource.slug, ()), labels
    )
    description = body_of(inputs, resource.source).summary or (
        f"{view.type_label}, {view.status_label.lower()}."
    )
    meta = PageMeta(resource.title, resource.permalink, "resources", description)
    return Page(
        index_path(resource.permalink),
        "resource.html",
        common_context(inputs, meta, resource=page_view),
    )


def _facet_values(
    resources: list[lv.ResourceView], labels: Mapping[str, str], gettext: Callable[[str], str]
) -> dict[str, list[FacetValue]]:
    """Each facet's values that some resource has, with those resources."""
    facet_labels = {
        "status": {key: gettext(label) for key, label in lv.RESOURCE_STATUS_LABELS.items()},
        "difficulty": {key: gettext(label) for key, label in lv.DIFFICULTY_LABELS.items()},
        "category": labels,
    }
    return {
        facet: [
            FacetValue(key, label, selected)
            for key, label in facet_labels[facet].items()
            if (selected := tuple(r for r in resources if key in _keys(r, facet)))
        ]
        for facet in FACETS
    }


def _keys(resource: lv.ResourceView, facet: str) -> tuple[str, ...]:
    if facet == "category":
        return tuple(rv.category_key(c) for c in resource.categories)
    value = getattr(resource, facet)
    return (value,) if value else ()


def _filter_links(
    facets: dict[str, list[FacetValue]], current: str
) -> dict[str, list[lv.FilterLinkView]]:
    """The filter links of one resources page; `current` is its "facet/key" ("" for all)."""
    return {
        facet: [
            lv.FilterLinkView(
                v.label,
                f"resources/{facet}/{v.key}/",
                len(v.resources),
                current == f"{facet}/{v.key}",
            )
            for v in values
        ]
        for facet, values in facets.items()
    }


def _resource_groups(
    selected: tuple[lv.ResourceView, ...], gettext: Callable[[str], str]
) -> list[lv.ResourceGroupView]:
    return [
        lv.ResourceGroupView(kind, gettext(label), tuple(r for r in selected if r.type == kind))
        for kind, label in lv.RESOURCE_TYPE_LABELS.items()
        if any(r.type == kind for r in selected)
    ]


def _list_pages(
    inputs: RouteInputs, resources: list[lv.ResourceView], labels: Mapping[str, str]
) -> Iterator[Page]:
    _ = inputs.localizer.gettext
    facets = _facet_values(resources, labels, _)
    meta = PageMeta(
        _("Resources"), "resources/", "resources", _("What I read, watch and use to learn.")
    )
    yield Page(
        "resources/index.html",
        "resources.html",
        common_context(
            inputs,
            meta,
            groups=_resource_groups(tuple(resources), _),
            filters=_filter_links(facets, ""),
            filter_label=None,
            total=len(resources),
        ),
    )
    for facet, values in facets.items():
        for value in values:
            permalink = f"resources/{facet}/{value.key}/"
            description = (
                f"{len(value.resources)} of {len(resources)} learning resources, {facet} "
                f"{value.label.lower()}: what I read, watch and use to learn."
            )
            title = _("Resources: %(filter)s") % {"filter": value.label}
            meta = PageMeta(title, permalink, "resources", description)
            yield Page(
                index_path(permalink),
                "resources.html",
                common_context(
                    inputs,
                    meta,
                    groups=_resource_groups(value.resources, _),
                    filters=_filter_links(facets, f"{facet}/{value.key}"),
                    filter_label=value.label,
                    total=len(resources),
                ),
            )
