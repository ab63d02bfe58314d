"""Search stage: the Pagefind index of the staged output, made by Pagefind's own binary.

Runs after every page is rendered, before the output is committed. The pages whose HTML
marks a `data-pagefind-body` (logs, projects, resources, goals, paths, snippets in the
shipped themes) are linked into a scratch folder inside the staging folder, Pagefind
indexes that folder, and its bundle is staged under `pagefind/` like any other output:
files whose bytes did not change keep their inode.

Pagefind cannot add one page to an index; it reads every page again (about 5 ms a page).
So the index is a base and a delta: the base (`pagefind/`) is of the pages as they were
when it was made (`OutputMemo.search_pages`), the delta (`pagefind/delta/`) indexes only
the pages changed since, and `pagefind/delta/superseded.json` lists the pages whose base
entries are out of date (changed or deleted) by their ids in the base
(`OutputMemo.search_fragments`). The search page merges the delta into the base and drops
the base's results for superseded pages. When more pages changed since
the base was made than one in twenty, or 16, whichever is more, the base is made again and the
delta is empty. A build with no indexed page changed keeps both as they are.

The base is made in parts of at most 800 pages, one Pagefind run each, one after the
other (Pagefind holds the pages it indexes in memory, about 0.2 MB a page: 2 GB for
10,000 logs in one run, 160 MB for a part); the search page merges them
(`pagefind/parts.json`).
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Collection, Mapping
from importlib import metadata
from pathlib import Path

from tamatar_site.build.memo import OutputMemo, PageRecord, SearchDelta, intact
from tamatar_site.build.pagewriter import stage_file
from tamatar_site.write import Stage

__all__ = ["SEARCH_FOLDER", "SEARCH_PREFIX", "SearchError", "is_search_file", "write_search_index"]

SEARCH_FOLDER = "pagefind"
SEARCH_PREFIX = f"{SEARCH_FOLDER}/"  # of every output file of the search bundle
DELTA_FOLDER = f"{SEARCH_FOLDER}/delta"
DELTA_PREFIX = f"{DELTA_FOLDER}/"
SUPERSEDED = f"{DELTA_FOLDER}/superseded.json"
PARTS = f"{SEARCH_FOLDER}/parts.json"
# The most pages one Pagefind run indexes: a bigger site's base index is made in parts.
PART_PAGES = 800
# The attribute that makes a page searchable; a theme puts it on a page's main content.
INDEXED_MARK = b"data-pagefind-body"
# Pagefind's scratch folder inside the staging folder; removed before the commit (and with
# the whole staging folder when a build is killed).
_SCRATCH = ".tamatar-search"
# The delta grows to one page in _DELTA_SHARE (at least _DELTA_MINIMUM) before the base is
# made again: a one-log edit re-indexes a page or two, not the site.
_DELTA_SHARE = 20
_DELTA_MINIMUM = 16
# A page's fragment file in a bundle: gzip of this signature and the page's JSON.
_FRAGMENT_SUFFIX = ".pf_fragment"
_FRAGMENT_SIGNATURE = b"pagefind_dcd"


class SearchError(Exception):
    """Pagefind is missing or failed; the output is left as it was."""


def write_search_index(
    stage: Stage,
    memo: OutputMemo,
    previous: OutputMemo,
    *,
    output_verified: bool = False,
    edited: Collection[str] | None = None,
) -> bool:
    """Stage the search bundle of the HTML pages in `memo` (every page of this build,
    staged or kept) and record its files and base pages in `memo`. Returns whether
    Pagefind ran (False: the last bundle, in `previous`, was kept or only added to).
    `output_verified`: the output's files are known to be as `previous` records them (the
    edit path's premise), so the last bundle's are not stat'ed again. `edited`: `memo` is
    `previous` with these pages written again and none removed (an edit of log text).

    Raises:
        SearchError: the Pagefind binary is missing or failed.
    """
    known, last = previous.search_files, previous.search_delta
    memo.search_files = set()  # filled by `_keep` and `_stage_bundle_file`
    memo.search_delta = None
    try:
        if memo is previous and known is not None and last is not None and edited is not None:
            ran = _write_edited(stage, memo, known, last, edited) if output_verified else None
            if ran is not None:
                return ran
        return _write_index(stage, memo, previous, known, output_verified)
    except BaseException:
        memo.search_files = None
        raise


def _write_edited(
    stage: Stage,
    memo: OutputMemo,
    known: set[str],
    last: SearchDelta,
    edited: Collection[str],
) -> bool | None:
    """`_write_index` for an edit in a session whose last search stage this process ran:
    only the pages edited since are compared with the base, and the base's records stay
    where they are (a serve edit at 10,000 logs no longer goes over its 10,600 files).
    The output is as the session left it (`output_verified`). None: the delta outgrew the
    base, nothing was staged (`_write_index` makes the base again)."""
    base, searchable = memo.search_pages, memo.searchable
    candidates = last.changed.union(path for path in edited if path in searchable)
    changed = sorted(path for path in candidates if base.get(path) != memo.pages[path].digest)
    if len(changed) + len(last.removed) > max(_DELTA_MINIMUM, len(searchable) // _DELTA_SHARE):
        return None
    old_delta = {key: memo.pages.pop(key) for key in known if key.startswith(DELTA_PREFIX)}
    kept_base = known.difference(old_delta)
    stage.claim_kept(kept_base)  # as the last stage made or kept them, with this key
    memo.search_files = kept_base
    removed = list(last.removed)
    ran = _write_delta(stage, memo, memo, old_delta, last.base_key, changed, removed, True)
    memo.search_delta = dataclasses.replace(last, changed=frozenset(changed))
    return ran


def _write_index(
    stage: Stage,
    memo: OutputMemo,
    previous: OutputMemo,
    known: set[str] | None,
    output_verified: bool,
) -> bool:
    indexed = _indexed_pages(stage, memo, previous)
    digests = {path: memo.pages[path].digest for path in indexed}
    if memo is previous and known is not None:  # a session's edit: its last bundle is known
        old = {key: previous.pages[key] for key in known if key in previous.pages}
        for path in old:
            del memo.pages[path]
    else:  # (inline prefix tests: these loops run over every output file)
        old = {k: r for k, r in previous.pages.items() if k.startswith(SEARCH_PREFIX)}
        stale = old if memo is previous else [k for k in memo.pages if k.startswith(SEARCH_PREFIX)]
        for path in stale:
            del memo.pages[path]  # `memo` may be `previous` (edits): the new bundle's only
    old_delta = {k: r for k, r in old.items() if k.startswith(DELTA_PREFIX)}
    old_base = {k: r for k, r in old.items() if k not in old_delta}
    base = previous.search_pages
    base_key = _index_key(base) if base else b""
    if base and _intact(stage, old_base, base_key, output_verified):
        changed = [path for path in indexed if base.get(path) != digests[path]]
        removed = sorted(path for path in base if path not in digests)
        if len(changed) + len(removed) <= max(_DELTA_MINIMUM, len(digests) // _DELTA_SHARE):
            _keep(stage, memo, old_base)
            memo.search_pages = base
            memo.search_fragments = previous.search_fragments
            memo.searchable = frozenset(indexed)
            ran = _write_delta(
                stage, memo, previous, old_delta, base_key, changed, removed, output_verified
            )
            memo.search_delta = SearchDelta(base_key, frozenset(changed), (*removed,))
            return ran
    memo.search_pages = digests
    memo.search_fragments = {}
    memo.searchable = frozenset(indexed)
    base_key = _index_key(digests)
    if indexed:  # else no bundle: Pagefind refuses an empty site
        _write_base(stage, memo, previous, indexed, base_key)
    _write_delta(stage, memo, previous, old_delta, base_key, [], [])
    memo.search_delta = SearchDelta(base_key, frozenset(), ())
    return bool(indexed)


def _write_base(
    stage: Stage, memo: OutputMemo, previous: OutputMemo, indexed: list[str], key: bytes
) -> None:
    """Stage the base index of the `indexed` pages: one Pagefind run a part of at most
    `PART_PAGES` pages, one after the other (Pagefind holds a part in memory, about 0.2 MB
    a page). The first part is the bundle (`pagefind/`), the others are indexes the search
    page merges into it (`pagefind/part-N/`, listed in `pagefind/parts.json`)."""
    parts = []
    for number, start in enumerate(range(0, len(indexed), PART_PAGES)):
        bundle = _run_pagefind(stage, indexed[start : start + PART_PAGES])
        memo.search_fragments.update(_fragment_ids(bundle))
        folder = SEARCH_FOLDER if number == 0 else f"{SEARCH_FOLDER}/part-{number}"
        if number:
            parts.append(f"part-{number}/")
        for path, data in bundle:
            if number == 0 or _is_index_file(path):  # the script and WebAssembly: once
                _stage_bundle_file(stage, memo, previous, f"{folder}/{path}", data, key)
    listing = (json.dumps({"version": 1, "parts": parts}, indent=1) + "\n").encode()
    _stage_bundle_file(stage, memo, previous, PARTS, listing, key)


def _write_delta(
    stage: Stage,
    memo: OutputMemo,
    previous: OutputMemo,
    old: dict[str, PageRecord],
    base_key: bytes,
    changed: list[str],
    removed: list[str],
    output_verified: bool = False,
) -> bool:
    """Stage (or keep) the delta of the `changed` pages and the list of superseded pages
    (against the base `memo.search_pages`, whose `_index_key` is `base_key`); returns
    whether Pagefind ran."""
    key = hashlib.blake2b(b"delta\0" + base_key, digest_size=16)
    for path in changed:
        key.update(path.encode("utf-8", "surrogateescape") + b"\0" + memo.pages[path].digest)
    key.update("\0".join(removed).encode("utf-8", "surrogateescape"))
    fingerprint = key.digest()
    if old and _intact(stage, old, fingerprint, output_verified):
        _keep(stage, memo, old)
        return False
    bundle = _run_pagefind(stage, changed) if changed else []
    in_delta = set(_fragment_ids(bundle).values())
    base_ids = memo.search_fragments
    superseded = (base_ids.get(_page_url(path)) for path in [*changed, *removed])
    # an id in both is the same page text: the search page shows it once
    drop = sorted({page_id for page_id in superseded if page_id and page_id not in in_delta})
    listing = {"version": 1, "merge": bool(bundle), "drop": drop}
    data = (json.dumps(listing, indent=1) + "\n").encode()
    _stage_bundle_file(stage, memo, previous, SUPERSEDED, data, fingerprint)
    for path, data in bundle:
        if _is_index_file(path):  # the script and WebAssembly come from the base
            _stage_bundle_file(stage, memo, previous, f"{DELTA_FOLDER}/{path}", data, fingerprint)
    return bool(bundle)


def _fragment_ids(bundle: list[tuple[str, bytes]]) -> dict[str, str]:
    """The id Pagefind gave each page of `bundle` (its fragment file's name), by URL."""
    ids: dict[str, str] = {}
    for path, data in bundle:
        if path.startswith("fragment/") and path.endswith(_FRAGMENT_SUFFIX):
            text = gzip.decompress(data).removeprefix(_FRAGMENT_SIGNATURE)
            url = json.loads(text).get("url")
            if isinstance(url, str):
                ids[url] = path[len("fragment/") : -len(_FRAGMENT_SUFFIX)]
    return ids


def _stage_bundle_file(
    stage: Stage, memo: OutputMemo, previous: OutputMemo, path: str, data: bytes, key: bytes
) -> None:
    claimed, output = stage.claim(path)
    memo.pages[claimed] = stage_file(stage, claimed, output, data, previous, key)
    if memo.search_files is not None:
        memo.search_files.add(claimed)


def _intact(
    stage: Stage, files: Mapping[str, PageRecord], fingerprint: bytes, verified: bool = False
) -> bool:
    """Whether the bundle `files` were made from `fingerprint` and are as written (taken
    as given when `verified`)."""
    prefix = f"{stage.output_dir}{os.sep}"
    return bool(files) and all(
        record.fingerprint == fingerprint and (verified or intact(prefix + path, record))
        for path, record in files.items()
    )


def _keep(stage: Stage, memo: OutputMemo, files: Mapping[str, PageRecord]) -> None:
    stage.claim_kept(files.keys())
    memo.pages.update(files)
    if memo.search_files is not None:
        memo.search_files.update(files)


def _page_url(path: str) -> str:
    """The URL Pagefind records for the output page `path`: `/logs/x/` for
    `logs/x/index.html`."""
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return "/" + path


def _is_index_file(path: str) -> bool:
    """Whether a file of a Pagefind bundle is part of its index (what a merged index needs)."""
    return (
        path == "pagefind-entry.json"
        or path.endswith(".pf_meta")
        or path.startswith(("index/", "fragment/", "filter/"))
    )


def is_search_file(path: str) -> bool:
    """Whether the output file `path` belongs to the search bundle."""
    return path.startswith(SEARCH_PREFIX)


def _indexed_pages(stage: Stage, memo: OutputMemo, previous: OutputMemo) -> list[str]:
    """The HTML pages that mark a `data-pagefind-body`. A page with the bytes it had in the
    last build is indexed as it was then; only the others are read."""
    known = previous.searchable if previous.search_pages else None
    pages = memo.pages
    if known is not None and pages is previous.pages:  # an edit of log text: as indexed last
        return sorted(key for key in known if key in pages)
    found = []
    for key in sorted(pages):
        if not key.endswith(".html") or key.startswith(SEARCH_PREFIX):
            continue
        before = previous.pages.get(key)
        if known is not None and before is not None and before.digest == memo.pages[key].digest:
            if key in known:
                found.append(key)
        elif INDEXED_MARK in _read(_source(stage, key)):
            found.append(key)
    return found


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:  # a page the memo lists that is not there: not indexed
        return b""


def _source(stage: Stage, key: str) -> Path:
    """Where the output file `key` is now: staged by this build, else kept in the output."""
    staged = stage.staging_dir / key
    return staged if staged.exists() else stage.output_dir / key


def _index_key(pages: Mapping[str, bytes]) -> bytes:
    """Of Pagefind's version and the indexed pages' paths and bytes (their digests)."""
    key = hashlib.blake2b(digest_size=16)
    key.update(f"pagefind {_pagefind_version()}\n".encode())
    for path, digest in pages.items():
        key.update(path.encode("utf-8", "surrogateescape") + b"\0" + digest)
    return key.digest()


def _pagefind_version() -> str:
    try:
        return metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        return "unknown"


def _run_pagefind(stage: Stage, indexed: list[str]) -> list[tuple[str, bytes]]:
    """Pagefind's bundle for the `indexed` pages, as (path inside the bundle, bytes),
    sorted."""
    scratch = stage.staging_dir / _SCRATCH
    site, bundle = scratch / "site", scratch / "bundle"
    try:
        for key in indexed:
            _link_or_copy(_source(stage, key), site / key)
        completed = subprocess.run(
            [str(_executable()), "--site", str(site), "--output-path", str(bundle), "--silent"],
            cwd=scratch,  # so that no pagefind.yml of the current folder applies
            env={k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
        if completed.returncode != 0:
            said = (completed.stderr or completed.stdout).decode("utf-8", "replace").strip()
            raise SearchError(
                f"search: Pagefind failed (exit {completed.returncode}): {said[-2000:]}; "
                "set `search: false` in tamatar.yaml to build without search"
            )
        return [
            (path.relative_to(bundle).as_posix(), path.read_bytes())
            for path in sorted(bundle.rglob("*"))
            if path.is_file()
        ]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _executable() -> Path:
    """The `pagefind` binary of the `pagefind[bin]` package (or PAGEFIND_BINARY_PATH)."""
    from pagefind.service import get_executable  # imports asyncio: only when needed

    try:
        executable = get_executable()
    except FileNotFoundError:  # pagefind_bin installed without its binary
        executable = None
    if executable is None or not executable.is_file():
        raise SearchError(
            "search: the Pagefind binary is missing; install it with "
            "`pip install 'pagefind[bin]'`, or set `search: false` in tamatar.yaml"
        )
    return executable
