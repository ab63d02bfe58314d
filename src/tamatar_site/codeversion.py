"""The version of tamatar's code, for cache keys: the release number, and the size and
mtime of every module, so that caches written by an edited development install (same
version number, different code) are not trusted."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import tamatar_site

__all__ = ["code_signature"]


@functools.cache
def code_signature() -> bytes:
    """A digest of tamatar's version and of its modules' sizes and mtimes (once a process)."""
    package = Path(tamatar_site.__file__).parent
    h = hashlib.blake2b(tamatar_site.__version__.encode(), digest_size=16)
    for module in sorted(package.rglob("*.py")):
        stat = module.stat()
        h.update(f"{module.relative_to(package)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return h.digest()
