"""Compute stage: a year in review for every calendar year with logs.

Totals (logs, words, focus, distinct tags), the longest streak inside the year
(`compute/streaks.py` over that year's logs, with the site's streak settings), the busiest
month, the top tags and code languages (of the fenced blocks of the year's logs, as the
Markdown renderer found them: how many logs use each), the projects shipped (completed,
`end_date` in the year), resources finished, goals completed and the logs per month. A
completed goal counts in the year it was completed (`Goal.completed_on`); one without a
date is in no year. One pass over each kind: O(n).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from tamatar_site.compute.stats import MonthStat, TagCount, body_words
from tamatar_site.compute.streaks import Streak, compute_streaks
from tamatar_site.model import Goal, Log, Project, Resource, Site, Tag

__all__ = ["LanguageCount", "YearReview", "compute_year_reviews"]

_T = TypeVar("_T")
TOP_TAGS = 10
# Info strings that name no programming language.
_NOT_LANGUAGES = frozenset({"", "text", "txt", "plain", "plaintext", "console", "output"})
TOP_LANGUAGES = 8


@dataclass(frozen=True)
class LanguageCount:
    language: str
    logs: int  # logs with at least one code block in it


@dataclass(frozen=True)
class YearReview:
    year: int
    logs: int
    words: int
    focus_minutes: int
    tags: int  # distinct tags used this year
    active_days: int
    longest_streak: Streak
    months: tuple[MonthStat, ...]  # January to December
    busiest_month: MonthStat | None  # most logs (the earliest of equals)
    top_tags: tuple[TagCount, ...]
    languages: tuple[LanguageCount, ...]
    projects_shipped: tuple[Project, ...]
    resources_finished: tuple[Resource, ...]
    goals_completed: tuple[Goal, ...]


def compute_year_reviews(
    site: Site,
    languages: Mapping[str, Sequence[str]],
    *,
    extra_days: Iterable[dt.date] = (),
    grace_days: int = 0,
) -> tuple[YearReview, ...]:
    """One review per year with logs, newest year first. `languages`: each log's code
    languages by its source (`RenderedBody.languages`); `extra_days` (days active through
    commits) and `grace_days` count in streaks as on the stats page."""
    by_year: dict[int, list[Log]] = {}
    for log in site.logs:
        by_year.setdefault(log.date.year, []).append(log)
    shipped = _by_year(
        (p.end_date, p) for p in site.projects if p.status == "completed" and p.end_date
    )
    finished = _by_year((r.finished, r) for r in site.resources)
    completed = _by_year((g.completed_on, g) for g in site.goals if g.status == "completed")
    extra = frozenset(extra_days)
    return tuple(
        _review(
            year,
            by_year[year],
            _Done(shipped.get(year, []), finished.get(year, []), completed.get(year, [])),
            languages,
            frozenset(day for day in extra if day.year == year),
            grace_days,
        )
        for year in sorted(by_year, reverse=True)
    )


@dataclass(frozen=True)
class _Done:
    """What a year finished: projects shipped, resources finished, goals completed."""

    shipped: list[Project]
    finished: list[Resource]
    completed: list[Goal]


def _by_year(dated: Iterable[tuple[dt.date | None, _T]]) -> dict[int, list[_T]]:
    groups: dict[int, list[tuple[dt.date, int, _T]]] = {}
    for index, (day, value) in enumerate(dated):
        if day is not None:
            groups.setdefault(day.year, []).append((day, index, value))
    return {
        year: [value for _, _, value in sorted(items, key=lambda item: item[:2])]
        for year, items in groups.items()
    }


def _review(
    year: int,
    logs: list[Log],
    done: _Done,
    log_languages: Mapping[str, Sequence[str]],
    extra_days: frozenset[dt.date],
    grace_days: int,
) -> YearReview:
    per_month = Counter(log.date.month for log in logs)
    focus_month: Counter[int] = Counter()
    tag_counts: Counter[str] = Counter()
    tags: dict[str, Tag] = {}
    languages: Counter[str] = Counter()
    for log in logs:
        focus_month[log.date.month] += log.focus_minutes or 0
        for tag in log.tags:
            tag_counts[tag.slug] += 1
            tags.setdefault(tag.slug, tag)
        languages.update(
            lang for lang in log_languages.get(log.source, ()) if lang not in _NOT_LANGUAGES
        )
    months = tuple(
        MonthStat(year, month, per_month[month], focus_month[month]) for month in range(1, 13)
    )
    busiest = max(months, key=lambda m: (m.logs, -m.month))
    streaks = compute_streaks(logs, dt.date(year, 12, 31), extra_days, grace_days=grace_days)
    top_tags = sorted(tag_counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_TAGS]
    top_languages = sorted(languages.items(), key=lambda item: (-item[1], item[0]))
    return YearReview(
        year=year,
        logs=len(logs),
        words=sum(body_words(log) for log in logs),
        focus_minutes=sum(focus_month.values()),
        tags=len(tag_counts),
        active_days=streaks.active_days,
        longest_streak=streaks.longest,
        months=months,
        busiest_month=busiest if busiest.logs else None,
        top_tags=tuple(TagCount(tags[slug], count) for slug, count in top_tags),
        languages=tuple(LanguageCount(lang, n) for lang, n in top_languages[:TOP_LANGUAGES]),
        projects_shipped=tuple(done.shipped),
        resources_finished=tuple(done.finished),
        goals_completed=tuple(done.completed),
    )
