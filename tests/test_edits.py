"""A serve session's rebuild after edits of log text only (`build/edits.py`).

It renders just the pages that show the edited text; every other file stays. After each
edit the output is compared file by file with a cold build of a copy of the site, and the
build is checked to have taken that path: it rendered a handful of pages and skipped none
(the full incremental path fingerprints every page and skips the unchanged ones).
"""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path
from typing import Any

import pytest
from sitefiles import FIXED_EPOCH, write_site
from test_incremental import (
    CONFIG,
    FILES,
    NEWEST,
    _cold,
    _edit,
    _ok,
    _raw_tree,
    _search_bundle,
    _tree,
)
from test_search import fragments, searchable, superseded

from tamatar_site.build.pipeline import BuildOptions, BuildResult, build_site
from tamatar_site.build.session import SiteBuilder
from tamatar_site.render.documents import outputs
from tamatar_site.render.views.dashboard import build_dashboard, dashboard_with_stats

PROJECT_LOG = "logs/2026-10-21-day-20.md"  # project: tamatar, tag go
OLD_LOG = "logs/2026-10-02-day-1.md"  # on the last timeline page, outside the feeds


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@pytest.fixture
def session(tmp_path: Path) -> tuple[SiteBuilder, BuildOptions]:
    site = write_site(tmp_path / "site", FILES, config=CONFIG)
    options = BuildOptions(output_dir=tmp_path / "out", offline=True)
    builder = SiteBuilder(site)
    _ok(builder.build(options))
    return builder, options


def _rebuild(
    builder: SiteBuilder, options: BuildOptions, tmp_path: Path, name: str, *changed: Path
) -> BuildResult:
    result = _ok(builder.build(options, changed=set(changed)))
    assert options.output_dir is not None
    cold = _cold(builder.site_dir, tmp_path, name)
    assert _tree(options.output_dir) == cold, name
    return result


def test_the_edit_path_indexes_the_edited_page_into_the_search_delta(
    session: tuple[SiteBuilder, BuildOptions], tmp_path: Path
) -> None:
    builder, options = session
    assert options.output_dir is not None
    before = _search_bundle(_raw_tree(options.output_dir))
    assert "pagefind/pagefind-entry.json" in before
    edited = _edit(builder.site_dir, NEWEST, "Notes of day 23.", "Notes of day 23, zanzibar.")
    result = _rebuild(builder, options, tmp_path, "search-kept", edited)
    assert _took_edit_path(result, 12), result
    after = _search_bundle(_raw_tree(options.output_dir))
    # The base is kept file by file; the edited page went to the delta alone.
    assert {k: v for k, v in after.items() if not k.startswith("pagefind/delta/")} == {
        k: v for k, v in before.items() if not k.startswith("pagefind/delta/")
    }
    delta = [k for k in after if k.startswith("pagefind/delta/fragment/")]
    assert len(delta) == 1
    assert b"zanzibar" in gzip.decompress(after[delta[0]])

    _ok(build_site(builder.site_dir, options))  # what `tamatar build` does next
    assert _tree(options.output_dir) == _cold(builder.site_dir, tmp_path, "search-renewed")


def _took_edit_path(result: BuildResult, most: int) -> bool:
    """The full path considers every page (rendered or skipped); this one a few."""
    return 0 < result.rendered + result.skipped <= most


def test_text_edits_render_only_what_shows_them_and_equal_cold_builds(
    session: tuple[SiteBuilder, BuildOptions], tmp_path: Path
) -> None:
    builder, options = session
    site = builder.site_dir

    # The start of a body: the summary changes, so the lists that show it change too.
    long = "A long first paragraph that fills the whole summary of the log. " * 5
    start = _edit(site, NEWEST, "Notes of day 23.", long + "Notes of day 23.")
    result = _rebuild(builder, options, tmp_path, "summary", start)
    assert _took_edit_path(result, 15), result  # with its week, month and year digests

    # The end of a body: the summary stays; the log page, and home, stats and the year in
    # review (word count).
    tail = _edit(site, NEWEST, "print(23)\n```\n", "print(23)\n```\n\nOne more line.\n")
    result = _rebuild(builder, options, tmp_path, "tail", tail)
    assert _took_edit_path(result, 4), result
    assert result.written >= 4  # the page, home, stats, the year (and the feeds with the HTML)

    # A log of a project.
    project = _edit(site, PROJECT_LOG, "Notes of day 20.", "Notes of day twenty, rewritten.")
    result = _rebuild(builder, options, tmp_path, "project", project)
    assert _took_edit_path(result, 15), result

    # Two logs at once, one far down the timeline and out of the feeds; a new relative link.
    first = _edit(
        site, OLD_LOG, "Notes of day 1.", "Notes of day 1, see [day 20](2026-10-21-day-20.md)."
    )
    second = _edit(site, NEWEST, "One more line.", "Two more lines.\n\nHere.")
    result = _rebuild(builder, options, tmp_path, "two", first, second)
    assert _took_edit_path(result, 22), result

    # A code block in a language no log had: the year in review lists it (its review is
    # computed again; the other years' are kept).
    block = "```haskell\nmain = pure ()\n```\n\nNotes of day 1,"
    code = _edit(site, OLD_LOG, "Notes of day 1,", block)
    result = _rebuild(builder, options, tmp_path, "language", code)
    assert _took_edit_path(result, 22), result
    review = (options.output_dir / "digests/2026/index.html").read_text(encoding="utf-8")
    assert "haskell" in review.lower()

    # Saving the same text again renders nothing and writes nothing.
    again = _edit(site, OLD_LOG, "Notes of day 1,", "Notes of day 1,")
    result = _rebuild(builder, options, tmp_path, "same", again)
    assert (result.rendered, result.written) == (0, 0)


def test_other_edits_take_the_full_path_and_text_edits_work_after_them(
    session: tuple[SiteBuilder, BuildOptions], tmp_path: Path
) -> None:
    builder, options = session
    site = builder.site_dir

    title = _edit(site, NEWEST, "title: Day 23", "title: Day Twenty-three")
    result = _rebuild(builder, options, tmp_path, "title", title)
    assert result.skipped > 0  # page by page: the other pages were fingerprinted and kept

    tags = _edit(site, PROJECT_LOG, "tags: [go]", "tags: [go, python]")
    assert _rebuild(builder, options, tmp_path, "tags", tags).skipped > 0

    body = _edit(site, PROJECT_LOG, "Notes of day 20.", "Notes of day 20, after the tags.")
    assert _took_edit_path(_rebuild(builder, options, tmp_path, "body", body), 15)

    project = _edit(site, "projects/tamatar.yaml", "*static*", "**static**")
    assert _rebuild(builder, options, tmp_path, "project", project).skipped > 0

    body = _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, after the project.")
    assert _took_edit_path(_rebuild(builder, options, tmp_path, "body-2", body), 12)


def test_a_static_file_changed_or_skipped_takes_the_full_path(
    session: tuple[SiteBuilder, BuildOptions], tmp_path: Path
) -> None:
    builder, options = session
    site = builder.site_dir
    assert options.output_dir is not None
    static = site / "static"
    static.mkdir(exist_ok=True)
    (static / "hello.txt").write_text("hello\n")  # a new static file: copied
    _rebuild(builder, options, tmp_path, "static-new", (static / "hello.txt").absolute())
    assert (options.output_dir / "hello.txt").read_text() == "hello\n"

    (static / "hello.txt").write_text("hello again\n")  # with a text edit
    body = _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, with a file.")
    _rebuild(builder, options, tmp_path, "static-edit", (static / "hello.txt").absolute(), body)
    assert (options.output_dir / "hello.txt").read_text() == "hello again\n"

    # A static file skipped with a warning: every build repeats the warning. (Not compared
    # with a cold build: copying the site for it would follow the link.)
    (static / "outside").symlink_to("/etc/hostname")
    for old, new in (("with a file.", "with a link."), ("with a link.", "with the link, still.")):
        body = _edit(site, NEWEST, old, new)
        result = _ok(builder.build(options, changed={body}))
        assert not _took_edit_path(result, 30), result
        warnings = [d.format() for d in result.diagnostics.items]
        assert any("static/outside" in warning for warning in warnings), warnings


def test_a_failed_build_in_between_leaves_the_next_text_edit_right(
    session: tuple[SiteBuilder, BuildOptions], tmp_path: Path
) -> None:
    builder, options = session
    site = builder.site_dir
    broken = _edit(site, NEWEST, "title: Day 23", "title: [Day 23")
    assert builder.build(options, changed={broken}).diagnostics.has_errors
    fixed = _edit(site, NEWEST, "title: [Day 23", "title: Day 23")
    _rebuild(builder, options, tmp_path, "fixed", fixed)
    body = _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, after an error.")
    assert _took_edit_path(_rebuild(builder, options, tmp_path, "after", body), 12)


def test_a_session_s_delta_holds_the_pages_that_differ_from_the_base(
    session: tuple[SiteBuilder, BuildOptions], tmp_path: Path
) -> None:
    # Each edit compares only the pages edited since the last search stage with the base:
    # a page edited back to its old text leaves the delta, and the base is made again once
    # the delta would hold more than 16 pages.
    builder, options = session
    out, site = options.output_dir, builder.site_dir
    assert out is not None
    base_ids = {url: fragment["id"] for url, fragment in fragments(out).items()}

    def delta() -> dict[str, str]:
        found = fragments(out, "pagefind/delta") if superseded(out)["merge"] else {}
        return {url: str(fragment["content"]) for url, fragment in found.items()}

    _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, zanzibar.")
    _rebuild(builder, options, tmp_path, "one", site / NEWEST)
    _edit(site, PROJECT_LOG, "Notes of day 20.", "Notes of day twenty.")
    result = _rebuild(builder, options, tmp_path, "two", site / PROJECT_LOG)
    assert _took_edit_path(result, 15), result
    project = ["/logs/2026/10/21/day-20/", "/projects/tamatar/"]  # it shows the summary
    assert sorted(delta()) == [*project[:1], "/logs/2026/10/24/day-23/", *project[1:]]
    _edit(site, NEWEST, "Notes of day 23, zanzibar.", "Notes of day 23.")
    _rebuild(builder, options, tmp_path, "back", site / NEWEST)
    assert sorted(delta()) == project
    assert "twenty" in delta()["/logs/2026/10/21/day-20/"]
    # (the project page's indexed text is the same: its id is in both, and not dropped)
    assert superseded(out)["drop"] == [base_ids["/logs/2026/10/21/day-20/"]]

    sizes = []
    for day in range(1, 16):
        log = f"logs/2026-10-{day + 1:02d}-day-{day}.md"
        _edit(site, log, f"Notes of day {day}.", f"Notes of day {day}, again.")
        result = _ok(builder.build(options, changed={site / log}))
        assert _took_edit_path(result, 15), result
        sizes.append(len(delta()))
    assert max(sizes) <= 16
    rebased = [i for i in range(1, len(sizes)) if sizes[i] < sizes[i - 1]]
    assert len(rebased) == 1 and sizes[rebased[0]] <= 3, sizes
    assert sizes[: rebased[0]] == sorted(sizes[: rebased[0]])
    assert _tree(out) == _cold(site, tmp_path, "rebased")
    assert sum("again" in str(f["content"]) for f in searchable(out).values()) == 15


def test_an_edit_digests_the_feed_fields_of_the_edited_log_only(
    session: tuple[SiteBuilder, BuildOptions], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The feeds' fingerprints take each entry's digest; the process keeps the digests of
    the logs an edit did not change (same log and body objects), so only the edited log's
    fields are hashed again, and the feeds still equal a cold build's."""
    builder, options = session
    digested: list[str] = []
    plain = outputs.plain

    def counted(value: Any) -> Any:
        digested.extend(fields.slug for fields in value if isinstance(fields, outputs._EntryFields))
        return plain(value)

    monkeypatch.setattr(outputs, "plain", counted)
    edited = _edit(builder.site_dir, NEWEST, "Notes of day 23.", "Notes of day 23, edited.")
    result = _ok(builder.build(options, changed={edited}))
    monkeypatch.setattr(outputs, "plain", plain)  # not undo(): that unsets the fixed day
    assert _took_edit_path(result, 12), result
    assert digested == ["day-23"]
    assert options.output_dir is not None
    assert _tree(options.output_dir) == _cold(builder.site_dir, tmp_path, "feed-fields")


def test_a_dashboard_with_new_stats_equals_one_built_from_them(
    session: tuple[SiteBuilder, BuildOptions],
) -> None:
    """An edit of text changes the word count: the dashboard it makes keeps the heatmap
    and equals one built from scratch with the new figures."""
    builder, _ = session
    assert builder.last is not None
    inputs = builder.last.routes.inputs
    totals = inputs.stats.totals
    stats = dataclasses.replace(
        inputs.stats, totals=dataclasses.replace(totals, words=totals.words + 1234)
    )
    kept = dashboard_with_stats(
        inputs.dashboard, inputs.streaks, stats, inputs.tags, inputs.localizer
    )
    built = build_dashboard(inputs.streaks, stats, inputs.heatmap, inputs.tags, inputs.localizer)
    assert kept == built
    assert kept != inputs.dashboard
    assert kept.heatmap is inputs.dashboard.heatmap
