"""The build's social images (`og/*.png`): drawn once per content, cached on disk, drawn in
worker processes when there are many.

An image's key is a digest of what it shows (`SocialCard`), the font files, the drawing's
version, Pillow's and tamatar's code (`code_signature`). The PNG is kept in
`.tamatar/cache/social/<key>.png`, so an unchanged page's image is never drawn again, even
into a new output folder; images whose key is no longer used are deleted after the build.
Each image is a `DocumentGroup` with its key as fingerprint: when the last build wrote the
same key and the file is intact, not even the cache is read.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import PIL

import tamatar_site
from tamatar_site.build.memo import OutputMemo
from tamatar_site.build.workers import (
    can_fork,
    interrupts_held,
    reset_worker_signals,
    usable_cpus,
)
from tamatar_site.cachefile import write_atomic
from tamatar_site.codeversion import code_signature
from tamatar_site.render.documents.groups import Document, DocumentGroup
from tamatar_site.render.documents.social_image import (
    DRAWING_VERSION,
    SocialFonts,
    draw_social_image,
)
from tamatar_site.render.pages.common import RouteInputs
from tamatar_site.render.pages.social import SocialCard, social_cards

SOCIAL_CACHE = Path(".tamatar/cache/social")
FONT_DIR = Path(tamatar_site.__file__).parent / "fonts"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")  # regular, bold
# Below this many images to draw (about 25 ms each), starting workers costs more than it saves.
PARALLEL_THRESHOLD = 24
CHUNK_SIZE = 8


@dataclass
class SocialStats:
    """What a build did with its social images (for tests and benchmarks)."""

    images: int = 0
    drawn: int = 0  # drawn by this build (not found in the cache)


@functools.cache
def _font_data() -> tuple[bytes, bytes]:
    regular, bold = ((FONT_DIR / name).read_bytes() for name in FONT_FILES)
    return regular, bold


@functools.cache
def _fonts() -> SocialFonts:
    return SocialFonts(*_font_data())


@functools.cache
def _key_base() -> bytes:
    """The part of every key that is not the card: fonts, drawing, Pillow, tamatar."""
    h = hashlib.blake2b(code_signature(), digest_size=16)
    for data in _font_data():
        h.update(hashlib.blake2b(data, digest_size=16).digest())
    h.update(f"{DRAWING_VERSION}\0{PIL.__version__}".encode())
    return h.digest()


def image_key(card: SocialCard) -> bytes:
    return hashlib.blake2b(_key_base() + repr(card).encode("utf-8"), digest_size=16).digest()


def social_image_groups(
    inputs: RouteInputs,
    cache_dir: Path,
    previous: OutputMemo,
    stats: SocialStats | None = None,
) -> Iterator[DocumentGroup]:
    """One group per social image of the site (none when `social_images` is off). Images
    missing from the cache and from the last build are drawn first, in workers if many."""
    if not inputs.config.social_images:
        return
    config, site = inputs.config, inputs.site
    cards = [
        (path, card, image_key(card))
        for path, card in social_cards(site, config.site.title, site.tag_names)
    ]
    stats = stats if stats is not None else SocialStats()
    stats.images = len(cards)
    with contextlib.suppress(OSError):  # without a cache, images are drawn every time
        cache_dir.mkdir(parents=True, exist_ok=True)
    # An image the last build wrote with the same key is kept as it is (`write_documents`),
    # or drawn by `_load` in the rare case that its file was changed since.
    needed = [
        (key, card)
        for path, card, key in cards
        if not _kept(previous, path, key) and not _cached(cache_dir, key)
    ]
    stats.drawn += len(needed)
    for key, data in _draw_all(needed):
        _store(cache_dir, key, data)
    _prune(cache_dir, {key for _, _, key in cards})
    for path, card, key in cards:
        yield DocumentGroup(
            (path,), key, functools.partial(_load, path, card, key, cache_dir, stats)
        )


def _cached(cache_dir: Path, key: bytes) -> bool:
    return (cache_dir / f"{key.hex()}.png").is_file()


def _kept(previous: OutputMemo, path: str, key: bytes) -> bool:
    old = previous.pages.get(path)
    return old is not None and old.fingerprint == key


def _load(
    path: str, card: SocialCard, key: bytes, cache_dir: Path, stats: SocialStats
) -> list[Document]:
    """The image from the cache, or drawn now (a file the last build wrote was changed)."""
    try:
        data = (cache_dir / f"{key.hex()}.png").read_bytes()
    except OSError:
        data = draw_social_image(card, _fonts())
        stats.drawn += 1
        _store(cache_dir, key, data)
    return [Document(path, data)]


def _draw_all(needed: list[tuple[bytes, SocialCard]]) -> Iterator[tuple[bytes, bytes]]:
    workers = usable_cpus()
    # Only forked workers pay: a fresh interpreter (serve's builds run threads, which must
    # not fork) imports Pillow and tamatar for longer than it takes to draw dozens of images.
    if workers <= 1 or len(needed) < PARALLEL_THRESHOLD or not can_fork():
        fonts = _fonts()
        for key, card in needed:
            yield key, draw_social_image(card, fonts)
        return
    chunked = [needed[i : i + CHUNK_SIZE] for i in range(0, len(needed), CHUNK_SIZE)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, context, initializer=reset_worker_signals) as pool:
        with interrupts_held():  # the first task forks the workers
            drawn = pool.map(_draw_chunk, chunked)
        for chunk in drawn:
            yield from chunk


def _draw_chunk(chunk: list[tuple[bytes, SocialCard]]) -> list[tuple[bytes, bytes]]:
    fonts = _fonts()
    return [(key, draw_social_image(card, fonts)) for key, card in chunk]


def _store(cache_dir: Path, key: bytes, data: bytes) -> None:
    """Write one image into the cache atomically; a cache that cannot be written only
    costs drawing again next time."""
    write_atomic(cache_dir / f"{key.hex()}.png", data)


def _prune(cache_dir: Path, keep: set[bytes]) -> None:
    """Delete the cached images no page of this build shows (and temporary files a killed
    build left)."""
    names = {f"{key.hex()}.png" for key in keep}
    with contextlib.suppress(OSError):
        for entry in os.scandir(cache_dir):
            if entry.name not in names and entry.name.endswith((".png", ".tmp")):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
