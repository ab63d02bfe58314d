"""What a build remembers of its output for the next one: each output file's fingerprint,
size, mtime and digest (`OutputMemo`), so unchanged pages are not rendered again.

The memo is an ordinary value: `tamatar build` stores it under `.tamatar/cache/content/`,
`tamatar serve` keeps it in memory between builds.
"""

from __future__ import annotations

import array
import dataclasses
import functools
import itertools
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from tamatar_site.build.filestats import same_sizes_and_mtimes
from tamatar_site.cachefile import read_versioned, write_versioned
from tamatar_site.write import Stage

__all__ = [
    "OutputMemo",
    "PageRecord",
    "PageStats",
    "SearchDelta",
    "all_intact",
    "intact",
    "keep_unchanged_output",
    "load_memo",
    "save_memo",
]

_MEMO_FORMAT = 7


class PageRecord(NamedTuple):
    """What a build remembers about one output page (a tuple: 55,000 of them are made
    each time a one-log `tamatar build` loads the memo)."""

    fingerprint: bytes  # of the page's inputs; b"" when it could not be fingerprinted
    size: int  # of the output file, as written
    mtime_ns: int
    digest: bytes  # blake2b-128 of the file's bytes


@dataclass(frozen=True)
class SearchDelta:
    """What the last search stage of this process left of its delta (`search.py`), for an
    edit of log text to start from instead of comparing every indexed page again."""

    base_key: bytes  # of the base the delta is against
    changed: frozenset[str]  # the indexed pages whose bytes differ from the base's
    removed: tuple[str, ...]  # the base's pages no longer indexed, sorted


@dataclass
class OutputMemo:
    """The pages of the last build into `output_dir`, by output path (forward slashes).

    `write_site` takes one (or loads it from the site's cache) and returns the new one;
    a long-running process (`tamatar serve`) can keep it in memory between builds.
    """

    output_dir: str
    pages: dict[str, PageRecord] = field(default_factory=dict)
    rendered: tuple[str, ...] = ()  # output paths of the pages the last build rendered
    files: frozenset[str] = frozenset()  # every output path of the last build
    site_fingerprint: bytes = b""  # of all the last build's inputs (`sitefingerprint.py`)
    # The pages (and their digests) the search index's base was made from (`search.py`).
    search_pages: dict[str, bytes] = field(default_factory=dict)
    search_fragments: dict[str, str] = field(default_factory=dict)  # its page ids, by URL
    searchable: frozenset[str] = frozenset()  # the pages the last build found to index
    # The keys of `pages` that are the search bundle's files, when this process made it
    # (`tamatar serve`'s edits then need not look for them among every output file); None:
    # not known (not saved with the memo), found by their folder.
    search_files: set[str] | None = None
    search_delta: SearchDelta | None = None  # known with `search_files`

    def replace_with(self, other: OutputMemo) -> None:
        """Take every field of `other`: a caller that keeps this object between builds
        (`tamatar serve`) sees the new build's memo."""
        for memo_field in dataclasses.fields(self):
            setattr(self, memo_field.name, getattr(other, memo_field.name))


@dataclass
class PageStats:
    """What happened to the pages of one build."""

    rendered: int = 0  # pages whose template ran
    skipped: int = 0  # pages not rendered: inputs and output file unchanged


def load_memo(path: Path, output_dir: Path) -> OutputMemo:
    """The memo stored at `path` for `output_dir`; empty when missing, stale or corrupt."""
    memo = OutputMemo(str(output_dir.absolute()))
    data = read_versioned(path, _MEMO_FORMAT)
    if not (isinstance(data, tuple) and len(data) == 7):
        return memo
    stored_dir, packed, extra, site_key, search_pages, search_fragments, searchable = data
    if stored_dir != memo.output_dir:
        return memo
    if not isinstance(site_key, bytes) or not isinstance(searchable, frozenset):
        return memo
    if not (isinstance(search_pages, dict) and isinstance(search_fragments, dict)):
        return memo
    try:
        memo.pages = _unpack_pages(packed)
        memo.files = _unpack_files(memo.pages, extra)
    except (TypeError, ValueError, AttributeError):  # damaged
        return OutputMemo(memo.output_dir)
    memo.site_fingerprint = site_key
    memo.search_pages = search_pages
    memo.search_fragments = search_fragments
    memo.searchable = searchable
    return memo


def save_memo(path: Path, memo: OutputMemo) -> None:
    """Write the memo atomically (a crash leaves the previous one or none; a failure to
    write means the next build renders every page again)."""
    search = (memo.search_pages, memo.search_fragments, memo.searchable)
    files = (tuple(memo.files - memo.pages.keys()), tuple(memo.pages.keys() - memo.files))
    data = (memo.output_dir, _pack_pages(memo.pages), files, memo.site_fingerprint, *search)
    write_versioned(path, _MEMO_FORMAT, data)


# The pages are kept as a few long strings and arrays, not one tuple a page: marshal reads
# 55,000 small tuples (10,000 logs) in 0.35 s, these in a fraction of that.
_Packed = tuple[str, bytes, bytes, bytes, bytes, bytes]


def _pack_pages(pages: dict[str, PageRecord]) -> _Packed:
    records = pages.values()
    # The records' fields as four columns (each record is a tuple of four).
    fingerprints, _, _, digests = zip(*records, strict=True) if records else [()] * 4
    return (
        "\0".join(pages),
        array.array("I", map(len, fingerprints)).tobytes(),
        b"".join(fingerprints),
        array.array("I", map(len, digests)).tobytes(),
        b"".join(digests),
        _sizes_and_mtimes(records),
    )


def _sizes_and_mtimes(records: Iterable[PageRecord]) -> bytes:
    """Each record's size and mtime, in turn, as 64-bit integers (the memo file's numbers,
    and what `filestats` compares the output's files with)."""
    pairs = ((record.size, record.mtime_ns) for record in records)
    return array.array("q", itertools.chain.from_iterable(pairs)).tobytes()


def _unpack_pages(packed: object) -> dict[str, PageRecord]:
    if not (isinstance(packed, tuple) and len(packed) == 6):
        raise TypeError("not a packed memo")
    keys_text, fingerprint_lengths, fingerprints, digest_lengths, digests, number_bytes = packed
    keys = keys_text.split("\0") if keys_text else []
    numbers = array.array("q")
    numbers.frombytes(number_bytes)
    if len(numbers) != 2 * len(keys):
        raise ValueError("a damaged memo")
    fields = zip(
        _split(fingerprints, fingerprint_lengths),
        numbers[0::2],
        numbers[1::2],
        _split(digests, digest_lengths),
        strict=True,
    )
    return dict(zip(keys, map(_make_record, fields), strict=True))


# PageRecord from a (fingerprint, size, mtime_ns, digest) tuple without a Python call:
# half the time of `PageRecord(...)` for each of 55,000 records.
_make_record: Callable[[tuple[bytes, int, int, bytes]], PageRecord] = functools.partial(
    tuple.__new__, PageRecord
)


def _split(joined: bytes, length_bytes: bytes) -> list[bytes]:
    """`joined` cut into pieces of the lengths in `length_bytes` (an unsigned int array)."""
    lengths = array.array("I")
    lengths.frombytes(length_bytes)
    ends = list(itertools.accumulate(lengths))
    if (ends[-1] if ends else 0) != len(joined):
        raise ValueError("a damaged memo")
    return [joined[start:end] for start, end in zip([0, *ends], ends, strict=False)]


def _unpack_files(pages: dict[str, PageRecord], extra: object) -> frozenset[str]:
    if not (isinstance(extra, tuple) and len(extra) == 2):
        raise TypeError("not a packed memo")
    added, missing = extra
    if not all(isinstance(path, str) for path in (*added, *missing)):
        raise TypeError("not a packed memo")
    return frozenset(pages.keys() - set(missing)).union(added)


def keep_unchanged_output(
    stage: Stage, previous: OutputMemo, site_fingerprint: bytes
) -> tuple[OutputMemo, PageStats] | None:
    """When the build's inputs are the last build's (`site_fingerprint`) and every page
    and document it wrote is intact, keep them all without rendering anything; else None
    (nothing claimed: render page by page)."""
    if not site_fingerprint or site_fingerprint != previous.site_fingerprint:
        return None
    if not previous.pages or not all_intact(stage.output_dir, previous.pages):
        return None
    stage.claim_kept(previous.pages.keys())
    # all of the last build's memo (its search index's too), as a new value
    memo = dataclasses.replace(
        previous, pages=dict(previous.pages), rendered=(), site_fingerprint=site_fingerprint
    )
    stats = PageStats(skipped=sum(1 for key in previous.pages if key.endswith(".html")))
    return memo, stats


def all_intact(output_dir: str | Path, pages: Mapping[str, PageRecord]) -> bool:
    """Whether every page of `pages` (by output path) is intact in `output_dir`: at 55,000
    pages the stats take a good part of a one-log `tamatar build`, so they are split between
    two processes."""
    prefix = f"{output_dir}{os.sep}"
    paths = [prefix + key for key in pages]
    return same_sizes_and_mtimes(paths, _sizes_and_mtimes(pages.values()))


def intact(output: str | Path, record: PageRecord) -> bool:
    """Whether the file at `output` has the size and mtime `record` wrote it with (a
    string path: no `Path` made, for checks of thousands of files)."""
    try:
        stat = os.stat(output)
    except OSError:
        return False
    return stat.st_size == record.size and stat.st_mtime_ns == record.mtime_ns
