"""Fingerprints of pages, so a rebuild can skip pages whose inputs did not change.

A page's HTML is a pure function of its template set and its context (view models made of
strings, numbers, dates, tuples and frozen dataclasses). Its fingerprint is a hash of

- the template set: every file the Jinja loaders can see, tamatar's and Jinja's versions,
  the filters' code and the site configuration (base URL, everything else);
- the template name and the page's context, walked structurally: dataclasses by their
  fields, containers by their items. `Markup` is told apart from `str` because templates
  escape one and not the other.

Walking is much cheaper than rendering: view objects shared by many pages (a log's
summary on the timeline, its tags, the site view every page gets) are walked once per
build, and big shared values at the top of a context (the site view, the GitHub data,
the dashboard) are hashed once and stand in by their digest.

Anything the walker does not know (a function, an unfamiliar object) makes the page
unfingerprintable: it is then rendered on every build, which is always correct.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.metadata
import marshal
from collections.abc import Iterable, Mapping
from pathlib import Path

from markupsafe import Markup

from tamatar_site import __version__
from tamatar_site.render import templates

__all__ = ["ContextFingerprinter", "Unfingerprintable", "template_set_fingerprint"]

_FORMAT = b"tamatar-page-fingerprint-1"
_TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".j2", ".jinja", ".svg", ".css", ".js")
_BIG_STRING = 2048  # longer strings are walked as their digest
_SCALARS = frozenset({str, int, float, bool, type(None), bytes})


class Unfingerprintable(Exception):
    """A context value the walker cannot describe (the page is rendered every time)."""


def _marshal(value: object) -> bytes:
    """`marshal.dumps` of a walked value (only scalars and tuples: see `_walk`).

    Version 2 writes shared objects out again instead of tracking references, which is
    faster for the small, repetitive trees of page contexts."""
    return marshal.dumps(value, 2)  # type: ignore[arg-type]


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@functools.cache
def _versions() -> bytes:
    names = (
        "jinja2", "markupsafe", "pygments", "markdown-it-py", "mdit-py-plugins", "feedgen"
    )  # fmt: skip
    return "\0".join([__version__, *(importlib.metadata.version(n) for n in names)]).encode()


def template_set_fingerprint(template_dirs: Iterable[Path], *extra: str) -> bytes:
    """A digest of every file under `template_dirs` (path and bytes), the versions and
    code that shape rendering, and `extra` (the configuration, base URL...)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(_FORMAT)
    h.update(_versions())
    # The filters live in templates.py: an edited filter must invalidate every page even
    # when the version number did not change (editable installs, development).
    h.update(Path(templates.__file__).read_bytes())
    for index, folder in enumerate(template_dirs):
        h.update(f"\0dir{index}\0".encode())
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogatepass"))
                h.update(b"\0")
                h.update(path.read_bytes())
                h.update(b"\0")
    for value in extra:
        h.update(b"\0extra\0")
        h.update(value.encode("utf-8", "surrogatepass"))
    return h.digest()


class ContextFingerprinter:
    """Fingerprints of page contexts for one build; memoizes shared view objects by id.

    The memo holds the objects themselves (so their ids stay unique) for the life of the
    fingerprinter: use one per build.
    """

    def __init__(self, template_set: bytes) -> None:
        self._template_set = template_set
        self._plain: dict[int, tuple[object, object]] = {}  # id -> (object, plain form)
        self._shared: dict[int, tuple[object, bytes]] = {}  # id -> (object, digest)
        self._fields: dict[type, tuple[str, ...]] = {}

    def page(self, template: str, context: Mapping[str, object], shared: Iterable[str]) -> bytes:
        """The fingerprint of one page; values under the `shared` keys are hashed once.

        Raises:
            Unfingerprintable: the context holds a value the walker does not know.
        """
        shared_keys = set(shared)
        parts: list[object] = [template]
        for key, value in context.items():
            if key in shared_keys:
                parts.append((key, self._shared_digest(value)))
            else:
                parts.append((key, self._walk(value)))
        h = hashlib.blake2b(self._template_set, digest_size=16)
        h.update(_marshal(tuple(parts)))
        return h.digest()

    def _shared_digest(self, value: object) -> bytes:
        known = self._shared.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        digest = _digest(_marshal(self._walk(value)))
        self._shared[id(value)] = (value, digest)
        return digest

    def _walk(self, value: object) -> object:
        kind = type(value)
        if kind is str and len(value) > _BIG_STRING:  # type: ignore[arg-type]
            # Log bodies, when a whole site is fingerprinted: a digest, not a copy.
            return ("S", _digest(value.encode("utf-8", "surrogatepass")))  # type: ignore[attr-defined]
        if kind in _SCALARS:
            return value
        if kind is tuple or kind is list:
            walk, scalars = self._walk, _SCALARS
            return tuple([v if type(v) in scalars else walk(v) for v in value])  # type: ignore[attr-defined]
        if kind is Markup:
            # Rendered Markdown is big and not shared: keep a digest, not a copy.
            return ("M", _digest(value.encode("utf-8", "surrogatepass")))  # type: ignore[attr-defined]
        if kind is dt.date:
            return ("d", value.toordinal())  # type: ignore[attr-defined]
        names = self._fields.get(kind)
        if names is not None:  # a dataclass seen before: views shared by many pages
            known = self._plain.get(id(value))
            if known is not None and known[0] is value:
                return known[1]
            walk, scalars = self._walk, _SCALARS
            attributes = getattr(value, "__dict__", None)
            values = (
                attributes.values()
                if attributes is not None and len(attributes) == len(names)
                else [getattr(value, name) for name in names]
            )
            plain = (kind.__qualname__, *[v if type(v) in scalars else walk(v) for v in values])
            self._plain[id(value)] = (value, plain)
            return plain
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            self._fields[kind] = tuple(f.name for f in dataclasses.fields(value))
            return self._walk(value)
        return self._walk_other(value, kind)

    def _walk_other(self, value: object, kind: type) -> object:
        if isinstance(value, dt.datetime):
            return ("dt", value.isoformat(), str(value.tzinfo))
        if isinstance(value, dt.date):
            return ("d", value.toordinal())
        if isinstance(value, Mapping):
            return ("map", tuple((self._walk(k), self._walk(v)) for k, v in value.items()))
        if isinstance(value, frozenset | set):
            items = [self._walk(item) for item in value]
            return ("set", tuple(sorted(items, key=_marshal)))
        if isinstance(value, str | int | float):  # subclasses: str-enums, IntEnums...
            return (kind.__qualname__, str(value))
        raise Unfingerprintable(f"cannot fingerprint a {kind.__qualname__}")
