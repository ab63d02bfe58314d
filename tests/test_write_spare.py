"""The spare tree: a large output's old tree is kept beside it, and the next commit makes its
new tree from it, changing only what differs (write/tree.py `SpareTree`)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from searchindex import comparable
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site import write
from tamatar_site.cli import main
from tamatar_site.write import staged_output

LOG = "---\ntitle: {title}\ndate: 2026-11-{day}\ntags: [rust]\n---\nBody of {title}.\n"
TWO = "logs/2026/11/21/two/index.html"


def build(site: Path, out: Path) -> Result:
    return CliRunner().invoke(
        main, ["build", str(site), "-o", str(out)], env={"SOURCE_DATE_EPOCH": FIXED_EPOCH}
    )


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def expected_output(site: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a first build of `site` into an empty folder writes."""
    fresh = tmp_path / "fresh"
    assert build(site, fresh).exit_code == 0
    found = comparable(files(fresh))
    write.swap.remove_tree(fresh)
    return found


@pytest.fixture(autouse=True)
def every_output_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write.stage, "LARGE_TREE_ENTRIES", 1)


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


def edit(site: Path, title: str) -> None:
    write_site(site, {"logs/2026-11-21-two.md": LOG.format(title=title, day=21)})


def test_the_old_tree_is_kept_as_the_spare_and_completed_into_the_next_output(
    site: Path, tmp_path: Path
) -> None:
    out, spare = tmp_path / "out", tmp_path / ".out.tamatar-spare"
    assert build(site, out).exit_code == 0
    assert not spare.exists()  # a first build has no old tree
    edit(site, "Two, edited")
    assert build(site, out).exit_code == 0
    assert "Body of Two." in (spare / TWO).read_text()  # the output before
    inode = (out / "goals/index.html").stat().st_ino
    before = files(out)
    # Another log: its page (and others) did not change in the last build, so the spare
    # and the output share its file.
    write_site(site, {"logs/2026-11-20-one.md": LOG.format(title="One, edited", day=20)})
    assert build(site, out).exit_code == 0
    # The spare became the output; the output before is the spare, unchanged: nothing
    # was written into a file the two trees shared.
    assert files(spare) == before
    assert (out / "goals/index.html").stat().st_ino == inode
    assert comparable(files(out)) == expected_output(site, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.tamatar-spare", "out", "site"]


def test_any_state_of_the_spare_gives_the_right_output(site: Path, tmp_path: Path) -> None:
    out, spare = tmp_path / "out", tmp_path / ".out.tamatar-spare"
    assert build(site, out).exit_code == 0
    edit(site, "Two, edited")
    assert build(site, out).exit_code == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("not tamatar's")
    # What a build killed while completing the spare, or anything else, may leave in it:
    (spare / "junk.txt").write_text("junk")
    (spare / "goals/index.html").unlink()
    (spare / "goals/index.html").write_text("an unchanged page, but another file")
    write.swap.remove_tree(spare / "tags")  # a folder where the output has one...
    (spare / "tags").write_text("...is a file here")
    (spare / "hello.txt").unlink()
    (spare / "hello.txt").mkdir()  # and a file of the output a folder here
    write.swap.remove_tree(spare / "projects")
    (spare / "projects").symlink_to(outside, target_is_directory=True)
    edit(site, "Two, edited again")
    assert build(site, out).exit_code == 0
    assert comparable(files(out)) == expected_output(site, tmp_path)
    assert files(outside) == {"index.html": b"not tamatar's"}  # no link followed


def test_your_files_are_carried_over_and_what_you_delete_stays_deleted(
    site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build(site, out).exit_code == 0
    (out / ".git").mkdir()
    (out / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / "notes.txt").write_text("mine")
    (out / "link").symlink_to("notes.txt")
    (out / "empty").mkdir()
    edit(site, "Two, edited")
    assert build(site, out).exit_code == 0  # the old tree, your files too, is the spare
    (out / "notes.txt").unlink()
    (out / "link").unlink()
    (out / "link").symlink_to(".git/HEAD")
    (out / ".git/HEAD").write_text("ref: refs/heads/main\n")  # in place: the same file
    edit(site, "Two, edited again")
    assert build(site, out).exit_code == 0
    assert not (out / "notes.txt").exists()
    assert os.readlink(out / "link") == ".git/HEAD"
    assert (out / ".git/HEAD").read_text() == "ref: refs/heads/main\n"
    assert (out / "empty").is_dir()
    assert "Two, edited again" in (out / TWO).read_text()


def test_a_spare_left_claimed_by_a_killed_build_is_the_spare_again(
    site: Path, tmp_path: Path
) -> None:
    out, spare = tmp_path / "out", tmp_path / ".out.tamatar-spare"
    assert build(site, out).exit_code == 0
    edit(site, "Two, edited")
    assert build(site, out).exit_code == 0
    child = subprocess.Popen(["true"])
    child.wait()
    claimed = tmp_path / f".out.tamatar-spare-{child.pid}"
    spare.rename(claimed)  # killed while completing it
    (claimed / "junk.txt").write_text("half done")
    inode = (claimed / "goals/index.html").stat().st_ino
    edit(site, "Two, edited again")
    assert build(site, out).exit_code == 0
    assert (out / "goals/index.html").stat().st_ino == inode  # the same folder, reused
    assert not (out / "junk.txt").exists()
    assert comparable(files(out)) == expected_output(site, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.tamatar-spare", "out", "site"]


def test_a_commit_that_changes_nothing_gives_the_spare_back(tmp_path: Path) -> None:
    output, spare = tmp_path / "out", tmp_path / ".out.tamatar-spare"
    for text in ("old", "new"):
        with staged_output(output) as stage:
            stage.write_text("page.html", text)
    with staged_output(output) as stage:  # nothing written: the stage claims the spare...
        stage.write_text("page.html", "new")
    assert (spare / "page.html").read_text() == "old"  # ...and gives it back unused
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.tamatar-spare", "out"]


def test_a_second_build_at_once_makes_its_tree_from_scratch(tmp_path: Path) -> None:
    """A spare is claimed by renaming it: a build that finds it gone (another build took it)
    makes a new tree, and deletes its old tree if the other build kept its own."""
    output, spare = tmp_path / "out", tmp_path / ".out.tamatar-spare"
    for text in ("first", "second"):
        with staged_output(output) as stage:
            stage.write_text("page.html", text)
    other = tmp_path / f".out.tamatar-spare-{os.getppid()}"
    spare.rename(other)  # claimed by the other build (a live process)
    with staged_output(output) as stage:
        stage.write_text("page.html", "third")
    assert (spare / "page.html").read_text() == "second"  # this build's old tree
    write.swap.release_spare(other, output)  # the other build's spare cannot take its place
    assert not other.exists()
    assert (output / "page.html").read_text() == "third"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.tamatar-spare", "out"]
