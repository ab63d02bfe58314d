"""Which files a build may read: regular files whose real path stays inside a given folder.

A site's `static/`, `templates/` and content folders may contain symbolic links. One whose
target stays inside the site folder is followed; one that leads outside it
(`static/env.txt -> /proc/self/environ`) is never read, since the output is published.
Special files (pipes, devices, sockets, `/proc` and `/sys` files) are never read either:
reading `/dev/urandom` never ends and reading a pipe waits for a writer.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from tamatar_site.diagnostics import Diagnostics

_MAX_DEPTH = 40


@functools.cache
def _kernel_devices() -> frozenset[int]:
    """The devices of /proc and /sys, whose "regular" files are made up by the kernel."""
    devices: set[int] = set()
    for folder in ("/proc", "/sys"):
        try:
            devices.add(os.stat(folder).st_dev)
        except OSError:
            continue
    return frozenset(devices)


def inside(path: str, folder: str) -> bool:
    """Whether the (real) `path` is `folder` or lies under it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def refusal(path: str, boundary: str) -> str | None:
    """Why `path` must not be read (a link out of `boundary`, a special file), or None.

    `boundary` is a real path (`os.path.realpath`)."""
    real = os.path.realpath(path)
    if not inside(real, boundary):
        return "is a symbolic link to a file outside the site folder; not read"
    try:
        info = os.stat(real)
    except OSError as error:
        return f"cannot be read ({error.strerror or error}); skipped"
    if stat.S_ISDIR(info.st_mode):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_dev in _kernel_devices():
        return "is not a regular file (a pipe, device or socket); not read"
    return None


def confined_files(
    root: Path, boundary: Path, label: str, diagnostics: Diagnostics | None
) -> list[tuple[str, Path]]:
    """(relative path, path) of every regular file under `root`, sorted by path.

    Symbolic links are followed while their target stays inside `boundary`; any other
    link, and every special file, is skipped with a warning at `label/<relative path>`.
    """
    limit = os.path.realpath(boundary)
    found: list[tuple[str, Path]] = []

    def warn(relative: str, message: str) -> None:
        if diagnostics is not None:
            where = f"{label}/{relative}" if relative else label
            diagnostics.warning(where, 1, 1, f"{where} {message}")

    if not os.path.lexists(root):
        return found
    problem = refusal(str(root), limit)
    if problem is not None:
        warn("", problem)
        return found
    if not root.is_dir():
        return found
    # (folder, relative path, real paths of the folders above: a link back up is a loop)
    pending: list[tuple[str, str, frozenset[str]]] = [
        (str(root), "", frozenset({os.path.realpath(root)}))
    ]
    while pending:
        folder, relative_folder, above = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            warn(relative_folder, f"cannot be read ({error.strerror or error}); skipped")
            continue
        for entry in entries:
            relative = f"{relative_folder}/{entry.name}" if relative_folder else entry.name
            try:
                if entry.is_symlink():
                    problem = refusal(entry.path, limit)
                    if problem is not None:
                        warn(relative, problem)
                        continue
                    is_dir = entry.is_dir()
                else:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    if not is_dir and not entry.is_file(follow_symlinks=False):
                        warn(relative, "is not a regular file (a pipe, device or socket); not read")
                        continue
            except OSError as error:
                warn(relative, f"cannot be read ({error.strerror or error}); skipped")
                continue
            if not is_dir:
                found.append((relative, Path(entry.path)))
                continue
            real = os.path.realpath(entry.path)
            if real in above:
                warn(relative, "is a symbolic link loop; skipped")
            elif len(above) > _MAX_DEPTH:
                warn(relative, "is nested too deeply; skipped")
            else:
                pending.append((entry.path, relative, above | {real}))
    found.sort()
    return found


def site_file_warnings(site_dir: Path) -> Diagnostics:
    """The warnings a build gives about `static/` and `templates/` (for `tamatar check`)."""
    found = Diagnostics()
    for folder in ("static", "templates"):
        confined_files(site_dir / folder, site_dir, folder, found)
    return found
