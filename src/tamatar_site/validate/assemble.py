"""Validate stage, site-wide: per-file records -> model.Site, with the checks across files.

Runs on every build, cached records or not, in O(number of files): duplicate slugs,
references between files, tag names, dates in the site's time zone, logs from the future,
goal dependency cycles, and the order of logs. Records arrive in processing order (see
`load.documents.KIND_EXTENSIONS`: logs last, so their references can be checked as they go).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, replace

from tamatar_site.diagnostics import Diagnostics
from tamatar_site.model import (
    FreePage,
    Goal,
    LearningPath,
    Log,
    Project,
    Resource,
    Site,
    Snippet,
    Tag,
)
from tamatar_site.validate import kinds
from tamatar_site.validate.links import all_resolve, broken_links, find_file_links, resolve
from tamatar_site.validate.records import (
    FileRecord,
    GoalInput,
    LocKey,
    LogInput,
    PageInput,
    SnippetInput,
    markdown_of,
)
from tamatar_site.validate.references import (
    SlugIndex,
    TagRegistry,
    check_dependency_cycles,
)


@dataclass(frozen=True)
class _MadeLog:
    """A log made on an earlier build, reused while its inputs are the same objects."""

    record: FileRecord
    body: str
    zone: str
    tags: tuple[Tag, ...]
    log: Log


LogMemo = dict[str, _MadeLog]
"""Logs of the previous build by source path; keeps a rebuild from remaking every log."""


class SiteAssembler:
    """Takes records (with their Markdown bodies) in processing order; `finish` makes the Site."""

    def __init__(
        self,
        timezone: str,
        today: dt.date,
        diagnostics: Diagnostics,
        memo: LogMemo | None = None,
    ) -> None:
        self.timezone = timezone
        self.zone = zoneinfo.ZoneInfo(timezone)
        self.today = today
        self.diagnostics = diagnostics
        self.memo = memo
        self.made: LogMemo = {}
        self.tags = TagRegistry()
        self.index = {
            kind: SlugIndex(name)
            for kind, name in (
                ("projects", "project"),
                ("resources", "resource"),
                ("goals", "goal"),
                ("paths", "learning path"),
                ("snippets", "snippet"),
                ("pages", "page"),
            )
        }
        self.log_permalinks: dict[tuple[dt.date, str], str] = {}
        self.project_slugs = self.index["projects"].sources
        self.resource_slugs = self.index["resources"].sources
        self.goal_slugs = self.index["goals"].sources
        self.logs: list[Log] = []
        self.projects: list[Project] = []
        self.resources: list[Resource] = []
        self.goals: list[tuple[Goal, FileRecord]] = []
        self.paths: list[LearningPath] = []
        self.snippets: list[Snippet] = []
        self.pages: list[FreePage] = []
        self.sources: set[str] = set()  # every content file, valid or not
        self.drafts: set[str] = set()
        self.partial: list[FileRecord] = []  # invalid files with references to check
        # files whose Markdown may link to content files: record, text, first line, key
        self.linking: list[tuple[FileRecord, str, int, LocKey | None]] = []

    # -- helpers ---------------------------------------------------------------------------

    def error(self, record: FileRecord, loc: LocKey, message: str) -> None:
        line, column = record.position(loc)
        self.diagnostics.error(record.path, line, column, message)

    def warning(self, record: FileRecord, loc: LocKey, message: str) -> None:
        line, column = record.position(loc)
        self.diagnostics.warning(record.path, line, column, message)

    def check_reference(self, record: FileRecord, kind: str, slug: str, loc: LocKey) -> None:
        message = self.index[kind].unknown(slug)
        if message is not None:
            self.error(record, loc, message)

    def make_tags(self, record: FileRecord, raw_tags: tuple[str | None, ...]) -> tuple[Tag, ...]:
        tags: dict[str, Tag] = {}
        from_log = record.kind == "logs"
        for position, raw in enumerate(raw_tags):
            tag = None if raw is None else self.tags.tag(raw, from_log=from_log)
            if tag is None:
                empty = raw is None or not raw.strip()
                message = "empty tag" if empty else f"tag `{raw}` has no letters or digits"
                self.warning(record, ("tags", position), message)
            else:
                tags.setdefault(tag.slug, tag)
        return tuple(tags.values())

    # -- files -----------------------------------------------------------------------------

    def add(self, record: FileRecord, body: str) -> None:
        """Add one file's record; `body` is its Markdown body (empty for YAML files)."""
        self.diagnostics.items.extend(record.diagnostics)
        self.sources.add(record.path)
        if record.references:
            self.partial.append(record)
        if record.links:
            text, first_line, key = markdown_of(record, body)
            if text:
                self.linking.append((record, text, first_line, key))
        if record.slug is not None:
            message = self.index[record.kind].claim(record.slug, record.path)
            if message is not None:
                self.error(record, (), message)
        item = record.item
        if isinstance(item, LogInput):
            self.add_log(record, item, body)
        elif isinstance(item, Project):
            self.projects.append(item)
        elif isinstance(item, Resource):
            self.resources.append(item)
        elif isinstance(item, GoalInput):
            tags = self.make_tags(record, item.tags)
            self.goals.append((replace(item.goal, tags=tags), record))
        elif isinstance(item, LearningPath):
            for position, step in enumerate(item.steps):
                if step.resource is not None:
                    loc = ("steps", position, "resource")
                    self.check_reference(record, "resources", step.resource, loc)
            self.paths.append(item)
        elif isinstance(item, SnippetInput):
            self.add_snippet(record, item, body)
        elif isinstance(item, PageInput):
            self.pages.append(_make_page(record, item, body))

    def add_log(self, record: FileRecord, log: LogInput, body: str) -> None:
        made = self.memo.get(record.path) if self.memo is not None else None
        if made is not None and made.record is record and made.zone == self.timezone:
            timestamp = made.log.timestamp
            date = made.log.date
        else:
            made = None
            timestamp = kinds.local_timestamp(log.date, self.zone)
            date = timestamp.date()
        if date > self.today:
            message = (
                f"log is dated {date}, after today ({self.today}); builds leave it out "
                "until that day (`--future` includes it)"
            )
            self.warning(record, ("date",) if log.date_given else (), message)
        first = self.log_permalinks.setdefault((date, log.slug), record.path)
        if first != record.path:
            self.error(
                record,
                ("slug",) if log.slug_given else (),
                f"duplicate log slug `{log.slug}` on {date}: {first} uses it already",
            )
        if log.project is not None and log.project not in self.project_slugs:
            self.check_reference(record, "projects", log.project, ("project",))
        for position, resource in enumerate(log.resources):
            if resource not in self.resource_slugs:
                self.check_reference(record, "resources", resource, ("resources", position))
        for position, goal in enumerate(log.goals):
            if goal not in self.goal_slugs:
                self.check_reference(record, "goals", goal, ("goals", position))
        tags = self.make_tags(record, log.tags)
        if log.draft:
            self.drafts.add(record.path)
        if made is None or made.tags != tags or made.body is not body:
            made = _MadeLog(
                record,
                body,
                self.timezone,
                tags,
                _make_log(record.path, log, timestamp=timestamp, body=body, tags=tags),
            )
        self.made[record.path] = made
        self.logs.append(made.log)

    def add_snippet(self, record: FileRecord, snippet: SnippetInput, body: str) -> None:
        tags = self.make_tags(record, snippet.tags)
        self.snippets.append(
            Snippet(
                source=record.path,
                slug=record.slug or "",
                title=snippet.title,
                body=body,
                body_line=snippet.body_line,
                language=snippet.language,
                tags=tags,
                date=snippet.date,
                description=snippet.description,
            )
        )

    # -- whole site ------------------------------------------------------------------------

    def check_goal_dependencies(self) -> None:
        records = {goal.slug: record for goal, record in self.goals}
        graph: dict[str, list[str]] = {}
        for goal, record in self.goals:
            for position, dependency in enumerate(goal.depends_on):
                self.check_reference(record, "goals", dependency, ("depends_on", position))
            graph.setdefault(goal.slug, list(goal.depends_on))

        def report(slug: str, position: int, message: str) -> None:
            self.error(records[slug], ("depends_on", position), message)

        check_dependency_cycles(graph, report)

    def check_partial_references(self) -> None:
        """The references in files with schema errors, among the keys that validated."""
        for record in self.partial:
            for kind, slug, loc in record.references:
                self.check_reference(record, kind, slug, loc)

    def check_links(self, *, include_drafts: bool) -> None:
        """A warning at each relative link to a content file the site does not publish."""
        left_out = set() if include_drafts else self.drafts
        published = self.sources - left_out
        for record, text, first_line, key in self.linking:
            if all_resolve(record.path, record.links, published):
                continue  # the common case: no Markdown to parse
            links = find_file_links(text, first_line)
            if key is not None:  # a YAML field: at its key
                line, column = record.position(key)
                links = tuple((path, line, column) for path, _, _ in links)
            for line, column, message in broken_links(record.path, links, self.sources):
                self.diagnostics.warning(record.path, line, column, message)
            for path, line, column in links:
                target = resolve(record.path, path)
                if target in left_out:
                    message = f'link to a draft "{path}": it is left out of this build'
                    self.diagnostics.warning(record.path, line, column, message)

    def finish(self, *, include_drafts: bool, include_future: bool = False) -> Site:
        """The site; drafts and logs dated after today are left out unless included."""
        self.check_goal_dependencies()
        self.check_partial_references()
        self.check_links(include_drafts=include_drafts)
        today = self.today
        logs = [
            log
            for log in self.logs
            if (include_drafts or not log.draft) and (include_future or log.date <= today)
        ]
        logs.sort(key=_log_order, reverse=True)
        goals = tuple(replace(goal, tags=self.tags.rename(goal.tags)) for goal, _ in self.goals)
        snippets = tuple(replace(s, tags=self.tags.rename(s.tags)) for s in self.snippets)
        used: set[str] = set()
        for tagged in (logs, goals, snippets):
            for item in tagged:
                for tag in item.tags:
                    used.add(tag.slug)
        tag_names = {slug: name for slug, name in sorted(self.tags.names.items()) if slug in used}
        return Site(
            logs=tuple(logs),
            projects=tuple(self.projects),
            resources=tuple(self.resources),
            goals=goals,
            paths=tuple(self.paths),
            snippets=snippets,
            pages=tuple(sorted(self.pages, key=_page_order)),
            tag_names=tag_names,
        )


def _log_order(log: Log) -> tuple[dt.datetime, str]:
    return log.timestamp, log.slug


def _page_order(page: FreePage) -> tuple[int, str, str]:
    return page.order, page.title.casefold(), page.slug


def _make_page(record: FileRecord, page: PageInput, body: str) -> FreePage:
    return FreePage(
        source=record.path,
        slug=record.slug or "",
        title=page.title,
        body=body,
        body_line=page.body_line,
        description=page.description,
        nav=page.nav,
        order=page.order,
    )


def _make_log(
    source: str, log: LogInput, *, timestamp: dt.datetime, body: str, tags: tuple[Tag, ...]
) -> Log:
    return Log(
        source=source,
        slug=log.slug,
        title=log.title,
        date=timestamp.date(),
        timestamp=timestamp,
        body=body,
        body_line=log.body_line,
        tags=tags,
        project=log.project,
        mood=log.mood,
        productivity=log.productivity,
        focus_minutes=log.focus_minutes,
        resources=log.resources,
        goals=log.goals,
        commits=log.commits,
        draft=log.draft,
    )
