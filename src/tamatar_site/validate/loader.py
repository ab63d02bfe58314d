"""Validate stage: load a site, re-reading and re-parsing only what changed.

A `ContentLoader` keeps, for each content file, what its last read produced (the file's
signature, the hash of its bytes, its `FileRecord` and Markdown body). A load then

1. finds the files: the full walk, or only the paths a file watcher reported;
2. reads the files that are new or whose signature (size, mtime, ctime, inode) changed,
   and parses those whose bytes are really new (the persistent `RecordCache` knows the
   records of earlier processes by hash);
3. runs the site-wide checks over all records (`assemble.py`), which is O(n).

`load_site()` uses a fresh loader, so it reads every file; `tamatar serve` keeps one loader
for the session (through `build/session.py`'s `SiteBuilder`).
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tamatar_site.clock import build_today
from tamatar_site.config import SiteConfig
from tamatar_site.diagnostics import Diagnostic, Diagnostics
from tamatar_site.load.documents import (
    KIND_EXTENSIONS,
    ContentPath,
    FileSignature,
    Kind,
    decode_text,
    read_bytes,
    signature_of,
    walk_content,
)
from tamatar_site.model import Site
from tamatar_site.validate.assemble import LogMemo, SiteAssembler
from tamatar_site.validate.configfile import load_config
from tamatar_site.validate.links import UNSURE
from tamatar_site.validate.record_cache import RecordCache, content_digest
from tamatar_site.validate.record_parser import parse_file
from tamatar_site.validate.records import FileRecord, LogInput

# A file modified this recently may change again within the file system's timestamp
# granularity without its signature changing: read it again next time ("racy git").
_RACY_NS = 2_000_000_000
# A load parses up to this many changed files it read before without the record cache:
# reading the cache file costs about as much as parsing one file in twenty.
_PARSED_UNCACHED = 32
_KIND_ORDER = {kind: position for position, kind in enumerate(KIND_EXTENSIONS)}


@dataclass(frozen=True)
class LoadedSite:
    """The result of loading: config and site are None when they could not be built."""

    config: SiteConfig | None  # None when tamatar.yaml is missing or invalid
    site: Site | None  # None when there were errors
    diagnostics: Diagnostics


@dataclass(frozen=True)
class _LastLoad:
    """A load that reported nothing: what a load of new log bodies only can start from."""

    config: SiteConfig
    today: dt.date
    include_drafts: bool
    include_future: bool
    site: Site

    def positions(self) -> dict[str, int]:
        return {log.source: index for index, log in enumerate(self.site.logs)}


@dataclass
class _Entry:
    """What the last read of one content file gave."""

    signature: FileSignature | None  # None: not to be trusted, read again
    digest: bytes
    record: FileRecord | None  # None: the file could not be read (see `errors`)
    body: str
    errors: tuple[Diagnostic, ...] = ()


@dataclass
class LoadStats:
    """What the last load did, for benchmarks and tests."""

    files: int = 0
    read: int = 0
    parsed: int = 0
    walked: bool = False


class ContentLoader:
    """Loads one site again and again, reusing what is unchanged (see the module docstring)."""

    def __init__(
        self, site_dir: Path, *, cache_file: Path | None = None, save_after: int = 1
    ) -> None:
        """`save_after`: write the cache file once this many records are new since it was
        last written (a long session saves rarely; the few files it skipped are parsed
        again by the next process)."""
        self.site_dir = site_dir
        self.cache = RecordCache(cache_file) if cache_file is not None else None
        self.save_after = save_after
        self.stats = LoadStats()
        self._files: list[ContentPath] | None = None  # in processing order, from the last walk
        self._entries: dict[str, _Entry] = {}
        self._walk_diagnostics: list[Diagnostic] = []
        self._walk_links = False
        self._memo: LogMemo = {}
        self._first_save = True
        self._last: _LastLoad | None = None  # a load with nothing to report

    def __getstate__(self) -> dict[str, Any]:
        """What a pickled loader keeps (`build/resume.py`): all but the record cache, which
        is its own file and is read again."""
        state = dict(self.__dict__)
        state["cache"] = self.cache.path if self.cache is not None else None
        state["stats"] = LoadStats()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        cache_file = state.pop("cache")
        self.__dict__.update(state)
        self.cache = RecordCache(cache_file) if cache_file is not None else None

    def load(
        self,
        *,
        include_drafts: bool = False,
        include_future: bool = False,
        changed: Iterable[Path] | None = None,
    ) -> LoadedSite:
        """Load the site. `changed`: the paths a watcher saw change since the last load
        (absolute); without it every known file's signature is checked. Drafts and logs
        dated after today are validated but left out of the site unless included."""
        included = (include_drafts, include_future)
        diagnostics = Diagnostics()
        self.stats = LoadStats()
        if not self.site_dir.is_dir():
            diagnostics.error(".", 1, 1, f"`{self.site_dir}` is not a folder with a site in it")
            return LoadedSite(None, None, diagnostics)
        config, timezone = load_config(self.site_dir, diagnostics)
        refresh = self._changed_files(changed) if changed is not None else None
        before: dict[str, _Entry | None] | None  # the entries of the files read again
        if refresh is None:
            before = self._rescan()
        else:
            before = {path: self._entries.get(path) for path in refresh}
            if self._refresh(refresh):
                before = None  # files were added or removed
        if before is not None and not diagnostics.items and not self._walk_diagnostics:
            patched = self._patch_bodies(before, config, timezone, included)
            if patched is not None:
                return patched
        self._last = None
        files = self._files or []
        diagnostics.extend(self._walk_diagnostics)
        assembler = SiteAssembler(timezone, build_today(timezone), diagnostics, self._memo)
        for found in files:
            entry = self._entries[found.path]
            diagnostics.extend(entry.errors)
            if entry.record is not None:
                assembler.add(entry.record, entry.body)
        site = assembler.finish(include_drafts=include_drafts, include_future=include_future)
        self._memo = assembler.made
        self.stats.files = len(files)
        self._save_cache()
        if not diagnostics.items and config is not None:
            self._last = _LastLoad(config, assembler.today, *included, site)
        return LoadedSite(config, None if diagnostics.has_errors else site, diagnostics)

    def save_cache(self) -> None:
        """Write the record cache now if it differs from its file."""
        if self.cache is not None:
            self.cache.save()

    def _save_cache(self) -> None:
        if self.cache is not None and (self.stats.walked or self.cache.unsaved):
            self.cache.keep_only(self._entries)
            if self.cache.unsaved >= self.save_after or self._first_save:
                self.cache.save()
                self._first_save = False

    def _patch_bodies(
        self,
        before: dict[str, _Entry | None],
        config: SiteConfig | None,
        timezone: str,
        included: tuple[bool, bool],
    ) -> LoadedSite | None:
        """The last load's site with new bodies, when the files in `before` (their entries
        before this load) are logs whose front matter and everything else stayed the same,
        and neither load had anything to report; else None (assemble the whole site).

        The site-wide checks would find what they found last time (nothing): every value
        they read is unchanged. Only the bodies are new."""
        last = self._last
        if last is None or config is None or config != last.config:  # same time zone too
            return None
        if build_today(timezone) != last.today:
            return None
        if included != (last.include_drafts, last.include_future):
            return None
        bodies: dict[str, tuple[FileRecord, str]] = {}  # path -> new record, new body
        for path, old in before.items():
            new = self._entries.get(path)
            if old is None or new is None or old.record is None or new.record is None:
                return None
            if new.errors or new.record.diagnostics or old.record.kind != "logs":
                return None
            if new.record.links != old.record.links or UNSURE in new.record.links:
                return None  # the site-wide link check has to see them
            if not isinstance(new.record.item, LogInput) or new.record.item != old.record.item:
                return None
            if new.body != old.body:
                bodies[path] = new.record, new.body
        if any(path not in self._memo for path in bodies):
            return None  # checked before anything is changed
        logs = list(last.site.logs)
        position = last.positions()
        for path, (record, body) in bodies.items():
            earlier = self._memo[path]
            log = replace(earlier.log, body=body)
            self._memo[path] = replace(earlier, record=record, body=body, log=log)
            index = position.get(path)
            if index is not None:
                logs[index] = log
        site = replace(last.site, logs=tuple(logs))
        self._last = replace(last, site=site)
        self.stats.files = len(self._files or [])
        self._save_cache()
        return LoadedSite(config, site, Diagnostics())

    def _look_up(self, cache: RecordCache, previous: _Entry | None) -> bool:
        """Whether to look a changed file up in the record cache: always once the cache is
        read; before that only for a file this loader has no record of, or once this load
        has parsed `_PARSED_UNCACHED` files (an edit of a few known files parses them, and
        a resumed session then never reads the cache)."""
        if cache.is_read or previous is None or previous.record is None:
            return True
        return self.stats.parsed >= _PARSED_UNCACHED

    # -- finding what to read ---------------------------------------------------------------

    def _rescan(self) -> dict[str, _Entry | None] | None:
        """Walk every content folder; read the files that are new or changed. Returns the
        earlier entries of the files whose bytes changed, or None when files were added or
        removed."""
        walk_diagnostics = Diagnostics()
        walk = walk_content(self.site_dir, walk_diagnostics)
        self.stats.walked = True
        self._walk_diagnostics = walk_diagnostics.items
        self._walk_links = walk.links
        self._files = walk.files
        entries = self._entries
        self._entries = {}
        read_again: dict[str, _Entry | None] = {}
        prefix = f"{self.site_dir}{os.sep}"  # a string: a Path per file costs more than its stat
        for found in walk.files:
            entry = entries.get(found.path)
            if entry is not None and entry.signature is not None:
                try:
                    signature = signature_of(os.stat(prefix + found.path))
                except OSError:
                    signature = None
                if signature == entry.signature:
                    self._entries[found.path] = entry
                    continue
            new = self._entries[found.path] = self._read(found, entry)
            if entry is None or new.digest != entry.digest:  # not only touched
                read_again[found.path] = entry
        return read_again if self._entries.keys() == entries.keys() else None

    def _changed_files(self, changed: Iterable[Path]) -> set[str] | None:
        """The content files among `changed` (site-relative), or None when only a full
        walk can tell what changed (folders, links, files that were errors)."""
        if self._files is None or self._walk_links or self._walk_diagnostics:
            return None
        site = self.site_dir.absolute()
        found: set[str] = set()
        for path in changed:
            try:
                parts = path.absolute().relative_to(site).parts
            except ValueError:
                continue  # the theme, outside the site
            if not parts or parts[0] not in KIND_EXTENSIONS:
                continue  # tamatar.yaml, static/, templates/: no content file
            if any(part.startswith(".") for part in parts):
                continue  # the walk skips hidden files and folders too
            is_content = parts[-1].lower().endswith(KIND_EXTENSIONS[parts[0]])
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                if not is_content:
                    return None  # maybe a folder of content files went away
                found.add("/".join(parts))
                continue
            except OSError:
                return None
            if len(parts) == 1 or not stat.S_ISREG(info.st_mode):
                return None  # a folder, link or device: walk
            if is_content:
                found.add("/".join(parts))
        return found

    def _refresh(self, changed: set[str]) -> bool:
        """Re-read the changed content files; add new ones and drop deleted ones. True when
        files were added or removed."""
        files = {found.path: found for found in self._files or []}
        added = False
        for relative in sorted(changed):
            if not os.path.lexists(self.site_dir / relative):
                if files.pop(relative, None) is not None:
                    self._entries.pop(relative, None)
                    added = True  # the order changes too
                continue
            found = files.get(relative)
            if found is None:
                kind: Kind = relative.split("/", 1)[0]  # type: ignore[assignment]
                name = relative.rsplit("/", 1)[-1]
                found = files[relative] = ContentPath(kind, relative, name[: name.rfind(".")])
                added = True
            self._entries[relative] = self._read(found, None)
        if added:
            self._files = sorted(files.values(), key=lambda f: (_KIND_ORDER[f.kind], f.path))
        return added

    # -- reading one file -------------------------------------------------------------------

    def _read(self, found: ContentPath, previous: _Entry | None) -> _Entry:
        """Read one file; parse it only when its bytes are new."""
        self.stats.read += 1
        errors = Diagnostics()
        read = read_bytes(self.site_dir, found.path, errors)
        if read is None:
            return _Entry(None, b"", None, "", tuple(errors.items))
        signature: FileSignature | None = read.signature
        if time.time_ns() - read.signature[1] < _RACY_NS:
            signature = None
        digest = content_digest(read.data)
        if previous is not None and previous.record is not None and previous.digest == digest:
            return _Entry(signature, digest, previous.record, previous.body)
        text = decode_text(found.path, read.data, errors)
        if text is None:
            return _Entry(signature, digest, None, "", tuple(errors.items))
        record = None
        if self.cache is not None and self._look_up(self.cache, previous):
            record = self.cache.get(found.path, digest)
        if record is None:
            self.stats.parsed += 1
            record = parse_file(found.kind, found.path, found.stem, text)
            if self.cache is not None:
                self.cache.put(found.path, digest, record)
        return _Entry(signature, digest, record, text[record.body_offset :])
