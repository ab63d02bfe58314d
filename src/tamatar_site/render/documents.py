"""Render stage: every output that is not an HTML page (feeds, sitemap, robots.txt,
following.opml, the JSON API and the generated stylesheets), as bytes with their paths."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tamatar_site.render.api import render_api
from tamatar_site.render.markdown import highlight_css
from tamatar_site.render.routes import RenderState, RouteInputs
from tamatar_site.render.svg import chart_css


@dataclass(frozen=True)
class Document:
    path: str  # output path relative to the output folder
    data: bytes


def iter_documents(inputs: RouteInputs, rendered: RenderState) -> Iterator[Document]:
    """Feeds, sitemap, robots.txt, OPML, API and CSS. Call after the pages were rendered."""
    yield Document("assets/highlight.css", highlight_css().encode("utf-8"))
    yield Document("assets/charts.css", chart_css().encode("utf-8"))
    site = inputs.site
    for doc in render_api(
        config=inputs.config,
        logs=site.logs,
        projects=site.projects,
        tag_counts={slug: entry.count for slug, entry in inputs.tag_index.items()},
        tag_names={slug: entry.tag.name for slug, entry in inputs.tag_index.items()},
        summaries=rendered.summaries,
        streaks=inputs.streaks,
        abs_url=inputs.abs_url,
    ):
        yield Document(doc.path, doc.data)
