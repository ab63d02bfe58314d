"""Template views of the digests (a week's, a month's), their index and the years in review.

Numbers and dates only: the templates word them (`_()`/`ngettext`), so a translated
theme says "7.2, up 0.8 from the week before" in its own language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tamatar_site.compute.digests import Digest, Period
from tamatar_site.compute.yearreview import YearReview
from tamatar_site.github.views import CommitView
from tamatar_site.model import Log
from tamatar_site.render.charts import stats as charts
from tamatar_site.render.i18n import Localizer
from tamatar_site.render.views.content import LinkView, LogSummaryView, TagView, TagViews
from tamatar_site.render.views.dashboard import ChartView, TopTagView

__all__ = [
    "DigestLinkView",
    "DigestView",
    "DigestsIndexView",
    "LanguageView",
    "MilestoneReachedView",
    "ScoreView",
    "YearLinkView",
    "YearView",
    "digest_link",
    "digest_permalink",
    "digest_view",
    "score_view",
    "year_link",
    "year_permalink",
    "year_view",
]

DIGESTS = "digests/"
FEED_PATH = "digests/feed.xml"


def digest_permalink(period: Period) -> str:
    """`digests/2026/w48/` (ISO year and week) or `digests/2026/11/`."""
    if period.kind == "week":
        return f"{DIGESTS}{period.year}/w{period.number:02d}/"
    return f"{DIGESTS}{period.year}/{period.number:02d}/"


def year_permalink(year: int) -> str:
    """`digests/2026/`: the year in review."""
    return f"{DIGESTS}{year}/"


@dataclass(frozen=True)
class DigestLinkView:
    kind: str  # week | month
    year: int  # the ISO year for weeks
    number: int  # the week or the month
    start: dt.date
    end: dt.date
    permalink: str
    logs: int
    focus_minutes: int


@dataclass(frozen=True)
class ScoreView:
    """An average out of 10 and its change from the period before (None: no comparison)."""

    value: float
    change: float | None  # rounded to one decimal, as shown


@dataclass(frozen=True)
class MilestoneReachedView:
    goal: LinkView
    title: str
    date: dt.date


@dataclass(frozen=True)
class YearLinkView:
    year: int
    permalink: str
    logs: int


@dataclass(frozen=True)
class DigestView:
    link: DigestLinkView
    logs: tuple[LogSummaryView, ...]
    focus_minutes: int
    mood: ScoreView | None
    productivity: ScoreView | None
    commits: tuple[CommitView, ...]
    resources_started: tuple[LinkView, ...]
    resources_finished: tuple[LinkView, ...]
    milestones: tuple[MilestoneReachedView, ...]
    new_tags: tuple[TagView, ...]
    parent: DigestLinkView | None  # a week's months (the month of its Thursday)
    year: YearLinkView | None  # the review of its year (a week's ISO year), if any
    older: DigestLinkView | None
    newer: DigestLinkView | None


@dataclass(frozen=True)
class DigestsIndexView:
    years: tuple[YearLinkView, ...]
    weeks: tuple[DigestLinkView, ...]
    months: tuple[DigestLinkView, ...]
    feed: str | None  # the digest feed's path, when there is one


@dataclass(frozen=True)
class LanguageView:
    name: str
    logs: int


@dataclass(frozen=True)
class YearView:
    year: int
    permalink: str
    logs: int
    words: int
    focus_minutes: int
    tags: int
    active_days: int
    streak_length: int
    streak_start: dt.date | None
    streak_end: dt.date | None
    busiest_month: dt.date | None
    busiest_logs: int
    top_tags: tuple[TopTagView, ...]
    languages: tuple[LanguageView, ...]
    projects_shipped: tuple[LinkView, ...]
    resources_finished: tuple[LinkView, ...]
    goals_completed: tuple[LinkView, ...]
    chart: ChartView
    months: tuple[DigestLinkView, ...]  # the year's month digests, January first
    older: YearLinkView | None
    newer: YearLinkView | None


def digest_link(digest: Digest) -> DigestLinkView:
    period = digest.period
    return DigestLinkView(
        kind=period.kind,
        year=period.year,
        number=period.number,
        start=period.start,
        end=period.end,
        permalink=digest_permalink(period),
        logs=len(digest.logs),
        focus_minutes=digest.focus_minutes,
    )


def score_view(value: float | None, previous: float | None) -> ScoreView | None:
    if value is None:
        return None
    shown = round(value, 1)
    change = None if previous is None else round(shown - round(previous, 1), 1)
    return ScoreView(shown, change)


def digest_view(
    digest: Digest,
    *,
    summary_of: Callable[[Log], LogSummaryView],
    tags: TagViews,
    log_commits: Mapping[str, Sequence[CommitView]],
    links: Mapping[Period, DigestLinkView],
    year: YearLinkView | None,
    older: DigestLinkView | None,
    newer: DigestLinkView | None,
) -> DigestView:
    """`links`: the link of every digest, by period (for the week's month)."""
    period = digest.period
    commits = {
        (c.repo, c.sha): c for log in digest.logs for c in log_commits.get(log.permalink, ())
    }
    parent = None
    if period.kind == "week":
        thursday = period.start + dt.timedelta(days=3)
        parent = links.get(Period("month", thursday.year, thursday.month))
    return DigestView(
        link=digest_link(digest),
        logs=tuple(summary_of(log) for log in digest.logs),
        focus_minutes=digest.focus_minutes,
        mood=score_view(digest.mood, digest.previous_mood),
        productivity=score_view(digest.productivity, digest.previous_productivity),
        commits=tuple(sorted(commits.values(), key=lambda c: (c.authored_at, c.sha))),
        resources_started=tuple(LinkView(r.title, r.permalink) for r in digest.resources_started),
        resources_finished=tuple(LinkView(r.title, r.permalink) for r in digest.resources_finished),
        milestones=tuple(
            MilestoneReachedView(LinkView(m.goal.title, m.goal.permalink), m.milestone.title, day)
            for m in digest.milestones
            if (day := m.milestone.date) is not None
        ),
        new_tags=tags.views(digest.new_tags),
        parent=parent,
        year=year,
        older=older,
        newer=newer,
    )


def year_link(review: YearReview) -> YearLinkView:
    return YearLinkView(review.year, year_permalink(review.year), review.logs)


def year_view(
    review: YearReview,
    *,
    tags: TagViews,
    months: Sequence[DigestLinkView],
    older: YearLinkView | None,
    newer: YearLinkView | None,
    localizer: Localizer,
) -> YearView:
    most = review.top_tags[0].count if review.top_tags else 0
    chart = charts.render_responsive(
        lambda size: charts.render_logs_per_month(review.months, size=size, words=localizer)
    )
    logs = localizer.ngettext("%(num)s log", "%(num)s logs", review.logs)
    summary = f"{logs % {'num': localizer.number(review.logs)}}, {review.year}."
    streak = review.longest_streak
    busiest = review.busiest_month
    return YearView(
        year=review.year,
        permalink=year_permalink(review.year),
        logs=review.logs,
        words=review.words,
        focus_minutes=review.focus_minutes,
        tags=review.tags,
        active_days=review.active_days,
        streak_length=streak.length,
        streak_start=streak.start,
        streak_end=streak.end,
        busiest_month=busiest.start if busiest else None,
        busiest_logs=busiest.logs if busiest else 0,
        top_tags=tuple(
            TopTagView(tags.view(t.tag), t.count, round(100 * t.count / most))
            for t in review.top_tags
        ),
        languages=tuple(LanguageView(lang.language, lang.logs) for lang in review.languages),
        projects_shipped=tuple(LinkView(p.name, p.permalink) for p in review.projects_shipped),
        resources_finished=tuple(LinkView(r.title, r.permalink) for r in review.resources_finished),
        goals_completed=tuple(LinkView(g.title, g.permalink) for g in review.goals_completed),
        chart=ChartView(
            "year-logs-per-month",
            f"{localizer.gettext('Logs per month')} {review.year}",
            chart.svg,
            summary,
            chart.table.headers,
            chart.table.rows,
        ),
        months=tuple(sorted(months, key=lambda m: m.start)),
        older=older,
        newer=newer,
    )
