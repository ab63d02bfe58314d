"""Compute stage: a year in review for every calendar year with logs.

Totals (logs, words, focus, distinct tags), the longest streak inside the year
(`compute/streaks.py` over that year's logs), the busiest month, the top tags and code
languages (the fenced blocks of the year's logs: how many logs use each), the projects
shipped (completed, `end_date` in the year), resources finished, goals completed and the
logs per month. A completed goal counts in the year of its last dated milestone, else of
its target date; one without either date is in no year. One pass over each kind: O(n).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from tamatar_site.compute.stats import MonthStat, TagCount, body_words
from tamatar_site.compute.streaks import Streak, compute_streaks
from tamatar_site.model import Goal, Log, Project, Resource, Site, Tag

__all__ = ["LanguageCount", "YearReview", "code_languages", "compute_year_reviews", "goal_day"]

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


def code_languages(markdown: str) -> set[str]:
    """The info-string languages of the fenced code blocks in `markdown`, lower-cased
    (`text` and the like left out)."""
    found: set[str] = set()
    fence = ""
    for line in markdown.splitlines():
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence) and not stripped[len(fence) :].strip():
                fence = ""
            continue
        for marker in ("```", "~~~"):
            if stripped.startswith(marker):
                length = len(stripped) - len(stripped.lstrip(marker[0]))
                fence = marker[0] * length
                info = stripped[length:].strip().split()
                if info:
                    found.add(info[0].strip("{}.").lower())
                break
    return found - _NOT_LANGUAGES


def goal_day(goal: Goal) -> dt.date | None:
    """The day a completed goal counts as done: its last dated milestone, else its target."""
    dates = [m.date for m in goal.milestones if m.date is not None]
    return max(dates) if dates else goal.target_date


def compute_year_reviews(site: Site) -> tuple[YearReview, ...]:
    """One review per year with logs, newest year first."""
    by_year: dict[int, list[Log]] = {}
    for log in site.logs:
        by_year.setdefault(log.date.year, []).append(log)
    shipped = _by_year(
        (p.end_date, p) for p in site.projects if p.status == "completed" and p.end_date
    )
    finished = _by_year((r.finished, r) for r in site.resources)
    completed = _by_year((goal_day(g), g) for g in site.goals if g.status == "completed")
    return tuple(
        _review(
            year,
            by_year[year],
            shipped.get(year, []),
            finished.get(year, []),
            completed.get(year, []),
        )
        for year in sorted(by_year, reverse=True)
    )


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
    shipped: list[Project],
    finished: list[Resource],
    completed: list[Goal],
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
        languages.update(code_languages(log.body))
    months = tuple(
        MonthStat(year, month, per_month[month], focus_month[month]) for month in range(1, 13)
    )
    busiest = max(months, key=lambda m: (m.logs, -m.month))
    streaks = compute_streaks(logs, dt.date(year, 12, 31))
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
        projects_shipped=tuple(shipped),
        resources_finished=tuple(finished),
        goals_completed=tuple(completed),
    )
