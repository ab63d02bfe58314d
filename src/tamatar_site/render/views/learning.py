"""The view models of the learning sections (resources, goals, learning
paths, snippets) and their labels. Same rules as `content.py`: plain values, and `Markup`
only for HTML we rendered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from tamatar_site.model import Goal, LearningPath, Resource, Snippet
from tamatar_site.render.i18n import N_, Localizer
from tamatar_site.render.markdown.summary import summarize
from tamatar_site.render.views.content import (
    LinkView,
    MilestoneView,
    ResourceRefView,
    TagView,
    TagViews,
    milestone_views,
    resource_ref_view,
    trusted_html,
)

# The labels are English message ids, translated where a view is made (`N_` marks them
# for `pybabel extract`).
RESOURCE_TYPE_LABELS = {
    "article": N_("Articles"),
    "video": N_("Videos"),
    "course": N_("Courses"),
    "documentation": N_("Documentation"),
    "tutorial": N_("Tutorials"),
    "book": N_("Books"),
    "podcast": N_("Podcasts"),
    "tool": N_("Tools"),
}
RESOURCE_TYPE_SINGULAR = {
    "article": N_("Article"),
    "video": N_("Video"),
    "course": N_("Course"),
    "documentation": N_("Documentation"),
    "tutorial": N_("Tutorial"),
    "book": N_("Book"),
    "podcast": N_("Podcast"),
    "tool": N_("Tool"),
}
RESOURCE_STATUS_LABELS = {
    "to-read": N_("To read"),
    "in-progress": N_("In progress"),
    "done": N_("Done"),
}
DIFFICULTY_LABELS = {
    "beginner": N_("Beginner"),
    "intermediate": N_("Intermediate"),
    "advanced": N_("Advanced"),
}
GOAL_TYPE_LABELS = {
    "skill_development": N_("Skill development"),
    "project_completion": N_("Project completion"),
    "learning_path": N_("Learning path"),
    "career_milestone": N_("Career milestone"),
    "habit_formation": N_("Habit formation"),
}


@dataclass(frozen=True)
class RatingView:
    """A rating of 1 to 5 in half stars, as the stars drawn for it."""

    value: float
    full: int
    half: bool
    empty: int

    @property
    def number(self) -> str:
        """`4.5`, or `4` for a whole number of stars."""
        return f"{self.value:g}"


@dataclass(frozen=True)
class ResourceView:
    slug: str
    title: str
    permalink: str
    url: str | None
    type: str
    type_label: str
    difficulty: str | None
    difficulty_label: str
    rating: RatingView | None
    categories: tuple[str, ...]
    status: str
    status_label: str
    review_html: Markup
    added: dt.date | None


@dataclass(frozen=True)
class ResourceGroupView:
    type: str
    label: str
    resources: tuple[ResourceView, ...]


@dataclass(frozen=True)
class FilterLinkView:
    label: str
    permalink: str
    count: int
    current: bool


@dataclass(frozen=True)
class GoalView:
    slug: str
    title: str
    permalink: str
    description_html: Markup
    type_label: str
    status: str
    target_date: dt.date | None
    milestones: tuple[MilestoneView, ...]
    depends_on: tuple[LinkView, ...]
    progress: int
    tags: tuple[TagView, ...]


@dataclass(frozen=True)
class StepView:
    title: str
    done: bool
    resource: ResourceRefView | None
    date: dt.date | None = None


@dataclass(frozen=True)
class PathView:
    slug: str
    title: str
    permalink: str
    description_html: Markup
    summary: str
    difficulty_label: str
    estimated_hours: float | None
    prerequisites: tuple[str, ...]
    outcomes: tuple[str, ...]
    steps: tuple[StepView, ...]
    progress: int


@dataclass(frozen=True)
class SnippetView:
    slug: str
    title: str
    permalink: str
    html: Markup
    language: str | None
    tags: tuple[TagView, ...]
    date: dt.date | None
    description: str


def rating_view(rating: float | None) -> RatingView | None:
    if rating is None:
        return None
    halves = round(rating * 2)
    return RatingView(halves / 2, halves // 2, bool(halves % 2), (10 - halves) // 2)


def resource_view(resource: Resource, review_html: str, localizer: Localizer) -> ResourceView:
    _ = localizer.gettext
    return ResourceView(
        slug=resource.slug,
        title=resource.title,
        permalink=resource.permalink,
        url=resource.url,
        type=resource.type,
        type_label=_(RESOURCE_TYPE_SINGULAR[resource.type]),
        difficulty=resource.difficulty,
        difficulty_label=_(DIFFICULTY_LABELS.get(resource.difficulty or "", "")),
        rating=rating_view(resource.rating),
        categories=resource.categories,
        status=resource.status,
        status_label=_(RESOURCE_STATUS_LABELS[resource.status]),
        review_html=trusted_html(review_html),
        added=resource.added,
    )


def goal_view(
    goal: Goal,
    description_html: str,
    titles: Mapping[str, str],
    tags: TagViews,
    localizer: Localizer,
) -> GoalView:
    return GoalView(
        slug=goal.slug,
        title=goal.title,
        permalink=goal.permalink,
        description_html=trusted_html(description_html),
        type_label=localizer.gettext(GOAL_TYPE_LABELS[goal.type]),
        status=goal.status,
        target_date=goal.target_date,
        milestones=milestone_views(goal.milestones),
        depends_on=tuple(
            LinkView(titles.get(slug, slug), f"goals/{slug}/") for slug in goal.depends_on
        ),
        progress=goal.progress,
        tags=tags.views(goal.tags),
    )


def path_view(
    path: LearningPath,
    description_html: str,
    text: str,
    resources: Mapping[str, Resource],
    localizer: Localizer,
) -> PathView:
    steps = tuple(
        StepView(
            step.title,
            step.done,
            resource_ref_view(resources[step.resource])
            if step.resource and step.resource in resources
            else None,
            step.date,
        )
        for step in path.steps
    )
    return PathView(
        slug=path.slug,
        title=path.title,
        permalink=path.permalink,
        description_html=trusted_html(description_html),
        summary=summarize(text, 160),
        difficulty_label=localizer.gettext(DIFFICULTY_LABELS.get(path.difficulty or "", "")),
        estimated_hours=path.estimated_hours,
        prerequisites=path.prerequisites,
        outcomes=path.outcomes,
        steps=steps,
        progress=path.progress,
    )


def snippet_view(snippet: Snippet, html: str, tags: TagViews) -> SnippetView:
    return SnippetView(
        slug=snippet.slug,
        title=snippet.title,
        permalink=snippet.permalink,
        html=trusted_html(html),
        language=snippet.language,
        tags=tags.views(snippet.tags),
        date=snippet.date,
        description=snippet.description,
    )
