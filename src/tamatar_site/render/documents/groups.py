"""What the write stage gets from the documents layer: `Document`s, written when their
bytes changed, and `DocumentGroup`s, rendered only when the fingerprint of their inputs
changed (`build/pagewriter.write_documents`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tamatar_site.codeversion import code_signature


@dataclass(frozen=True)
class Document:
    path: str  # output path relative to the output folder
    data: bytes


@dataclass(frozen=True)
class DocumentGroup:
    """Documents rendered together, only when `fingerprint` (of their inputs) changed."""

    paths: tuple[str, ...]
    fingerprint: bytes
    render: Callable[[], Sequence[Document]]  # returns exactly `paths`, in that order


def fingerprint(*parts: object) -> bytes:
    """A digest of `parts` and of tamatar's code (`code_signature`: an edited install
    re-renders the documents, whichever module the edit was in)."""
    h = hashlib.blake2b(code_signature(), digest_size=16)
    h.update(marshal.dumps(parts, 2))  # type: ignore[arg-type]
    return h.digest()


def plain(records: Sequence[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """`records` (named tuples of what a renderer is given) as `fingerprint` takes them:
    plain tuples, dates and times as ISO 8601 text (with the UTC offset)."""
    return [tuple(_plain_value(v) for v in record) for record in records]


def _plain_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and type(value) is not str:
        return str(value)  # `Markup` (a body's HTML): marshal takes only `str` itself
    return value
