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
                parent = _parent_of(permalink)
                link = ArchiveLinkView(_child_label(entry, lo), permalink, len(entry.logs))
                children.setdefault(parent, []).append(link)
        # Each archive's link, made once: it is the title link of its neighbours and a
        # parent of its months or days (one object each, also in a pickled session).
        links = {
            permalink: LinkView(_title(entry, lo), permalink)
            for permalink, entry in entries.items()
        }
        root = LinkView(lo.gettext("Logs"), "logs/")
        parents: dict[str, tuple[LinkView, ...]] = {}  # by the permalink they lead to
        views: dict[str, ArchiveView] = {}
        for same_level in levels.values():
            neighbours = timeline.compute_neighbours(same_level)
            for entry, around in zip(same_level, neighbours, strict=True):
                permalink = entry.permalink
                views[permalink] = ArchiveView(
                    title=links[permalink].title,
                    level=_level(entry),
                    permalink=permalink,
                    count=len(entry.logs),
                    parents=_parents(permalink, root, links, parents),
                    children=tuple(children.get(permalink, ())),
                    newer=None if around.newer is None else links[around.newer.permalink],
                    older=None if around.older is None else links[around.older.permalink],
                )
        years = tuple(
            ArchiveLinkView(str(entry.year), entry.permalink, len(entry.logs))
            for entry in levels["year"]
        )
        return cls(entries, {p: views[p] for p in entries}, years)


def _parents(
    permalink: str,
    root: LinkView,
    links: Mapping[str, LinkView],
    made: dict[str, tuple[LinkView, ...]],
) -> tuple[LinkView, ...]:
    """The links from the timeline down to the archive at `permalink`, itself excluded
    (`logs/2026/11/21/`: Logs, 2026, November 2026), shared by the archives they lead to."""
    parent = _parent_of(permalink)
    if parent == "logs/":
        return (root,)
    known = made.get(parent)
    if known is None:
        known = made[parent] = (*_parents(parent, root, links, made), links[parent])
    return known


def _parent_of(permalink: str) -> str:
    """`logs/2026/11/` for `logs/2026/11/21/`: the archive one level up."""
    return permalink[: permalink.rindex("/", 0, -1) + 1]
