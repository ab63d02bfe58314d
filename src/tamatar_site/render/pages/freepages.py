"""The pages of `pages/*.md`: one `<slug>/` page each, in the `page.html` template."""

from __future__ import annotations

from collections.abc import Iterator

from tamatar_site.render.pages.common import (
    Page,
    PageMeta,
    RouteInputs,
    body_of,
    common_context,
    index_path,
)
from tamatar_site.render.views.freepages import free_page_view


def free_pages(inputs: RouteInputs) -> Iterator[Page]:
    for page in inputs.site.pages:
        body = body_of(inputs, page.source)
        view = free_page_view(page, body.html)
        meta = PageMeta(page.title, page.permalink, "pages", page.description or body.summary)
        yield Page(
            index_path(page.permalink), "page.html", common_context(inputs, meta, free_page=view)
        )
