"""Output discipline: staging and swap, unchanged files kept, stale files gone, refusals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main
from tamatar_site.write import OutputError, check_output_dir, result_of, staged_output

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
    (site / "logs/2026-11-21-two.md").write_text(LOG.format(title="Two, edited", day=21))
    result = build(site, out)
    assert result.exit_code == 0, result.output
    after = mtimes(out)
    # pages that do not show the edited log: same bytes, same file, same mtime
    assert after["goals/index.html"] == old
    assert after["404.html"] == old
    assert (out / "goals/index.html").stat().st_ino == inode
    assert after["hello.txt"] == old
    assert after["assets/tamatar.css"] == old
    assert after["logs/2026/11/21/two/index.html"] != old
    assert "Two, edited" in (out / "logs/2026/11/21/two/index.html").read_text()
    assert " unchanged, 0 removed" in result.output


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
    assert "does not look like a tamatar build (no index.html)" in result.output
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
        "docs",
        "docs/guide",
        "index.html",
        "notes",
        "notes/index.html",
    ]
