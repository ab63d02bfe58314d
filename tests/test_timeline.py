"""Pagination boundaries and URLs, prev/next at the ends, the tag index and related logs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo

import pytest

from tamatar_site.compute.timeline import (
    Neighbours,
    archive_prefixes,
    compute_archive,
    compute_neighbours,
    compute_project_index,
    compute_related,
    compute_tag_index,
    page_url,
    paginate,
)
from tamatar_site.model import Log, Tag
from tamatar_site.render.i18n import ENGLISH
from tamatar_site.render.views.archive import ArchiveIndex
from tamatar_site.render.views.content import LinkView

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")


def make_log(day: int, tags: tuple[str, ...] = ()) -> Log:
    """Log `day` of November 2026 (1-based) with the given tags."""
    date = dt.date(2026, 11, day)
    return Log(
        source=f"logs/2026-11-{day:02d}-l{day}.md",
        slug=f"l{day}",
        title=f"Log {day}",
        date=date,
        timestamp=dt.datetime(2026, 11, day, 9, tzinfo=KOLKATA),
        body="",
        body_line=1,
        tags=tuple(Tag(t.lower(), t) for t in tags),
    )


def newest_first(*logs: Log) -> list[Log]:
    return sorted(logs, key=lambda log: log.date, reverse=True)


# --- pagination -------------------------------------------------------------


def test_page_urls() -> None:
    assert page_url("logs/", 1) == "logs/"
    assert page_url("logs/", 2) == "logs/page/2/"
    assert page_url("tags/rust/", 3) == "tags/rust/page/3/"
    assert page_url("", 1) == ""
    assert page_url("", 4) == "page/4/"
    with pytest.raises(ValueError, match="start at 1"):
        page_url("logs/", 0)
    with pytest.raises(ValueError, match="must end with '/'"):
        page_url("logs", 2)


def test_zero_items_give_one_empty_page() -> None:
    pages = paginate([], 20)
    assert len(pages) == 1
    page = pages[0]
    assert (page.number, page.items, page.total_pages, page.total_items) == (1, (), 1, 0)
    assert (page.prev_number, page.next_number) == (None, None)
    assert (page.first_index, page.last_index) == (0, 0)
    assert page.url("logs/") == "logs/"


def test_exactly_per_page_items_fit_on_one_page() -> None:
    pages = paginate(list(range(20)), 20)
    assert len(pages) == 1
    assert pages[0].items == tuple(range(20))
    assert (pages[0].prev_number, pages[0].next_number) == (None, None)
    assert pages[0].next_url("logs/") is None


def test_one_more_than_per_page_spills_onto_page_two() -> None:
    pages = paginate(list(range(21)), 20)
    assert [p.number for p in pages] == [1, 2]
    assert [len(p.items) for p in pages] == [20, 1]
    assert pages[1].items == (20,)
    assert [p.total_pages for p in pages] == [2, 2]
    assert (pages[0].prev_number, pages[0].next_number) == (None, 2)
    assert (pages[1].prev_number, pages[1].next_number) == (1, None)
    assert pages[0].next_url("logs/") == "logs/page/2/"
    assert pages[1].prev_url("logs/") == "logs/"
    assert pages[1].url("tags/rust/") == "tags/rust/page/2/"
    assert (pages[1].first_index, pages[1].last_index) == (21, 21)


def test_middle_pages_link_both_ways() -> None:
    pages = paginate("abcdefg", 2)
    assert [p.items for p in pages] == [("a", "b"), ("c", "d"), ("e", "f"), ("g",)]
    middle = pages[2]
    assert (middle.prev_url("logs/"), middle.next_url("logs/")) == ("logs/page/2/", "logs/page/4/")
    assert (middle.first_index, middle.last_index) == (5, 6)


def test_per_page_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        paginate([1], 0)


# --- neighbours -------------------------------------------------------------


def test_neighbours_at_the_ends_and_in_the_middle() -> None:
    logs = newest_first(make_log(1), make_log(2), make_log(3))
    neighbours = compute_neighbours(logs)
    assert [n.newer.slug if n.newer else None for n in neighbours] == [None, "l3", "l2"]
    assert [n.older.slug if n.older else None for n in neighbours] == ["l2", "l1", None]


def test_neighbours_of_one_and_of_none() -> None:
    only = make_log(5)
    assert compute_neighbours([only]) == (Neighbours(None, None),)
    assert compute_neighbours([]) == ()


# --- tag index --------------------------------------------------------------


def test_tag_index_newest_first_with_counts() -> None:
    logs = newest_first(
        make_log(1, ("Rust",)),
        make_log(2, ("rust", "SQL")),
        make_log(3, ("Zig", "Zig")),  # repeated tag counts once
        make_log(4, ("Rust",)),
    )
    index = compute_tag_index(logs)
    assert list(index) == ["rust", "sql", "zig"]
    assert [log.slug for log in index["rust"].logs] == ["l4", "l2", "l1"]
    assert index["rust"].count == 3
    assert index["rust"].tag == Tag("rust", "Rust")  # first form seen, newest first
    assert index["zig"].count == 1
    assert index["sql"].permalink == "tags/sql/"
    named = compute_tag_index(logs, {"sql": "PostgreSQL"})
    assert named["sql"].tag == Tag("sql", "PostgreSQL")


def test_project_index_keeps_the_logs_order_and_leaves_out_logs_without_project() -> None:
    on = [dataclasses.replace(make_log(day), project=project) for day, project in (
        (4, "tidepool"), (3, None), (2, "minilang"), (1, "tidepool")
    )]  # fmt: skip
    index = compute_project_index(tuple(on))
    assert {slug: [log.slug for log in logs] for slug, logs in index.items()} == {
        "tidepool": ["l4", "l1"],
        "minilang": ["l2"],
    }


def test_the_project_index_of_other_logs_is_not_the_last_one() -> None:
    logs = tuple(dataclasses.replace(make_log(day), project="tidepool") for day in (2, 1))
    first = compute_project_index(logs)
    assert compute_project_index(logs) is first  # kept for the same logs
    edited = (dataclasses.replace(logs[0], project="minilang"), logs[1])
    assert {slug: len(found) for slug, found in compute_project_index(edited).items()} == {
        "minilang": 1,
        "tidepool": 1,
    }


def test_tag_index_of_untagged_logs_is_empty() -> None:
    assert compute_tag_index([make_log(1), make_log(2)]) == {}


# --- related ----------------------------------------------------------------


def test_related_prefers_more_shared_tags_then_closer_then_newer() -> None:
    logs = newest_first(
        make_log(1, ("rust", "async", "tokio")),
        make_log(2, ("rust",)),
        make_log(3, ("python",)),
        make_log(4, ("rust", "async")),
        make_log(5, ("rust", "async", "tokio")),  # the log we look at
        make_log(6, ("rust",)),
        make_log(7, ("rust",)),
    )
    related = dict(zip([log.slug for log in logs], compute_related(logs, limit=3), strict=True))
    # l1 shares three tags, l4 two; l6, l7 and l2 share one each and l6 is the closest.
    assert [log.slug for log in related["l5"]] == ["l1", "l4", "l6"]
    assert related["l3"] == ()  # nobody else is tagged python
    assert all(log.slug != slug for slug, logs_ in related.items() for log in logs_)


def test_related_tie_on_distance_goes_to_the_newer_log() -> None:
    logs = newest_first(make_log(1, ("go",)), make_log(2, ("go",)), make_log(3, ("go",)))
    related = compute_related(logs, limit=1)
    assert [r[0].slug for r in related] == ["l2", "l3", "l2"]


def test_related_looks_only_at_nearby_logs_of_a_busy_tag() -> None:
    logs = newest_first(*(make_log(day, ("daily",)) for day in range(1, 31)))
    related = compute_related(logs, limit=10, per_tag=4)
    middle = [log.slug for log in related[15]]  # l15
    assert middle == ["l16", "l14", "l17", "l13"]
    assert [log.slug for log in related[0]] == ["l29", "l28"]  # the newest has only older ones


# --- archives ---------------------------------------------------------------


def test_archive_has_every_year_month_and_day_prefix_newest_first() -> None:
    logs = [make_log(20), make_log(3), make_log(3)]
    older = dataclasses.replace(make_log(1), date=dt.date(2025, 12, 31), slug="old")
    archive = compute_archive([*logs, older])
    assert list(archive) == [
        "logs/2026/",
        "logs/2026/11/",
        "logs/2026/11/20/",
        "logs/2026/11/03/",
        "logs/2025/",
        "logs/2025/12/",
        "logs/2025/12/31/",
    ]
    assert archive["logs/2026/11/03/"].logs == (logs[1], logs[2])
    assert archive["logs/2026/"].logs == tuple(logs)
    assert archive["logs/2025/12/"].logs == (older,)
    for permalink, entry in archive.items():
        assert entry.permalink == permalink
    for log in [*logs, older]:
        assert all(log.permalink.startswith(p) for p in archive_prefixes(log.date))
    assert compute_archive([]) == {}


def test_archive_views_link_their_parents_and_neighbours_with_one_link_each() -> None:
    logs = [make_log(20), make_log(3)]
    older = dataclasses.replace(make_log(1), date=dt.date(2025, 12, 31), slug="old")
    views = ArchiveIndex.of([*logs, older], ENGLISH).views

    def titles(links: tuple[LinkView, ...]) -> list[tuple[str, str]]:
        return [(link.title, link.permalink) for link in links]

    day = views["logs/2026/11/03/"]
    assert day.title == "3 November 2026"
    assert titles(day.parents) == [
        ("Logs", "logs/"),
        ("2026", "logs/2026/"),
        ("November 2026", "logs/2026/11/"),
    ]
    assert day.newer == LinkView("20 November 2026", "logs/2026/11/20/")
    assert day.older == LinkView("31 December 2025", "logs/2025/12/31/")
    assert titles(views["logs/2025/12/"].parents) == [("Logs", "logs/"), ("2025", "logs/2025/")]
    assert views["logs/2025/12/"].newer == LinkView("November 2026", "logs/2026/11/")
    assert views["logs/2026/"].parents == (LinkView("Logs", "logs/"),)
    assert views["logs/2026/"].older == LinkView("2025", "logs/2025/")
    assert views["logs/2026/"].newer is None
    # Shared, not copied: the days of a month have one tuple of parents, and an archive's
    # link is the same object wherever it appears (a session pickles each once).
    assert day.parents is views["logs/2026/11/20/"].parents
    assert views["logs/2026/11/20/"].older is views["logs/2025/12/31/"].newer
    assert views["logs/2025/12/"].newer is day.parents[2]
