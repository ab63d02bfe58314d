"""The JSON API's definition: one pydantic model per document of `api/v1/`.

The documents are made by dumping these models and their JSON Schemas (published beside
them) are generated from them, so the two cannot drift apart. Within v1 fields are only
added, never removed or changed in meaning; clients ignore fields they do not know, which
is why the schemas allow additional properties.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ApiModel(BaseModel):
    # The schemas describe the documents as written: a field with a default is there too.
    model_config = ConfigDict(
        frozen=True, json_schema_serialization_defaults_required=True, defer_build=True
    )


class Document(ApiModel):
    """A top-level document: its `version` is the API's major version."""

    version: Literal[1] = Field(default=1, description="The API's major version.")


# profile.json


class ProfileLink(ApiModel):
    label: str
    url: str


class Profile(Document):
    """`profile.json`: the site and the person behind it."""

    title: str = Field(description="The site's title.")
    description: str = Field(description="The site's one-line description.")
    url: str = Field(description="The site's home page.")
    language: str = Field(description="BCP 47 language tag of the content.")
    name: str = Field(description="The author's name (falls back to the GitHub profile).")
    bio: str = Field(description="The bio as written, in Markdown.")
    bio_html: str = Field(description="The bio rendered to HTML.")
    avatar: str | None = Field(description="Absolute URL of the avatar image.")
    location: str | None
    skills: list[str]
    links: list[ProfileLink]


# logs.json, logs/page/N.json and logs/<date>-<slug>.json


class LogItem(ApiModel):
    """A log as the paged lists show it."""

    slug: str
    title: str
    date: dt.date = Field(description="The log's local date.")
    url: str = Field(description="The log's HTML page.")
    api_url: str = Field(description="The log's own document, `logs/<date>-<slug>.json`.")
    tags: list[str] = Field(description="Tag slugs, in the order the log gives them.")
    project: str | None = Field(description="The slug of the project the log is about.")
    mood: int | None = Field(description="1-10.")
    productivity: int | None = Field(description="1-10.")
    focus_minutes: int | None
    summary: str = Field(description="Plain-text summary.")


class LogsPage(Document):
    """`logs.json` (page 1) and `logs/page/N.json` (page N): the logs, newest first."""

    page: int = Field(ge=1, description="This page's number, from 1.")
    pages: int = Field(ge=1, description="How many pages there are.")
    per_page: int = Field(ge=1, description="Logs per page (the last page may hold fewer).")
    total: int = Field(ge=0, description="Logs on all pages.")
    first: str = Field(description="URL of page 1 (`logs.json`).")
    last: str = Field(description="URL of the last page.")
    prev: str | None = Field(description="URL of the page before (newer logs), or null.")
    next: str | None = Field(description="URL of the page after (older logs), or null.")
    logs: list[LogItem]


class TagRef(ApiModel):
    slug: str
    name: str
    url: str = Field(description="The tag's HTML page.")


class Log(Document):
    """`logs/<date>-<slug>.json`: one log with every field, its HTML and its summary."""

    slug: str
    title: str
    date: dt.date = Field(description="The log's local date.")
    timestamp: dt.datetime = Field(description="When it was written, with the UTC offset.")
    url: str = Field(description="The log's HTML page.")
    tags: list[TagRef]
    project: str | None = Field(description="The slug of the project the log is about.")
    project_url: str | None = Field(description="The project's HTML page.")
    mood: int | None = Field(description="1-10.")
    productivity: int | None = Field(description="1-10.")
    focus_minutes: int | None
    resources: list[str] = Field(description="Slugs of the resources the log cites.")
    goals: list[str] = Field(description="Slugs of the goals the log works towards.")
    words: int = Field(description="Words of the body's text (code left out).")
    summary: str = Field(description="Plain-text summary.")
    html: str = Field(description="The body rendered to HTML, with absolute links.")


# projects.json, resources.json, goals.json, paths.json, snippets.json, tags.json


class Milestone(ApiModel):
    title: str
    done: bool
    date: dt.date | None


class Project(ApiModel):
    slug: str
    name: str
    url: str = Field(description="The project's HTML page.")
    status: Literal["planning", "active", "paused", "completed", "archived"]
    featured: bool
    tech_stack: list[str]
    repo: str | None = Field(description="GitHub repository, `owner/name`.")
    live_url: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    logs: int = Field(description="How many logs are about the project.")
    description: str = Field(description="In Markdown.")
    description_html: str
    milestones: list[Milestone]


class Projects(Document):
    """`projects.json`: every project, in the order of the projects page."""

    projects: list[Project]


class Resource(ApiModel):
    slug: str
    title: str
    url: str = Field(description="Where it is on the site (`resources/<slug>/`).")
    link: str | None = Field(description="The resource itself.")
    type: Literal[
        "article", "video", "course", "documentation", "tutorial", "book", "podcast", "tool"
    ]
    difficulty: Literal["beginner", "intermediate", "advanced"] | None
    rating: int | float | None = Field(description="1-5 in half stars (4 or 4.5).")
    categories: list[str]
    status: Literal["to-read", "in-progress", "done"]
    added: dt.date | None
    started: dt.date | None
    finished: dt.date | None
    review: str = Field(description="In Markdown.")
    review_html: str


class Resources(Document):
    """`resources.json`: every resource."""

    resources: list[Resource]


class Goal(ApiModel):
    slug: str
    title: str
    url: str = Field(description="Where it is on the site (`goals/<slug>/`).")
    type: Literal[
        "skill_development",
        "project_completion",
        "learning_path",
        "career_milestone",
        "habit_formation",
    ]
    status: Literal["active", "completed", "paused", "cancelled"]
    progress: int = Field(ge=0, le=100, description="Percent done.")
    target_date: dt.date | None
    depends_on: list[str] = Field(description="Slugs of the goals this one waits for.")
    tags: list[str] = Field(description="Tag slugs.")
    milestones: list[Milestone]
    description: str = Field(description="In Markdown.")
    description_html: str


class Goals(Document):
    """`goals.json`: every goal."""

    goals: list[Goal]


class PathStep(ApiModel):
    title: str
    resource: str | None = Field(description="The slug of the resource the step reads.")
    done: bool
    date: dt.date | None = Field(description="When the step is planned or was done.")


class LearningPath(ApiModel):
    slug: str
    title: str
    url: str = Field(description="The path's HTML page.")
    difficulty: Literal["beginner", "intermediate", "advanced"] | None
    estimated_hours: float | None
    progress: int = Field(ge=0, le=100, description="Percent of the steps done.")
    prerequisites: list[str]
    outcomes: list[str]
    steps: list[PathStep]
    description: str = Field(description="In Markdown.")
    description_html: str


class Paths(Document):
    """`paths.json`: every learning path."""

    paths: list[LearningPath]


class Snippet(ApiModel):
    slug: str
    title: str
    url: str = Field(description="The snippet's HTML page.")
    language: str | None
    tags: list[str] = Field(description="Tag slugs.")
    date: dt.date | None
    description: str
    body: str = Field(description="The snippet as written, in Markdown.")
    html: str = Field(description="The snippet rendered to HTML.")


class Snippets(Document):
    """`snippets.json`: every snippet."""

    snippets: list[Snippet]


class TagCount(ApiModel):
    slug: str
    name: str
    url: str = Field(description="The tag's HTML page.")
    logs: int = Field(description="How many logs have the tag.")


class Tags(Document):
    """`tags.json`: every tag used by a log, most used first."""

    tags: list[TagCount]


# stats.json


class Streak(ApiModel):
    length: int = Field(description="Days in a row with a log (or a commit, if counted).")
    start: dt.date | None
    end: dt.date | None


class Streaks(ApiModel):
    current: Streak
    longest: Streak
    active_days: int
    first_active: dt.date | None
    last_active: dt.date | None


class Totals(ApiModel):
    logs: int
    words: int
    focus_minutes: int
    tags: int = Field(description="Distinct tags.")
    projects: int = Field(description="Distinct projects logs are about.")
    first_date: dt.date | None
    last_date: dt.date | None
    mood: float | None = Field(description="Average over the logs that give one.")
    productivity: float | None = Field(description="Average over the logs that give one.")


class DayCount(ApiModel):
    date: dt.date
    logs: int
    commits: int


class Heatmap(ApiModel):
    start: dt.date
    end: dt.date
    days: list[DayCount] = Field(description="The days from start to end with a log or commit.")


class MonthCount(ApiModel):
    year: int
    month: int
    logs: int
    focus_minutes: int


class LanguageShare(ApiModel):
    name: str
    percent: float = Field(description="Share of the code on GitHub, 0-100.")


class LanguageCount(ApiModel):
    name: str
    snippets: int


class Achievement(ApiModel):
    id: str = Field(description="The rule's id; its badge is badges/<id>.svg.")
    title: str
    metric: str = Field(description="What the rule counts, e.g. `streak_days`.")
    threshold: int
    tag: str | None = Field(description="The tag counted by `tag_logs`; null otherwise.")
    progress: int = Field(description="The metric's value now (for streaks: the longest).")
    earned: bool
    date: dt.date | None = Field(description="When it was first earned; null if not (yet).")
    source: str | None = Field(description="The file that earned it, relative to the site.")
    url: str | None = Field(description="The page of what earned it.")
    badge_url: str = Field(description="Its SVG badge.")


class Stats(Document):
    """`stats.json`: streaks, totals, the heatmap's counts per day, months, languages and
    achievements."""

    as_of: dt.date = Field(description="The day the figures were computed for.")
    streaks: Streaks
    totals: Totals
    heatmap: Heatmap
    months: list[MonthCount] = Field(description="Every month from the first log, oldest first.")
    languages: list[LanguageShare] = Field(description="From GitHub; empty without GitHub.")
    snippet_languages: list[LanguageCount] = Field(description="Snippets per language.")
    achievements: list[Achievement] = Field(description="Every achievement rule that is on.")


# index.json


class IndexEntry(ApiModel):
    name: str = Field(description="What the document is, e.g. `logs`.")
    url: str
    schema_url: str = Field(description="Its JSON Schema (draft 2020-12).")
    description: str


class Index(Document):
    """`index.json`: every document of the API with its schema."""

    site: str = Field(description="The site's home page.")
    documents: list[IndexEntry] = Field(
        description="Every document: each page of the log list and each log's file (whose "
        "description is the log's title) included."
    )
