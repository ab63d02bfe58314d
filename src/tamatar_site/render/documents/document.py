"""What the documents stage produces: a `Document` (path and bytes) or a `DocumentGroup`
(files rendered together, only when the fingerprint of their inputs changed)."""

from __future__ import annotations

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
