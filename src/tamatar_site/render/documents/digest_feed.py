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
from collections.abc import Container, Iterator

from markupsafe import Markup, escape

from tamatar_site.compute.digests import Digest, DigestIndex, finished_weeks
from tamatar_site.render.documents.feeds import (
    WRITER_VERSIONS,
    FeedEntry,
    FeedMeta,
    FeedWriter,
    tag_uri,
)
from tamatar_site.render.documents.groups import Document, DocumentGroup, fingerprint
from tamatar_site.render.i18n import N_, Localizer
from tamatar_site.render.pages.common import RouteInputs, body_of
from tamatar_site.render.pages.digests import digest_feed_link
from tamatar_site.render.views.digests import FEED_PATH, digest_permalink, score_view

__all__ = ["digest_feed"]


def digest_feed(
    inputs: RouteInputs, digests: DigestIndex, carrying: Container[str] | None = None
) -> Iterator[DocumentGroup]:
    """The digest feed's group, when the site writes Atom and has logs (`carrying`: only
    when one of its weeks has one of these logs, by source)."""
    config = inputs.config
    link = digest_feed_link(inputs)
    if link is None:
        return
    newest = inputs.site.logs[0].date
    weeks = finished_weeks(digests.weeks, newest)[: config.feeds.limit]
    if carrying is not None and not any(log.source in carrying for d in weeks for log in d.logs):
        return
    entries = [_entry(inputs, digest) for digest in weeks]
    meta = FeedMeta(
        title=link.title,
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
    lo = inputs.localizer
    week = lo.gettext("Week %(week)d of %(year)d") % {"week": period.number, "year": period.year}
    days = {"start": lo.date(period.start), "end": lo.date(period.end)}
    title = f"{week}: {lo.gettext('%(start)s to %(end)s') % days}"
    return FeedEntry(
        id=tag_uri(str(inputs.config.site.base_url), period.start, f"digest:{period.label}"),
        title=title,
        url=inputs.abs_url(digest_permalink(period)),
        published=after,
        updated=after,
        content_html=_content(inputs, digest),
        summary=_figures(lo, digest),
    )


def _figures(lo: Localizer, digest: Digest) -> str:
    """The week's figures in the digest page's words: `4 logs, 3 h of focus, average mood
    7.0, up 0.5 from the week before.`"""
    count = len(digest.logs)
    parts = [lo.ngettext("%(num)s log", "%(num)s logs", count) % {"num": lo.number(count)}]
    if digest.focus_minutes:
        parts.append(
            lo.gettext("%(duration)s of focus") % {"duration": lo.minutes(digest.focus_minutes)}
        )
    for label, value, before in (
        (N_("average mood"), digest.mood, digest.previous_mood),
        (N_("average productivity"), digest.productivity, digest.previous_productivity),
    ):
        score = score_view(value, before)
        if score is not None:
            parts.append(f"{lo.gettext(label)} {lo.decimal(f'{score.value:.1f}')}")
            if score.change is not None:
                parts.append(_change(lo, score.change))
    return ", ".join(parts) + "."


def _change(lo: Localizer, change: float) -> str:
    by = {"change": lo.decimal(f"{abs(change):.1f}")}
    if change > 0:
        return lo.gettext("up %(change)s from the week before") % by
    if change < 0:
        return lo.gettext("down %(change)s from the week before") % by
    return lo.gettext("the same as the week before")


def _content(inputs: RouteInputs, digest: Digest) -> str:
    """The week's figures, its logs (linked, with their summaries) and what it reached."""
    lo = inputs.localizer
    html = [f"<p>{escape(_figures(lo, digest))}</p>", "<ul>"]
    for log in reversed(digest.logs):  # in the order they were written
        summary = body_of(inputs, log.source).summary
        html.append(
            Markup('<li><a href="{}">{}</a> ({}){}</li>').format(
                inputs.abs_url(log.permalink),
                log.title,
                lo.date(log.date),
                Markup(": ") + summary if summary else "",
            )
        )
    html.append("</ul>")
    reached = [f"{m.milestone.title} ({m.goal.title})" for m in digest.milestones]
    sections = (
        (N_("Resources finished"), [r.title for r in digest.resources_finished]),
        (N_("Resources started"), [r.title for r in digest.resources_started]),
        (N_("Milestones reached"), reached),
        (N_("New tags"), [f"#{tag.name}" for tag in digest.new_tags]),
    )
    for heading, items in sections:
        if items:
            html.append(f"<p>{escape(lo.gettext(heading))}: {escape(', '.join(items))}.</p>")
    return "".join(str(part) for part in html)
