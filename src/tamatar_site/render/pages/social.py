"""Open Graph and Twitter card data: which pages have their own social image (the home page,
each log, each project), what the image shows, and the head tags' values.

The images themselves are drawn by `render/documents/social_image.py` (Pillow) and cached by
`build/social.py`; this module only decides paths and words, so pages and images agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from tamatar_site.model import Site
from tamatar_site.render.charts.svg import day_label

IMAGE_WIDTH, IMAGE_HEIGHT = 1200, 630
MAX_TAGS = 5


@dataclass(frozen=True)
class SocialCard:
    """What one social image shows; its `repr` is part of the image's cache key."""

    title: str
    site_name: str
    kicker: str = ""  # above the title: "Log", "Project"
    detail: str = ""  # under the title: a date, a project's status
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class SocialView:
    """The values of a page's `og:` and `twitter:` tags (`partials/social.html`)."""

    type: str  # og:type: `article` for a log, else `website`
    title: str
    description: str
    url: str  # absolute
    image: str = ""  # absolute URL of the PNG; empty when `social_images` is off
    image_alt: str = ""


def social_image_path(permalink: str) -> str:
    """`og/index.png` for the home page, `og/logs/2026/11/21/lifetimes.png` for a log."""
    return f"og/{permalink.strip('/') or 'index'}.png"


def social_cards(
    site: Site, site_name: str, tag_names: Mapping[str, str]
) -> Iterator[tuple[str, SocialCard]]:
    """Every social image of the site as (output path, card): home, logs, projects."""
    yield social_image_path(""), SocialCard(site_name, site_name)
    for log in site.logs:
        tags = tuple(tag_names.get(tag.slug, tag.name) for tag in log.tags[:MAX_TAGS])
        card = SocialCard(log.title, site_name, "Log", day_label(log.date), tags)
        yield social_image_path(log.permalink), card
    for project in site.projects:
        card = SocialCard(
            project.name, site_name, "Project", project.status, project.tech_stack[:MAX_TAGS]
        )
        yield social_image_path(project.permalink), card


def social_view(
    *,
    title: str,
    description: str,
    permalink: str,
    own_image: bool,
    article: bool,
    images: bool,
    abs_url: Callable[[str], str],
) -> SocialView:
    """The head tags of a page; a page without its own image (`own_image`) shows the home
    page's."""
    image, alt = "", ""
    if images:
        image = abs_url(social_image_path(permalink if own_image else ""))
        alt = title if own_image else description or title
    return SocialView(
        "article" if article else "website", title, description, abs_url(permalink), image, alt
    )
