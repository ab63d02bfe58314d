"""Validate stage: turn one validated input schema into its `model` value (pure, no checks)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from tamatar_site.model import (
    Goal,
    LearningPath,
    Milestone,
    PathStep,
    Project,
    Resource,
    Tag,
)
from tamatar_site.validate.schemas import (
    GoalSchema,
    MilestoneSchema,
    PathSchema,
    ProjectSchema,
    ResourceSchema,
)


def local_timestamp(value: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A log's moment in the site's zone: dates are midnight, naive times are local."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=zone)
        return value.astimezone(zone)
    return dt.datetime.combine(value, dt.time(), tzinfo=zone)


def _milestones(items: list[MilestoneSchema]) -> tuple[Milestone, ...]:
    return tuple(Milestone(title=m.title, done=m.done, date=m.date) for m in items)


def make_project(schema: ProjectSchema, *, source: str, slug: str) -> Project:
    return Project(
        source=source,
        slug=slug,
        name=schema.name,
        description=schema.description,
        status=schema.status,
        tech_stack=tuple(schema.tech_stack),
        start_date=schema.start_date,
        end_date=schema.end_date,
        repo=schema.repo,
        live_url=schema.live_url,
        featured=schema.featured,
        milestones=_milestones(schema.milestones),
    )


def _stars(rating: float | None) -> float | None:
    """`4` stays 4 (shown `4`, not `4.0`); `4.5` is half a star more."""
    return int(rating) if rating is not None and rating.is_integer() else rating


def make_resource(schema: ResourceSchema, *, source: str, slug: str) -> Resource:
    return Resource(
        source=source,
        slug=slug,
        title=schema.title,
        url=schema.url,
        type=schema.type,
        difficulty=schema.difficulty,
        rating=_stars(schema.rating),
        categories=tuple(schema.categories),
        status=schema.status,
        review=schema.review,
        added=schema.added,
        started=schema.started,
        finished=schema.finished,
    )


def make_goal(schema: GoalSchema, *, source: str, slug: str, tags: tuple[Tag, ...]) -> Goal:
    return Goal(
        source=source,
        slug=slug,
        title=schema.title,
        description=schema.description,
        type=schema.type,
        status=schema.status,
        target_date=schema.target_date,
        milestones=_milestones(schema.milestones),
        depends_on=tuple(schema.depends_on),
        tags=tags,
        explicit_progress=schema.progress,
    )


def make_path(schema: PathSchema, *, source: str, slug: str) -> LearningPath:
    return LearningPath(
        source=source,
        slug=slug,
        title=schema.title,
        description=schema.description,
        difficulty=schema.difficulty,
        estimated_hours=schema.estimated_hours,
        prerequisites=tuple(schema.prerequisites),
        outcomes=tuple(schema.outcomes),
        steps=tuple(
            PathStep(title=s.title, resource=s.resource, done=s.done) for s in schema.steps
        ),
    )
