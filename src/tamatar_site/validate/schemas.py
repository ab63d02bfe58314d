"""Validate stage: pydantic input schemas, one per file kind (unknown keys are errors).

The schemas check shapes and single values; cross references, slugs from file names and
tag normalisation happen in `site.py` and `references.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
)

from tamatar_site.fieldtypes import RepoName, Title, check_web_url, invisible_character
from tamatar_site.model import (
    Difficulty,
    GoalStatus,
    GoalType,
    ProjectStatus,
    ResourceStatus,
    ResourceType,
)

# defer_build: a model's validator is built when it first validates, not at import (a
# resumed one-log build validates one front matter and never the configuration).
_SCHEMA_CONFIG = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")  # use with fullmatch
_SHA = re.compile(r"[0-9a-fA-F]{7,40}")

MAX_TAGS = 20
"""Most tags one log, goal or snippet may have (each tag is a page and a feed)."""
MAX_TAG_LENGTH = 50
"""Longest tag, in characters."""
MAX_ITEMS = 200
"""Most items of any other list in a file: milestones, steps, resources, depends_on..."""
MAX_PAGE_ORDER = 1_000_000
"""Largest `order` of a free-form page, either sign."""
# Dates outside these leave room for a day's arithmetic in any time zone.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(9998, 12, 31)


def _in_range(value: dt.date, written: object) -> dt.date:
    days = [value.date()] if isinstance(value, dt.datetime) else [value]
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        try:
            days.append(value.astimezone(dt.UTC).date())
        except OverflowError:
            days.append(dt.date.max)
    if any(not FIRST_DATE <= day <= LAST_DATE for day in days):
        if isinstance(written, dt.date):
            written = written.isoformat()
        raise ValueError(
            f"`{written}` is out of range: dates must be between {FIRST_DATE} and {LAST_DATE}"
        )
    return value


def _to_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return _in_range(value.date(), value)
    if isinstance(value, dt.date):
        return _in_range(value, value)
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return _in_range(day, value)
    raise ValueError(f"`{value}` is not a date; write it as YYYY-MM-DD")


def _to_date_or_datetime(value: object) -> dt.date:
    """A date, or a datetime (aware, or naive to be read in the site's time zone)."""
    if isinstance(value, dt.date):
        return _in_range(value, value)
    if isinstance(value, str):
        text = value.strip()
        parsed: dt.date | None = None
        try:
            if len(text) == 10:
                parsed = dt.date.fromisoformat(text)
            else:
                parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            pass
        if parsed is not None:
            return _in_range(parsed, value)
    raise ValueError(
        f"`{value}` is not a date; write YYYY-MM-DD, or YYYY-MM-DD HH:MM with an optional +HH:MM"
    )


def _check_slug(value: object) -> str:
    if not isinstance(value, str) or not SLUG_PATTERN.fullmatch(value):
        raise ValueError(
            f"`{value}` is not a valid slug: use lowercase letters, digits, `-` and `_`"
        )
    return value


def _check_commits(value: object) -> str | tuple[str, ...]:
    if value in ("auto", "none"):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) and _SHA.fullmatch(v) for v in value):
        return tuple(value)
    raise ValueError("must be `auto`, `none` or a list of commit SHAs (7 to 40 hex digits)")


def _number_as_text(value: object) -> object:
    """A number written where text is expected in a list or a slug (`tags: [2026]`)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _one_or_many(value: object) -> object:
    """`tags: rust` means `tags: [rust]`; a missing list means an empty one; numbers in
    the list are text (`tags: [2026]`)."""
    if value is None:
        return []
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return [_number_as_text(value)]
    if isinstance(value, list):
        return [_number_as_text(item) for item in value]
    return value


def _check_tag(value: str | None) -> str | None:
    if value is not None:
        problem = invisible_character(value, in_tag=True)
        if problem is not None:
            raise ValueError(problem)
    return value


Date = Annotated[dt.date, PlainValidator(_to_date)]
LogDate = Annotated[dt.date, PlainValidator(_to_date_or_datetime)]
Url = Annotated[str, PlainValidator(check_web_url)]
Slug = Annotated[str, PlainValidator(_check_slug)]
SlugRef = Annotated[str, BeforeValidator(_number_as_text)]
"""The slug of another file (`project: 2048`: a number is the slug's text)."""
Commits = Annotated[str | tuple[str, ...], PlainValidator(_check_commits)]


def _none_as_empty_text(value: object) -> object:
    """`description:` with nothing after it means no description."""
    return "" if value is None else value


def _none_as_empty_list(value: object) -> object:
    """`milestones:` with nothing under it means no milestones yet."""
    return [] if value is None else value


Text = Annotated[str, BeforeValidator(_none_as_empty_text)]
TextList = Annotated[list[str], BeforeValidator(_one_or_many), Field(max_length=MAX_ITEMS)]
Tag = Annotated[str | None, Field(max_length=MAX_TAG_LENGTH), AfterValidator(_check_tag)]
TagList = Annotated[list[Tag], BeforeValidator(_one_or_many), Field(max_length=MAX_TAGS)]
Rating = Annotated[float, Field(ge=1, le=5, multiple_of=0.5)]
"""1 to 5 stars in half stars: `4` or `4.5`."""
Score = Annotated[int, Field(ge=1, le=10)]


class MilestoneSchema(BaseModel):
    model_config = _SCHEMA_CONFIG

    title: Title
    done: bool = False
    date: Date | None = None


Milestones = Annotated[
    list[MilestoneSchema], BeforeValidator(_none_as_empty_list), Field(max_length=MAX_ITEMS)
]


class LogSchema(BaseModel):
    """Front matter of `logs/**/*.md`."""

    model_config = _SCHEMA_CONFIG

    title: Title
    date: LogDate | None = None
    slug: Slug | None = None
    tags: TagList = Field(default_factory=list)
    project: SlugRef | None = None
    mood: Score | None = None
    productivity: Score | None = None
    focus_minutes: Annotated[int, Field(ge=0, le=1440)] | None = None
    resources: TextList = Field(default_factory=list)
    goals: TextList = Field(default_factory=list)
    commits: Commits = "none"
    draft: bool = False


class ProjectSchema(BaseModel):
    """`projects/<slug>.yaml`."""

    model_config = _SCHEMA_CONFIG

    name: Title
    description: Text = ""
    status: ProjectStatus = "active"
    tech_stack: TextList = Field(default_factory=list)
    start_date: Date | None = None
    end_date: Date | None = None
    repo: RepoName | None = None
    live_url: Url | None = None
    featured: bool = False
    milestones: Milestones = Field(default_factory=list)


class ResourceSchema(BaseModel):
    """`resources/<slug>.yaml`."""

    model_config = _SCHEMA_CONFIG

    title: Title
    url: Url | None = None
    type: ResourceType = "article"
    difficulty: Difficulty | None = None
    rating: Rating | None = None
    categories: TextList = Field(default_factory=list)
    status: ResourceStatus = "to-read"
    review: Text = ""
    added: Date | None = None
    started: Date | None = None
    finished: Date | None = None


class GoalSchema(BaseModel):
    """`goals/<slug>.yaml`."""

    model_config = _SCHEMA_CONFIG

    title: Title
    description: Text = ""
    type: GoalType = "skill_development"
    status: GoalStatus = "active"
    target_date: Date | None = None
    milestones: Milestones = Field(default_factory=list)
    depends_on: TextList = Field(default_factory=list)
    tags: TagList = Field(default_factory=list)
    progress: Annotated[int, Field(ge=0, le=100)] | None = None


class PathStepSchema(BaseModel):
    model_config = _SCHEMA_CONFIG

    title: Title
    resource: SlugRef | None = None
    done: bool = False
    date: Date | None = None


Steps = Annotated[
    list[PathStepSchema], BeforeValidator(_none_as_empty_list), Field(max_length=MAX_ITEMS)
]


class PathSchema(BaseModel):
    """`paths/<slug>.yaml`."""

    model_config = _SCHEMA_CONFIG

    title: Title
    description: Text = ""
    difficulty: Difficulty | None = None
    estimated_hours: Annotated[float, Field(ge=0, le=100_000)] | None = None
    prerequisites: TextList = Field(default_factory=list)
    outcomes: TextList = Field(default_factory=list)
    steps: Steps = Field(default_factory=list)


class SnippetSchema(BaseModel):
    """Front matter of `snippets/<slug>.md`."""

    model_config = _SCHEMA_CONFIG

    title: Title
    language: str | None = None
    tags: TagList = Field(default_factory=list)
    date: Date | None = None
    description: Text = ""


class PageSchema(BaseModel):
    """Front matter of `pages/<slug>.md`, a free-form page."""

    model_config = _SCHEMA_CONFIG

    title: Title
    description: Text = ""
    nav: bool = False
    order: Annotated[int, Field(ge=-MAX_PAGE_ORDER, le=MAX_PAGE_ORDER)] = 0


SCHEMAS: dict[str, type[BaseModel]] = {
    "logs": LogSchema,
    "projects": ProjectSchema,
    "resources": ResourceSchema,
    "goals": GoalSchema,
    "paths": PathSchema,
    "snippets": SnippetSchema,
    "pages": PageSchema,
}


def field_names_at(schema: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed at `loc` inside `schema` (for did-you-mean), or [] if unknown."""
    current: Any = schema
    for step in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if origin is list and isinstance(step, int):
            current = get_args(current)[0]
        elif origin is dict and isinstance(step, str):
            current = get_args(current)[1]
        elif isinstance(current, type) and issubclass(current, BaseModel) and isinstance(step, str):
            info = current.model_fields.get(step)
            if info is None:
                return []
            current = info.annotation
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """`X | None` -> X and `Annotated[X, ...]` -> X."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
            continue
        arguments = [a for a in get_args(annotation) if a is not type(None)]
        if get_origin(annotation) in (Union, UnionType) and len(arguments) == 1:
            annotation = arguments[0]
            continue
        return annotation
