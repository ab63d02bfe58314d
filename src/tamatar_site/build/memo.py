"""What a build remembers of its output for the next one: each output file's fingerprint,
size, mtime and digest (`OutputMemo`), so unchanged pages are not rendered again.

The memo is an ordinary value: `tamatar build` stores it under `.tamatar/cache/content/`,
`tamatar serve` keeps it in memory between builds.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from tamatar_site.cachefile import read_versioned, write_versioned
from tamatar_site.write import Stage

__all__ = [
    "OutputMemo",
    "PageRecord",
    "PageStats",
    "intact",
    "keep_unchanged_output",
    "load_memo",
    "save_memo",
]

_MEMO_FORMAT = 6


@dataclass(frozen=True)
class PageRecord:
    """What a build remembers about one output page."""

    fingerprint: bytes  # of the page's inputs; b"" when it could not be fingerprinted
    size: int  # of the output file, as written
    mtime_ns: int
    digest: bytes  # blake2b-128 of the file's bytes


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
    stored_dir, pages, files, site_key, search_pages, search_fragments, searchable = data
    if not isinstance(site_key, bytes):
        return memo
    if not (isinstance(search_pages, dict) and isinstance(search_fragments, dict)):
        return memo
    if not isinstance(searchable, frozenset):
        return memo
    if stored_dir != memo.output_dir or not isinstance(pages, dict):
        return memo
    if not (isinstance(files, frozenset) and all(isinstance(f, str) for f in files)):
        return memo
    try:
        memo.pages = {key: PageRecord(*value) for key, value in pages.items()}
    except TypeError:
        return OutputMemo(memo.output_dir)
    memo.files = files
    memo.site_fingerprint = site_key
    memo.search_pages = search_pages
    memo.search_fragments = search_fragments
    memo.searchable = searchable
    return memo


def save_memo(path: Path, memo: OutputMemo) -> None:
    """Write the memo atomically (a crash leaves the previous one or none; a failure to
    write means the next build renders every page again)."""
    pages = {key: (r.fingerprint, r.size, r.mtime_ns, r.digest) for key, r in memo.pages.items()}
    search = (memo.search_pages, memo.search_fragments, memo.searchable)
    data = (memo.output_dir, pages, memo.files, memo.site_fingerprint, *search)
    write_versioned(path, _MEMO_FORMAT, data)


def keep_unchanged_output(
    stage: Stage, previous: OutputMemo, site_fingerprint: bytes
) -> tuple[OutputMemo, PageStats] | None:
    """When the build's inputs are the last build's (`site_fingerprint`) and every page
    and document it wrote is intact, keep them all without rendering anything; else None
    (nothing claimed: render page by page)."""
    if not site_fingerprint or site_fingerprint != previous.site_fingerprint:
        return None
    prefix = f"{stage.output_dir}{os.sep}"
    if not previous.pages or not all(
        intact(prefix + key, record) for key, record in previous.pages.items()
    ):
        return None
    for key in previous.pages:
        stage.claim_kept(key)
    # all of the last build's memo (its search index's too), as a new value
    memo = dataclasses.replace(
        previous, pages=dict(previous.pages), rendered=(), site_fingerprint=site_fingerprint
    )
    stats = PageStats(skipped=sum(1 for key in previous.pages if key.endswith(".html")))
    return memo, stats


def intact(output: str | Path, record: PageRecord) -> bool:
    """Whether the file at `output` has the size and mtime `record` wrote it with (a
    string path: no `Path` made, for checks of thousands of files)."""
    try:
        stat = os.stat(output)
    except OSError:
        return False
    return stat.st_size == record.size and stat.st_mtime_ns == record.mtime_ns
