"""The output folder's list of its own files (`.tamatar-output`): what marks a folder as
tamatar's and tells its files from the ones you added by hand."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Collection, Iterable
from pathlib import Path


class OutputError(Exception):
    """The output folder cannot be used (it would destroy sources or unrelated files)."""


MARKER = ".tamatar-output"
_MARKER_HEADER = (
    "# Written by tamatar build: the files listed below are its output, replaced by the next\n"
    "# build. Any other file in this folder is yours: builds keep it.\n"
)


def list_tree(root: Path) -> dict[str, str]:
    """Every entry under `root` by relative path: `d` folder, `f` regular file, `l` link,
    `o` anything else. Links are not followed."""
    found: dict[str, str] = {}
    pending = [("", str(root))]
    while pending:
        relative, folder = pending.pop()
        try:
            listing = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in listing:
            key = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_symlink():
                found[key] = "l"
            elif entry.is_dir(follow_symlinks=False):
                found[key] = "d"
                pending.append((key, entry.path))
            elif entry.is_file(follow_symlinks=False):
                found[key] = "f"
            else:
                found[key] = "o"
    return found


def marker_bytes(paths: Iterable[str]) -> bytes:
    lines = [
        json.dumps(key) if "\n" in key or "\r" in key or key.startswith('"') else key
        for key in sorted(paths)
    ]
    return (_MARKER_HEADER + "".join(f"{line}\n" for line in lines)).encode(
        "utf-8", "surrogateescape"
    )


def read_marker_bytes(output: Path, entries: dict[str, str] | None = None) -> bytes | None:
    if entries is not None and entries.get(MARKER) != "f":
        return None
    try:
        with open(output / MARKER, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _parse_marker(data: bytes) -> frozenset[str]:
    keys: set[str] = set()
    for line in data.decode("utf-8", "surrogateescape").split("\n"):
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            with contextlib.suppress(ValueError):
                line = str(json.loads(line))
        keys.add(line)
    return frozenset(keys)


def owned_files(output: Path, previous_files: Collection[str] | None) -> frozenset[str]:
    """The files an earlier build wrote into `output` (from its `.tamatar-output`, else from
    the site's cache, `previous_files`); empty for a missing or empty folder.

    Raises:
        OutputError: the folder holds files but no tamatar build owns it.
    """
    if not os.path.lexists(output):
        return frozenset()
    if not output.is_dir():
        raise OutputError(f"the output {output} exists and is not a folder")
    if os.path.isfile(output / MARKER) and not os.path.islink(output / MARKER):
        data = read_marker_bytes(output)
        if data is not None:
            return _parse_marker(data)
    if previous_files:
        return frozenset(previous_files)  # built before `.tamatar-output` existed
    with os.scandir(output) as listing:
        if next(listing, None) is None:
            return frozenset()
    raise OutputError(
        f"{output} is not empty and was not written by tamatar (it has no {MARKER}); "
        "choose an empty folder with -o, or delete it"
    )
