"""The "what to learn next" views of the home page and the learning-path pages.

Reasons are numbers and names, not sentences: the template words them (`ngettext`), so a
translated theme says them in its language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tamatar_site.compute.recommendations import NextStep, Recommendations
from tamatar_site.model import Resource
from tamatar_site.render.views.content import ResourceRefView, TagView, TagViews, resource_ref_view


@dataclass(frozen=True)
class NextStepView:
    title: str
    path_title: str
    path_permalink: str
    number: int  # the step's position in its path, from 1
    done: int  # steps of the path done
    total: int  # steps of the path
    resource: ResourceRefView | None


@dataclass(frozen=True)
class ResourcePickView:
    resource: ResourceRefView
    tag: TagView  # the reason: `logs` logs with this tag in the last `days` days
    logs: int


@dataclass(frozen=True)
class RecommendationsView:
    steps: tuple[NextStepView, ...]
    resources: tuple[ResourcePickView, ...]
    days: int  # the window of the resources' reasons

    def __bool__(self) -> bool:
        return bool(self.steps or self.resources)


def next_step_view(step: NextStep, resources: Mapping[str, Resource]) -> NextStepView:
    resource = resources.get(step.step.resource or "")
    return NextStepView(
        title=step.step.title,
        path_title=step.path.title,
        path_permalink=step.path.permalink,
        number=step.number,
        done=step.done,
        total=step.total,
        resource=resource_ref_view(resource) if resource is not None else None,
    )


def recommendations_view(
    recommendations: Recommendations,
    tags: TagViews,
    resources: Mapping[str, Resource],
    *,
    steps: Sequence[NextStep] | None = None,
) -> RecommendationsView:
    """The view of `recommendations` (`resources`: the site's, by slug). With `steps`, those
    instead of the active paths' next steps (a path's page shows its own), and no resource
    pick that one of them already names."""
    if steps is None:
        steps = recommendations.next_steps
    named = {step.step.resource for step in steps}
    return RecommendationsView(
        steps=tuple(next_step_view(step, resources) for step in steps),
        resources=tuple(
            ResourcePickView(resource_ref_view(pick.resource), tags.view(pick.tag), pick.logs)
            for pick in recommendations.resources
            if pick.resource.slug not in named
        ),
        days=recommendations.days,
    )
