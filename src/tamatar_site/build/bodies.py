"""Every Markdown body of a build, in worker processes, cached on disk.

Rendering Markdown and highlighting code is most of a cold build's time, so
this stage

- renders each body at most once per distinct content: results are kept in a content
  cache keyed by a hash of the body text and of everything else that shapes the HTML
  (tamatar's version and code, the renderer options, the Pygments version);
- spreads the bodies that are not cached over worker processes, one `MarkdownRenderer`
  per worker, when there are enough of them to pay for the processes;
- keeps relative links out of the cached HTML. The renderer is given a resolver that
  writes a placeholder for every relative link, and the placeholders are replaced by the
  build's real URLs after the cache. A new or renamed log then never invalidates the
  cached HTML of the logs that link to it, and the HTML of a log is the same whichever
  process rendered it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.metadata
import multiprocessing
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pygments
from markupsafe import Markup

from tamatar_site.build.workers import (
    BODY_CHUNK_SIZE,
    BODY_PARALLEL_THRESHOLD,
    can_fork,
    chunks,
    interrupts_held,
    reset_worker_signals,
    usable_cpus,
)
from tamatar_site.cachefile import read_versioned_parts, write_versioned_parts
from tamatar_site.codeversion import code_signature
from tamatar_site.render.markdown import MarkdownRenderer, RenderedBody
from tamatar_site.render.markdown.summary import summarize

__all__ = [
    "BodyCache",
    "BodyEntry",
    "BodyJob",
    "BodyLinkResolver",
    "PendingBodies",
    "RenderedBody",
    "render_bodies",
    "render_texts",
    "start_bodies",
]

BodyLinkResolver = Callable[[str, str], str | None]
"""(source path of the document, relative link path as written) -> URL, or None to keep it."""

_CACHE_FORMAT = 4
_CACHE_PART = 1000  # entries marshalled at a time
_CACHE_VERSION = (_CACHE_FORMAT, sys.version_info[:2])  # marshal's format is Python's
_PLACEHOLDER_PREFIX = "/__tamatar_link__/"
# What the cache keeps of a body: HTML (with link placeholders), plain text, summary, words
# and the languages of its code blocks.
BodyEntry = tuple[str, str, str, int, tuple[str, ...]]
_PLACEHOLDER_RE = re.compile(re.escape(_PLACEHOLDER_PREFIX) + r"([A-Za-z0-9_-]*)/")
_URL_SAFE = "/;:@&=+$,-_.!~*'()"
# The parser and its plugins shape the HTML too.
_MARKDOWN_VERSIONS = "|".join(
    f"{name}={importlib.metadata.version(name)}" for name in ("markdown-it-py", "mdit-py-plugins")
)


@dataclass(frozen=True)
class BodyJob:
    """One Markdown body to render; `source` is its site-relative path (the cache key's owner)."""

    source: str
    text: str
    # Whether the result keeps the plain text (`RenderedBody.text`). A log's pages read only
    # its summary and word count, made where it is rendered: its plain text is not kept.
    plain_text: bool = True


def _renderer_fingerprint(unsafe_html: bool) -> str:
    code = code_signature().hex()
    versions = f"pygments={pygments.__version__}|{_MARKDOWN_VERSIONS}"
    return f"{_CACHE_FORMAT}|{code}|{versions}|unsafe={unsafe_html}"


def _content_key(text: str, fingerprint: str) -> bytes:
    digest = hashlib.blake2b(fingerprint.encode(), digest_size=20)
    digest.update(b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.digest()


class BodyCache:
    """Rendered bodies by content key, stored in one file read and written whole.

    One file keeps a no-change build to a single read; entries no longer used by a build
    are dropped when it saves, so the file never grows past the site's own content.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._entries: dict[bytes, BodyEntry] = {}
        self._used: set[bytes] = set()
        self._dirty = False
        if path is not None:
            self._entries = _read_cache_file(path)

    def get(self, key: bytes) -> BodyEntry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._used.add(key)
        return entry

    def put(self, key: bytes, value: BodyEntry) -> None:
        self._entries[key] = value
        self._used.add(key)
        self._dirty = True

    def save(self) -> None:
        """Write the entries used by this build, atomically, when anything changed."""
        if self._path is None:
            return
        if not self._dirty and len(self._used) == len(self._entries):
            return
        kept = {key: self._entries[key] for key in self._used}
        if not write_versioned_parts(self._path, _CACHE_VERSION, kept, _CACHE_PART):
            return  # a read-only site still builds; the next build renders again
        self._entries = kept
        self._dirty = False

    def close(self) -> None:
        """Save, then let go of the entries (a build holds its bodies in its inputs)."""
        self.save()
        self._entries, self._used = {}, set()


def _read_cache_file(path: Path) -> dict[bytes, BodyEntry]:
    """The cached entries, or none when the file is missing, from another format or corrupt."""
    return read_versioned_parts(path, _CACHE_VERSION) or {}


def start_bodies(
    jobs: Sequence[BodyJob],
    *,
    unsafe_html: bool,
    resolve_link: BodyLinkResolver,
    cache: BodyCache | None = None,
    workers: int | None = None,
    prerendered: Callable[[], Mapping[bytes, BodyEntry]] | None = None,
) -> PendingBodies:
    """Start rendering every job's Markdown; `result()` of the handle waits for it.

    Use the handle as a context manager: leaving it stops the workers. Whatever the
    caller does between the two runs in this process while worker processes render.

    Args:
        jobs: the bodies; sources must be unique.
        unsafe_html: pass raw HTML through instead of escaping it.
        resolve_link: the build's resolver for relative links, called after the cache.
        cache: cached results to reuse and to fill (`result()` saves and closes it); None
            renders everything.
        workers: worker processes to use; None means one per CPU, 1 renders in this process.
        prerendered: waits for and returns bodies rendered ahead by `build/prerender.py`
            (by content key); called by `result()` when a body is not cached.
    """
    fingerprint = _renderer_fingerprint(unsafe_html)
    keys = [_content_key(job.text, fingerprint) for job in jobs]
    raw: dict[bytes, BodyEntry] = {}
    missing: dict[bytes, str] = {}
    for key, job in zip(keys, jobs, strict=True):
        if key in raw or key in missing:
            continue
        cached = cache.get(key) if cache is not None else None
        if cached is None:
            missing[key] = job.text
        else:
            raw[key] = cached
    pending = PendingBodies(jobs, keys, raw, missing, unsafe_html, resolve_link, cache, workers)
    if prerendered is None or not missing:
        pending.start_workers()
    else:
        pending.prerendered = prerendered
    return pending


def render_bodies(
    jobs: Sequence[BodyJob],
    *,
    unsafe_html: bool,
    resolve_link: BodyLinkResolver,
    cache: BodyCache | None = None,
    workers: int | None = None,
) -> dict[str, RenderedBody]:
    """Render every job's Markdown now (`start_bodies`, then its result)."""
    with start_bodies(
        jobs, unsafe_html=unsafe_html, resolve_link=resolve_link, cache=cache, workers=workers
    ) as pending:
        return pending.result()


class PendingBodies:
    """Bodies being rendered: `result()` waits for them and returns them by source path."""

    def __init__(
        self,
        jobs: Sequence[BodyJob],
        keys: list[bytes],
        raw: dict[bytes, BodyEntry],
        missing: dict[bytes, str],
        unsafe_html: bool,
        resolve_link: BodyLinkResolver,
        cache: BodyCache | None,
        workers: int | None,
    ) -> None:
        self._jobs, self._keys, self._raw, self._missing = jobs, keys, raw, missing
        self._unsafe_html = unsafe_html
        self._resolve_link = resolve_link
        self._cache = cache
        self._workers = workers
        self.prerendered: Callable[[], Mapping[bytes, BodyEntry]] | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._done: Iterable[list[tuple[bytes, BodyEntry]]] = ()

    def start_workers(self) -> None:
        """Hand the missing bodies to worker processes, when there are enough of them."""
        count = self._workers if self._workers is not None else usable_cpus()
        items = list(self._missing.items())
        if count <= 1 or len(items) < BODY_PARALLEL_THRESHOLD:
            return  # rendered in this process by `result()`
        self._pool = ProcessPoolExecutor(
            max_workers=count,
            # Bodies travel to workers pickled, so a process that must not fork (it runs
            # threads) starts them from a fresh interpreter instead of rendering serially.
            mp_context=multiprocessing.get_context("fork" if can_fork() else "forkserver"),
            initializer=_init_worker,
            initargs=(self._unsafe_html,),
        )
        # every chunk is submitted (the workers forked) now
        with interrupts_held():
            self._done = self._pool.map(_render_chunk, chunks(items, BODY_CHUNK_SIZE))

    def result(self) -> dict[str, RenderedBody]:
        """Every body by source path, relative links resolved (waits for the workers).

        The cache is saved and let go of first, and each entry is dropped once the bodies
        of its text are made: a big site's bodies are never held twice."""
        self._collect()
        if self._cache is not None:
            self._cache.close()
        raw, results = self._raw, {}
        uses = Counter(self._keys)
        for key, job in zip(self._keys, self._jobs, strict=True):
            body_html, text, summary, words, languages = raw[key]
            uses[key] -= 1
            if not uses[key]:
                del raw[key]
            # Markup once, here: the views take it as it is instead of copying it per page.
            html = Markup(_fill_links(body_html, job.source, self._resolve_link))
            results[job.source] = RenderedBody(
                html,
                text if job.plain_text else "",
                summary=summary,
                words=words,
                languages=languages,
            )
        self._missing, self._jobs, self._keys, self._cache = {}, (), [], None
        return results

    def _collect(self) -> None:
        """Every entry into `_raw` (and the cache): cached, rendered ahead or by workers."""
        raw, missing, cache = self._raw, self._missing, self._cache
        if self.prerendered is not None:
            ahead = self.prerendered()
            for key in [key for key in missing if key in ahead]:
                del missing[key]
                raw[key] = ahead[key]
                if cache is not None:
                    cache.put(key, raw[key])
            self.prerendered = None
            self.start_workers()
        if self._pool is None:
            _init_worker(self._unsafe_html)
            rendered = _render_chunk(list(missing.items()))
        else:
            rendered = [pair for chunk in self._done for pair in chunk]
            self.close()
        for key, entry in rendered:
            raw[key] = entry
            if cache is not None:
                cache.put(key, entry)

    def close(self) -> None:
        """Stop the workers (waits for those still rendering)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> PendingBodies:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_worker_renderer: MarkdownRenderer | None = None


def _init_worker(unsafe_html: bool) -> None:
    global _worker_renderer
    if multiprocessing.parent_process() is not None:
        reset_worker_signals()
    if _worker_renderer is None or _worker_renderer.unsafe_html != unsafe_html:
        _worker_renderer = MarkdownRenderer(unsafe_html=unsafe_html)


def render_texts(texts: Sequence[str], *, unsafe_html: bool) -> list[tuple[bytes, BodyEntry]]:
    """Render Markdown texts in this process as `render_bodies` does (relative links as
    placeholders), each with its content key: what `build/prerender.py`'s workers do."""
    _init_worker(unsafe_html)
    fingerprint = _renderer_fingerprint(unsafe_html)
    return _render_chunk([(_content_key(text, fingerprint), text) for text in texts])


def _render_chunk(items: list[tuple[bytes, str]]) -> list[tuple[bytes, BodyEntry]]:
    renderer = _worker_renderer
    assert renderer is not None, "_init_worker runs first"
    rendered = []
    for key, text in items:
        result = renderer.render(text, resolve_link=_placeholder)
        plain = result.text
        summary = summarize(result.lead, None if result.lead_marked else 220)
        entry = (result.html, plain, summary, len(plain.split()), result.languages)
        rendered.append((key, entry))
    return rendered


def _placeholder(path: str) -> str:
    encoded = base64.urlsafe_b64encode(path.encode("utf-8", "surrogatepass")).decode("ascii")
    return f"{_PLACEHOLDER_PREFIX}{encoded.rstrip('=')}/"


def _decode_placeholder(encoded: str) -> str:
    padded = encoded + "=" * (-len(encoded) % 4)
    return base64.urlsafe_b64decode(padded).decode("utf-8", "surrogatepass")


def _fill_links(body_html: str, source: str, resolve_link: BodyLinkResolver) -> str:
    if _PLACEHOLDER_PREFIX not in body_html:
        return body_html

    def replace(match: re.Match[str]) -> str:
        path = _decode_placeholder(match.group(1))
        url = resolve_link(source, path)
        return html.escape(url if url is not None else quote(path, safe=_URL_SAFE))

    return _PLACEHOLDER_RE.sub(replace, body_html)
