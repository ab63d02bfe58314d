"""Start rendering the logs' Markdown before the site is even loaded.

A cold build spends its first few hundred milliseconds in one process, importing libraries
and validating the content, while the other cores wait; rendering the bodies is then most
of the build. `start_prerender` runs before `tamatar build` imports the build stack: it
forks worker processes that read the logs, split off their front matter and render each
body as `bodies.render_bodies` would, under the same content key. The build takes them as
if from the body cache (`Prerender.results`).

It is speculation, safe as such: a body the build does not find among them (a log with
broken front matter, `markdown.unsafe_html: true`) is rendered by the usual path, results
nobody asks for are dropped, and a failing worker only means rendering as usual. It runs
only for a build without a body cache (a rebuild renders next to nothing) and only in a
process that may fork. Standard library only here: the workers import the renderer.
"""

from __future__ import annotations

import functools
import os
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import TYPE_CHECKING

from tamatar_site.build.workers import (
    BODY_CHUNK_SIZE,
    BODY_PARALLEL_THRESHOLD,
    can_fork,
    chunks,
    fork_pool,
    usable_cpus,
)

if TYPE_CHECKING:  # bodies imports the renderer: the workers do that, not this process
    from tamatar_site.build.bodies import BodyEntry

__all__ = ["BODY_CACHE", "Prerender", "start_prerender"]

# Rendered Markdown by content hash (`bodies.BodyCache`); not worth committing.
BODY_CACHE = Path(".tamatar/cache/content/bodies.marshal")
_Rendered = list[tuple[bytes, "BodyEntry"]]


class Prerender:
    """Log bodies being rendered by worker processes; `results` waits for them."""

    def __init__(self, pool: Pool, pending: AsyncResult[list[_Rendered]]) -> None:
        self._pool: Pool | None = pool
        self._pending: AsyncResult[list[_Rendered]] | None = pending

    def results(self) -> dict[bytes, BodyEntry]:
        """The rendered bodies by content key (waits for the workers, then stops them).
        Handed over once: a later call returns none, so only the build holds them."""
        if self._pending is None:
            return {}
        try:
            chunks = self._pending.get()
        except Exception:  # a bug or a killed worker: the build renders them itself
            chunks = []
        finally:
            self._pending = None
            self.close()
        return {key: entry for chunk in chunks for key, entry in chunk}

    def close(self) -> None:
        """Stop the workers (done or not); safe to call more than once."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def start_prerender(site_dir: Path) -> Prerender | None:
    """Start rendering the bodies of `site_dir`'s logs, or None when not worth it."""
    if not can_fork() or (site_dir / BODY_CACHE).exists():
        return None
    paths = _log_files(site_dir)
    if len(paths) < BODY_PARALLEL_THRESHOLD:
        return None
    pool = fork_pool(usable_cpus())
    render = functools.partial(_render_files, str(site_dir))
    return Prerender(pool, pool.map_async(render, chunks(paths, BODY_CHUNK_SIZE), chunksize=1))


def _log_files(site_dir: Path) -> list[str]:
    """The site-relative paths of the Markdown files under `logs/` (hidden ones skipped)."""
    root = site_dir / "logs"
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        relative = os.path.relpath(folder, site_dir).replace(os.sep, "/")
        found.extend(
            f"{relative}/{name}"
            for name in sorted(files)
            if not name.startswith(".") and name.lower().endswith(".md")
        )
    return found


def _render_files(site_dir: str, paths: list[str]) -> _Rendered:
    """In a worker: read, split and render the bodies of `paths`."""
    from tamatar_site.build.bodies import render_texts
    from tamatar_site.diagnostics import Diagnostics
    from tamatar_site.load.documents import decode_text, read_bytes
    from tamatar_site.load.frontmatter import FrontMatterError, split_front_matter

    texts: list[str] = []
    for path in paths:
        # The loader's own reading: no waiting on a named pipe, no oversized files.
        read = read_bytes(Path(site_dir), path, Diagnostics())
        text = decode_text(path, read.data, Diagnostics()) if read is not None else None
        if text is None:
            continue
        try:
            texts.append(split_front_matter(text).body)
        except FrontMatterError:
            continue
    return render_texts(texts, unsafe_html=False)
