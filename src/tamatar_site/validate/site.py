"""Validate stage: `load_site` reads a whole site and returns model.Site plus every diagnostic."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tamatar_site.clock import build_today
from tamatar_site.config import SiteConfig
from tamatar_site.diagnostics import Diagnostics
from tamatar_site.load import CONFIG_FILE, RawDocument, iter_documents, load_config_yaml
from tamatar_site.load.yamlpos import Loc, ParsedYaml
from tamatar_site.model import Goal, LearningPath, Log, Project, Resource, Site, Snippet, Tag
from tamatar_site.validate import kinds
from tamatar_site.validate.positions import report_validation_error
from tamatar_site.validate.references import (
    SlugIndex,
    TagRegistry,
    check_dependency_cycles,
    split_date_prefix,
    tag_slug,
)
from tamatar_site.validate.schemas import (
    SCHEMAS,
    SLUG_PATTERN,
    GoalSchema,
    LogSchema,
    PathSchema,
    ProjectSchema,
    ResourceSchema,
    SnippetSchema,
)


@dataclass(frozen=True)
class LoadedSite:
    """The result of loading: config and site are None when they could not be built."""

    config: SiteConfig | None  # None when tamatar.yaml is missing or invalid
    site: Site | None  # None when there were errors
    diagnostics: Diagnostics


def load_site(site_dir: Path, *, include_drafts: bool = False) -> LoadedSite:
    """Read, validate and cross-check every file of the site at `site_dir`.

    Every problem is collected; nothing raises for bad content. Drafts are validated but
    left out of the site unless `include_drafts`.
    """
    diagnostics = Diagnostics()
    if not site_dir.is_dir():
        diagnostics.error(".", 1, 1, f"`{site_dir}` is not a folder with a site in it")
        return LoadedSite(None, None, diagnostics)
    config, timezone = _load_config(site_dir, diagnostics)
    builder = _SiteBuilder(timezone, diagnostics)
    for document in iter_documents(site_dir, diagnostics):
        builder.add(document)
    site = builder.finish(include_drafts=include_drafts)
    return LoadedSite(config, None if diagnostics.has_errors else site, diagnostics)


def _load_config(site_dir: Path, diagnostics: Diagnostics) -> tuple[SiteConfig | None, str]:
    """The config (or None) and the time zone to read dates in, even from a broken config."""
    parsed = load_config_yaml(site_dir, diagnostics)
    if parsed is None or (parsed.data is None and parsed.issues):
        return None, "UTC"
    data = {} if parsed.data is None else parsed.data
    try:
        config = SiteConfig.model_validate(data)
    except ValidationError as error:
        report_validation_error(
            error, SiteConfig, parsed, "tamatar.yaml", diagnostics, fallback=(1, 1)
        )
        return None, _raw_timezone(data)
    _check_config_references(config, parsed, site_dir, diagnostics)
    return config, config.site.timezone


def _check_config_references(
    config: SiteConfig, parsed: ParsedYaml, site_dir: Path, diagnostics: Diagnostics
) -> None:
    """What the schema cannot see: tag keys must be tag slugs, a local avatar must exist."""
    for key in config.tags:
        if tag_slug(key) != key:
            line, column = parsed.position(("tags", key))
            message = (
                f"tag `{key}` is written `{tag_slug(key)}` in tags and URLs; use that as the key"
            )
            diagnostics.error(CONFIG_FILE, line, column, message)
    avatar = config.profile.avatar
    if avatar and "://" not in avatar and not (site_dir / avatar).is_file():
        line, column = parsed.position(("profile", "avatar"))
        message = (
            f"`profile.avatar`: {avatar} does not exist "
            "(give a path from the site folder, such as static/avatar.png, or a URL)"
        )
        diagnostics.error(CONFIG_FILE, line, column, message)


def _raw_timezone(data: Any) -> str:
    site = data.get("site") if isinstance(data, dict) else None
    zone = site.get("timezone") if isinstance(site, dict) else None
    try:
        zoneinfo.ZoneInfo(zone)  # type: ignore[arg-type]
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return "UTC"
    return str(zone)


class _SiteBuilder:
    """Validates documents as they stream in (logs last) and collects the model values."""

    def __init__(self, timezone: str, diagnostics: Diagnostics) -> None:
        self.zone = zoneinfo.ZoneInfo(timezone)
        self.today = build_today(timezone)
        self.diagnostics = diagnostics
        self.tags = TagRegistry()
        self.index = {
            kind: SlugIndex(name)
            for kind, name in (
                ("projects", "project"),
                ("resources", "resource"),
                ("goals", "goal"),
                ("paths", "learning path"),
                ("snippets", "snippet"),
            )
        }
        self.log_permalinks: dict[str, str] = {}
        self.logs: list[Log] = []
        self.projects: list[Project] = []
        self.resources: list[Resource] = []
        self.goals: list[tuple[Goal, RawDocument]] = []
        self.paths: list[LearningPath] = []
        self.snippets: list[Snippet] = []

    # -- helpers ---------------------------------------------------------------------------

    def error(self, document: RawDocument, loc: Loc, message: str) -> None:
        line, column = self.position(document, loc)
        self.diagnostics.error(document.path, line, column, message)

    def warning(self, document: RawDocument, loc: Loc, message: str) -> None:
        line, column = self.position(document, loc)
        self.diagnostics.warning(document.path, line, column, message)

    @staticmethod
    def position(document: RawDocument, loc: Loc) -> tuple[int, int]:
        if document.yaml.root is None or not loc:
            return 1, 1
        return document.yaml.position(loc)

    def file_slug(self, document: RawDocument, slug: str) -> str:
        if not SLUG_PATTERN.match(slug):
            name = document.path.rsplit("/", 1)[-1]
            self.error(
                document,
                (),
                f"file name `{name}` gives the slug `{slug}`, which is not valid: rename the "
                "file using lowercase letters, digits, `-` and `_`",
            )
        return slug

    def claim(self, document: RawDocument, slug: str) -> None:
        message = self.index[document.kind].claim(slug, document.path)
        if message is not None:
            self.error(document, (), message)

    def check_reference(self, document: RawDocument, kind: str, slug: str, loc: Loc) -> None:
        message = self.index[kind].unknown(slug)
        if message is not None:
            self.error(document, loc, message)

    def make_tags(self, document: RawDocument, raw_tags: list[str | None]) -> tuple[Tag, ...]:
        tags: dict[str, Tag] = {}
        from_log = document.kind == "logs"
        for position, raw in enumerate(raw_tags):
            tag = None if raw is None else self.tags.tag(raw, from_log=from_log)
            if tag is None:
                empty = raw is None or not raw.strip()
                message = "empty tag" if empty else f"tag `{raw}` has no letters or digits"
                self.warning(document, ("tags", position), message)
            else:
                tags.setdefault(tag.slug, tag)
        return tuple(tags.values())

    # -- documents -------------------------------------------------------------------------

    def add(self, document: RawDocument) -> None:
        parsed = document.yaml
        if parsed.data is None and parsed.issues:
            return  # a syntax error, reported by the loader
        slug = ""
        if document.kind != "logs":  # claim first, so a broken file causes no unknown-slug errors
            slug = self.file_slug(document, document.stem)
            self.claim(document, slug)
        schema: type[BaseModel] = SCHEMAS[document.kind]
        data = {} if parsed.data is None else parsed.data
        try:
            value = schema.model_validate(data)
        except ValidationError as error:
            report_validation_error(
                error, schema, parsed, document.path, self.diagnostics, fallback=(1, 1)
            )
            return
        if isinstance(value, LogSchema):
            self.add_log(document, value)
        elif isinstance(value, ProjectSchema):
            self.add_project(document, value, slug)
        elif isinstance(value, ResourceSchema):
            self.add_resource(document, value, slug)
        elif isinstance(value, GoalSchema):
            self.add_goal(document, value, slug)
        elif isinstance(value, PathSchema):
            self.add_path(document, value, slug)
        elif isinstance(value, SnippetSchema):
            self.add_snippet(document, value, slug)

    def add_log(self, document: RawDocument, log: LogSchema) -> None:
        prefix, stem_slug = split_date_prefix(document.stem)
        date_value: dt.date | None = log.date
        if date_value is None and prefix is not None:
            try:
                date_value = dt.date.fromisoformat(prefix)
            except ValueError:
                self.error(document, (), f"the file name starts with `{prefix}`, not a valid date")
                return
        if date_value is None:
            self.error(
                document,
                (),
                "missing required key `date` (or start the file name with YYYY-MM-DD-)",
            )
            return
        slug = log.slug if log.slug is not None else self.file_slug(document, stem_slug)
        timestamp = kinds.local_timestamp(date_value, self.zone)
        date_loc = ("date",) if log.date is not None else ()
        if timestamp.date() > self.today:
            message = f"log is dated {timestamp.date()}, after today ({self.today})"
            self.warning(document, date_loc, message)
        if not document.body.strip():
            self.diagnostics.warning(
                document.path, max(document.body_line - 1, 1), 1, "log has no text"
            )
        permalink = f"{timestamp.date()}/{slug}"
        first = self.log_permalinks.setdefault(permalink, document.path)
        if first != document.path:
            where = ("slug",) if log.slug is not None else ()
            self.error(
                document,
                where,
                f"duplicate log slug `{slug}` on {timestamp.date()}: {first} uses it already",
            )
        if log.project is not None:
            self.check_reference(document, "projects", log.project, ("project",))
        for position, resource in enumerate(log.resources):
            self.check_reference(document, "resources", resource, ("resources", position))
        tags = self.make_tags(document, log.tags)
        self.logs.append(
            kinds.make_log(
                log,
                source=document.path,
                slug=slug,
                timestamp=timestamp,
                body=document.body,
                body_line=document.body_line,
                tags=tags,
            )
        )

    def add_project(self, document: RawDocument, project: ProjectSchema, slug: str) -> None:
        if project.start_date and project.end_date and project.end_date < project.start_date:
            message = f"`end_date` {project.end_date} is before `start_date` {project.start_date}"
            self.error(document, ("end_date",), message)
        self.projects.append(kinds.make_project(project, source=document.path, slug=slug))

    def add_resource(self, document: RawDocument, resource: ResourceSchema, slug: str) -> None:
        self.resources.append(kinds.make_resource(resource, source=document.path, slug=slug))

    def add_goal(self, document: RawDocument, goal: GoalSchema, slug: str) -> None:
        tags = self.make_tags(document, goal.tags)
        made = kinds.make_goal(goal, source=document.path, slug=slug, tags=tags)
        self.goals.append((made, document))

    def add_path(self, document: RawDocument, path: PathSchema, slug: str) -> None:
        for position, step in enumerate(path.steps):
            if step.resource is not None:
                loc = ("steps", position, "resource")
                self.check_reference(document, "resources", step.resource, loc)
        self.paths.append(kinds.make_path(path, source=document.path, slug=slug))

    def add_snippet(self, document: RawDocument, snippet: SnippetSchema, slug: str) -> None:
        tags = self.make_tags(document, snippet.tags)
        if "```" not in document.body and "~~~" not in document.body:
            line = max(document.body_line - 1, 1)
            self.diagnostics.warning(document.path, line, 1, "snippet has no fenced code block")
        self.snippets.append(
            kinds.make_snippet(
                snippet,
                source=document.path,
                slug=slug,
                body=document.body,
                body_line=document.body_line,
                tags=tags,
            )
        )

    # -- whole site ------------------------------------------------------------------------

    def check_goal_dependencies(self) -> None:
        documents = {goal.slug: document for goal, document in self.goals}
        graph: dict[str, list[str]] = {}
        for goal, document in self.goals:
            for position, dependency in enumerate(goal.depends_on):
                self.check_reference(document, "goals", dependency, ("depends_on", position))
            graph.setdefault(goal.slug, list(goal.depends_on))

        def report(slug: str, position: int, message: str) -> None:
            self.error(documents[slug], ("depends_on", position), message)

        check_dependency_cycles(graph, report)

    def finish(self, *, include_drafts: bool) -> Site:
        self.check_goal_dependencies()
        logs = self.logs if include_drafts else [log for log in self.logs if not log.draft]
        logs.sort(key=lambda log: (log.timestamp, log.slug), reverse=True)
        goals = tuple(replace(goal, tags=self.tags.rename(goal.tags)) for goal, _ in self.goals)
        snippets = tuple(replace(s, tags=self.tags.rename(s.tags)) for s in self.snippets)
        used: set[str] = set()
        for tagged in (logs, goals, snippets):
            for item in tagged:
                used.update(tag.slug for tag in item.tags)
        tag_names = {slug: name for slug, name in sorted(self.tags.names.items()) if slug in used}
        return Site(
            logs=tuple(logs),
            projects=tuple(self.projects),
            resources=tuple(self.resources),
            goals=goals,
            paths=tuple(self.paths),
            snippets=snippets,
            tag_names=tag_names,
        )


def summary_line(loaded: LoadedSite) -> str:
    """`3 errors, 1 warning` or `ok: 42 logs, 4 projects, ...` for the end of `tamatar check`."""
    errors = len(loaded.diagnostics.errors)
    warnings = len(loaded.diagnostics.warnings)
    if errors or warnings:
        return f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    site = loaded.site or Site()
    parts = (
        _count(len(site.logs), "log"),
        _count(len(site.projects), "project"),
        _count(len(site.resources), "resource"),
        _count(len(site.goals), "goal"),
        _count(len(site.paths), "learning path"),
        _count(len(site.snippets), "snippet"),
    )
    return "ok: " + ", ".join(parts)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
