"""The profile cards of a build (`cards/*.svg`) as fingerprinted document groups: one group
per card with its light and dark file, rendered only when the card's numbers changed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from tamatar_site.compute import timeline
from tamatar_site.render.documents.cards import (
    SCHEMES,
    LanguagesCard,
    Palette,
    ProjectCard,
    StreakCard,
    TagsCard,
    WeekCard,
    last_days,
    render_languages_card,
    render_project_card,
    render_streak_card,
    render_tags_card,
    render_week_card,
)
from tamatar_site.render.documents.groups import Document, DocumentGroup, fingerprint
from tamatar_site.render.pages.common import RouteInputs, body_of

TOP_TAGS = 5
_Card = TypeVar("_Card")


def card_paths(name: str) -> tuple[str, ...]:
    """`cards/<name>-light.svg`, `cards/<name>-dark.svg`."""
    return tuple(f"cards/{name}-{palette.name}.svg" for palette in SCHEMES)


def _group(name: str, card: _Card, draw: Callable[[_Card, Palette], str]) -> DocumentGroup:
    paths = card_paths(name)

    def render() -> list[Document]:
        return [
            Document(path, draw(card, palette).encode("utf-8"))
            for path, palette in zip(paths, SCHEMES, strict=True)
        ]

    return DocumentGroup(paths, fingerprint("card", name, repr(card)), render)


def iter_card_groups(inputs: RouteInputs) -> Iterator[DocumentGroup]:
    """Streak, last 7 days, top tags, top languages (with GitHub data) and one per project."""
    site_name = inputs.config.site.title
    streaks = inputs.streaks
    streak = StreakCard(
        site_name,
        streaks.current.length,
        streaks.current.start,
        streaks.longest.length,
        streaks.longest.start,
        streaks.longest.end,
        streaks.active_days,
        len(inputs.site.logs),
    )
    yield _group("streak", streak, render_streak_card)
    week = WeekCard(site_name, last_days((log.date for log in inputs.site.logs), streaks.today))
    yield _group("week", week, render_week_card)
    tags = tuple((tc.tag.name, tc.count) for tc in inputs.stats.top_tags[:TOP_TAGS])
    yield _group("tags", TagsCard(site_name, tags), render_tags_card)
    github = inputs.github
    if github is not None and github.languages:
        languages = tuple((share.name, share.percent) for share in github.languages)
        yield _group("languages", LanguagesCard(site_name, languages), render_languages_card)
    by_project = timeline.compute_project_index(inputs.site.logs)
    for project in inputs.site.projects:
        repo = github.repo_cards.get(project.repo) if github and project.repo else None
        project_card = ProjectCard(
            project.slug,
            project.name,
            project.status,
            body_of(inputs, project.source).summary,
            project.tech_stack,
            len(by_project.get(project.slug, ())),
            repo.stars if repo else None,
            repo.forks if repo else None,
        )
        yield _group(f"project-{project.slug}", project_card, render_project_card)
