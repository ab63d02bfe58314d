"""Render the HTML pages of a build into its stage, in parallel, skipping the
pages whose inputs did not change since the last build.

1. Skipping. Each page gets a fingerprint of everything it depends on (`fingerprint.py`).
   The `OutputMemo` of the previous build maps each output path to that fingerprint and to
   the size, mtime and digest of the file it wrote. A page whose fingerprint is unchanged
   and whose output file is intact (same size and mtime) is not rendered at all.
2. Parallel rendering. The remaining pages are split over worker processes, one per core.
   Workers are forked, so they inherit the pages, the view models and the compiled
   templates without pickling anything; each renders its share with its own copy of the
   Jinja environment, compares the bytes with the existing output and writes changed
   files into the staging folder. The parent only merges small result records, in page
   order, so the result does not depend on how the work was split. A process that runs
   other threads (the dev server) must not fork; it renders in-process instead.
3. A template error in a worker is raised again by rendering that page in the parent, so
   the build reports it with the template's file and line as a serial build would.

What a build remembers of its output for the next one is `memo.py`'s `OutputMemo`.
"""

from __future__ import annotations

import hashlib
import multiprocessing.pool
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from tamatar_site.build.fingerprint import ContextFingerprinter, Unfingerprintable
from tamatar_site.build.memo import OutputMemo, PageRecord, PageStats, intact
from tamatar_site.build.workers import can_fork, chunks, fork_pool, usable_cpus
from tamatar_site.render.documents.groups import Document, DocumentGroup
from tamatar_site.render.pages.routes import Page
from tamatar_site.write import Stage

__all__ = ["PendingPages", "render_pages", "stage_file", "start_pages", "write_documents"]

# Context values every page shares: hashed once per build, not once per page.
SHARED_CONTEXT_KEYS = ("site", "github", "dashboard")
# Below this many pages to render, forking workers costs more than it saves.
PARALLEL_THRESHOLD = 64
# A page worker is replaced by a new fork after this many shards. Its memory grows with the
# parent's objects it reads (reference counts dirty the pages it shares with the parent)
# and with the fingerprints it memoizes; a new fork shares the parent's pages again. At
# 10,000 logs, 16 shards a worker held the cold build's render phase at about 720 MB of
# PSS, 8 at 640 and 4 (with the body cache let go of before the fork) at about 450.
SHARDS_PER_WORKER = 4


@dataclass(frozen=True)
class _Job:
    """What workers inherit by fork: the pages to render and where to put them."""

    env: jinja2.Environment
    pages: Sequence[Page]
    outputs: Sequence[Path]  # existing output file of each page
    keys: Sequence[str]  # output path of each page
    staging_dir: Path
    previous: Mapping[str, PageRecord]
    template_set: bytes
    fingerprints: Sequence[bytes | None]  # None: the renderer computes it (cold builds)


_job: _Job | None = None
_made_dirs: set[str] = set()  # staging folders this process created
_fingerprinter: ContextFingerprinter | None = None  # this process's, for cold builds
# index, written, size, mtime_ns, digest, fingerprint
_Result = tuple[int, bool, int, int, bytes, bytes]
_Shard = tuple[list[_Result], int | None]  # a shard's results, the index of a failed page


def render_pages(
    stage: Stage,
    env: jinja2.Environment,
    pages: Sequence[Page],
    *,
    template_set: bytes,
    memo: OutputMemo,
) -> tuple[OutputMemo, PageStats]:
    """Render `pages` into `stage` now (`start_pages`, then its result)."""
    with start_pages(stage, env, pages, template_set=template_set, memo=memo) as pending:
        return pending.result()


def start_pages(
    stage: Stage,
    env: jinja2.Environment,
    pages: Sequence[Page],
    *,
    template_set: bytes,
    memo: OutputMemo,
) -> PendingPages:
    """Start rendering `pages` into `stage`, skipping those whose inputs and output did not
    change; `result()` of the handle waits and returns the memo for the next build and the
    stats. Use the handle as a context manager: leaving it stops the workers.

    Args:
        stage: the build's stage; every page path is claimed in it.
        env: the Jinja environment (workers use forked copies).
        pages: the pages, in a deterministic order.
        template_set: `template_set_fingerprint(...)` of this build.
        memo: the previous build's memo (empty for a cold build).
    """
    previous = memo.pages
    _made_dirs.clear()
    global _fingerprinter
    _fingerprinter = None
    # A cold build skips nothing: its fingerprints are computed by the renderers, in parallel.
    fingerprinter = ContextFingerprinter(template_set) if previous else None
    pending = PendingPages(stage, OutputMemo(memo.output_dir))
    keys: list[str] = []
    outputs: list[Path] = []
    fingerprints: list[bytes | None] = []
    todo: list[int] = []
    for index, page in enumerate(pages):
        key, output = stage.claim(page.path)
        keys.append(key)
        outputs.append(output)
        fingerprint = None if fingerprinter is None else _fingerprint(fingerprinter, page)
        fingerprints.append(fingerprint)
        old = previous.get(key)
        unchanged = fingerprint and old is not None and old.fingerprint == fingerprint
        if unchanged and old is not None and intact(output, old):
            stage.keep(key)
            pending.memo.pages[key] = old
            pending.stats.skipped += 1
            continue
        todo.append(index)
    job = _Job(env, pages, outputs, keys, stage.staging_dir, previous, template_set, fingerprints)
    pending.start(job, todo)
    return pending


def _fingerprint(fingerprinter: ContextFingerprinter, page: Page) -> bytes:
    try:
        return fingerprinter.page(page.template, page.context, SHARED_CONTEXT_KEYS)
    except Unfingerprintable:
        return b""


class PendingPages:
    """Pages being rendered: `result()` waits for them (template errors raise there)."""

    def __init__(self, stage: Stage, memo: OutputMemo) -> None:
        self.memo = memo
        self.stats = PageStats()
        self._stage = stage
        self._job: _Job | None = None
        self._todo: list[int] = []
        self._pool: multiprocessing.pool.Pool | None = None
        self._async: multiprocessing.pool.AsyncResult[list[_Shard]] | None = None

    def start(self, job: _Job, todo: list[int]) -> None:
        """Fork the workers and hand them `todo`, when there are enough pages for them."""
        self._job, self._todo = job, todo
        count = min(usable_cpus(), max(1, len(todo) // (PARALLEL_THRESHOLD // 2)))
        # Workers inherit the job by fork (nothing here pickles): no fork, no workers.
        if count <= 1 or len(todo) < PARALLEL_THRESHOLD or not can_fork():
            return  # rendered in this process by `result()`
        for name in dict.fromkeys(job.pages[index].template for index in todo):
            job.env.get_template(name)  # compiled once here, inherited by every worker
        # Small interleaved shards balance cheap (log) and dear (list) pages between workers.
        shard_size = max(8, min(128, len(todo) // (count * 8)))
        global _job
        _job = job
        _made_dirs.clear()
        self._pool = fork_pool(count, maxtasksperchild=SHARDS_PER_WORKER)
        self._async = self._pool.map_async(_render_shard, chunks(todo, shard_size), chunksize=1)
        # No more tasks: the workers exit when the pages are done, not when `result()` is
        # called, so their memory is not held while this process writes the documents.
        self._pool.close()

    def result(self) -> tuple[OutputMemo, PageStats]:
        """The memo for the next build and the stats, once every page is written."""
        job = self._job
        assert job is not None, "start() runs first"
        if self._async is None:
            results = [_render_one(job, index) for index in self._todo]
        else:
            try:
                done = self._async.get()
                assert self._pool is not None
                # Closed when started: the workers exit by themselves once the pages are
                # done. A SIGTERM (`terminate`) could reach a worker forked a moment ago,
                # before it set its signal handlers, and leave it waiting forever.
                self._pool.join()
            finally:
                self.close()
            results = _gather(job, done)
        for index, written, size, mtime_ns, digest, fingerprint in results:
            key = job.keys[index]
            if written:
                self._stage.adopt(key)
            else:
                self._stage.keep(key)
            self.memo.pages[key] = PageRecord(fingerprint, size, mtime_ns, digest)
        self.stats.rendered = len(results)
        self.memo.rendered = tuple(job.keys[index] for index, *_ in results)
        global _fingerprinter
        _fingerprinter = None  # its memo holds this build's views
        self._job = None  # and this the pages, with their contexts
        return self.memo, self.stats

    def close(self) -> None:
        """Stop the workers."""
        global _job
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        _job = None

    def __enter__(self) -> PendingPages:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _gather(job: _Job, done: list[_Shard]) -> list[_Result]:
    results: list[_Result] = []
    for shard_results, failed in done:
        results.extend(shard_results)
        if failed is not None:
            _render_one(job, failed)  # raises the template error here, with its traceback
            raise RuntimeError(f"page {job.keys[failed]} failed in a worker process only")
    results.sort()
    return results


def _render_shard(indexes: list[int]) -> _Shard:
    job = _job
    assert job is not None, "set before the workers fork"
    results: list[_Result] = []
    for index in indexes:
        try:
            results.append(_render_one(job, index))
        except Exception:  # reported from the parent, which renders the page again
            return results, index
    return results, None


def _render_one(job: _Job, index: int) -> _Result:
    """Render one page; stage its file when its bytes differ from the output's."""
    page = job.pages[index]
    data = job.env.get_template(page.template).render(page.context).encode("utf-8")
    key = job.keys[index]
    written, size, mtime_ns, digest = _write_if_changed(
        job.staging_dir, key, job.outputs[index], data, job.previous.get(key)
    )
    fingerprint = job.fingerprints[index]
    if fingerprint is None:
        global _fingerprinter
        if _fingerprinter is None:
            _fingerprinter = ContextFingerprinter(job.template_set)
        try:
            fingerprint = _fingerprinter.page(page.template, page.context, SHARED_CONTEXT_KEYS)
        except Unfingerprintable:
            fingerprint = b""
    return index, written, size, mtime_ns, digest, fingerprint


def _write_if_changed(
    staging_dir: Path, key: str, output: Path, data: bytes, old: PageRecord | None
) -> tuple[bool, int, int, bytes]:
    """Stage `data` unless the output file holds it already: (written, size, mtime, digest)
    of the file the output will have."""
    digest = hashlib.blake2b(data, digest_size=16).digest()
    try:
        stat = os.stat(output)
        if stat.st_size == len(data):
            # The file the last build recorded (same size and mtime) is compared by its
            # recorded digest; any other file by its bytes.
            if old is not None and (old.size, old.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                unchanged = old.digest == digest
            else:
                unchanged = output.read_bytes() == data
            if unchanged:
                return False, stat.st_size, stat.st_mtime_ns, digest
    except OSError:
        pass
    # os calls on strings: pathlib costs more than the system calls here (one per page)
    target = f"{staging_dir}{os.sep}{key}"
    folder = os.path.dirname(target)
    if folder not in _made_dirs:
        _make_folder(folder)
        _made_dirs.add(folder)
    with open(target, "wb") as handle:
        handle.write(data)
        handle.flush()
        stat = os.fstat(handle.fileno())
    return True, stat.st_size, stat.st_mtime_ns, digest


def _make_folder(folder: str) -> None:
    try:
        os.mkdir(folder)  # the usual case: its parent exists
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


def write_documents(
    stage: Stage,
    documents: Iterable[Document | DocumentGroup],
    *,
    previous: OutputMemo,
    memo: OutputMemo,
) -> int:
    """Stage feeds, the API and the other documents; a `DocumentGroup` whose fingerprint
    and files are unchanged since `previous` is not rendered. Records groups in `memo`.
    Returns how many groups were rendered."""
    rendered = 0
    for document in documents:
        if isinstance(document, Document):
            key, output = stage.claim(document.path)
            # Recorded (without a fingerprint) so that a build with unchanged inputs keeps it.
            memo.pages[key] = stage_file(stage, key, output, document.data, previous, b"")
            continue
        claimed = [stage.claim(path) for path in document.paths]
        olds = [previous.pages.get(key) for key, _ in claimed]
        if all(
            old is not None and old.fingerprint == document.fingerprint and intact(output, old)
            for old, (_, output) in zip(olds, claimed, strict=True)
        ):
            for (key, _), old in zip(claimed, olds, strict=True):
                assert old is not None
                stage.keep(key)
                memo.pages[key] = old
            continue
        rendered += 1
        produced = document.render()
        if [d.path for d in produced] != list(document.paths):
            raise ValueError(f"a document group rendered {[d.path for d in produced]}")
        for (key, output), item in zip(claimed, produced, strict=True):
            memo.pages[key] = stage_file(
                stage, key, output, item.data, previous, document.fingerprint
            )
    return rendered


def stage_file(
    stage: Stage, key: str, output: Path, data: bytes, previous: OutputMemo, fingerprint: bytes
) -> PageRecord:
    """Stage (adopt) or keep one claimed file rendered in this process; its new record."""
    written, size, mtime_ns, digest = _write_if_changed(
        stage.staging_dir, key, output, data, previous.pages.get(key)
    )
    if written:
        stage.adopt(key)
    else:
        stage.keep(key)
    return PageRecord(fingerprint, size, mtime_ns, digest)
