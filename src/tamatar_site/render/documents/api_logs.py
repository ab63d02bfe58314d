"""The API's documents of logs: a log's own file (`logs/<date>-<slug>.json`) and its item
in the paged lists (`logs.json`, `logs/page/N.json`). Each is built from a named tuple of
its fields alone, which is also what its fingerprint is made of (`api_outputs`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from tamatar_site import model
from tamatar_site.render.documents import api_models as m
from tamatar_site.render.documents.api import (
    LOGS_PER_PAGE,
    Absolute,
    log_path,
    logs_page_path,
)
from tamatar_site.render.pages.common import RouteInputs, body_of


class LogItemFields(NamedTuple):
    """What a log's item in the paged lists is made of. The item is built from these
    alone, so they are its fingerprint too."""

    slug: str
    title: str
    date: dt.date
    url: str
    api_url: str
    tags: tuple[str, ...]  # slugs
    project: str | None
    mood: int | None
    productivity: int | None
    focus_minutes: int | None
    summary: str


def log_item_fields(inputs: RouteInputs, log: model.Log) -> LogItemFields:
    return LogItemFields(
        slug=log.slug,
        title=log.title,
        date=log.date,
        url=inputs.abs_url(log.permalink),
        api_url=inputs.abs_url(log_path(log)),
        tags=tuple(tag.slug for tag in log.tags),
        project=log.project,
        mood=log.mood,
        productivity=log.productivity,
        focus_minutes=log.focus_minutes,
        summary=body_of(inputs, log.source).summary,
    )


def api_log_item(fields: LogItemFields) -> m.LogItem:
    return m.LogItem(**{**fields._asdict(), "tags": list(fields.tags)})


def api_logs_page(
    inputs: RouteInputs, items: Sequence[m.LogItem], *, page: int, pages: int
) -> m.LogsPage:
    def url(number: int) -> str:
        return inputs.abs_url(logs_page_path(number))

    return m.LogsPage(
        page=page,
        pages=pages,
        per_page=LOGS_PER_PAGE,
        total=len(inputs.site.logs),
        first=url(1),
        last=url(pages),
        prev=url(page - 1) if page > 1 else None,
        next=url(page + 1) if page < pages else None,
        logs=list(items),
    )


class LogFields(NamedTuple):
    """What a log's own document is made of (`html` with its links still site-relative).
    The document is built from these alone, so they are its fingerprint too."""

    slug: str
    title: str
    date: dt.date
    timestamp: dt.datetime
    permalink: str
    url: str
    tags: tuple[tuple[str, str, str], ...]  # slug, name, URL
    project: str | None
    project_url: str | None
    mood: int | None
    productivity: int | None
    focus_minutes: int | None
    resources: tuple[str, ...]
    goals: tuple[str, ...]
    words: int
    summary: str
    html: str


def log_fields(inputs: RouteInputs, log: model.Log) -> LogFields:
    body = body_of(inputs, log.source)
    tags = tuple(
        (tag.slug, view.name, inputs.abs_url(view.permalink))
        for tag, view in ((tag, inputs.tags.view(tag)) for tag in log.tags)
    )
    return LogFields(
        slug=log.slug,
        title=log.title,
        date=log.date,
        timestamp=log.timestamp,
        permalink=log.permalink,
        url=inputs.abs_url(log.permalink),
        tags=tags,
        project=log.project,
        project_url=inputs.abs_url(f"projects/{log.project}/") if log.project else None,
        mood=log.mood,
        productivity=log.productivity,
        focus_minutes=log.focus_minutes,
        resources=log.resources,
        goals=log.goals,
        words=body.words,
        summary=body.summary,
        html=body.html,
    )


def api_log(fields: LogFields, absolute: Absolute) -> m.Log:
    """`absolute`: depends on the site's URL only."""
    return m.Log(
        slug=fields.slug,
        title=fields.title,
        date=fields.date,
        timestamp=fields.timestamp,
        url=fields.url,
        tags=[m.TagRef(slug=slug, name=name, url=url) for slug, name, url in fields.tags],
        project=fields.project,
        project_url=fields.project_url,
        mood=fields.mood,
        productivity=fields.productivity,
        focus_minutes=fields.focus_minutes,
        resources=list(fields.resources),
        goals=list(fields.goals),
        words=fields.words,
        summary=fields.summary,
        html=absolute(fields.html, fields.permalink),
    )
