"""The views of free-form pages (`pages/<slug>.md`) and their navigation entries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from tamatar_site.model import FreePage
from tamatar_site.render.views.content import NavItem, trusted_html


@dataclass(frozen=True)
class FreePageView:
    slug: str
    title: str
    permalink: str
    description: str
    html: Markup


def free_page_view(page: FreePage, html: str) -> FreePageView:
    return FreePageView(page.slug, page.title, page.permalink, page.description, trusted_html(html))


def free_page_nav(pages: Iterable[FreePage]) -> list[NavItem]:
    """The navigation entries of the pages with `nav: true`, in the order given."""
    return [NavItem(f"page:{p.slug}", p.title, p.permalink) for p in pages if p.nav]
