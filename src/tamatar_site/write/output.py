"""The write stage's entry points: check the output folder, stage a build into it, copy
the static files, count what happened."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from tamatar_site.confine import confined_files
from tamatar_site.diagnostics import Diagnostics
from tamatar_site.write.marker import MARKER, OutputError, owned_files
from tamatar_site.write.stage import Stage
from tamatar_site.write.swap import (
    remove_stale_folders,
    remove_tree,
    staging_folder,
    wait_for_removals,
)


@dataclass(frozen=True)
class WriteResult:
    written: int  # files staged and moved into the output (new or changed bytes)
    unchanged: int  # files whose bytes were already in the output
    removed: int  # stale files deleted
    rendered: int = 0  # HTML pages whose template ran
    skipped: int = 0  # HTML pages not rendered: their inputs and output file were unchanged
    paths: frozenset[str] = frozenset()  # every output file (forward slashes)
    # The files moved into an output whose other files stayed untouched; None: swapped.
    replaced: frozenset[str] | None = None


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
    for ancestor in out.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise OutputError(f"the output {output_dir} is inside {ancestor}, a file")
            break


@contextlib.contextmanager
def staged_output(
    output_dir: Path,
    previous_files: Collection[str] | None = None,
    *,
    background: bool = False,
    in_place: bool = False,
) -> Iterator[Stage]:
    """Yield a `Stage`; on normal exit commit it into `output_dir`, on error discard it.

    `previous_files` are the output paths the previous build wrote, as the site's cache
    remembers them: an output folder from before `.tamatar-output` existed is owned by
    tamatar when they are known. `background`: delete the old tree in a thread (for a
    long-running process; the next `staged_output` waits for it). `in_place`: move the
    changed files in one by one (`Stage.commit_in_place`, serve's edit path).

    Raises:
        OutputError: the output folder is not tamatar's, or cannot be created.
        OSError: writing failed (no space left...); the output is as it was.
    """
    output_dir = output_dir.absolute()
    if output_dir.is_symlink() and output_dir.is_dir():
        output_dir = output_dir.resolve()  # swap the folder the link points to
    parent = output_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"cannot create the folder {parent} for the output: {error.strerror or error}"
        ) from None
    wait_for_removals()
    remove_stale_folders(output_dir)
    owned = owned_files(output_dir, previous_files)
    staging = staging_folder(output_dir)
    if os.path.lexists(staging):
        remove_tree(staging)
    try:
        staging.mkdir()
    except OSError as error:
        raise OutputError(
            f"cannot write beside the output folder {output_dir}: {error.strerror or error}"
        ) from None
    stage = Stage(output_dir, staging, owned)
    try:
        yield stage
        if in_place:
            stage.commit_in_place()
        else:
            stage.commit(background=background)
    except BaseException:
        if os.path.lexists(staging):
            remove_tree(staging)
        raise


def result_of(stage: Stage, *, rendered: int = 0, skipped: int = 0) -> WriteResult:
    """The counts of a committed stage (and of the pages rendered and skipped into it)."""
    return WriteResult(
        stage.written,
        stage.unchanged,
        stage.removed,
        rendered,
        skipped,
        stage.paths,
        stage.replaced,
    )


def copy_static(
    stage: Stage,
    site_static: Path,
    theme_static: Path,
    *,
    site_dir: Path | None = None,
    diagnostics: Diagnostics | None = None,
) -> None:
    """Copy the site's `static/` as is, then the theme's `static/` (a site file of the same
    path overrides the theme's). Generated files, staged before, win over both.

    Links are followed only while they stay inside the site folder (the theme's: inside
    the theme folder); such links and special files are skipped with a warning."""
    for root, boundary, label in _static_roots(site_static, theme_static, site_dir):
        for relative, source in confined_files(root, boundary, label, diagnostics):
            if relative == MARKER:
                if diagnostics is not None:
                    message = f"{label}/{MARKER} is the name of tamatar's own list; not copied"
                    diagnostics.warning(f"{label}/{MARKER}", 1, 1, message)
                continue
            if not stage.has(relative):
                stage.copy_file(relative, source)


StaticStamp = tuple[tuple[str, int, int], ...]


def static_stamp(site_static: Path, theme_static: Path, site_dir: Path) -> StaticStamp | None:
    """The path, size and mtime of every file `copy_static` would copy, to tell whether
    any changed without reading them; None when one would be skipped with a warning."""
    skipped = Diagnostics()
    stamp: list[tuple[str, int, int]] = []
    for root, boundary, label in _static_roots(site_static, theme_static, site_dir):
        for relative, source in confined_files(root, boundary, label, skipped):
            try:
                info = source.stat()
            except OSError:
                return None
            stamp.append((f"{label}/{relative}", info.st_size, info.st_mtime_ns))
    return None if skipped.items else tuple(stamp)


def _static_roots(
    site_static: Path, theme_static: Path, site_dir: Path | None
) -> tuple[tuple[Path, Path, str], ...]:
    """(folder, the folder its links must stay in, label) of the static files: the site's,
    then the theme's."""
    return (
        (site_static, site_dir if site_dir is not None else site_static.parent, "static"),
        (theme_static, theme_static.parent, str(theme_static)),
    )
