"""Validate stage: the persistent cache of per-file records, `.tamatar/cache/content/`.

A record is kept by the file's site-relative path together with a hash of its bytes; a
build reads every file, and a file whose hash matches is not parsed or validated again.
The cache is one `marshal` file of plain values (strings, numbers, tuples, dicts; dates as
text), never pickle: a cache file that came with a cloned site cannot run code. It is
written atomically, and a missing, foreign, outdated or corrupt file is simply ignored.
Entries are tied to tamatar's version and to the versions of the YAML and schema
libraries, whose messages end up in the cached diagnostics.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import operator
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pydantic
import yaml

from tamatar_site import __version__
from tamatar_site.cachefile import read_versioned, write_versioned
from tamatar_site.diagnostics import Diagnostic
from tamatar_site.load.yamlpos import _Loader
from tamatar_site.model import (
    Goal,
    LearningPath,
    Milestone,
    PathStep,
    Project,
    Resource,
)
from tamatar_site.validate.records import (
    FileRecord,
    GoalInput,
    LogInput,
    PageInput,
    SnippetInput,
    shared_positions,
)

_FORMAT = 3
_FINGERPRINT = (
    f"{_FORMAT}|tamatar {__version__}|pydantic {pydantic.VERSION}|"
    f"pyyaml {yaml.__version__} {_Loader.__name__}"
)
_CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        Goal,
        GoalInput,
        LearningPath,
        Milestone,
        PageInput,
        PathStep,
        Project,
        Resource,
        SnippetInput,
    )
}

Encoded = tuple[Any, ...]


def content_digest(data: bytes) -> bytes:
    """The hash that identifies a file's content."""
    return hashlib.blake2b(data, digest_size=16).digest()


class RecordCache:
    """Encoded records by path, with the digest of the bytes they were made from. The file
    is read on first use (`entries`): a resumed session that parses a few edited files
    itself never reads it (`ContentLoader`), and then writes nothing either."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, tuple[bytes, Encoded]] | None = None if path else {}
        self._pending: dict[str, tuple[bytes, Encoded]] = {}  # put before the file was read
        self._dirty = False
        self.unsaved = 0  # records put since the file was last written

    @property
    def entries(self) -> dict[str, tuple[bytes, Encoded]]:
        """The cached records by path (the file is read now if it was not yet)."""
        if self._entries is None:
            entries = _read(self.path) if self.path is not None else {}
            entries.update(self._pending)
            self._entries, self._pending = entries, {}
        return self._entries

    @property
    def is_read(self) -> bool:
        return self._entries is not None

    def get(self, path: str, digest: bytes) -> FileRecord | None:
        """The cached record of `path` when its bytes still hash to `digest`."""
        entry = self.entries.get(path)
        if entry is None or entry[0] != digest:
            return None
        try:
            return decode_record(entry[1])
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):  # damaged: parse
            del self.entries[path]
            self._dirty = True
            return None

    def put(self, path: str, digest: bytes, record: FileRecord) -> None:
        entries = self._entries if self._entries is not None else self._pending
        entries[path] = (digest, encode_record(record))
        self._dirty = True
        self.unsaved += 1

    def keep_only(self, paths: Mapping[str, object]) -> None:
        """Drop the entries of files that are gone (of those put, when it was not read)."""
        if self._entries is None:
            self._pending = {p: e for p, e in self._pending.items() if p in paths}
        elif len(self._entries) != len(paths) or any(p not in paths for p in self._entries):
            self._entries = {p: e for p, e in self._entries.items() if p in paths}
            self._dirty = True

    def save(self) -> None:
        """Write the cache file atomically when anything changed; never fails the build.
        A cache that was never read is not written: the few records put without it live
        in the session that made them, and a build without that session parses those
        files again."""
        if self.path is None or not self._dirty or self._entries is None:
            return
        if not write_versioned(self.path, _FINGERPRINT, self._entries):
            return  # a read-only site still builds; the next build parses again
        self._dirty = False
        self.unsaved = 0


def _read(path: Path) -> dict[str, tuple[bytes, Encoded]]:
    entries = read_versioned(path, _FINGERPRINT)
    if not isinstance(entries, dict):
        return {}
    return {
        path: entry
        for path, entry in entries.items()
        if isinstance(path, str)
        and isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], bytes)
        and isinstance(entry[1], tuple)
    }


# -- the codec: records <-> marshal-able tuples ------------------------------------------------


def encode_record(record: FileRecord) -> Encoded:
    return (
        record.kind,
        record.path,
        record.stem,
        tuple(dataclasses.astuple(d) for d in record.diagnostics),
        record.slug,
        _encode_item(record.item),
        dict(record.positions),
        record.body_offset,
        record.references,
        record.links,
    )


def decode_record(data: Encoded) -> FileRecord:
    kind, path, stem, diagnostics, slug, item, positions, body_offset, references, links = data
    if not isinstance(positions, dict) or not isinstance(body_offset, int):
        raise TypeError("damaged record")
    if not isinstance(references, tuple) or not isinstance(links, tuple):
        raise TypeError("damaged record")
    return FileRecord(
        kind=kind,
        path=path,
        stem=stem,
        diagnostics=tuple(Diagnostic(*d) for d in diagnostics),
        slug=slug,
        item=_decode_item(item),
        positions=shared_positions(positions),
        body_offset=body_offset,
        references=references,
        links=links,
    )


def _encode_item(item: object) -> object:
    if item is None:
        return None
    if isinstance(item, LogInput):  # the common case, kept flat: 10,000s of logs
        values = _log_values(item)  # not dataclasses.astuple(): it deep-copies, 8x slower
        return ("log", values[0], _encode_date(item.date), *values[2:])
    return _encode(item)


_log_values = operator.attrgetter(*(f.name for f in dataclasses.fields(LogInput)))


def _decode_item(data: object) -> Any:
    if data is None:
        return None
    if isinstance(data, tuple) and data and data[0] == "log":
        return LogInput(data[1], _decode_date(data[2]), *data[3:])
    return _decode(data)


def _encode_date(value: dt.date) -> str:
    return value.isoformat()  # a date is YYYY-MM-DD; a datetime always has a `T`


def _decode_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)


def _encode(value: object) -> object:
    """Plain values stay; containers, dates and our dataclasses become tagged lists."""
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, dt.date):
        return ["date", _encode_date(value)]
    if isinstance(value, tuple):
        return ["tuple", [_encode(v) for v in value]]
    if dataclasses.is_dataclass(value) and type(value).__name__ in _CLASSES:
        fields = [_encode(getattr(value, f.name)) for f in dataclasses.fields(value)]
        return ["class", type(value).__name__, fields]
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(data: object) -> Any:
    if not isinstance(data, list):
        return data
    tag = data[0]
    if tag == "date":
        return _decode_date(data[1])
    if tag == "tuple":
        return tuple(_decode(v) for v in data[1])
    if tag == "class":
        return _CLASSES[data[1]](*(_decode(v) for v in data[2]))
    raise ValueError(f"unknown cached value {tag!r}")
