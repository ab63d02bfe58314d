"""`digests/feed.xml`: an Atom feed with one entry per finished ISO week, for followers who
want one update a week instead of one per log.

A week is finished once a log is dated after its Sunday (`compute.digests.finished_weeks`):
the content decides, not the clock, so two builds of the same files write the same feed
and the no-change check stays right. An entry's id is a `tag:` URI of the week
(`tag:asha.github.io,2026-11-23:digest:2026-W48`), its time the Monday after the week in
the site's time zone, and its content the week's figures and logs as HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from markupsafe import Markup, escape

from tamatar_site.compute.digests import Digest, finished_weeks
from tamatar_site.render.documents.feeds import (
    WRITER_VERSIONS,
    FeedEntry,
    FeedMeta,
    FeedWriter,
    tag_uri,
)
from tamatar_site.render.documents.groups import Document, DocumentGroup, fingerprint
from tamatar_site.render.pages.common import RouteInputs, body_of
from tamatar_site.render.pages.digests import Digests
from tamatar_site.render.templates import format_date, format_minutes
from tamatar_site.render.views.digests import FEED_PATH, digest_permalink

__all__ = ["digest_feed"]


def digest_feed(inputs: RouteInputs, digests: Digests) -> Iterator[DocumentGroup]:
    """The digest feed's group, when the site writes Atom and has logs."""
    config = inputs.config
    if "atom" not in config.feeds.formats or not inputs.site.logs:
        return
    newest = inputs.site.logs[0].date
    weeks = finished_weeks(digests.index.weeks, newest)[: config.feeds.limit]
    entries = [_entry(inputs, digest) for digest in weeks]
    meta = FeedMeta(
        title=f"{config.site.title}: weekly digests",
        site_url=inputs.abs_url("digests/"),
        feed_url=inputs.abs_url(FEED_PATH),
        description=f"One entry a week: the logs of {config.site.title}, summed up.",
        language=config.site.language,
        author=config.profile.name or config.site.title,
    )
    key = fingerprint(FEED_PATH, WRITER_VERSIONS, repr(meta), repr(entries))
    yield DocumentGroup(
        (FEED_PATH,), key, lambda: [Document(FEED_PATH, FeedWriter().atom(meta, entries))]
    )


def _entry(inputs: RouteInputs, digest: Digest) -> FeedEntry:
    period = digest.period
    zone = digest.logs[0].timestamp.tzinfo  # every log's timestamp is in the site's zone
    after = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    title = (
        f"Week {period.number} of {period.year}: {format_date(period.start)} to "
        f"{format_date(period.end)}"
    )
    return FeedEntry(
        id=tag_uri(str(inputs.config.site.base_url), period.start, f"digest:{period.label}"),
        title=title,
        url=inputs.abs_url(digest_permalink(period)),
        published=after,
        updated=after,
        content_html=_content(inputs, digest),
        summary=_figures(digest),
    )


def _figures(digest: Digest) -> str:
    count = len(digest.logs)
    parts = [f"{count} log{'' if count == 1 else 's'}"]
    if digest.focus_minutes:
        parts.append(f"{format_minutes(digest.focus_minutes)} of focus")
    for name, value, before in (
        ("mood", digest.mood, digest.previous_mood),
        ("productivity", digest.productivity, digest.previous_productivity),
    ):
        if value is not None:
            parts.append(f"average {name} {_score(value, before)}")
    return ", ".join(parts) + "."


def _score(value: float, before: float | None) -> str:
    shown = f"{value:.1f}"
    if before is None:
        return shown
    change = round(round(value, 1) - round(before, 1), 1)
    if change > 0:
        return f"{shown}, up {change:.1f} from the week before"
    if change < 0:
        return f"{shown}, down {-change:.1f} from the week before"
    return f"{shown}, the same as the week before"


def _content(inputs: RouteInputs, digest: Digest) -> str:
    """The week's figures, its logs (linked, with their summaries) and what it reached."""
    html = [f"<p>{escape(_figures(digest))}</p>", "<ul>"]
    for log in reversed(digest.logs):  # in the order they were written
        summary = body_of(inputs, log.source).summary
        html.append(
            Markup('<li><a href="{}">{}</a> ({}){}</li>').format(
                inputs.abs_url(log.permalink),
                log.title,
                format_date(log.date),
                Markup(": ") + summary if summary else "",
            )
        )
    html.append("</ul>")
    reached = [f"{m.milestone.title} ({m.goal.title})" for m in digest.milestones]
    sections = (
        ("Resources finished", [r.title for r in digest.resources_finished]),
        ("Resources started", [r.title for r in digest.resources_started]),
        ("Milestones reached", reached),
        ("New tags", [f"#{tag.name}" for tag in digest.new_tags]),
    )
    for heading, items in sections:
        if items:
            html.append(f"<p>{escape(heading)}: {escape(', '.join(items))}.</p>")
    return "".join(str(part) for part in html)
