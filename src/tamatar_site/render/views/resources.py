"""The views of a resource's own page (`resources/<slug>/`): its review, its rating in
half stars, its dates and the logs that cite it. Category keys and their labels live
here too, as the list, the filter pages and the resource page share them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tamatar_site.model import Log, Resource, tag_slug
from tamatar_site.render.markdown.headings import slugify
from tamatar_site.render.views.content import LinkView
from tamatar_site.render.views.learning import ResourceView


@dataclass(frozen=True)
class CategoryView:
    key: str  # the filter page's slug: `resources/category/<key>/`
    label: str
    permalink: str


@dataclass(frozen=True)
class DatedLinkView:
    """A page in a list that shows its date and title only (a log citing a resource)."""

    title: str
    permalink: str
    date: dt.date


@dataclass(frozen=True)
class ResourcePageView:
    resource: ResourceView
    categories: tuple[CategoryView, ...]
    started: dt.date | None
    finished: dt.date | None
    cited_by: tuple[DatedLinkView, ...]  # newest first
    paths: tuple[LinkView, ...]  # learning paths with a step on it


def category_key(category: str) -> str:
    """A category's filter page slug, made as a tag's (`C++` -> `c-plus-plus`, so `C`, `C#`
    and `C++` stay apart, and recommendations match categories to tags by it)."""
    return tag_slug(category) or slugify(category)


def category_permalink(key: str) -> str:
    return f"resources/category/{key}/"


def category_labels(resources: Iterable[Resource]) -> dict[str, str]:
    """Each category's key -> its label (the first spelling met), sorted by label."""
    labels: dict[str, str] = {}
    for resource in resources:
        for category in resource.categories:
            labels.setdefault(category_key(category), category)
    return dict(sorted(labels.items(), key=lambda item: (item[1].casefold(), item[0])))


def dated_links(logs: Iterable[Log]) -> tuple[DatedLinkView, ...]:
    return tuple(DatedLinkView(log.title, log.permalink, log.date) for log in logs)


def resource_page_view(
    resource: Resource,
    view: ResourceView,
    cited_by: Sequence[Log],
    paths: Sequence[LinkView],
    labels: Mapping[str, str],
) -> ResourcePageView:
    keys = dict.fromkeys(category_key(c) for c in resource.categories)
    return ResourcePageView(
        resource=view,
        categories=tuple(CategoryView(k, labels[k], category_permalink(k)) for k in keys),
        started=resource.started,
        finished=resource.finished,
        cited_by=dated_links(cited_by),
        paths=tuple(paths),
    )
