"""Validate stage: pydantic input schemas, one per file kind (unknown keys are errors).

The schemas check shapes and single values; cross references, slugs from file names and
tag normalisation happen in `site.py` and `references.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator

from tamatar_site.config import RepoName
from tamatar_site.model import (
    Difficulty,
    GoalStatus,
    GoalType,
    ProjectStatus,
    ResourceStatus,
    ResourceType,
)

_SCHEMA_CONFIG = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_SHA = re.compile(r"^[0-9a-fA-F]{7,40}$")
# Characters a URL may not hold (RFC 3986): percent-encoded, as a browser would send them,
# so an `href` holding the URL is valid HTML and a quote in it is no attribute's end.
_URL_ILLEGAL = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')


def _to_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"`{value}` is not a date; write it as YYYY-MM-DD")


def _to_date_or_datetime(value: object) -> dt.date:
    """A date, or a datetime (aware, or naive to be read in the site's time zone)."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
            return dt.datetime.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(
        f"`{value}` is not a date; write YYYY-MM-DD, or YYYY-MM-DD HH:MM with an optional +HH:MM"
    )


def _check_url(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a URL starting with https:// or http://")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in parts.netloc:
        raise ValueError(f"`{value}` is not a web address; it must start with https:// or http://")
    return _URL_ILLEGAL.sub(lambda match: f"%{ord(match.group()):02X}", value.strip())


def _check_slug(value: object) -> str:
    if not isinstance(value, str) or not SLUG_PATTERN.match(value):
        raise ValueError(
            f"`{value}` is not a valid slug: use lowercase letters, digits, `-` and `_`"
        )
    return value


def _check_commits(value: object) -> str | tuple[str, ...]:
    if value in ("auto", "none"):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) and _SHA.match(v) for v in value):
        return tuple(value)
    raise ValueError("must be `auto`, `none` or a list of commit SHAs (7 to 40 hex digits)")


def _one_or_many(value: object) -> object:
    """`tags: rust` means `tags: [rust]`; a missing list means an empty one."""
    if value is None:
        return []
    return [value] if isinstance(value, str | int | float) else value


Date = Annotated[dt.date, PlainValidator(_to_date)]
LogDate = Annotated[dt.date, PlainValidator(_to_date_or_datetime)]
Url = Annotated[str, PlainValidator(_check_url)]
Slug = Annotated[str, PlainValidator(_check_slug)]
Commits = Annotated[str | tuple[str, ...], PlainValidator(_check_commits)]


def _none_as_empty_text(value: object) -> object:
    """`description:` with nothing after it means no description."""
    return "" if value is None else value


def _none_as_empty_list(value: object) -> object:
    """`milestones:` with nothing under it means no milestones yet."""
    return [] if value is None else value


Text = Annotated[str, BeforeValidator(_none_as_empty_text)]
TextList = Annotated[list[str], BeforeValidator(_one_or_many)]
TagList = Annotated[list[str | None], BeforeValidator(_one_or_many)]
Rating = Annotated[int, Field(ge=1, le=5)]
Score = Annotated[int, Field(ge=1, le=10)]


class MilestoneSchema(BaseModel):
    model_config = _SCHEMA_CONFIG

    title: str
    done: bool = False
    date: Date | None = None


Milestones = Annotated[list[MilestoneSchema], BeforeValidator(_none_as_empty_list)]


class LogSchema(BaseModel):
    """Front matter of `logs/**/*.md`."""

    model_config = _SCHEMA_CONFIG

    title: str
    date: LogDate | None = None
    slug: Slug | None = None
    tags: TagList = Field(default_factory=list)
    project: str | None = None
    mood: Score | None = None
    productivity: Score | None = None
    focus_minutes: Annotated[int, Field(ge=0, le=1440)] | None = None
    resources: TextList = Field(default_factory=list)
    commits: Commits = "none"
    draft: bool = False


class ProjectSchema(BaseModel):
    """`projects/<slug>.yaml`."""

    model_config = _SCHEMA_CONFIG

    name: str
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

    title: str
    url: Url | None = None
    type: ResourceType = "article"
    difficulty: Difficulty | None = None
    rating: Rating | None = None
    categories: TextList = Field(default_factory=list)
    status: ResourceStatus = "to-read"
    review: Text = ""
    added: Date | None = None


class GoalSchema(BaseModel):
    """`goals/<slug>.yaml`."""

    model_config = _SCHEMA_CONFIG

    title: str
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

    title: str
    resource: str | None = None
    done: bool = False


Steps = Annotated[list[PathStepSchema], BeforeValidator(_none_as_empty_list)]


class PathSchema(BaseModel):
    """`paths/<slug>.yaml`."""

    model_config = _SCHEMA_CONFIG

    title: str
    description: Text = ""
    difficulty: Difficulty | None = None
    estimated_hours: Annotated[float, Field(ge=0, le=100_000)] | None = None
    prerequisites: TextList = Field(default_factory=list)
    outcomes: TextList = Field(default_factory=list)
    steps: Steps = Field(default_factory=list)


class SnippetSchema(BaseModel):
    """Front matter of `snippets/<slug>.md`."""

    model_config = _SCHEMA_CONFIG

    title: str
    language: str | None = None
    tags: TagList = Field(default_factory=list)
    date: Date | None = None
    description: Text = ""


SCHEMAS: dict[str, type[BaseModel]] = {
    "logs": LogSchema,
    "projects": ProjectSchema,
    "resources": ResourceSchema,
    "goals": GoalSchema,
    "paths": PathSchema,
    "snippets": SnippetSchema,
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
