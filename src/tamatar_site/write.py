"""Write stage: stage changed files next to the output folder, then move them in.

Design (issue 3, "output discipline"):

1. The build renders every output file. A file whose bytes equal the file already in the
   output folder is left alone: not rewritten, so it keeps its inode and mtime (rsync,
   `tamatar serve` and browsers see it unchanged).
2. Every new or changed file is written into a staging folder beside the output folder
   (same file system): `.<name>.staging-<pid>/`. Nothing in the output changes while the
   build renders; if anything fails (a template error, a crash), the staging folder is
   deleted and the output is exactly as before. Content errors stop the build earlier
   still, before staging starts.
3. When everything is staged, the commit moves each staged file over its old version
   with `os.replace` (atomic per file), then deletes files of earlier builds that this
   build did not produce, and folders left empty. The commit does work only in
   proportion to what changed, so a no-change rebuild of 10,000 pages touches nothing;
   a whole-folder swap would recreate (and delete) every folder on each build.
   A first build, into a missing folder, renames the staging folder into place.

A reader never sees a half-written file. During the short commit it may see some pages
already new and others still old; that is the trade for keeping unchanged files.
A `.git` folder at the top of the output (a `gh-pages` worktree) is left alone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

_KEEP_IN_OUTPUT = (".git",)


class OutputError(Exception):
    """The output folder cannot be used (it would destroy sources or unrelated files)."""


@dataclass(frozen=True)
class WriteResult:
    written: int  # files staged and moved into the output (new or changed bytes)
    unchanged: int  # files whose bytes were already in the output
    removed: int  # stale files deleted
    rendered: int = 0  # HTML pages whose template ran
    skipped: int = 0  # HTML pages not rendered: their inputs and output file were unchanged
    paths: frozenset[str] = frozenset()  # every output file (forward slashes)


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


def _is_plain_relative(path: str) -> bool:
    """`a/b/index.html`: relative, forward slashes, no empty, `.` or `..` segments."""
    if not path or path[0] == "/" or "\\" in path or "\0" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def _output_key(path: str) -> str:
    """`path` as an output key (forward slashes); the common case skips PurePosixPath."""
    return path if _is_plain_relative(path) else _safe_relative(path).as_posix()


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ValueError(f"output path {path!r} must be relative and stay inside the output")
    return rel


class Stage:
    """The files of one build: unchanged ones noted, changed ones staged; see `staged_output`."""

    def __init__(
        self, output_dir: Path, staging_dir: Path, previous_files: Collection[str] | None = None
    ) -> None:
        self.output_dir = output_dir
        self.staging_dir = staging_dir
        self._output_prefix = f"{output_dir}{os.sep}"
        self._previous_files = previous_files
        self.written = 0
        self.unchanged = 0
        self.removed = 0
        self._paths: set[str] = set()
        self._staged: list[str] = []
        self._made_dirs: set[Path] = set()

    def _claim(self, path: str) -> tuple[str, Path]:
        key = _output_key(path)
        if key in self._paths:
            raise ValueError(f"two outputs for the same path {key!r}")
        self._paths.add(key)
        return key, Path(self._output_prefix + key)

    def _staging_target(self, key: str) -> Path:
        target = self.staging_dir / key
        parent = target.parent
        if parent not in self._made_dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(parent)
        self._staged.append(key)
        self.written += 1
        return target

    def write_bytes(self, path: str, data: bytes) -> None:
        """Stage `data` at the site-relative `path` (forward slashes), unless unchanged."""
        key, previous = self._claim(path)
        if _same_bytes(previous, data):
            self.unchanged += 1
            return
        self._staging_target(key).write_bytes(data)

    def write_text(self, path: str, text: str) -> None:
        self.write_bytes(path, text.encode("utf-8"))

    def copy_file(self, path: str, source: Path) -> None:
        """Stage a copy of `source` (a static file) at `path`, unless unchanged."""
        key, previous = self._claim(path)
        if _same_file_content(previous, source):
            self.unchanged += 1
            return
        shutil.copyfile(source, self._staging_target(key))

    def claim(self, path: str) -> tuple[str, Path]:
        """Reserve `path` for a file staged by other code (`adopt`) or kept (`keep`);
        returns its key and where it lives in the output."""
        return self._claim(path)

    def keep(self, key: str) -> None:
        """A claimed file is unchanged: the output keeps its current file."""
        self.unchanged += 1

    def keep_unclaimed(self, keys: Iterable[str]) -> None:
        """Keep, as they are in the output, the files of `keys` nothing claimed (the files
        of the last build a partial rebuild did not touch)."""
        for key in keys:
            if key not in self._paths:
                self._paths.add(key)
                self.unchanged += 1

    def adopt(self, key: str) -> None:
        """A claimed file was written to `staging_dir / key` (by a worker process)."""
        self._staged.append(key)
        self.written += 1

    def has(self, path: str) -> bool:
        return _output_key(path) in self._paths

    @property
    def paths(self) -> frozenset[str]:
        """Every output path of this build (forward slashes)."""
        return frozenset(self._paths)

    def commit(self) -> None:
        """Move the staged files into the output and remove stale files and empty folders."""
        output = self.output_dir
        if not output.exists():
            self.staging_dir.rename(output)
            return
        for key in self._staged:
            target = output / key
            _make_room(output, target)
            os.replace(self.staging_dir / key, target)
        if self._previous_files is None:
            self._remove_stale()
        else:
            self._remove_previous(self._previous_files)
        shutil.rmtree(self.staging_dir, ignore_errors=True)

    def _remove_previous(self, previous_files: Collection[str]) -> None:
        """Delete the files the previous build wrote and this one did not, without walking
        the whole output (a no-change build of 10,000 pages then touches no folder)."""
        output = self.output_dir
        folders: set[PurePosixPath] = set()
        for key in sorted(set(previous_files) - self._paths):
            try:
                rel = _safe_relative(key)
            except ValueError:
                continue
            if rel.parts[0] in _KEEP_IN_OUTPUT:
                continue
            target = output.joinpath(*rel.parts)
            if target.is_file() or target.is_symlink():
                target.unlink()
                self.removed += 1
            folders.update(rel.parents[:-1])
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
            with contextlib.suppress(OSError):  # not empty: something else lives there
                output.joinpath(*folder.parts).rmdir()

    def _remove_stale(self) -> None:
        output = self.output_dir
        for folder, _dirs, files in os.walk(output, topdown=False):
            here = Path(folder)
            rel = here.relative_to(output)
            if rel.parts and rel.parts[0] in _KEEP_IN_OUTPUT:
                continue
            for name in files:
                if (rel / name).as_posix() not in self._paths:
                    (here / name).unlink()
                    self.removed += 1
            if here != output and not any(here.iterdir()):
                here.rmdir()


def _make_room(output: Path, target: Path) -> None:
    """Create the target's folders; a stale file in the way of a folder, or a stale folder
    in the way of a file, goes."""
    parent = target.parent
    if not parent.is_dir():
        for ancestor in reversed(parent.relative_to(output).parents[:-1]):
            blocking = output / ancestor
            if blocking.is_file():
                blocking.unlink()
        if parent.is_file():
            parent.unlink()
        parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir():
        shutil.rmtree(target)


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
                chunk = old.read(1 << 16)
                if chunk != new.read(1 << 16):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


@contextlib.contextmanager
def staged_output(
    output_dir: Path, previous_files: Collection[str] | None = None
) -> Iterator[Stage]:
    """Yield a `Stage`; on normal exit commit it into `output_dir`, on error discard it.

    `previous_files` are the output paths the previous build wrote, when known: stale
    files are then found without walking the output folder (files nobody wrote stay).
    """
    output_dir = output_dir.absolute()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = output_dir.parent / f".{output_dir.name}.staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    stage = Stage(output_dir, staging, previous_files)
    try:
        yield stage
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    stage.commit()


def result_of(stage: Stage, *, rendered: int = 0, skipped: int = 0) -> WriteResult:
    """The counts of a committed stage (and of the pages rendered and skipped into it)."""
    return WriteResult(
        stage.written, stage.unchanged, stage.removed, rendered, skipped, stage.paths
    )


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
