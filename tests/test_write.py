"""Output discipline: staging and swap, unchanged files kept, stale files gone, refusals."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import example, given
from hypothesis import strategies as st
from searchindex import comparable
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site import write
from tamatar_site.cli import main
from tamatar_site.write import OutputError, check_output_dir, result_of, staged_output
from tamatar_site.write import stage as stage_module

LOG = "---\ntitle: {title}\ndate: 2026-11-{day}\ntags: [rust]\n---\nBody of {title}.\n"


def build(site: Path, out: Path | None, *args: str) -> Result:
    extra = ["-o", str(out)] if out is not None else []
    return CliRunner().invoke(
        main, ["build", str(site), *extra, *args], env={"SOURCE_DATE_EPOCH": FIXED_EPOCH}
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(
        tmp_path / "site",
        {
            "logs/2026-11-20-one.md": LOG.format(title="One", day=20),
            "logs/2026-11-21-two.md": LOG.format(title="Two", day=21),
            "static/hello.txt": "hi\n",
        },
    )


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    assert build(site, tmp_path / "a").exit_code == 0
    assert build(site, tmp_path / "b").exit_code == 0
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_unchanged_files_keep_their_mtime_and_changed_ones_are_rewritten(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    old = 1_000_000_000 * 1_000_000_000  # 2001: clearly not "now"
    for path in out.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(old, old))
    inode = (out / "goals/index.html").stat().st_ino
    before = mtimes(out)
    (site / "logs/2026-11-21-two.md").write_text(LOG.format(title="Two, edited", day=21))
    result = build(site, out)
    assert result.exit_code == 0, result.output
    after = mtimes(out)
    # Only the search index's files named by the hash of their content are replaced.
    gone = sorted(set(before) - set(after))
    assert gone and all(path.startswith("pagefind/") for path in gone), gone
    assert after["pagefind/pagefind.js"] == old
    # pages that do not show the edited log: same bytes, same file, same mtime
    assert after["goals/index.html"] == old
    assert after["404.html"] == old
    assert (out / "goals/index.html").stat().st_ino == inode
    assert after["hello.txt"] == old
    assert after["assets/tamatar.css"] == old
    assert after["logs/2026/11/21/two/index.html"] != old
    assert "Two, edited" in (out / "logs/2026/11/21/two/index.html").read_text()
    assert f" unchanged, {len(gone)} removed" in result.output


def test_a_rebuild_of_the_same_input_writes_nothing(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(site, out)
    assert first.exit_code == 0
    second = build(site, out)
    assert second.output.startswith("0 pages written, ")


def test_stale_files_are_removed(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    assert (out / "logs/2026/11/20/one/index.html").is_file()
    (site / "logs/2026-11-20-one.md").unlink()
    (site / "static/hello.txt").unlink()
    result = build(site, out)
    assert result.exit_code == 0
    assert not (out / "logs/2026/11/20").exists()
    assert not (out / "hello.txt").exists()
    assert "removed" in result.output and ", 0 removed" not in result.output
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(".out.")]
    assert leftovers == []


def test_a_failing_build_leaves_the_previous_output_untouched(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    before, before_times = snapshot(out), mtimes(out)
    (site / "logs/2026-11-22-bad.md").write_text("---\ntitle: Bad\ndate: 2026-13-40\n---\nx\n")
    result = build(site, out)
    assert result.exit_code == 1
    assert snapshot(out) == before
    assert mtimes(out) == before_times


def test_a_template_error_leaves_the_previous_output_untouched(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    before = snapshot(out)
    write_site(site, {"templates/stats.html": "{{ nope.missing }}"}, config=None)
    result = build(site, out)
    assert result.exit_code == 1
    assert "templates/stats.html:1:1: error: template error:" in result.output
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if "staging" in p.name] == []


def test_git_folder_in_the_output_is_kept(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    assert build(site, out).exit_code == 0
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"


@pytest.mark.parametrize("target", [".", "..", "logs", "logs/out", "static/x", "templates"])
def test_refuses_output_folders_that_would_destroy_sources(site: Path, target: str) -> None:
    out = (site / target).resolve()
    result = build(site, out)
    assert result.exit_code == 1
    assert "refusing to write the site into" in result.output
    assert (site / "logs/2026-11-20-one.md").is_file()


def test_refuses_a_non_empty_folder_that_is_not_a_build(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    result = build(site, out)
    assert result.exit_code == 1
    assert "is not empty and was not written by tamatar" in result.output
    assert (out / "thesis.tex").read_text() == "precious"


def test_output_next_to_the_site_by_default_config(site: Path) -> None:
    assert build(site, None).exit_code == 0
    assert (site / "_site" / "index.html").is_file()
    assert build(site, None).exit_code == 0  # the site's own _site is not a source folder


def test_stage_counts_and_rejects_escaping_paths(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_output(out) as stage:
        stage.write_text("index.html", "a")
        stage.write_text("x/y.txt", "b")
        with pytest.raises(ValueError, match="stay inside the output"):
            stage.write_text("../evil.txt", "c")
        with pytest.raises(ValueError, match="two outputs"):
            stage.write_text("index.html", "again")
    assert result_of(stage).written == 2
    with staged_output(out) as stage:
        stage.write_text("index.html", "a")
    counts = result_of(stage)
    assert (counts.written, counts.unchanged, counts.removed) == (0, 1, 1)
    assert not (tmp_path / "evil.txt").exists()


@given(st.lists(st.text(alphabet="a./\\\0", max_size=8), unique=True, max_size=6))
@example(["a/b", "a/./b"])
@example(["a", ""])
@example(["a/.."])
def test_keys_are_checked_at_once_as_one_by_one(keys: list[str]) -> None:
    each = all(stage_module._is_plain_relative(key) for key in keys)
    assert stage_module._all_plain_relative(keys) == (each and bool(keys))


def test_keys_claimed_at_once_are_refused_like_one_claim(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_output(out) as stage:
        stage.write_text("kept.txt", "kept")
    refused = [
        ({"a.txt": 1, "../evil.txt": 2}.keys(), "stay inside the output"),
        (["new.txt"], "two outputs"),
        ([write.MARKER], "list of output files"),
    ]
    for keys, message in refused:
        with pytest.raises(ValueError, match=message), staged_output(out) as stage:
            stage.write_text("new.txt", "new")
            stage.claim_kept(keys)
        assert sorted(p.name for p in out.iterdir()) == [write.MARKER, "kept.txt"]
    with staged_output(out) as stage:
        stage.claim_kept(["kept.txt"])
        stage.write_text("new.txt", "new")
    assert sorted(result_of(stage).paths) == ["kept.txt", "new.txt"]
    assert (out / "kept.txt").read_text() == "kept"


def test_an_in_place_commit_moves_only_the_changed_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_output(out) as stage:
        for name in ("index.html", "a/index.html", "b/index.html"):
            stage.write_text(name, f"old {name}")
    top, kept = out.stat().st_ino, (out / "b/index.html").stat().st_ino
    marker = (out / write.MARKER).read_bytes()
    with staged_output(out, in_place=True) as stage:
        stage.write_text("a/index.html", "new a")
        stage.write_text("c/d/index.html", "new c")
        stage.keep_unclaimed(["index.html", "b/index.html"])
    assert out.stat().st_ino == top  # the folder stays; no tree was swapped in
    assert (out / "b/index.html").stat().st_ino == kept
    assert (out / "a/index.html").read_text() == "new a"
    assert (out / "c/d/index.html").read_text() == "new c"
    assert (out / write.MARKER).read_bytes() != marker  # it lists c/d/index.html now
    assert write.owned_files(out, None) >= {"a/index.html", "b/index.html", "c/d/index.html"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left


def test_an_in_place_commit_deletes_the_last_builds_files_it_did_not_make(
    tmp_path: Path,
) -> None:
    """Serve's edit of a searchable log replaces search fragments named by their content:
    the old ones go without swapping the tree, with the folders they leave empty; a
    folder that also holds a file of yours stays."""
    out = tmp_path / "out"
    with staged_output(out) as stage:
        for name in ("index.html", "pagefind/fragment/old.pf", "gone/deep/x.html", "mixed/y.html"):
            stage.write_text(name, f"old {name}")
    (out / "mixed/yours.txt").write_text("yours")
    top = out.stat().st_ino
    with staged_output(out, in_place=True) as stage:
        stage.write_text("pagefind/fragment/new.pf", "new")
        stage.keep_unclaimed(["index.html"])
    assert out.stat().st_ino == top  # no tree was swapped in
    assert result_of(stage).removed == 3
    assert sorted(p.name for p in (out / "pagefind/fragment").iterdir()) == ["new.pf"]
    assert not (out / "gone").exists()
    assert sorted(p.name for p in (out / "mixed").iterdir()) == ["yours.txt"]
    assert write.owned_files(out, None) == {"index.html", "pagefind/fragment/new.pf"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_in_place_commit_that_would_write_through_a_link_swaps_the_tree(
    tmp_path: Path,
) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    with staged_output(out) as stage:
        stage.write_text("logs/index.html", "old")
    elsewhere.mkdir()
    shutil.rmtree(out / "logs")
    (out / "logs").symlink_to(elsewhere)
    top = out.stat().st_ino
    with staged_output(out, in_place=True) as stage:
        stage.write_text("logs/index.html", "new")
    assert out.stat().st_ino != top  # the safe way: a whole new tree
    assert not (out / "logs").is_symlink()
    assert (out / "logs/index.html").read_text() == "new"
    assert list(elsewhere.iterdir()) == []


def test_an_exception_while_staging_discards_the_stage(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_output(out) as stage:
        stage.write_text("index.html", "old")
    with pytest.raises(RuntimeError), staged_output(out) as stage:
        stage.write_text("index.html", "new")
        raise RuntimeError("boom")
    assert (out / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_check_output_dir_messages(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(OutputError, match="it is inside the source folder logs/"):
        check_output_dir(site, site / "logs" / "o", ("logs",))
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        check_output_dir(site, tmp_path / "file", ())
    check_output_dir(site, tmp_path / "new", ())


def test_a_file_and_a_folder_may_swap_places_between_builds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staged_output(out) as stage:
        stage.write_text("index.html", "home")
        stage.write_text("notes", "a file")
        stage.write_text("docs/guide/index.html", "a page")
    with staged_output(out) as stage:
        stage.write_text("index.html", "home")
        stage.write_text("notes/index.html", "now a folder")
        stage.write_text("docs/guide", "now a file")
    assert (out / "notes/index.html").read_text() == "now a folder"
    assert (out / "docs/guide").read_text() == "now a file"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        ".tamatar-output",
        "docs",
        "docs/guide",
        "index.html",
        "notes",
        "notes/index.html",
    ]


def test_files_with_names_the_marker_must_quote_stay_owned(tmp_path: Path) -> None:
    """`.tamatar-output` lists one file a line, `#` starts a comment: names that start with
    `#` or a quote, or hold a line break, are written as JSON and still owned (deleted when
    a later build no longer makes them)."""
    out = tmp_path / "out"
    odd = ["#notes.txt", '"quoted".html', "a\nb.txt", "c\rd.txt", "e/#f.txt"]
    with staged_output(out) as stage:
        stage.write_text("index.html", "home")
        for name in odd:
            stage.write_text(name, name)
    listed = (out / write.MARKER).read_text().split("\n")
    assert "#notes.txt" not in listed and '"#notes.txt"' in listed
    (out / "#mine.txt").write_text("yours")
    with staged_output(out) as stage:
        stage.write_text("index.html", "home")
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "#mine.txt",
        ".tamatar-output",
        "index.html",
    ]


def test_the_list_of_files_is_sorted_after_every_change_of_the_set(tmp_path: Path) -> None:
    """The list is kept sorted from the last one made when a few files changed (serve's
    edits), and sorted afresh after a large change: either way, in order and complete."""
    from tamatar_site.write.marker import marker_bytes

    chooser = random.Random(12)
    names = [f"{chooser.choice('abcdefgh')}/{n}.html" for n in range(6000)]
    keys = set(names[:3000])
    for step in range(60):
        changes = chooser.choice([0, 1, 3, 40, 1500])
        for name in chooser.sample(names, changes):
            keys.symmetric_difference_update({name})
        if step % 7 == 0:
            keys.add(f"new-{step}.html")
        listed = marker_bytes(frozenset(keys)).decode().split("\n")
        body = [line for line in listed if line and not line.startswith("#")]
        assert body == sorted(keys), step
    # A list read from the output (written sorted, or put out of order by hand) is where
    # the next one starts from.
    out = tmp_path / "out"
    out.mkdir()
    for order in (sorted, lambda found: sorted(found, reverse=True)):
        found = set(chooser.sample(names, 2000))
        (out / write.MARKER).write_text("# a list\n" + "\n".join(order(found)) + "\n")
        assert write.marker.owned_files(out, None) == found
        found.add("z/added.html")
        listed = marker_bytes(frozenset(found)).decode().split("\n")
        assert [line for line in listed if line and not line.startswith("#")] == sorted(found)


def test_a_list_made_from_the_last_one_writes_the_same_lines_as_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether any line must be JSON is kept from the last list and the keys a change adds:
    lists made that way equal lists made from nothing, as names that need JSON (a quote or
    `#` first, a line break inside) come and go a few at a time."""
    from tamatar_site.write import marker

    chooser = random.Random(5)
    odd = ['"quoted".html', "#hash.html", "line\nbreak.html", "carriage\rreturn.html"]
    names = [f"{chooser.choice('abc')}/{n}.html" for n in range(300)] + odd
    keys = set(names[:200])
    out = tmp_path / "out"
    out.mkdir()
    for step in range(80):
        for name in chooser.sample(names, chooser.choice([1, 2, 5])):
            keys.symmetric_difference_update({name})
        made = marker.marker_bytes(frozenset(keys))
        kept = marker._last_sorted
        monkeypatch.setattr(marker, "_last_sorted", marker._SortedKeys(frozenset(), [], True))
        assert made == marker.marker_bytes(frozenset(keys)), step
        monkeypatch.setattr(marker, "_last_sorted", kept)
        (out / write.MARKER).write_bytes(made)
        assert write.marker.owned_files(out, None) == keys, step


def test_the_list_of_files_is_read_again_after_an_edit_by_hand(tmp_path: Path) -> None:
    """A process that builds again and again (`tamatar serve`) remembers the last list it
    read; a list changed since, even in place to the same size, is read again."""
    out = tmp_path / "out"
    for _ in range(2):  # the second build reads the list the first wrote
        with staged_output(out) as stage:
            stage.write_text("a.txt", "a")
            stage.write_text("b.txt", "b")
    time.sleep(0.05)  # an edit by hand comes later than the file system's timestamp tick
    listed = out / write.MARKER
    with listed.open("r+") as handle:  # in place: same inode, same size
        text = handle.read()
        handle.seek(0)
        handle.write(text.replace("b.txt\n", "c.txt\n"))
    with staged_output(out) as stage:
        stage.write_text("a.txt", "a")
    assert (out / "b.txt").read_text() == "b"  # not listed: yours, kept


def test_edits_written_in_place_list_exactly_their_files(tmp_path: Path) -> None:
    """The list an in-place commit writes (and remembers, for the next build of the same
    process) names the build's files, whether they changed or not."""
    out = tmp_path / "out"
    with staged_output(out) as stage:
        stage.write_text("a.txt", "a")
        stage.write_text("#b.txt", "b")
    for files in (["a.txt", "c.txt", "#b.txt"], ["a.txt", "c.txt", "#b.txt"], ["a.txt"]):
        with staged_output(out, in_place=True) as stage:
            for name in files:
                stage.write_text(name, name)
        assert stage.paths == set(files)
        assert write.owned_files(out, None) == set(files)
        lines = (out / write.MARKER).read_text().splitlines()
        assert [line for line in lines if not line.startswith("#")] == sorted(
            json.dumps(name) if name.startswith("#") else name for name in files
        )
    assert sorted(p.name for p in out.iterdir()) == [".tamatar-output", "a.txt"]


# -- issue 16: the output is swapped in whole, never half old and half new ---------------


def dead_pid() -> int:
    """The pid of a process that has ended (a killed build's)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def run_cli(site: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`tamatar build` in its own process (a hang or a traceback shows as such)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    return subprocess.run(
        [sys.executable, "-m", "tamatar_site.cli", "build", str(site), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
        **kwargs,
    )


def test_a_rebuild_swaps_a_complete_tree_and_keeps_unchanged_inodes(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    inode = (out / "goals/index.html").stat().st_ino
    top = out.stat().st_ino
    write_site(site, {"logs/2026-11-21-two.md": LOG.format(title="Two, edited", day=21)})
    assert build(site, out).exit_code == 0
    assert out.stat().st_ino != top  # a new folder was swapped in whole...
    assert (out / "goals/index.html").stat().st_ino == inode  # ...linking unchanged files
    assert "Two, edited" in (out / "logs/2026/11/21/two/index.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


@pytest.mark.parametrize("kind", ["tamatar-stage", "tamatar-old", "staging"])
def test_folders_left_by_a_killed_build_are_removed(site: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    pid = dead_pid()
    left = tmp_path / f".out.{kind}-{pid}"
    (left / "logs").mkdir(parents=True)
    (left / "logs/index.html").write_text("half a build")
    alive = tmp_path / f".out.tamatar-stage-{os.getppid()}"  # a build still running
    alive.mkdir()
    write_site(site, {"logs/2026-11-21-two.md": LOG.format(title="Two, edited", day=21)})
    assert build(site, out).exit_code == 0
    assert not left.exists()
    assert alive.is_dir()


def test_an_output_lost_between_the_two_fallback_renames_is_put_back(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    (out / "notes.txt").write_text("mine")
    old = tmp_path / f".out.tamatar-old-{dead_pid()}"
    out.rename(old)  # killed after `out -> old`, before `new -> out`
    assert build(site, out).exit_code == 0
    assert (out / "notes.txt").read_text() == "mine"
    assert not old.exists()


def test_the_fallback_of_two_renames_gives_the_same_output(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write.swap, "exchange", lambda first, second: False)
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    (out / "notes.txt").write_text("mine")
    write_site(site, {"logs/2026-11-21-two.md": LOG.format(title="Two, edited", day=21)})
    assert build(site, out).exit_code == 0
    assert build(site, tmp_path / "fresh").exit_code == 0
    expected = snapshot(tmp_path / "fresh")
    assert comparable(snapshot(out)) == comparable({**expected, "notes.txt": b"mine"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "out", "site"]


def test_renameat2_exchanges_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/x").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b/x").write_text("b")
    assert write.exchange(tmp_path / "a", tmp_path / "b")  # Linux >= 3.15, glibc >= 2.28
    assert (tmp_path / "a/x").read_text() == "b"
    assert (tmp_path / "b/x").read_text() == "a"


def test_nothing_is_written_or_deleted_through_a_link_in_the_output(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(out / "logs", elsewhere)
    (elsewhere / "keep.txt").write_text("not the build's")
    before = snapshot(elsewhere)
    shutil.rmtree(out / "logs")
    (out / "logs").symlink_to(elsewhere)
    (site / "logs/2026-11-20-one.md").unlink()  # its page goes from the output
    write_site(site, {"logs/2026-11-21-two.md": LOG.format(title="Two, edited", day=21)})
    result = build(site, out)
    assert result.exit_code == 0, result.output
    assert snapshot(elsewhere) == before
    assert not (out / "logs").is_symlink()
    assert "Two, edited" in (out / "logs/2026/11/21/two/index.html").read_text()
    assert not (out / "logs/2026/11/20").exists()


def test_an_output_inside_a_file_is_one_error_line(site: Path, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = run_cli(site, "-o", str(tmp_path / "afile/sub"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Error: the output ")
    assert (tmp_path / "afile").read_text() == "x"


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` cannot get new entries, even for root (who ignores permission bits)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)


def test_a_read_only_parent_is_one_error_line_and_the_output_stays(
    site: Path, tmp_path: Path
) -> None:
    parent = tmp_path / "public"
    out = parent / "out"
    first = run_cli(site, "-o", str(out))
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    write_site(site, {"logs/2026-11-21-two.md": LOG.format(title="Two, edited", day=21)})
    with read_only(parent):
        result = run_cli(site, "-o", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot write beside the output"), lines
    assert snapshot(out) == before
    first = run_cli(site, "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert "Two, edited" in (out / "logs/2026/11/21/two/index.html").read_text()


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """`path` cannot be moved or deleted: immutable for root, else in a read-only folder."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.parent.chmod(0o555)
        try:
            yield
        finally:
            path.parent.chmod(0o755)


def test_a_file_that_cannot_be_moved_or_deleted_is_no_traceback(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_cli(site, "-o", str(out))
    assert first.returncode == 0, first.stderr
    write_site(site, {"logs/2026-11-21-two.md": LOG.format(title="Two, edited", day=21)})
    with locked(out / "assets/tamatar.css"):
        result = run_cli(site, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert "Two, edited" in (out / "logs/2026/11/21/two/index.html").read_text()
        assert (out / "assets/tamatar.css").is_file()
        leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    for left in leftovers:  # the old tree, still holding the locked file
        subprocess.run(["chattr", "-R", "-i", str(left)], check=False)
        left.chmod(0o755)
    first = run_cli(site, "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_a_full_disk_is_one_error_line_and_the_output_stays(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_cli(site, "-o", str(out))
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    write_site(site, {"logs/2026-11-21-two.md": LOG.format(title="Two", day=21) + "x" * 5000})

    def small_files() -> None:  # writes past 4 KB fail (EFBIG), as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = run_cli(site, "-o", str(out), preexec_fn=small_files)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"Error: cannot write the site to {out}: File too large"), last
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_no_space_left_while_staging_keeps_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    with staged_output(out) as stage:
        stage.write_text("index.html", "old")
    real_open = open

    def full_disk(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode and ".tamatar-stage-" in str(file):
            raise OSError(errno.ENOSPC, "No space left on device", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(io, "open", full_disk)  # what Path.write_bytes calls
    with pytest.raises(OSError, match="No space left"), staged_output(out) as stage:
        stage.write_text("index.html", "new")
    monkeypatch.undo()
    assert (out / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# -- issue 16: a build deletes only what a build wrote -----------------------------------


def test_refuses_a_folder_with_an_index_html_that_no_build_wrote(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mine"
    write_site(
        out,
        {
            "index.html": "my own page",
            "notes.txt": "notes",
            "photos/cat.jpg": b"\xff\xd8cat",
            ".env": "SECRET=1",
        },
        config=None,
    )
    before = snapshot(out)
    result = build(site, out)
    assert result.exit_code == 1
    assert "is not empty and was not written by tamatar" in result.output
    assert "choose an empty folder" in result.output
    assert snapshot(out) == before


def test_files_added_to_a_build_by_hand_are_kept_and_stale_ones_go(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    write_site(
        out,
        {"notes.txt": "notes", "photos/cat.jpg": b"\xff\xd8cat", ".env": "A=1"},
        config=None,
    )
    (out / "empty").mkdir()
    (out / "latest").symlink_to("logs/2026/11/21/two/index.html")
    cat = (out / "photos/cat.jpg").stat().st_ino
    (site / "logs/2026-11-20-one.md").unlink()
    (site / "static/hello.txt").unlink()
    result = build(site, out)
    assert result.exit_code == 0
    assert (out / "notes.txt").read_text() == "notes"
    assert (out / "photos/cat.jpg").stat().st_ino == cat
    assert (out / ".env").read_text() == "A=1"
    assert (out / "empty").is_dir()
    assert os.readlink(out / "latest") == "logs/2026/11/21/two/index.html"
    assert not (out / "hello.txt").exists()
    assert not (out / "logs/2026/11/20").exists()
    listed = (out / ".tamatar-output").read_text().splitlines()
    assert "index.html" in listed and "notes.txt" not in listed and "hello.txt" not in listed


def test_an_output_of_a_build_from_before_the_marker_is_still_owned(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    (out / ".tamatar-output").unlink()  # as tamatar before 16 left it; the cache knows
    (out / "notes.txt").write_text("mine")
    (site / "static/hello.txt").unlink()
    assert build(site, out).exit_code == 0
    assert (out / "notes.txt").read_text() == "mine"
    assert not (out / "hello.txt").exists()
    assert (out / ".tamatar-output").is_file()


def test_a_session_rebuild_after_a_file_was_deleted_by_hand(site: Path, tmp_path: Path) -> None:
    from tamatar_site.build.pipeline import BuildOptions
    from tamatar_site.build.session import SiteBuilder

    out = tmp_path / "out"
    builder = SiteBuilder(site)
    options = BuildOptions(output_dir=out, offline=True)
    assert not builder.build(options).diagnostics.has_errors
    (out / "goals/index.html").unlink()
    (out / "notes.txt").write_text("mine")
    write_site(site, {"logs/2026-11-21-two.md": LOG.format(title="Two", day=21) + "More.\n"})
    result = builder.build(options, changed=[site / "logs/2026-11-21-two.md"])
    assert not result.diagnostics.has_errors
    assert "More." in (out / "logs/2026/11/21/two/index.html").read_text()
    assert not (out / "goals/index.html").exists()  # back with the next full build
    assert (out / "notes.txt").read_text() == "mine"
    write_site(site, {"logs/2026-11-22-three.md": LOG.format(title="Three", day=22)})
    assert not builder.build(options).diagnostics.has_errors  # not only log text: all pages
    assert (out / "goals/index.html").is_file()
    write.wait_for_removals()  # a session deletes old trees in the background
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def _no_removal_in_this_process(path: Path) -> None:
    raise AssertionError(f"{path} was deleted by the build's own process")


def _wait_until_only_the_output_is_left(folder: Path) -> None:
    deadline = time.monotonic() + 30
    while len(list(folder.iterdir())) > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in folder.iterdir()) == ["out"]


def test_a_large_old_tree_is_deleted_by_a_detached_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tamatar build` of a large site does not wait for the old tree to be deleted: the
    new tree is in place at once, the old one (named after this process, so the next build
    would finish the job) is deleted by another process shortly after."""
    output, new = tmp_path / "out", tmp_path / "new"
    for tree, text in ((output, "old"), (new, "new")):
        for index in range(50):
            (tree / f"d{index}").mkdir(parents=True)
            (tree / f"d{index}" / "page.html").write_text(text)
    monkeypatch.setattr(write.swap, "remove_tree", _no_removal_in_this_process)
    write.swap.swap_in(output, new, background=False, detach=True)
    assert (output / "d7" / "page.html").read_text() == "new"
    assert not new.exists()
    _wait_until_only_the_output_is_left(tmp_path)


def test_a_commit_leaves_an_old_tree_of_many_entries_to_a_detached_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When it cannot be kept as the spare tree (another one took its place)."""
    output = tmp_path / "out"
    with staged_output(output) as stage:
        for index in range(5):
            stage.write_text(f"page-{index}.html", "old")
    monkeypatch.setattr(write.stage, "LARGE_TREE_ENTRIES", 5)
    monkeypatch.setattr(write.swap, "_keep_as_spare", lambda tree, output: False)
    monkeypatch.setattr(write.swap, "remove_tree", _no_removal_in_this_process)
    with staged_output(output) as stage:
        for index in range(5):
            stage.write_text(f"page-{index}.html", "new")
    assert (output / "page-3.html").read_text() == "new"
    _wait_until_only_the_output_is_left(tmp_path)


def test_the_detached_deleter_owns_the_tree_so_the_next_build_leaves_it_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build right after a large one must not delete the same old tree at the same time:
    the deleter renames the tree after its own (live) pid, which `remove_stale_folders`
    respects."""
    output = tmp_path / "out"
    output.mkdir()
    old = tmp_path / f".out.tamatar-old-{os.getpid()}"
    for index in range(40):
        (old / f"d{index}").mkdir(parents=True)
        for page in range(100):
            (old / f"d{index}" / f"{page}.html").write_text("old")
    write.swap.remove_tree_detached(old)
    deadline = time.monotonic() + 30
    while old.exists() and time.monotonic() < deadline:
        time.sleep(0.001)
    owned = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.tamatar-old-")]
    # 4,000 files take far longer to delete than the deleter takes to rename them
    assert owned and owned != [old.name]
    monkeypatch.setattr(write.swap, "remove_tree", _no_removal_in_this_process)
    write.swap.remove_stale_folders(output)  # would delete it if its owner were gone
    _wait_until_only_the_output_is_left(tmp_path)


def test_two_removals_of_one_tree_at_once_do_not_fail(tmp_path: Path) -> None:
    """What one deleter finds gone (the other deleted it) is not an error."""
    for attempt in range(8):
        tree = tmp_path / f"tree-{attempt}"
        for index in range(30):
            (tree / f"d{index}" / "e").mkdir(parents=True)
            for page in range(60):
                (tree / f"d{index}" / "e" / f"{page}.html").write_text("x")
        failures: list[BaseException] = []
        together = threading.Barrier(3)

        def remove(
            tree: Path = tree,
            failures: list[BaseException] = failures,
            together: threading.Barrier = together,
        ) -> None:
            together.wait()  # all three start deleting at once
            try:
                write.swap.remove_tree(tree)
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=remove) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert not tree.exists()


def test_stale_folders_of_a_live_owner_stay_and_of_a_dead_one_go(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        old = tmp_path / f".out.tamatar-old-{owner.pid}"
        (old / "d").mkdir(parents=True)
        (old / "d" / "page.html").write_text("old")
        write.swap.remove_stale_folders(output)
        assert (old / "d" / "page.html").is_file()  # its owner is still deleting it
    finally:
        owner.kill()
        owner.wait()
    write.swap.remove_stale_folders(output)
    assert not old.exists()
