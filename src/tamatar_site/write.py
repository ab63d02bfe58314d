"""Write stage: stage the whole output next to the output folder, then swap it in.

Design (issue 3, "output discipline"):

1. Every file of the build is written into a fresh staging folder that sits next to the
   output folder (same file system, so renames are atomic): `.<name>.staging-<pid>/`.
2. A file whose bytes equal the file already in the output is not written again: it is
   hard-linked from the old output into the staging folder, so it keeps its inode and its
   mtime (tools such as rsync, `tamatar serve` and browsers see it unchanged). Where hard
   links are impossible, it is copied with its timestamps.
3. When every file is staged, the folders are swapped with two renames (old output aside,
   staging in its place) and the old output is deleted. Files of earlier builds that this
   build did not produce are thereby gone: stale removal comes for free.
4. If anything fails before the swap, the staging folder is removed and the output is
   untouched. Content errors stop the build before staging even starts.

A `.git` folder at the top of the output (a `gh-pages` worktree) is carried over.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

_KEEP_IN_OUTPUT = (".git",)


class OutputError(Exception):
    """The output folder cannot be used (it would destroy sources or unrelated files)."""


@dataclass(frozen=True)
class WriteResult:
    written: int
    unchanged: int
    removed: int


def check_output_dir(site_dir: Path, output_dir: Path, protected: tuple[str, ...]) -> None:
    """Refuse an output folder that is the site, contains it, or lies in a source folder.

    Args:
        site_dir: the site folder.
        output_dir: where the build goes.
        protected: names of source folders under the site (logs, static, ...).

    Raises:
        OutputError: with a message that says what to do instead.
    """
    site = site_dir.resolve()
    out = output_dir.resolve()
    if out == site or site.is_relative_to(out):
        raise OutputError(
            f"refusing to write the site into {output_dir}: it is the site folder or contains "
            "it, and the build replaces the output folder whole; choose another folder with -o"
        )
    for name in protected:
        source = site / name
        if out == source or out.is_relative_to(source):
            raise OutputError(
                f"refusing to write the site into {output_dir}: it is inside the source folder "
                f"{name}/; choose another folder with -o"
            )
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output {output_dir} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").is_file():
        raise OutputError(
            f"refusing to replace {output_dir}: it is not empty and does not look like a tamatar "
            "build (no index.html); empty it or choose another folder with -o"
        )


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ValueError(f"output path {path!r} must be relative and stay inside the output")
    return rel


class Stage:
    """A staging folder being filled; obtain one with `staged_output()`."""

    def __init__(self, output_dir: Path, staging_dir: Path) -> None:
        self.output_dir = output_dir
        self.staging_dir = staging_dir
        self.written = 0
        self.unchanged = 0
        self.removed = 0
        self._paths: set[str] = set()
        self._made_dirs: set[Path] = set()

    def _target(self, path: str) -> tuple[Path, Path]:
        rel = _safe_relative(path)
        key = rel.as_posix()
        if key in self._paths:
            raise ValueError(f"two outputs for the same path {key!r}")
        self._paths.add(key)
        target = self.staging_dir.joinpath(*rel.parts)
        parent = target.parent
        if parent not in self._made_dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(parent)
        return target, self.output_dir.joinpath(*rel.parts)

    def write_bytes(self, path: str, data: bytes) -> None:
        """Stage `data` at the site-relative `path` (forward slashes)."""
        target, previous = self._target(path)
        if _same_bytes(previous, data) and _reuse(previous, target):
            self.unchanged += 1
            return
        target.write_bytes(data)
        self.written += 1

    def write_text(self, path: str, text: str) -> None:
        self.write_bytes(path, text.encode("utf-8"))

    def copy_file(self, path: str, source: Path) -> None:
        """Stage a copy of `source` (a static file) at `path`."""
        target, previous = self._target(path)
        if _same_file_content(previous, source) and _reuse(previous, target):
            self.unchanged += 1
            return
        shutil.copyfile(source, target)
        self.written += 1

    def has(self, path: str) -> bool:
        return _safe_relative(path).as_posix() in self._paths


def _same_bytes(previous: Path, data: bytes) -> bool:
    try:
        if previous.stat().st_size != len(data):
            return False
        return previous.read_bytes() == data
    except OSError:
        return False


def _same_file_content(previous: Path, source: Path) -> bool:
    try:
        if previous.stat().st_size != source.stat().st_size:
            return False
        with previous.open("rb") as old, source.open("rb") as new:
            while True:
                a = old.read(1 << 16)
                if a != new.read(1 << 16):
                    return False
                if not a:
                    return True
    except OSError:
        return False


def _reuse(previous: Path, target: Path) -> bool:
    """Put the unchanged old file into the staging folder without rewriting it."""
    try:
        os.link(previous, target)
    except OSError:
        try:
            shutil.copy2(previous, target)
        except OSError:
            return False
    return True


def _files_under(folder: Path) -> set[str]:
    found: set[str] = set()
    if not folder.is_dir():
        return found
    for root, dirs, files in os.walk(folder):
        if Path(root) == folder:
            dirs[:] = [d for d in dirs if d not in _KEEP_IN_OUTPUT]
        rel_root = Path(root).relative_to(folder)
        for name in files:
            found.add((rel_root / name).as_posix())
    return found


@contextlib.contextmanager
def staged_output(output_dir: Path) -> Iterator[Stage]:
    """Yield a `Stage`; on normal exit swap it in as `output_dir`, on error discard it."""
    output_dir = output_dir.absolute()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = output_dir.parent / f".{output_dir.name}.staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    stage = Stage(output_dir, staging)
    try:
        yield stage
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    stage.removed = len(_files_under(output_dir) - stage._paths)
    _swap(output_dir, staging)


def _swap(output_dir: Path, staging: Path) -> None:
    if not output_dir.exists():
        staging.rename(output_dir)
        return
    for name in _KEEP_IN_OUTPUT:
        kept = output_dir / name
        if kept.exists() and not (staging / name).exists():
            kept.rename(staging / name)
    old = output_dir.parent / f".{output_dir.name}.old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    output_dir.rename(old)
    try:
        staging.rename(output_dir)
    except OSError:
        old.rename(output_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def result_of(stage: Stage) -> WriteResult:
    """The counts of a finished stage."""
    return WriteResult(stage.written, stage.unchanged, stage.removed)


def copy_static(stage: Stage, site_static: Path, theme_static: Path) -> None:
    """Copy the site's `static/` as is, then the theme's `static/` (a site file of the same
    path overrides the theme's). Generated files, staged before, win over both."""
    for root in (site_static, theme_static):
        if not root.is_dir():
            continue
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            rel_folder = Path(folder).relative_to(root)
            for name in sorted(files):
                rel = (rel_folder / name).as_posix()
                if not stage.has(rel):
                    stage.copy_file(rel, Path(folder) / name)
