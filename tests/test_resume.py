"""`tamatar build` resumes the session the last `tamatar build` saved (`build/resume.py`).

After an edit of log text only, the real CLI writes the few changed files into the output
in place, as `tamatar serve` does, and the output equals a cold build of a copy of the site.
The edit path is seen from outside: it replaces files one by one in the output folder,
where every other build swaps in a new folder (another inode). A state that no longer
describes the output, the page memo or the static files, and a state file that is not
tamatar's own, are not trusted: the build takes the full path and is still right.
"""

from __future__ import annotations

import dataclasses
import marshal
import os
import pickle
import time
from pathlib import Path

import pytest
from sitefiles import stat_key, write_site
from test_incremental import CONFIG, FILES, NEWEST, _cold, _edit, _log, _tree
from test_incremental import _fixed_today as _fixed_today  # autouse: the same today
from test_resource_pages import build as _build

from tamatar_site.build import manifest, resume
from tamatar_site.build.filestats import Scan, Signature, pack, unpack
from tamatar_site.build.pipeline import RECORD_CACHE
from tamatar_site.validate import loader as loader_module
from tamatar_site.validate import record_cache


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    site = write_site(tmp_path / "site", FILES, config=CONFIG)
    out = tmp_path / "out"
    _build(site, out)
    assert resume.has_saved_session(site)
    return site, out


def _edited_in_place(site: Path, out: Path) -> bool:
    """Build; True when the output folder stayed the same folder (the edit path)."""
    before = os.stat(out).st_ino
    _build(site, out)
    return os.stat(out).st_ino == before


def test_text_edits_from_the_cli_are_written_in_place_and_equal_cold_builds(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    site, out = built
    long = "A first paragraph long enough to change the summary of the log. " * 4
    _edit(site, NEWEST, "Notes of day 23.", long + "Notes of day 23.")
    assert _edited_in_place(site, out)
    assert _tree(out) == _cold(site, tmp_path, "first")

    _edit(site, NEWEST, "print(23)\n```\n", "print(23)\n```\n\nOne more line.\n")
    assert _edited_in_place(site, out)  # the state saved by the edit build is resumed too
    assert "One more line." in (out / "logs/2026/10/24/day-23/index.html").read_text()
    assert _tree(out) == _cold(site, tmp_path, "second")


def test_text_edits_are_journalled_and_the_saved_session_is_kept(
    built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a text edit only the edited logs are saved (a journal); the whole session is
    saved again only after another change, or more edited logs than the journal takes."""
    site, out = built
    state, journal = resume.state_file(site), resume.journal_file(site)
    saved = stat_key(state)
    assert not journal.exists()

    _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, first edit.")
    assert _edited_in_place(site, out)
    assert stat_key(state) == saved and journal.is_file()
    # resumed with the journal applied: the edited log and its body as the edit left them
    last = resume.resume_builder(site).last
    assert last is not None
    source = NEWEST
    edited = next(log for log in last.routes.inputs.site.logs if log.source == source)
    assert "first edit" in edited.body
    assert "first edit" in last.routes.inputs.bodies[source].html
    _edit(site, "logs/2026-10-23-day-22.md", "Notes of day 22.", "Notes of day 22, edited.")
    assert _edited_in_place(site, out)  # the journal applied on resume, this edit added
    _edit(site, NEWEST, "first edit.", "second edit.")
    assert _edited_in_place(site, out)
    assert stat_key(state) == saved
    assert _tree(out) == _cold(site, tmp_path, "journalled")

    _edit(site, NEWEST, "title: Day 23", "title: Day Twenty-three")
    assert not _edited_in_place(site, out)
    assert stat_key(state) != saved and not journal.exists()  # saved whole again
    assert _tree(out) == _cold(site, tmp_path, "saved-again")

    monkeypatch.setattr(resume, "JOURNAL_LOGS", 1)
    _edit(site, NEWEST, "second edit.", "third edit.")
    assert _edited_in_place(site, out)
    assert journal.is_file()
    saved = stat_key(state)
    _edit(site, "logs/2026-10-22-day-21.md", "Notes of day 21.", "Notes of day 21, edited.")
    assert _edited_in_place(site, out)
    assert stat_key(state) != saved and not journal.exists()  # two edited logs: too many
    assert _tree(out) == _cold(site, tmp_path, "too-many")


def test_a_resumed_edit_parses_the_edited_log_without_reading_the_record_cache(
    built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading every file's cached record costs more than parsing a few edited files: a
    resumed session parses them itself, and leaves the cache file as it was."""
    site, out = built
    reads: list[Path] = []
    read = record_cache._read

    def counted(path: Path) -> dict[str, tuple[bytes, record_cache.Encoded]]:
        reads.append(path)
        return read(path)

    monkeypatch.setattr(record_cache, "_read", counted)
    records = site / RECORD_CACHE
    before = stat_key(records)
    _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, edited.")
    assert _edited_in_place(site, out)
    assert reads == [] and stat_key(records) == before
    assert _tree(out) == _cold(site, tmp_path, "uncached")
    reads.clear()  # the cold build's

    monkeypatch.setattr(loader_module, "_PARSED_UNCACHED", 1)  # more edits than that: read
    for day in (21, 22):
        _edit(site, _log(day)[0], f"Notes of day {day}.", f"Notes of day {day}, edited.")
    assert _edited_in_place(site, out)
    assert reads == [records]
    assert stat_key(records) != before  # and written with the new records
    assert _tree(out) == _cold(site, tmp_path, "cached")


def test_a_journal_of_another_state_is_not_applied(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    site, out = built
    journal = resume.journal_file(site)
    _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, journalled.")
    assert _edited_in_place(site, out)
    old_journal = journal.read_bytes()
    _edit(site, NEWEST, "title: Day 23", "title: Day Twenty-three")
    assert not _edited_in_place(site, out)  # a new state; the journal deleted
    journal.write_bytes(old_journal)  # the old state's journal, as a crash could leave it
    _edit(site, "logs/2026-10-23-day-22.md", "Notes of day 22.", "Notes of day 22, edited.")
    assert _edited_in_place(site, out)  # the new state resumed, the old journal ignored
    assert _tree(out) == _cold(site, tmp_path, "other-journal")

    with journal.open("rb") as handle:  # this state's, of logs its site does not have
        header, entries = pickle.load(handle), pickle.load(handle)
    (index, log), *_ = entries.logs
    wrong = dataclasses.replace(entries, logs=((index + 10_000, log),))
    journal.write_bytes(pickle.dumps(header) + pickle.dumps(wrong))
    _edit(site, "logs/2026-10-23-day-22.md", "day 22, edited.", "day 22, mismatched.")
    assert not _edited_in_place(site, out)
    assert _tree(out) == _cold(site, tmp_path, "mismatched-journal")

    _edit(site, "logs/2026-10-23-day-22.md", "day 22, mismatched.", "day 22, edited.")
    assert _edited_in_place(site, out)
    journal.write_bytes(journal.read_bytes()[:-10])  # this state's, damaged: not resumed
    _edit(site, "logs/2026-10-23-day-22.md", "day 22, edited.", "day 22, again.")
    assert not _edited_in_place(site, out)
    assert _tree(out) == _cold(site, tmp_path, "damaged-journal")


def test_other_edits_take_the_full_path(built: tuple[Path, Path], tmp_path: Path) -> None:
    site, out = built
    _edit(site, NEWEST, "title: Day 23", "title: Day Twenty-three")
    assert not _edited_in_place(site, out)
    assert _tree(out) == _cold(site, tmp_path, "title")
    # and a text edit after it takes the edit path again
    _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, again.")
    assert _edited_in_place(site, out)
    assert _tree(out) == _cold(site, tmp_path, "after-title")


def test_a_static_file_changed_with_a_text_edit_is_copied(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    site, out = built
    (site / "static").mkdir(exist_ok=True)
    (site / "static/hello.txt").write_text("hello\n")
    _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, with a file.")
    assert not _edited_in_place(site, out)
    assert (out / "hello.txt").read_text() == "hello\n"
    assert _tree(out) == _cold(site, tmp_path, "static")


def test_an_output_page_changed_by_hand_is_made_again(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    site, out = built
    page = out / "tags/go/index.html"
    page.write_text("changed by hand")
    _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, edited.")
    assert not _edited_in_place(site, out)
    assert _tree(out) == _cold(site, tmp_path, "by-hand")


def test_a_search_file_changed_by_hand_is_made_again(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    """The edit path trusts the search bundle it adds a delta to without stat'ing it again:
    only because a resumed session checks every file of the output first."""
    site, out = built
    _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, first.")
    assert _edited_in_place(site, out)
    entry = out / "pagefind/pagefind-entry.json"
    entry.write_text("{}")
    _edit(site, NEWEST, "Notes of day 23, first.", "Notes of day 23, second.")
    assert not _edited_in_place(site, out)
    assert entry.read_text() != "{}"
    assert _tree(out) == _cold(site, tmp_path, "search-by-hand")


def test_a_deleted_cache_or_output_is_not_resumed(built: tuple[Path, Path], tmp_path: Path) -> None:
    site, out = built
    for path in (site / ".tamatar/cache/content").iterdir():
        path.unlink()
    _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, cache gone.")
    assert not _edited_in_place(site, out)
    assert _tree(out) == _cold(site, tmp_path, "no-cache")

    for path in sorted(out.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    out.rmdir()
    _edit(site, NEWEST, "cache gone.", "output gone.")
    _build(site, out)
    assert _tree(out) == _cold(site, tmp_path, "no-output")


def test_a_state_that_is_not_tamatars_is_never_unpickled(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    site, out = built
    state = resume.state_file(site)
    assert not state.is_relative_to(site)  # nothing in a site's repository is unpickled
    assert state.is_file()

    proof = tmp_path / "unpickled"

    class Trap:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.mkdir, (str(proof),))

    # Another tamatar's (or Python's) state: only its identity is read.
    state.write_bytes(pickle.dumps(("another", "identity")) + pickle.dumps(Trap()))
    _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, foreign state.")
    _build(site, out)
    assert not proof.exists()
    assert _tree(out) == _cold(site, tmp_path, "foreign")

    state.write_bytes(b"\x80\x05 not a pickle at all")  # damaged: ignored
    _edit(site, NEWEST, "foreign state.", "damaged state.")
    _build(site, out)
    assert _tree(out) == _cold(site, tmp_path, "damaged")
    assert resume.has_saved_session(site)  # written again by that build


def _signature(path: str) -> Signature:
    info = os.stat(path)
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def test_an_edit_in_place_stats_only_the_files_it_moved_in(built: tuple[Path, Path]) -> None:
    """The no-change manifest saved after an edit written in place takes the other output
    files' signatures from the last manifest (55,000 stats at 10,000 logs saved). A wrong
    one there costs one normal build, which stats every file again; never a wrong fast path."""
    site, out = built
    request = manifest.BuildRequest(site, out, False, None, True)
    manifest_file = site / manifest.MANIFEST
    if manifest.read(request) is None:  # the first build of a fresh checkout may save none
        time.sleep(0.05)
        _build(site, out)
    identity, recorded = marshal.loads(manifest_file.read_bytes())
    style = os.path.abspath(next(out.glob("**/*.css")))
    signatures = unpack(recorded["output"])
    assert signatures[style] == _signature(style)
    signatures[style] = (1, 2, 3, 4)  # as if the file had changed since
    recorded["output"] = pack(Scan(list(signatures), list(signatures.values()), []))
    manifest_file.write_bytes(marshal.dumps((identity, recorded)))

    _edit(site, NEWEST, "Notes of day 23.", "Notes of day 23, edited.")
    time.sleep(0.05)  # an input as recent as the build's clock saves no manifest
    assert _edited_in_place(site, out)
    after = unpack(_recorded(request)["output"])
    assert after[style] == (1, 2, 3, 4)  # kept, not stat'ed
    page = os.path.abspath(out / "logs/2026/10/24/day-23/index.html")
    assert "Notes of day 23, edited." in Path(page).read_text()
    assert {path: _signature(path) for path in after if path != style} == {
        path: signature for path, signature in after.items() if path != style
    }  # the edited page among them, stat'ed after it was moved in

    before = stat_key(manifest_file)
    _build(site, out)  # nothing changed, but the manifest does not match: a normal build
    assert stat_key(manifest_file) != before
    after = unpack(_recorded(request)["output"])
    assert after == {path: _signature(path) for path in after}
    before = stat_key(manifest_file)
    _build(site, out)  # and the next one is the fast path again
    assert stat_key(manifest_file) == before


def _recorded(request: manifest.BuildRequest) -> manifest.Recorded:
    recorded = manifest.read(request)
    assert recorded is not None, "the build saved no manifest"
    return recorded
