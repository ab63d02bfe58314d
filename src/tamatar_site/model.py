"""Core content model: validated, immutable values that every later stage reads. No I/O."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

_NOT_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=4096)
def tag_slug(name: str) -> str:
    """The identity of a tag: `Rust`, `rust` and ` rust ` are `rust`; `C++` is `c-plus-plus`.
    Categories of resources are named the same way."""
    text = name.strip().lower().replace("#", "-sharp").replace("+", "-plus")
    return _NOT_WORD.sub("-", text).strip("-")


ProjectStatus = Literal["planning", "active", "paused", "completed", "archived"]
ResourceType = Literal[
    "article", "video", "course", "documentation", "tutorial", "book", "podcast", "tool"
]
Difficulty = Literal["beginner", "intermediate", "advanced"]
ResourceStatus = Literal["to-read", "in-progress", "done"]
GoalType = Literal[
    "skill_development",
    "project_completion",
    "learning_path",
    "career_milestone",
    "habit_formation",
]
GoalStatus = Literal["active", "completed", "paused", "cancelled"]


@dataclass(frozen=True, order=True)
class Tag:
    """A normalised tag: `slug` is the identity (`rust`), `name` the first display form seen."""

    slug: str
    name: str


@dataclass(frozen=True)
class Milestone:
    title: str
    done: bool = False
    date: dt.date | None = None


@dataclass(frozen=True)
class Log:
    """One daily log. `date` is the local date in the site's time zone."""

    source: str  # path relative to the site, with forward slashes
    slug: str
    title: str
    date: dt.date
    timestamp: dt.datetime  # aware, in the site's time zone
    body: str  # Markdown source
    body_line: int  # 1-based line of the body's first line in the source file
    tags: tuple[Tag, ...] = ()
    project: str | None = None
    mood: int | None = None
    productivity: int | None = None
    focus_minutes: int | None = None
    resources: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()  # slugs of the goals this log works towards
    commits: Literal["auto", "none"] | tuple[str, ...] = "none"
    draft: bool = False

    @cached_property
    def permalink(self) -> str:
        """Site-relative URL path without the base path: `logs/YYYY/MM/DD/<slug>/`."""
        # Cached: lists, feeds and fingerprints ask for it many times per log.
        return f"logs/{self.date:%Y/%m/%d}/{self.slug}/"

    @cached_property
    def words(self) -> int:
        """The whitespace-separated words of the Markdown body (the stats' word count)."""
        # Cached: stats and every year in review count them, and a serve session keeps
        # the unchanged logs' objects from build to build.
        return len(self.body.split())


@dataclass(frozen=True)
class Project:
    source: str
    slug: str
    name: str
    description: str = ""  # Markdown
    status: ProjectStatus = "active"
    tech_stack: tuple[str, ...] = ()
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    repo: str | None = None  # owner/name
    live_url: str | None = None
    featured: bool = False
    milestones: tuple[Milestone, ...] = ()

    @property
    def permalink(self) -> str:
        return f"projects/{self.slug}/"


@dataclass(frozen=True)
class Resource:
    source: str
    slug: str
    title: str
    url: str | None = None
    type: ResourceType = "article"
    difficulty: Difficulty | None = None
    rating: float | None = None  # 1-5 in half stars: 4 or 4.5
    categories: tuple[str, ...] = ()
    status: ResourceStatus = "to-read"
    review: str = ""  # Markdown
    added: dt.date | None = None
    started: dt.date | None = None
    finished: dt.date | None = None

    @property
    def permalink(self) -> str:
        return f"resources/{self.slug}/"


@dataclass(frozen=True)
class Goal:
    source: str
    slug: str
    title: str
    description: str = ""  # Markdown
    type: GoalType = "skill_development"
    status: GoalStatus = "active"
    target_date: dt.date | None = None
    milestones: tuple[Milestone, ...] = ()
    depends_on: tuple[str, ...] = ()
    tags: tuple[Tag, ...] = ()
    explicit_progress: int | None = None

    @property
    def progress(self) -> int:
        """0-100: the given `progress`, else the share of milestones done."""
        if self.explicit_progress is not None:
            return self.explicit_progress
        if self.status == "completed":
            return 100
        if not self.milestones:
            return 0
        done = sum(1 for m in self.milestones if m.done)
        return round(100 * done / len(self.milestones))

    @property
    def permalink(self) -> str:
        return f"goals/{self.slug}/"

    @property
    def completed_on(self) -> dt.date | None:
        """The day a completed goal counts as done (goals have no completion date): its last
        dated milestone, else its target date."""
        dates = [m.date for m in self.milestones if m.date is not None]
        return max(dates) if dates else self.target_date


@dataclass(frozen=True)
class PathStep:
    title: str
    resource: str | None = None
    done: bool = False
    date: dt.date | None = None  # when the step is planned (or was done); in calendar.ics


@dataclass(frozen=True)
class LearningPath:
    source: str
    slug: str
    title: str
    description: str = ""  # Markdown
    difficulty: Difficulty | None = None
    estimated_hours: float | None = None
    prerequisites: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    steps: tuple[PathStep, ...] = ()

    @property
    def progress(self) -> int:
        if not self.steps:
            return 0
        return round(100 * sum(1 for s in self.steps if s.done) / len(self.steps))

    @property
    def permalink(self) -> str:
        return f"paths/{self.slug}/"


@dataclass(frozen=True)
class Snippet:
    source: str
    slug: str
    title: str
    body: str  # Markdown holding one or more code blocks
    body_line: int
    language: str | None = None
    tags: tuple[Tag, ...] = ()
    date: dt.date | None = None
    description: str = ""

    @property
    def permalink(self) -> str:
        return f"snippets/{self.slug}/"


@dataclass(frozen=True)
class FreePage:
    """A free-form page, `pages/<slug>.md` -> `<slug>/`: About, Now, Uses, a CV."""

    source: str
    slug: str
    title: str
    body: str  # Markdown source
    body_line: int
    description: str = ""
    nav: bool = False  # listed in the site navigation
    order: int = 0  # the navigation's order (then the title)

    @property
    def permalink(self) -> str:
        return f"{self.slug}/"


@dataclass(frozen=True)
class Site:
    """All validated content of a site. Logs are sorted newest first."""

    logs: tuple[Log, ...] = ()
    projects: tuple[Project, ...] = ()
    resources: tuple[Resource, ...] = ()
    goals: tuple[Goal, ...] = ()
    paths: tuple[LearningPath, ...] = ()
    snippets: tuple[Snippet, ...] = ()
    pages: tuple[FreePage, ...] = ()  # by `order`, then title
    tag_names: dict[str, str] = field(default_factory=dict)  # slug -> display name


# Achievements (compute/achievements.py): the metrics a rule can measure and the built-in rules.
AchievementMetric = Literal[
    "logs",
    "streak_days",
    "focus_hours",
    "resources_finished",
    "goals_completed",
    "paths_completed",
    "languages",
    "tag_logs",
]


@dataclass(frozen=True)
class AchievementRule:
    """A badge's condition (`achievements` in tamatar.yaml): `metric` reaches `threshold`."""

    id: str  # a slug: the badge is badges/<id>.svg
    metric: AchievementMetric
    threshold: int
    title: str | None = None  # None: the theme's wording for the metric and threshold
    tag: str | None = None  # the tag's slug, for `tag_logs`


DEFAULT_ACHIEVEMENT_RULES: tuple[AchievementRule, ...] = (
    AchievementRule("first-log", "logs", 1),
    AchievementRule("streak-7", "streak_days", 7),
    AchievementRule("streak-30", "streak_days", 30),
    AchievementRule("streak-100", "streak_days", 100),
    AchievementRule("streak-365", "streak_days", 365),
    AchievementRule("logs-10", "logs", 10),
    AchievementRule("logs-100", "logs", 100),
    AchievementRule("logs-1000", "logs", 1000),
    AchievementRule("resources-10", "resources_finished", 10),
    AchievementRule("first-goal", "goals_completed", 1),
    AchievementRule("first-path", "paths_completed", 1),
    AchievementRule("languages-5", "languages", 5),
    AchievementRule("focus-100", "focus_hours", 100),
)
