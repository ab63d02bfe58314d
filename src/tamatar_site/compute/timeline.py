"""Compute stage: pagination, prev/next neighbours, the tag index and related logs.

Everything takes logs newest first (the order of ``Site.logs``) and keeps it.
URL scheme of paginated lists: page 1 is the list's own URL (``logs/``), page N
is ``<base>page/N/`` (``logs/page/2/``, ``tags/rust/page/3/``). URLs are
site-relative, without the base path, like model permalinks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from tamatar_site.model import Log, Tag

T = TypeVar("T")


def page_url(base: str, number: int) -> str:
    """Site-relative URL of page ``number`` of the list at ``base`` (``""``, ``logs/``...)."""
    if number < 1:
        raise ValueError(f"page numbers start at 1, got {number}")
    if base and not base.endswith("/"):
        raise ValueError(f"a list URL must end with '/', got {base!r}")
    return base if number == 1 else f"{base}page/{number}/"


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a paginated list; numbers are 1-based."""

    number: int
    items: tuple[T, ...]
    total_pages: int
    total_items: int
    per_page: int

    @property
    def prev_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next_number(self) -> int | None:
        return self.number + 1 if self.number < self.total_pages else None

    @property
    def first_index(self) -> int:
        """1-based position of the first item in the whole list (0 when empty): "21-40 of 95"."""
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)

    def url(self, base: str) -> str:
        return page_url(base, self.number)

    def prev_url(self, base: str) -> str | None:
        return None if self.prev_number is None else page_url(base, self.prev_number)

    def next_url(self, base: str) -> str | None:
        return None if self.next_number is None else page_url(base, self.next_number)


def paginate(items: Sequence[T], per_page: int) -> list[Page[T]]:
    """Split ``items`` into pages of ``per_page``.

    An empty list still gives one (empty) page, so a list page always exists.
    """
    if per_page < 1:
        raise ValueError(f"per_page must be at least 1, got {per_page}")
    total = len(items)
    pages = max(1, -(-total // per_page))
    return [
        Page(n + 1, tuple(items[n * per_page : (n + 1) * per_page]), pages, total, per_page)
        for n in range(pages)
    ]


@dataclass(frozen=True)
class Neighbours(Generic[T]):
    """The items beside one item of a newest-first list."""

    newer: T | None
    older: T | None


def compute_neighbours(items: Sequence[T]) -> tuple[Neighbours[T], ...]:
    """Neighbours of every item, aligned with ``items`` (newest first), in O(n)."""
    last = len(items) - 1
    return tuple(
        Neighbours(items[i - 1] if i > 0 else None, items[i + 1] if i < last else None)
        for i in range(len(items))
    )


@dataclass(frozen=True)
class TagEntry:
    tag: Tag
    logs: tuple[Log, ...]  # newest first

    @property
    def count(self) -> int:
        return len(self.logs)

    @property
    def permalink(self) -> str:
        return f"tags/{self.tag.slug}/"


def compute_index(
    logs: Sequence[Log], keys: Callable[[Log], Iterable[str]]
) -> dict[str, tuple[Log, ...]]:
    """Each key -> the logs `keys` gives it for (each log once), in the order of ``logs``
    (newest first), in O(n). Keys without logs are absent."""
    found: dict[str, list[Log]] = {}
    for log in logs:
        for key in dict.fromkeys(keys(log)):
            found.setdefault(key, []).append(log)
    return {key: tuple(items) for key, items in found.items()}


# The last project index and the logs it is of: a build asks for it four times (project
# pages, feeds, API, cards), a `serve` edit twice, each time for the same logs.
_last_project_index: tuple[tuple[Log, ...], Mapping[str, tuple[Log, ...]]] | None = None


def compute_project_index(logs: tuple[Log, ...]) -> Mapping[str, tuple[Log, ...]]:
    """Project slug -> the logs about it, newest first."""
    global _last_project_index
    last = _last_project_index
    if last is not None and last[0] is logs:
        return last[1]
    index = compute_index(logs, lambda log: (log.project,) if log.project else ())
    _last_project_index = (logs, index)
    return index


def compute_tag_index(
    logs: Sequence[Log], tag_names: Mapping[str, str] | None = None
) -> dict[str, TagEntry]:
    """Tag slug -> its logs (newest first), ordered by slug, in O(n * tags per log).

    The display name is ``tag_names[slug]`` when given (``Site.tag_names``), else
    the first form seen on a log. A tag repeated on one log counts once.
    """
    found: dict[str, list[Log]] = {}
    first_seen: dict[str, Tag] = {}
    for log in logs:
        for tag in log.tags:
            bucket = found.get(tag.slug)
            if bucket is None:
                bucket = found[tag.slug] = []
                first_seen[tag.slug] = tag
            if not bucket or bucket[-1] is not log:
                bucket.append(log)
    names = tag_names or {}
    return {
        slug: TagEntry(Tag(slug, names.get(slug, first_seen[slug].name)), tuple(found[slug]))
        for slug in sorted(found)
    }


def compute_related(
    logs: Sequence[Log], *, limit: int = 3, per_tag: int = 8
) -> tuple[tuple[Log, ...], ...]:
    """Up to ``limit`` related logs for every log, aligned with ``logs`` (newest first).

    A related log shares tags; more shared tags rank first, then closeness in
    the timeline, then the newer one. Candidates are bounded: for each tag only
    the ``per_tag`` logs nearest in the timeline to the log (half newer, half
    older) are looked at, so the work is O(n * tags * per_tag) even when one tag
    is on every log.
    """
    members: dict[str, list[int]] = {}  # tag slug -> indices into logs, ascending
    positions: list[list[tuple[list[int], int]]] = []  # per log: (tag members, own position)
    for index, log in enumerate(logs):
        own: list[tuple[list[int], int]] = []
        for tag in log.tags:
            bucket = members.setdefault(tag.slug, [])
            if bucket and bucket[-1] == index:
                continue  # the same tag twice on one log
            own.append((bucket, len(bucket)))
            bucket.append(index)
        positions.append(own)

    half = max(1, per_tag // 2)
    related: list[tuple[Log, ...]] = []
    for index, own in enumerate(positions):
        shared: dict[int, int] = {}
        for bucket, position in own:
            for other in bucket[max(0, position - half) : position]:
                shared[other] = shared.get(other, 0) + 1
            for other in bucket[position + 1 : position + 1 + half]:
                shared[other] = shared.get(other, 0) + 1
        ranked = [(-count, abs(j - index), j) for j, count in shared.items()]
        related.append(tuple(logs[j] for _, _, j in sorted(ranked)[:limit]))
    return tuple(related)


@dataclass(frozen=True)
class ArchiveEntry:
    """The logs under one prefix of their permalinks: a year, a month or a day.

    ``month`` and ``day`` are None above their level: ``(2026, None, None)`` is the year.
    """

    year: int
    month: int | None
    day: int | None
    logs: tuple[Log, ...]  # newest first

    @property
    def permalink(self) -> str:
        """``logs/2026/``, ``logs/2026/11/`` or ``logs/2026/11/21/``, as in log permalinks."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "logs/" + "/".join(parts) + "/"


def archive_prefixes(day: date) -> tuple[str, str, str]:
    """The archive permalinks above a log of ``day``: its year, month and day."""
    return (f"logs/{day:%Y}/", f"logs/{day:%Y/%m}/", f"logs/{day:%Y/%m/%d}/")


def compute_archive(logs: Sequence[Log]) -> dict[str, ArchiveEntry]:
    """Archive permalink -> its logs (newest first), for every year, month and day that
    has a log, in O(n). Ordered newest first, each year before its months, each month
    before its days (the order of ``logs``)."""
    found: dict[tuple[int, int | None, int | None], list[Log]] = {}
    for log in logs:
        d = log.date
        for key in ((d.year, None, None), (d.year, d.month, None), (d.year, d.month, d.day)):
            bucket = found.get(key)
            if bucket is None:
                bucket = found[key] = []
            bucket.append(log)
    entries = (ArchiveEntry(y, m, d, tuple(items)) for (y, m, d), items in found.items())
    return {entry.permalink: entry for entry in entries}
