"""Template views of the log archives: `logs/YYYY/`, `logs/YYYY/MM/`, `logs/YYYY/MM/DD/`.

Every prefix of a log's permalink is a page listing the logs under it. The views here
depend on the logs' dates only (not their bodies), so a build makes them once
(`ArchiveIndex.of`) and serve's edit path keeps them while no log's metadata changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tamatar_site.compute import timeline
from tamatar_site.model import Log
from tamatar_site.render.i18n import Localizer
from tamatar_site.render.views.content import LinkView

__all__ = [
    "ArchiveIndex",
    "ArchiveLinkView",
    "ArchiveView",
    "DateLinksView",
    "date_links",
]


@dataclass(frozen=True)
class ArchiveLinkView:
    """A link to an archive page with how many logs it lists."""

    label: str
    permalink: str
    count: int


@dataclass(frozen=True)
class ArchiveView:
    """One year, month or day of logs, without the logs (those come paginated)."""

    title: str  # `2026`, `November 2026`, `21 November 2026`
    level: str  # year | month | day
    permalink: str
    count: int
    parents: tuple[LinkView, ...]  # from the timeline down, this archive excluded
    children: tuple[ArchiveLinkView, ...]  # a year's months, a month's days
    newer: LinkView | None  # the next archive of the same level that has logs
    older: LinkView | None


@dataclass(frozen=True)
class DateLinksView:
    """The archive permalinks of one date, for the links on a log's date."""

    date: dt.date
    year: str
    month: str
    day: str


def date_links(day: dt.date) -> DateLinksView:
    year, month, date = timeline.archive_prefixes(day)
    return DateLinksView(day, year, month, date)


def _title(entry: timeline.ArchiveEntry, lo: Localizer) -> str:
    """`2026`, `November 2026` or `21 November 2026`, in the site's language."""
    if entry.month is None:
        return f"{entry.year}"
    if entry.day is None:
        return lo.date(dt.date(entry.year, entry.month, 1), "full_month")
    return lo.date(dt.date(entry.year, entry.month, entry.day), "full")


def _level(entry: timeline.ArchiveEntry) -> str:
    return "year" if entry.month is None else "month" if entry.day is None else "day"


def _child_label(entry: timeline.ArchiveEntry, lo: Localizer) -> str:
    """A child's label on its parent's page: `November` on 2026, `21 November` on a month."""
    assert entry.month is not None
    if entry.day is None:
        return lo.date(dt.date(entry.year, entry.month, 1), "month_name")
    return lo.date(dt.date(entry.year, entry.month, entry.day), "day_month")


@dataclass(frozen=True)
class ArchiveIndex:
    """The archive of a site's logs: its entries (permalink -> logs), their views and the
    years, newest first, for the timeline's archive links."""

    entries: Mapping[str, timeline.ArchiveEntry]
    views: Mapping[str, ArchiveView]
    years: tuple[ArchiveLinkView, ...]

    @classmethod
    def of(cls, logs: Sequence[Log], localizer: Localizer) -> ArchiveIndex:
        """The archive of `logs` (newest first), in O(n); titles in `localizer`'s language."""
        lo = localizer
        entries = timeline.compute_archive(logs)
        levels: dict[str, list[timeline.ArchiveEntry]] = {"year": [], "month": [], "day": []}
        children: dict[str, list[ArchiveLinkView]] = {}
        for permalink, entry in entries.items():
            levels[_level(entry)].append(entry)
            if entry.month is not None:
                parent = permalink[: permalink.rindex("/", 0, -1) + 1]
                link = ArchiveLinkView(_child_label(entry, lo), permalink, len(entry.logs))
                children.setdefault(parent, []).append(link)
        views: dict[str, ArchiveView] = {}
        for same_level in levels.values():
            neighbours = timeline.compute_neighbours(same_level)
            for entry, around in zip(same_level, neighbours, strict=True):
                permalink = entry.permalink
                views[permalink] = ArchiveView(
                    title=_title(entry, lo),
                    level=_level(entry),
                    permalink=permalink,
                    count=len(entry.logs),
                    parents=_parents(entry, lo),
                    children=tuple(children.get(permalink, ())),
                    newer=_link(around.newer, lo),
                    older=_link(around.older, lo),
                )
        years = tuple(
            ArchiveLinkView(str(entry.year), entry.permalink, len(entry.logs))
            for entry in levels["year"]
        )
        return cls(entries, {p: views[p] for p in entries}, years)


def _link(entry: timeline.ArchiveEntry | None, lo: Localizer) -> LinkView | None:
    return None if entry is None else LinkView(_title(entry, lo), entry.permalink)


def _parents(entry: timeline.ArchiveEntry, lo: Localizer) -> tuple[LinkView, ...]:
    parents = [LinkView(lo.gettext("Logs"), "logs/")]
    if entry.month is not None:
        parents.append(LinkView(str(entry.year), f"logs/{entry.year:04d}/"))
        if entry.day is not None:
            month = lo.date(dt.date(entry.year, entry.month, 1), "full_month")
            parents.append(LinkView(month, f"logs/{entry.year:04d}/{entry.month:02d}/"))
    return tuple(parents)
