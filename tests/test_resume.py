"""`tamatar build` resumes the session the last `tamatar build` saved (`build/resume.py`).

After an edit of log text only, the real CLI writes the few changed files into the output
in place, as `tamatar serve` does, and the output equals a cold build of a copy of the site.
The edit path is seen from outside: it replaces files one by one in the output folder,
where every other build swaps in a new folder (another inode). A state that no longer
describes the output, the page memo or the static files, and a state file that is not
tamatar's own, are not trusted: the build takes the full path and is still right.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from sitefiles import write_site
from test_incremental import CONFIG, FILES, NEWEST, _cold, _edit, _tree
from test_incremental import _fixed_today as _fixed_today  # autouse: the same today
from test_resource_pages import build as _build

from tamatar_site.build import resume


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
