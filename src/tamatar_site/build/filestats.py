"""Signatures of files and folders, to tell by `stat` alone whether any changed since they
were recorded (`build/manifest.py`). Standard library only, and not dataclasses (its import,
which loads inspect, takes about as long as stat'ing 4,000 files): it runs before the build
stack loads."""

from __future__ import annotations

import array
import functools
import itertools
import operator
import os
import sys
from collections.abc import Callable, Mapping
from typing import NamedTuple

OTHER_DEVICE_MARGIN_NS = 2_000_000_000
_MAX_DEPTH = 40
_SKIP_NAMES = frozenset({"__pycache__"})

# (size, mtime_ns, ctime_ns, inode) of a file or folder; MISSING: the path does not exist.
# A folder's mtime changes whenever an entry is added, removed or renamed in it, so the
# signatures of the folders and files found by one walk tell whether anything changed
# without walking again: `unchanged` stats each path and never lists a folder.
Signature = tuple[int, int, int, int]
MISSING: Signature = (-1, -1, -1, -1)
# The manifest keeps a walk packed: the paths joined by NUL (which no path contains) and the
# signatures as one array of 64-bit integers, so reading 40,000 of them takes milliseconds.
Packed = tuple[str, bytes]


class ScanError(Exception):
    """A tree could not be read completely: no decision can rest on it."""


class BuildStamp(NamedTuple):
    """Taken just before a normal build: the clock to judge racy inputs by."""

    clock_ns: int  # the ctime of the clock file, in the file system's own time
    clock_dev: int  # the device the clock file is on
    started: float  # time.time()


class Scan(NamedTuple):
    """Every file and folder under some roots, with their signatures; with a clock, the
    paths not older than it (the lists grow as a walk finds paths)."""

    paths: list[str]
    signatures: list[Signature]
    recent: list[str]


def scan(roots: list[str], clock: BuildStamp | None = None) -> Scan:
    """Walk `roots` (files or folders; missing ones are recorded as missing), following
    symbolic links like the build's reads. Raises ScanError when something cannot be read."""
    found = Scan([], [], [])
    for root in roots:
        try:
            info = os.stat(root)
        except FileNotFoundError:
            found.paths.append(root)
            found.signatures.append(MISSING)
            continue
        except OSError as error:
            raise ScanError(f"{root}: {error}") from None
        _add(found, root, info, clock)
        if os.path.isdir(root):
            _walk(found, root, 0, {(info.st_dev, info.st_ino)}, clock)
    return found


def scan_files(
    paths: list[str],
    clock: BuildStamp | None = None,
    known: Mapping[str, Signature] | None = None,
) -> Scan:
    """Like `scan`, for files known by name (no folder is listed); those in `known` are
    taken with the signature given there instead of stat'ed again. Raises ScanError when
    one cannot be read."""
    found = Scan([], [], [])
    known = known or {}
    for path in paths:
        signature = known.get(path)
        if signature is not None:
            found.paths.append(path)
            found.signatures.append(signature)
            continue
        try:
            info = os.stat(path)
        except OSError as error:
            raise ScanError(f"{path}: {error}") from None
        _add(found, path, info, clock)
    return found


def _add(found: Scan, path: str, info: os.stat_result, clock: BuildStamp | None) -> None:
    found.paths.append(path)
    found.signatures.append((info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    if clock is not None:
        margin = 0 if info.st_dev == clock.clock_dev else OTHER_DEVICE_MARGIN_NS
        if info.st_ctime_ns >= clock.clock_ns - margin:
            found.recent.append(path)


def _walk(
    found: Scan, folder: str, depth: int, seen: set[tuple[int, int]], clock: BuildStamp | None
) -> None:
    if depth > _MAX_DEPTH:
        raise ScanError(f"{folder}: folders nested too deeply")
    try:
        with os.scandir(folder) as listing:
            entries = [entry for entry in listing if entry.name not in _SKIP_NAMES]
        for entry in entries:
            info = entry.stat()  # follows symbolic links, like the build's reads
            _add(found, entry.path, info, clock)
            if entry.is_dir():
                key = (info.st_dev, info.st_ino)
                if key in seen:
                    raise ScanError(f"{entry.path}: symbolic link loop")
                seen.add(key)
                _walk(found, entry.path, depth + 1, seen, clock)
                seen.discard(key)
    except OSError as error:
        raise ScanError(f"{folder}: {error}") from None


def pack(found: Scan) -> Packed:
    """The paths and signatures of a walk, as the manifest keeps them."""
    numbers = array.array("q", itertools.chain.from_iterable(found.signatures))
    return "\0".join(found.paths), numbers.tobytes()


def unpack(packed: Packed) -> dict[str, Signature]:
    """The signature of each path of a packed walk."""
    paths, data = packed
    numbers = array.array("q", data)
    fields = (numbers[0::4], numbers[1::4], numbers[2::4], numbers[3::4])
    return dict(zip(paths.split("\0"), zip(*fields, strict=True), strict=True))


def unchanged(packed: Packed) -> bool:
    """Whether every path still has its signature (one stat each, no folder listed)."""
    names, expected = packed
    return _all_match(names.split("\0"), expected, _signatures)


def same_sizes_and_mtimes(paths: list[str], expected: bytes) -> bool:
    """Whether each of `paths` is a file whose size and mtime (ns) are the pair at its place
    in `expected`, an array of 64-bit integers (a missing path never matches)."""
    return _all_match(paths, expected, _sizes_and_mtimes)


def _all_match(paths: list[str], expected: bytes, numbers: Callable[[list[str]], bytes]) -> bool:
    """Whether `numbers(paths) == expected`, the stats split between two processes when
    there are many paths: a stat is mostly the kernel's time, and on two cores two processes
    took 0.53x the time of one for 55,580 files (two threads, which hold the GIL between the
    calls, 0.75x)."""
    if len(paths) < _SPLIT_FROM or not _may_fork():
        return numbers(paths) == expected
    half = len(paths) // 2
    if len(expected) % len(paths):
        return False  # not a whole number of values per path
    cut = half * (len(expected) // len(paths))
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the child: the second half, its answer in one byte
        same = False
        try:
            os.close(read_end)
            same = numbers(paths[half:]) == expected[cut:]
        finally:
            os.write(write_end, b"1" if same else b"0")
            os._exit(0)
    os.close(write_end)
    try:
        mine = numbers(paths[:half]) == expected[:cut]
        theirs = os.read(read_end, 1) == b"1"
    finally:
        os.close(read_end)
        os.waitpid(child, 0)
    return mine and theirs


# Fewer paths than this are stat'ed in one process: a fork costs about as much as 1,500
# stats (8 ms here), so a split pays from a few thousand.
_SPLIT_FROM = 4000


def _stat_numbers(
    paths: list[str],
    numbers_of: Callable[[os.stat_result], tuple[int, ...]],
    missing: tuple[int, ...],
) -> bytes:
    """`numbers_of` each path's stat, or `missing` for a path that cannot be stat'ed, as
    one array of 64-bit integers."""
    current = array.array("q")
    extend, stat = current.extend, os.stat
    for path in paths:
        try:
            extend(numbers_of(stat(path)))
        except OSError:
            extend(missing)
    return current.tobytes()


_signatures = functools.partial(
    _stat_numbers,
    numbers_of=operator.attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino"),
    missing=MISSING,
)
_sizes_and_mtimes = functools.partial(
    _stat_numbers, numbers_of=operator.attrgetter("st_size", "st_mtime_ns"), missing=(-1, -1)
)


def _may_fork() -> bool:
    """Whether a second process may stat (more than one CPU, and no thread that a fork
    could copy in the middle of something)."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return False
    if not hasattr(os, "fork"):
        return False
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cpus or 1) > 1
