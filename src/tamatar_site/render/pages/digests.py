"""The digest pages: `digests/` (the index), `digests/2026/w48/` (an ISO week, under its
ISO year), `digests/2026/11/` (a month) and `digests/2026/` (the year in review).

`Digests.of(inputs)` computes every digest and review once per build (pure, O(n)); the page
functions make the pages of some or all of them, so serve's edit path can ask for only
the week and month of an edited log (`build/edits.py`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass

from tamatar_site.compute.digests import (
    Digest,
    DigestIndex,
    Period,
    compute_digests,
    period_of,
)
from tamatar_site.compute.yearreview import YearReview, compute_year_reviews
from tamatar_site.model import Log
from tamatar_site.render.pages.common import (
    Page,
    PageMeta,
    RouteInputs,
    common_context,
    streak_commit_days,
)
from tamatar_site.render.views import digests as dv
from tamatar_site.render.views.content import FeedLinkView, LogSummaryView

__all__ = ["Digests", "digest_feed_link", "digest_pages", "digests_index_page", "year_pages"]


@dataclass(frozen=True)
class Digests:
    """Every digest and year in review of a build, and each digest's link by period."""

    index: DigestIndex
    reviews: tuple[YearReview, ...]
    links: dict[Period, dv.DigestLinkView]

    @classmethod
    def of(cls, inputs: RouteInputs) -> Digests:
        index = compute_digests(inputs.site)
        links = {d.period: dv.digest_link(d) for d in (*index.weeks, *index.months)}
        return cls(index, _year_reviews(inputs, inputs.site.logs), links)

    def after_text_edits(self, inputs: RouteInputs, edited: list[Log]) -> Digests:
        """These digests after edits of the text of `edited` logs only (their front matter
        is as it was): the digests that list them hold the new logs, and the reviews of
        their years count their words and code languages again; nothing else can change."""
        fresh = {log.source: log for log in edited}

        def with_fresh_logs(digest: Digest) -> Digest:
            if not any(log.source in fresh for log in digest.logs):
                return digest
            logs = tuple(fresh.get(log.source, log) for log in digest.logs)
            return dataclasses.replace(digest, logs=logs)

        index = DigestIndex(
            weeks=tuple(map(with_fresh_logs, self.index.weeks)),
            months=tuple(map(with_fresh_logs, self.index.months)),
        )
        years = {log.date.year for log in edited}
        in_years = tuple(log for log in inputs.site.logs if log.date.year in years)
        reviewed = {review.year: review for review in _year_reviews(inputs, in_years)}
        reviews = tuple(reviewed.get(review.year, review) for review in self.reviews)
        return Digests(index, reviews, self.links)

    def periods_of(self, logs: list[Log]) -> set[Period]:
        """The weeks and months that show `logs`."""
        return {period_of(kind, log.date) for log in logs for kind in ("week", "month")}


def _year_reviews(inputs: RouteInputs, logs: tuple[Log, ...]) -> tuple[YearReview, ...]:
    """The reviews of the years of `logs` (all of each year's logs: `logs` has them)."""
    config = inputs.config
    bodies = inputs.bodies
    return compute_year_reviews(
        dataclasses.replace(inputs.site, logs=logs),
        {log.source: bodies[log.source].languages for log in logs if log.source in bodies},
        extra_days=streak_commit_days(config, inputs.github),
        grace_days=config.streaks.grace_days,
    )


def digest_feed_link(inputs: RouteInputs) -> FeedLinkView | None:
    """The `<link rel="alternate">` of the digest feed, when the site writes Atom."""
    if "atom" not in inputs.config.feeds.formats or not inputs.site.logs:
        return None
    words = inputs.localizer.gettext("%(site)s: weekly digests")
    title = words % {"site": inputs.config.site.title}
    return FeedLinkView("application/atom+xml", title, dv.FEED_PATH)


def digest_pages(
    inputs: RouteInputs,
    digests: Digests,
    summary_of: Callable[[Log], LogSummaryView],
    periods: Container[Period] | None = None,
) -> Iterator[Page]:
    """The page of every week and month with logs (`periods`: only these)."""
    log_commits = inputs.github.log_commits if inputs.github is not None else {}
    feed = digest_feed_link(inputs)
    feeds = (feed,) if feed else ()
    years = {review.year: dv.year_link(review) for review in digests.reviews}
    for kind in ("week", "month"):
        series = digests.index.of(kind)
        for position, digest in enumerate(series):
            if periods is not None and digest.period not in periods:
                continue
            newer = series[position - 1] if position else None
            older = series[position + 1] if position + 1 < len(series) else None
            view = dv.digest_view(
                digest,
                summary_of=summary_of,
                tags=inputs.tags,
                log_commits=log_commits,
                links=digests.links,
                year=years.get(digest.period.year),
                older=digests.links[older.period] if older else None,
                newer=digests.links[newer.period] if newer else None,
            )
            period = digest.period
            if kind == "week":
                week = {"week": period.number, "year": period.year}
                title = inputs.localizer.gettext("Week %(week)d of %(year)d") % week
            else:
                title = inputs.localizer.date(period.start, "month")
            count = len(digest.logs)
            described = inputs.localizer.ngettext(
                "%(num)s log and what came of them.", "%(num)s logs and what came of them.", count
            )
            description = described % {"num": inputs.localizer.number(count)}
            meta = PageMeta(title, view.link.permalink, "logs", description, feeds)
            yield Page(
                f"{view.link.permalink}index.html",
                "digest.html",
                common_context(inputs, meta, digest=view),
            )


def digests_index_page(inputs: RouteInputs, digests: Digests) -> Page:
    """`digests/`: every week, month and year with logs, newest first."""
    feed = digest_feed_link(inputs)
    view = dv.DigestsIndexView(
        years=tuple(dv.year_link(review) for review in digests.reviews),
        weeks=tuple(digests.links[d.period] for d in digests.index.weeks),
        months=tuple(digests.links[d.period] for d in digests.index.months),
        feed=feed.path if feed else None,
    )
    meta = PageMeta(
        inputs.localizer.gettext("Digests"),
        dv.DIGESTS,
        "logs",
        "Every week and month of logs summed up, and each year in review.",
        (feed,) if feed else (),
    )
    return Page(f"{dv.DIGESTS}index.html", "digests.html", common_context(inputs, meta, index=view))


def year_pages(
    inputs: RouteInputs, digests: Digests, years: Container[int] | None = None
) -> Iterator[Page]:
    """The year in review of every year with logs (`years`: only these)."""
    reviews = digests.reviews
    for position, review in enumerate(reviews):
        if years is not None and review.year not in years:
            continue
        newer = reviews[position - 1] if position else None
        older = reviews[position + 1] if position + 1 < len(reviews) else None
        months = [d for d in digests.index.months if d.period.year == review.year]
        view = dv.year_view(
            review,
            tags=inputs.tags,
            months=[digests.links[d.period] for d in months],
            older=dv.year_link(older) if older else None,
            newer=dv.year_link(newer) if newer else None,
            localizer=inputs.localizer,
        )
        meta = PageMeta(
            inputs.localizer.gettext("%(year)d in review") % {"year": review.year},
            view.permalink,
            "stats",
            f"The logs, streaks, tags and milestones of {review.year}.",
        )
        yield Page(
            f"{view.permalink}index.html", "year.html", common_context(inputs, meta, year=view)
        )
