"""Validate stage, per file: what one content file contributes, as a `FileRecord`.

A record holds plain values (a log's, project's, ... own fields), the file's own
diagnostics, and the positions of the keys that the site-wide checks in `assemble.py` may
need to point at (references, tags, dates), so a cached record (`record_cache.py`) never
needs the YAML nodes again. `record_parser.py` makes records from a file's text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from tamatar_site.diagnostics import Diagnostic
from tamatar_site.load.documents import Kind
from tamatar_site.model import Goal, LearningPath, Project, Resource

Position = tuple[int, int]
LocKey = tuple[str | int, ...]
Reference = tuple[str, str, LocKey]
"""(kind of the file referred to, its slug, where the reference is written)."""


@dataclass(frozen=True)
class LogInput:
    """A log's own values; its timestamp (time zone) and tags (site-wide names) come later."""

    title: str
    date: dt.date  # a date, or a datetime (aware, or naive in the site's zone)
    date_given: bool  # `date:` was in the front matter (else it came from the file name)
    slug: str
    slug_given: bool  # `slug:` was in the front matter (else it came from the file name)
    tags: tuple[str | None, ...]
    project: str | None
    mood: int | None
    productivity: int | None
    focus_minutes: int | None
    resources: tuple[str, ...]
    goals: tuple[str, ...]
    commits: Literal["auto", "none"] | tuple[str, ...]
    draft: bool
    body_line: int


@dataclass(frozen=True)
class GoalInput:
    """A goal (still without tags) and its tags as written, named site-wide later."""

    goal: Goal
    tags: tuple[str | None, ...]


@dataclass(frozen=True)
class SnippetInput:
    """A snippet's own values before its tags are named site-wide."""

    title: str
    language: str | None
    tags: tuple[str | None, ...]
    date: dt.date | None
    description: str
    body_line: int


@dataclass(frozen=True)
class PageInput:
    """A free-form page's front matter; its body comes with the file's text."""

    title: str
    description: str
    nav: bool
    order: int
    body_line: int


Item = LogInput | Project | Resource | GoalInput | LearningPath | SnippetInput | PageInput


# One tuple object for each location key and position seen: every log has the same few
# (`("date",)`, `(3, 1)`), and a site of 10,000 logs kept 120,000 copies of them, in memory
# and in a saved session.
_SHARED_KEYS: dict[LocKey, LocKey] = {}
_SHARED_POSITIONS: dict[Position, Position] = {}


def shared_positions(positions: Mapping[LocKey, Position]) -> dict[LocKey, Position]:
    """`positions` made of the tuples already seen in other files, where equal."""
    key_of, position_of = _SHARED_KEYS.setdefault, _SHARED_POSITIONS.setdefault
    return {key_of(key, key): position_of(at, at) for key, at in positions.items()}


@dataclass(frozen=True)
class FileRecord:
    """What one content file contributes, before the site-wide checks.

    `slug` is the slug a non-log file claims (None: a syntax error, it claims nothing);
    `item` is None when the file is invalid (its errors are in `diagnostics`); then
    `references` holds the references among its keys that did validate, so the site-wide
    checks still report an unknown slug in it. `links` are the paths in the Markdown body
    that may be links to content files (`links.link_candidates`).
    """

    kind: Kind
    path: str  # relative to the site, forward slashes
    stem: str
    diagnostics: tuple[Diagnostic, ...] = ()
    slug: str | None = None
    item: Item | None = None
    positions: Mapping[LocKey, Position] = field(default_factory=dict)
    body_offset: int = 0  # where the Markdown body starts in the file's text
    references: tuple[Reference, ...] = ()
    links: tuple[str, ...] = ()

    def position(self, loc: LocKey) -> Position:
        """Where a diagnostic about `loc` points (the file's start for `()`)."""
        if not loc:
            return 1, 1
        return self.positions.get(loc, (1, 1))


MARKDOWN_KEYS: dict[Kind, str] = {  # the key a YAML file's Markdown is written under
    "projects": "description",
    "resources": "review",
    "goals": "description",
    "paths": "description",
}


def item_markdown(item: Item | None) -> str:
    """The Markdown text of a YAML file's item (its description or review), or ''."""
    if isinstance(item, GoalInput):
        return item.goal.description
    if isinstance(item, Resource):
        return item.review
    if isinstance(item, Project | LearningPath):
        return item.description
    return ""


def markdown_of(record: FileRecord, body: str) -> tuple[str, int, LocKey | None]:
    """The Markdown text of a record, the file line it starts on, and for a YAML file the
    key it is written under (links in it are reported there); ('', 1, None) for none."""
    item = record.item
    if isinstance(item, LogInput | SnippetInput | PageInput):
        return body, item.body_line, None
    text = item_markdown(item)
    if text and record.kind in MARKDOWN_KEYS:
        return text, 1, (MARKDOWN_KEYS[record.kind],)
    return "", 1, None
