"""The learning sections: resources and goals (their own modules), learning paths and
snippets."""

from __future__ import annotations

from collections.abc import Iterator

from tamatar_site.compute.recommendations import next_step
from tamatar_site.render.pages.common import (
    Page,
    PageMeta,
    RouteInputs,
    body_of,
    common_context,
    index_path,
)
from tamatar_site.render.pages.goals import goal_pages, goals_in_dependency_order
from tamatar_site.render.pages.resources import resource_pages
from tamatar_site.render.views import learning as lv
from tamatar_site.render.views.recommendations import recommendations_view

__all__ = ["goals_in_dependency_order", "learning_pages"]


def learning_pages(inputs: RouteInputs) -> Iterator[Page]:
    site = inputs.site
    lo = inputs.localizer
    _ = lo.gettext
    resources = {r.slug: r for r in site.resources}
    yield from resource_pages(inputs)
    yield from goal_pages(inputs)

    path_views = []
    for path in site.paths:
        body = body_of(inputs, path.source)
        path_views.append(lv.path_view(path, body.html, body.text, resources, lo))
    meta = PageMeta(_("Learning paths"), "paths/", "paths", _("Ordered steps over resources."))
    yield Page("paths/index.html", "paths.html", common_context(inputs, meta, paths=path_views))
    for path, view in zip(site.paths, path_views, strict=True):
        meta = PageMeta(view.title, view.permalink, "paths", view.summary)
        step = next_step(path)
        recommended = recommendations_view(
            inputs.recommendations, inputs.tags, resources, steps=() if step is None else (step,)
        )
        context = common_context(inputs, meta, path=view, recommendations=recommended)
        yield Page(index_path(view.permalink), "path.html", context)

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
