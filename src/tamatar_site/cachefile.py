"""Versioned cache files written atomically: the one way tamatar's caches reach the disk.

Every cache (parsed records, Markdown bodies, the page memo, the no-change manifest, the
GitHub responses) is optional: a missing, foreign, outdated or corrupt file reads as
nothing, and a failure to write never fails the build. A write goes to a temporary file
beside the target and is renamed over it, so a crash leaves the old file or the new one,
never half of either. Standard library only: the no-change check imports it before the
build stack (and not pathlib either).
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "read_versioned",
    "read_versioned_parts",
    "user_cache_dir",
    "write_atomic",
    "write_atomic_with",
    "write_versioned",
    "write_versioned_parts",
]


def write_atomic(path: Path | str, data: bytes) -> bool:
    """Replace `path` by `data` in one rename (creating its folder); False when it failed."""
    return write_atomic_with(path, lambda handle: handle.write(data))


def write_atomic_with(path: Path | str, write: Callable[[BinaryIO], object]) -> bool:
    """Replace `path` by what `write` writes to a file, in one rename (creating its folder):
    a big value is streamed, never held as bytes too. False when writing the file failed;
    an exception of `write` is raised after the temporary file is deleted."""
    folder, name = os.path.split(os.fspath(path))
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        os.makedirs(folder or ".", exist_ok=True)
        with open(temporary, "wb") as handle:
            write(handle)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            return False
        raise
    return True


def write_versioned(path: Path | str, version: Any, payload: Any) -> bool:
    """Write `payload` under `version` (marshal: plain Python values only)."""
    try:
        data = marshal.dumps((version, payload))
    except ValueError:
        return False  # an unmarshallable value is a bug upstream; the cache just stays old
    return write_atomic(path, data)


def write_versioned_parts(
    path: Path | str, version: Any, entries: Mapping[Any, Any], part_size: int
) -> bool:
    """Write the mapping `entries` under `version` as marshalled parts of `part_size`
    entries each, then an empty part: a big cache is never held as one bytes object beside
    the values it is made of."""
    items = list(entries.items())

    def write(handle: BinaryIO) -> None:
        handle.write(marshal.dumps(version))
        for start in range(0, len(items), part_size):
            handle.write(marshal.dumps(dict(items[start : start + part_size])))
        handle.write(marshal.dumps({}))

    try:
        return write_atomic_with(path, write)
    except ValueError:
        return False  # an unmarshallable value is a bug upstream; the cache just stays old


def read_versioned_parts(path: Path | str, version: object) -> dict[Any, Any] | None:
    """The mapping `write_versioned_parts` wrote under `version`, or None when the file is
    missing, unreadable, cut short, corrupt or written under another version."""
    entries: dict[Any, Any] = {}
    try:
        with open(path, "rb") as handle:
            if marshal.load(handle) != version:
                return None
            while part := marshal.load(handle):
                entries.update(part)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return entries


def read_versioned(path: Path | str, version: object) -> object | None:
    """The payload written under `version`, or None when the file is missing, unreadable,
    corrupt or written under another version (another format, tamatar or Python)."""
    try:
        with open(path, "rb") as handle:
            data = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(data, tuple) or len(data) != 2 or data[0] != version:
        return None
    payload: object = data[1]
    return payload


def user_cache_dir() -> Path:
    """This user's cache folder for tamatar, shared by every site: `$XDG_CACHE_HOME/tamatar/`
    (else `~/.cache/tamatar/`)."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    from pathlib import Path

    return Path(root) / "tamatar"
