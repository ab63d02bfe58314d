"""The files of `api/v1/`: which exist, what each one's fingerprint is made of, and the
JSON Schemas published beside them (`schemas/<name>.schema.json`).

Incremental: each log's `logs/<date>-<slug>.json` and each page of the log list is a
`DocumentGroup` fingerprinted by what it shows, so an edit re-renders that log's file and
the page that lists it; the schemas are rendered when the code or the site's URL changes.
The small documents are plain `Document`s, written only when their bytes changed.
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterator, Sequence
from typing import Any

from tamatar_site.model import Log
from tamatar_site.render.documents import api_models as m
from tamatar_site.render.documents.api import (
    API_PREFIX,
    LOGS_PER_PAGE,
    Absolute,
    HtmlOf,
    api_goals,
    api_paths,
    api_profile,
    api_projects,
    api_resources,
    api_snippets,
    api_stats,
    api_tags,
    dump_document,
    log_path,
    logs_page_path,
)
from tamatar_site.render.documents.api_logs import (
    api_log,
    api_log_item,
    api_logs_page,
    log_fields,
    log_item_fields,
)
from tamatar_site.render.documents.groups import Document, DocumentGroup, fingerprint, plain
from tamatar_site.render.pages.common import RouteInputs

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# name -> (model, file or pattern, description); the order of index.json.
API_DOCUMENTS: dict[str, tuple[type[m.Document], str, str]] = {
    "index": (m.Index, "index.json", "Every document of the API with its schema."),
    "profile": (m.Profile, "profile.json", "The site and its author."),
    "logs": (m.LogsPage, "logs.json", "The logs, newest first, in pages."),
    "log": (m.Log, "logs/<date>-<slug>.json", "One log with every field, its HTML and summary."),
    "projects": (m.Projects, "projects.json", "Every project."),
    "resources": (m.Resources, "resources.json", "Every resource."),
    "goals": (m.Goals, "goals.json", "Every goal."),
    "paths": (m.Paths, "paths.json", "Every learning path."),
    "snippets": (m.Snippets, "snippets.json", "Every snippet."),
    "tags": (m.Tags, "tags.json", "Every tag, most used first."),
    "stats": (
        m.Stats,
        "stats.json",
        "Streaks, totals, heatmap counts, months, languages, achievements.",
    ),
}


def schema_path(name: str) -> str:
    return f"{API_PREFIX}schemas/{name}.schema.json"


def api_schema(name: str, schema_id: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document `name`, with `schema_id` as `$id`."""
    model = API_DOCUMENTS[name][0]
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": schema_id,
        **model.model_json_schema(mode="serialization"),
    }


def api_documents(inputs: RouteInputs, absolute: Absolute) -> Iterator[Document | DocumentGroup]:
    """Every file of `api/v1/`. `absolute(html, permalink)`: the HTML with absolute links."""
    yield _schemas(inputs)
    html = _html_of(inputs, absolute)
    small: list[m.Document] = [
        api_profile(inputs, absolute),
        api_projects(inputs, html),
        api_resources(inputs, html),
        api_goals(inputs, html),
        api_paths(inputs, html),
        api_snippets(inputs, html),
        api_tags(inputs),
        api_stats(inputs),
    ]
    for document in small:
        yield Document(_path_of(document), dump_document(document))
    yield _index(inputs)
    yield from _log_pages(inputs)
    for log in inputs.site.logs:
        yield _log_file(inputs, log, absolute)


def api_log_text_documents(
    inputs: RouteInputs, absolute: Absolute, logs: Container[str], *, summaries: bool
) -> Iterator[Document | DocumentGroup]:
    """The files that show the text of `logs` (sources): theirs, the stats (words) and,
    when a summary changed (`summaries`), the pages of the log list."""
    yield Document(f"{API_PREFIX}stats.json", dump_document(api_stats(inputs)))
    for log in inputs.site.logs:
        if log.source in logs:
            yield _log_file(inputs, log, absolute)
    if summaries:
        yield from _log_pages(inputs)


def _path_of(document: m.Document) -> str:
    for model, file, _ in API_DOCUMENTS.values():
        if type(document) is model:
            return API_PREFIX + file
    raise TypeError(type(document).__name__)


def _html_of(inputs: RouteInputs, absolute: Absolute) -> HtmlOf:
    def html(source: str, permalink: str) -> str:
        body = inputs.bodies.get(source)
        return absolute(body.html, permalink) if body is not None else ""

    return html


def _page_count(inputs: RouteInputs) -> int:
    return max(1, -(-len(inputs.site.logs) // LOGS_PER_PAGE))


def _index(inputs: RouteInputs) -> DocumentGroup:
    """`index.json`, rendered when the list of files (or a log's title) changes."""
    path = f"{API_PREFIX}index.json"
    # What the index shows of each log: its file and its title (the key is of these).
    log_files = [(log_path(log), log.title) for log in inputs.site.logs]
    key = fingerprint("api-index", inputs.abs_url(""), log_files)

    def render() -> list[Document]:
        return [Document(path, dump_document(_index_document(inputs, log_files)))]

    return DocumentGroup((path,), key, render)


def _index_document(inputs: RouteInputs, log_files: list[tuple[str, str]]) -> m.Index:
    abs_url = inputs.abs_url
    entries = []
    for name, (_, file, description) in API_DOCUMENTS.items():
        schema_url = abs_url(schema_path(name))
        if name == "logs":
            pages = _page_count(inputs)
            entries += [
                m.IndexEntry(
                    name=name,
                    url=abs_url(logs_page_path(page)),
                    schema_url=schema_url,
                    description=f"{description} Page {page} of {pages}.",
                )
                for page in range(1, pages + 1)
            ]
        elif name == "log":
            entries += [
                m.IndexEntry(
                    name=name, url=abs_url(log_file), schema_url=schema_url, description=title
                )
                for log_file, title in log_files
            ]
        else:
            url = abs_url(API_PREFIX + file)
            entries.append(
                m.IndexEntry(name=name, url=url, schema_url=schema_url, description=description)
            )
    return m.Index(site=abs_url(""), documents=entries)


def _schemas(inputs: RouteInputs) -> DocumentGroup:
    paths = tuple(schema_path(name) for name in API_DOCUMENTS)

    def render() -> list[Document]:
        return [
            Document(path, _dump_schema(api_schema(name, inputs.abs_url(path))))
            for name, path in zip(API_DOCUMENTS, paths, strict=True)
        ]

    return DocumentGroup(paths, fingerprint("api-schemas", inputs.abs_url("")), render)


def _dump_schema(schema: dict[str, Any]) -> bytes:
    return (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _log_pages(inputs: RouteInputs) -> Iterator[DocumentGroup]:
    logs = inputs.site.logs
    pages = _page_count(inputs)
    for page in range(1, pages + 1):
        on_page = logs[(page - 1) * LOGS_PER_PAGE : page * LOGS_PER_PAGE]
        yield _log_page(inputs, on_page, page, pages)


def _log_page(inputs: RouteInputs, logs: Sequence[Log], page: int, pages: int) -> DocumentGroup:
    path = logs_page_path(page)
    items = [log_item_fields(inputs, log) for log in logs]
    total = len(inputs.site.logs)  # `api_logs_page` reads it and the site's URL too
    key = fingerprint("api-logs-page", inputs.abs_url(""), page, pages, total, plain(items))

    def render() -> list[Document]:
        document = api_logs_page(inputs, [api_log_item(i) for i in items], page=page, pages=pages)
        return [Document(path, dump_document(document))]

    return DocumentGroup((path,), key, render)


def _log_file(inputs: RouteInputs, log: Log, absolute: Absolute) -> DocumentGroup:
    path = log_path(log)
    fields = log_fields(inputs, log)
    key = fingerprint("api-log", inputs.abs_url(""), plain([fields]))  # `absolute`: the URL
    return DocumentGroup(
        (path,), key, lambda: [Document(path, dump_document(api_log(fields, absolute)))]
    )
