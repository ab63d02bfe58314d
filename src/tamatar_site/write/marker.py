"""The output folder's list of its own files (`.tamatar-output`): what marks a folder as
tamatar's and tells its files from the ones you added by hand."""

from __future__ import annotations

import bisect
import contextlib
import json
import os
from collections.abc import Collection
from pathlib import Path
from typing import NamedTuple


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


def marker_bytes(paths: Collection[str]) -> bytes:
    keys, plain = _sorted_keys(frozenset(paths))
    listing = "\n".join(keys)
    if not plain:
        listing = "\n".join(_marker_line(key) for key in keys)
    text = _MARKER_HEADER + listing + ("\n" if keys else "")
    return text.encode("utf-8", "surrogateescape")


class _SortedKeys(NamedTuple):
    keys: frozenset[str]
    ordered: list[str]  # sorted
    plain: bool  # no key needs its line written as JSON (`_marker_line`)


# The keys of the last list made, them sorted, and whether all are plain: `tamatar serve`
# lists 50,000 files after an edit that changed a few of them, and sorting them all took
# 45 ms of the edit.
_last_sorted = _SortedKeys(frozenset(), [], True)


def _sorted_keys(keys: frozenset[str]) -> tuple[list[str], bool]:
    """`sorted(keys)`, made from the last list's when only a few keys differ, and whether
    every key is written as it is."""
    global _last_sorted
    last = _last_sorted
    if keys is last.keys or keys == last.keys:
        return last.ordered, last.plain
    edited = _edited_order(last.keys, last.ordered, keys)
    if edited is None:
        ordered = sorted(keys)
        listing = "\n".join(ordered)
        # Checked in C for the whole listing (50,000 lines for a big site): whether a key
        # holds a line break or needs its line written as JSON.
        plain = not _needs_json(listing) and listing.count("\n") == max(len(ordered) - 1, 0)
    else:
        ordered, added = edited
        plain = last.plain and all(_is_plain(key) for key in added)
    _last_sorted = _SortedKeys(keys, ordered, plain)
    return ordered, plain


def _edited_order(
    last_keys: frozenset[str], last_sorted: list[str], keys: frozenset[str]
) -> tuple[list[str], frozenset[str]] | None:
    """`sorted(keys)` made from `last_sorted` (the sorted `last_keys`) by removing and
    inserting the keys that differ, and the keys added; None when more than `_RESORT_FROM`
    differ (told by the sizes first: a build's first list would otherwise copy every key
    twice to learn it)."""
    if abs(len(keys) - len(last_keys)) > _RESORT_FROM:
        return None
    gone, added = last_keys - keys, keys - last_keys
    if len(gone) + len(added) > _RESORT_FROM:
        return None
    ordered = list(last_sorted)
    for key in gone:
        del ordered[bisect.bisect_left(ordered, key)]
    for key in added:
        bisect.insort(ordered, key)
    return ordered, added


_RESORT_FROM = 1000  # differing keys: more than this and a sort of them all is quicker


def _marker_line(key: str) -> str:
    """A key as its line: written as JSON when it holds a line break or starts with a quote
    or with `#` (which starts a comment)."""
    return key if _is_plain(key) else json.dumps(key)


def _is_plain(key: str) -> bool:
    return not ("\n" in key or "\r" in key or key.startswith(('"', "#")))


def _needs_json(listing: str) -> bool:
    """Whether a listing of keys holds a carriage return or a line that starts with a quote
    or `#`."""
    return "\r" in listing or listing.startswith(('"', "#")) or '\n"' in listing or "\n#" in listing


def read_marker_bytes(output: Path, entries: dict[str, str] | None = None) -> bytes | None:
    if entries is not None and entries.get(MARKER) != "f":
        return None
    try:
        with open(output / MARKER, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _parse_marker(data: bytes) -> frozenset[str]:
    global _last_sorted
    text = data.decode("utf-8", "surrogateescape")
    lines = [line for line in text.split("\n") if line and line[0] != "#"]
    keys = set(lines)
    if text.startswith('"') or '\n"' in text:
        for line in [key for key in keys if key[0] == '"']:
            with contextlib.suppress(ValueError):
                key = str(json.loads(line))
                keys.discard(line)
                keys.add(key)
        return frozenset(keys)
    listed = frozenset(keys)
    # A list as `marker_bytes` writes it is sorted: the next one is made from it. No line
    # is JSON here (none starts with a quote), so a key is plain unless it holds a `\r`.
    if len(listed) == len(lines) and lines == sorted(lines):
        _last_sorted = _SortedKeys(listed, lines, "\r" not in text)
    return listed


# The last list read or written, by its path and signature (inode, size, mtime, ctime):
# `tamatar serve` reads the list its last edit wrote before every edit, 50,000 lines for a
# big site.
_last_read: tuple[str, tuple[int, int, int, int], frozenset[str]] | None = None


def _listed_files(listed: Path) -> frozenset[str] | None:
    """The files `listed` names (None: it cannot be read)."""
    global _last_read
    try:
        with open(listed, "rb") as handle:
            info = os.fstat(handle.fileno())
            signature = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
            last = _last_read
            if last is not None and last[0] == str(listed) and last[1] == signature:
                return last[2]
            keys = _parse_marker(handle.read())
    except OSError:
        return None
    _last_read = (str(listed), signature, keys)
    return keys


def remember_listed(listed: Path, keys: frozenset[str]) -> None:
    """`listed` was just written with `keys`: the next read takes them without parsing."""
    global _last_read
    try:
        info = os.stat(listed)
    except OSError:
        return
    signature = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    _last_read = (str(listed), signature, keys)


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
    listed = output / MARKER
    if os.path.isfile(listed) and not os.path.islink(listed):
        keys = _listed_files(listed)
        if keys is not None:
            return keys
    if previous_files:
        return frozenset(previous_files)  # built before `.tamatar-output` existed
    with os.scandir(output) as listing:
        if next(listing, None) is None:
            return frozenset()
    raise OutputError(
        f"{output} is not empty and was not written by tamatar (it has no {MARKER}); "
        "choose an empty folder with -o, or delete it"
    )
