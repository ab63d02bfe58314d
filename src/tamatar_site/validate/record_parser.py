"""Validate stage, per file: one content file's text -> a `FileRecord` (pure, cacheable).

Everything that depends only on one file (its path and its bytes) happens here: front
matter, YAML, the schema, slugs from file names, dates from file names, empty bodies.

What depends on other files or on the site's settings (time zone, today, tag display
names, duplicate slugs, references) stays in `assemble.py` and runs on every build.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ValidationError

from tamatar_site.diagnostics import Diagnostics
from tamatar_site.layout import BUILT_IN_ROUTES
from tamatar_site.load.documents import KIND_EXTENSIONS, Kind
from tamatar_site.load.frontmatter import FrontMatterError, split_front_matter
from tamatar_site.load.yamlpos import ParsedYaml, parse_yaml
from tamatar_site.validate import kinds
from tamatar_site.validate.links import link_candidates
from tamatar_site.validate.positions import close_keys, report_validation_error
from tamatar_site.validate.records import (
    MARKDOWN_KEYS,
    FileRecord,
    GoalInput,
    Item,
    LocKey,
    LogInput,
    PageInput,
    Position,
    Reference,
    SnippetInput,
    item_markdown,
    shared_positions,
)
from tamatar_site.validate.references import split_date_prefix
from tamatar_site.validate.schemas import (
    SCHEMAS,
    SLUG_PATTERN,
    GoalSchema,
    LogSchema,
    PageSchema,
    PathSchema,
    ProjectSchema,
    ResourceSchema,
    SnippetSchema,
)


def parse_file(kind: Kind, path: str, stem: str, text: str) -> FileRecord:
    """Parse and validate one content file's text (never raises for bad content)."""
    diagnostics = Diagnostics()
    body_offset = len(text)
    body_line = 1
    if KIND_EXTENSIONS[kind] is KIND_EXTENSIONS["projects"]:  # a YAML file
        parsed = parse_yaml(text)
    else:
        try:
            split = split_front_matter(text)
        except FrontMatterError as exc:
            diagnostics.error(path, exc.line, 1, exc.message)
            return FileRecord(kind, path, stem, tuple(diagnostics.items))
        parsed = parse_yaml(split.yaml_text, line_offset=split.yaml_line - 1)
        body_offset = len(text) - len(split.body)
        body_line = split.body_line
    for issue in parsed.issues:
        diagnostics.error(path, issue.line, issue.column, issue.message)
    parser = _FileParser(kind, path, stem, parsed, diagnostics)
    body = text[body_offset:]
    slug, item = parser.parse(body, body_line)
    markdown = body if body else item_markdown(item)
    links = link_candidates(markdown) if markdown else ()
    if links and not body:
        parser.keep((MARKDOWN_KEYS[kind],))  # a broken link in it is reported at the key
    return FileRecord(
        kind,
        path,
        stem,
        tuple(diagnostics.items),
        slug,
        item,
        shared_positions(parser.positions),
        body_offset,
        tuple(parser.references),
        links,
    )


class _FileParser:
    """The per-file half of validation; records positions for the site-wide half."""

    def __init__(
        self, kind: Kind, path: str, stem: str, parsed: ParsedYaml, diagnostics: Diagnostics
    ) -> None:
        self.kind = kind
        self.path = path
        self.stem = stem
        self.parsed = parsed
        self.diagnostics = diagnostics
        self.positions: dict[LocKey, Position] = {}
        self.references: list[Reference] = []

    def error(self, loc: LocKey, message: str) -> None:
        line, column = self.position(loc)
        self.diagnostics.error(self.path, line, column, message)

    def position(self, loc: LocKey) -> Position:
        if self.parsed.root is None or not loc:
            return 1, 1
        return self.parsed.position(loc)

    def keep(self, *locs: LocKey) -> None:
        """Remember where `locs` are, for diagnostics of the site-wide checks."""
        for loc in locs:
            self.positions[loc] = self.position(loc)

    def file_slug(self, slug: str) -> str:
        if not SLUG_PATTERN.fullmatch(slug):
            name = self.path.rsplit("/", 1)[-1]
            self.error(
                (),
                f"file name `{name}` gives the slug `{slug}`, which is not valid: rename the "
                "file using lowercase letters, digits, `-` and `_`",
            )
        return slug

    def parse(self, body: str, body_line: int) -> tuple[str | None, Item | None]:
        parsed = self.parsed
        if parsed.data is None and parsed.issues:
            return None, None  # a syntax error, reported already
        slug: str | None = None
        if self.kind != "logs":  # claimed even when invalid: no unknown-slug errors for it
            slug = self.file_slug(self.stem)
        if self.kind == "pages" and slug in BUILT_IN_ROUTES:
            name = self.path.rsplit("/", 1)[-1]
            self.error(
                (),
                f"file name `{name}` makes the page `/{slug}/`, which clashes with tamatar's "
                f"built-in `{slug}` route: rename the file",
            )
        schema: type[BaseModel] = SCHEMAS[self.kind]
        data = {} if parsed.data is None else parsed.data
        try:
            value = schema.model_validate(data)
        except ValidationError as error:
            report_validation_error(error, schema, parsed, self.path, self.diagnostics)
            failed = [tuple(detail["loc"]) for detail in error.errors(include_url=False)]
            if isinstance(data, dict) and all(failed):
                self.check_what_validated(data, failed)
            return slug, None
        return slug, self.item(value, slug or "", body, body_line)

    def check_what_validated(self, data: dict[str, object], failed: list[LocKey]) -> None:
        """For a file with schema errors, the checks of its keys that had none: every
        mistake in one run, not the next one after the first is fixed."""
        wanted: list[Reference] = []
        if self.kind == "logs":
            # a misspelt `date:` is reported as an unknown key with a suggestion already
            meant = {
                key
                for bad in failed
                if isinstance(bad[0], str) and bad[0] not in LogSchema.model_fields
                for key in close_keys(bad[0], LogSchema, ())
            }
            if data.get("date") is None and "date" not in meant:
                self.log_date(None)
            if data.get("slug") is None:
                self.file_slug(split_date_prefix(self.stem)[1])
            wanted.append(("projects", "", ("project",)))
            wanted += _listed(data, "resources", "resources")
            wanted += _listed(data, "goals", "goals")
        elif self.kind == "goals":
            wanted += _listed(data, "depends_on", "goals")
        elif self.kind == "paths":
            steps = data.get("steps")
            if isinstance(steps, list):
                wanted += [("resources", "", ("steps", i, "resource")) for i in range(len(steps))]
        for kind, _, loc in wanted:
            if any(loc[: len(bad)] == bad[: len(loc)] for bad in failed):
                continue  # the key, an item of it or the list it is in has an error
            slug = _value_at(data, loc)
            if slug is not None:
                self.keep(loc)
                self.references.append((kind, slug, loc))

    def log_date(self, given: dt.date | None) -> dt.date | None:
        """The log's date: `given`, else from the file name; None (with an error) if neither."""
        prefix, _ = split_date_prefix(self.stem)
        if given is not None:
            return given
        if prefix is not None:
            try:
                return dt.date.fromisoformat(prefix)
            except ValueError:
                self.error((), f"the file name starts with `{prefix}`, not a valid date")
                return None
        self.error((), "missing required key `date` (or start the file name with YYYY-MM-DD-)")
        return None

    def item(self, value: BaseModel, slug: str, body: str, body_line: int) -> Item | None:
        if isinstance(value, LogSchema):
            return self.log(value, body, body_line)
        if isinstance(value, ProjectSchema):
            if value.start_date and value.end_date and value.end_date < value.start_date:
                message = f"`end_date` {value.end_date} is before `start_date` {value.start_date}"
                self.error(("end_date",), message)
            return kinds.make_project(value, source=self.path, slug=slug)
        if isinstance(value, ResourceSchema):
            return kinds.make_resource(value, source=self.path, slug=slug)
        if isinstance(value, GoalSchema):
            self.keep(*_indexed("depends_on", value.depends_on), *_indexed("tags", value.tags))
            goal = kinds.make_goal(value, source=self.path, slug=slug, tags=())
            return GoalInput(goal, tuple(value.tags))
        if isinstance(value, PathSchema):
            steps = [i for i, step in enumerate(value.steps) if step.resource is not None]
            self.keep(*(("steps", i, "resource") for i in steps))
            return kinds.make_path(value, source=self.path, slug=slug)
        if isinstance(value, SnippetSchema):
            return self.snippet(value, body, body_line)
        if isinstance(value, PageSchema):
            if not body.strip():
                self.diagnostics.warning(self.path, max(body_line - 1, 1), 1, "page has no text")
            return PageInput(value.title, value.description, value.nav, value.order, body_line)
        return None  # pragma: no cover - SCHEMAS has one schema per kind

    def log(self, log: LogSchema, body: str, body_line: int) -> LogInput | None:
        _, stem_slug = split_date_prefix(self.stem)
        date_value = self.log_date(log.date)
        if date_value is None:
            return None
        slug = log.slug if log.slug is not None else self.file_slug(stem_slug)
        if not body.strip():
            self.diagnostics.warning(self.path, max(body_line - 1, 1), 1, "log has no text")
        self.keep(("date",), ("slug",), ("project",))
        self.keep(*_indexed("resources", log.resources), *_indexed("tags", log.tags))
        self.keep(*_indexed("goals", log.goals))
        return LogInput(
            title=log.title,
            date=date_value,
            date_given=log.date is not None,
            slug=slug,
            slug_given=log.slug is not None,
            tags=tuple(log.tags),
            project=log.project,
            mood=log.mood,
            productivity=log.productivity,
            focus_minutes=log.focus_minutes,
            resources=tuple(log.resources),
            goals=tuple(log.goals),
            commits=log.commits,  # type: ignore[arg-type]  # checked by _check_commits
            draft=log.draft,
            body_line=body_line,
        )

    def snippet(self, snippet: SnippetSchema, body: str, body_line: int) -> SnippetInput:
        if "```" not in body and "~~~" not in body:
            line = max(body_line - 1, 1)
            self.diagnostics.warning(self.path, line, 1, "snippet has no fenced code block")
        self.keep(*_indexed("tags", snippet.tags))
        return SnippetInput(
            title=snippet.title,
            language=snippet.language,
            tags=tuple(snippet.tags),
            date=snippet.date,
            description=snippet.description,
            body_line=body_line,
        )


def _indexed(key: str, values: list[str] | list[str | None]) -> list[LocKey]:
    return [(key, index) for index in range(len(values))]


def _listed(data: dict[str, object], key: str, kind: str) -> list[Reference]:
    """The references a list key (or a single value for it) may hold, slugs still unread."""
    value = data.get(key)
    if isinstance(value, list):
        return [(kind, "", (key, index)) for index in range(len(value))]
    return [(kind, "", (key,))]


def _value_at(data: object, loc: LocKey) -> str | None:
    """The slug written at `loc` of the raw data (a number is its text), or None."""
    for step in loc:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    if isinstance(data, int | float) and not isinstance(data, bool):
        return str(data)
    return data if isinstance(data, str) else None
