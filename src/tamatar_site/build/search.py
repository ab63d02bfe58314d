"""Search stage: the Pagefind index of the staged output, made by Pagefind's own binary.

Runs after every page is rendered, before the output is committed. The pages whose HTML
marks a `data-pagefind-body` (logs, projects, resources, goals, paths, snippets in the
shipped themes) are linked into a scratch folder inside the staging folder, Pagefind
indexes that folder, and its bundle is staged under `pagefind/` like any other output:
files whose bytes did not change keep their inode. The bundle's files are recorded in the
output memo with one fingerprint, of the indexed pages' paths and digests: when no indexed
page changed, the last bundle is kept and Pagefind does not run (issue 12).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from tamatar_site.build.memo import OutputMemo, intact
from tamatar_site.build.pagewriter import stage_file
from tamatar_site.write import Stage

__all__ = ["SEARCH_FOLDER", "SearchError", "is_search_file", "write_search_index"]

SEARCH_FOLDER = "pagefind"
# The attribute that makes a page searchable; a theme puts it on a page's main content.
INDEXED_MARK = b"data-pagefind-body"
# Pagefind's scratch folder inside the staging folder; removed before the commit (and with
# the whole staging folder when a build is killed).
_SCRATCH = ".tamatar-search"


class SearchError(Exception):
    """Pagefind is missing or failed; the output is left as it was."""


def write_search_index(stage: Stage, memo: OutputMemo, previous: OutputMemo) -> bool:
    """Stage the Pagefind bundle of the HTML pages in `memo` (every page of this build,
    staged or kept) and record its files in `memo`. Returns False when the last build's
    bundle (in `previous`) was kept because no indexed page changed.

    Raises:
        SearchError: the Pagefind binary is missing or failed.
    """
    indexed = dict(_indexed_pages(stage, memo))
    key = _index_key(memo, indexed)
    old = {k: r for k, r in previous.pages.items() if is_search_file(k)}
    for path in [k for k in memo.pages if is_search_file(k)]:
        del memo.pages[path]  # `memo` may be `previous` (serve's edits): the new bundle's only
    prefix = f"{stage.output_dir}{os.sep}"
    if old and all(r.fingerprint == key and intact(Path(prefix + k), r) for k, r in old.items()):
        for path, record in old.items():
            claimed, _ = stage.claim(path)
            stage.keep(claimed)
            memo.pages[claimed] = record
        return False
    if not indexed:
        return True  # no searchable page: no bundle (Pagefind refuses an empty site)
    for path, data in _run_pagefind(stage, indexed):
        claimed, output = stage.claim(f"{SEARCH_FOLDER}/{path}")
        memo.pages[claimed] = stage_file(stage, claimed, output, data, previous, key)
    return True


def is_search_file(path: str) -> bool:
    """Whether the output file `path` belongs to the search bundle."""
    return path.startswith(f"{SEARCH_FOLDER}/")


def _indexed_pages(stage: Stage, memo: OutputMemo) -> Iterator[tuple[str, Path]]:
    """The HTML pages that mark a `data-pagefind-body`, with where their bytes are now."""
    for key in sorted(memo.pages):
        if not key.endswith(".html") or is_search_file(key):
            continue
        for source in (stage.staging_dir / key, stage.output_dir / key):
            try:
                data = source.read_bytes()
            except FileNotFoundError:
                continue
            if INDEXED_MARK in data:
                yield key, source
            break


def _index_key(memo: OutputMemo, indexed: dict[str, Path]) -> bytes:
    """Of Pagefind's version and the indexed pages' paths and bytes (their recorded digests)."""
    key = hashlib.blake2b(digest_size=16)
    key.update(f"pagefind {_pagefind_version()}\n".encode())
    for path in indexed:
        key.update(path.encode("utf-8", "surrogateescape") + b"\0" + memo.pages[path].digest)
    return key.digest()


def _pagefind_version() -> str:
    try:
        return metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        return "unknown"


def _run_pagefind(stage: Stage, indexed: dict[str, Path]) -> list[tuple[str, bytes]]:
    """Pagefind's bundle for `indexed` pages, as (path inside the bundle, bytes), sorted."""
    scratch = stage.staging_dir / _SCRATCH
    site, bundle = scratch / "site", scratch / "bundle"
    try:
        for key, source in indexed.items():
            _link_or_copy(source, site / key)
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
