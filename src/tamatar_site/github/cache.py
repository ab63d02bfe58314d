"""The on-disk GitHub response cache: one JSON file per request under `.tamatar/cache/github/`.

Each file holds the request URL, the ETag and Last-Modified validators, the status, the
`Link` header and the JSON body. Writes are atomic (a temporary file, then `os.replace`), so
an interrupted sync never leaves half a file; a file that cannot be read is ignored with one
warning and refetched.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tamatar_site.cachefile import write_atomic

CACHE_SUBDIR = Path(".tamatar") / "cache" / "github"

# `since` moves every day when `commits_since` is set; keying without it lets an offline build
# find yesterday's answer. Validators are only sent when the stored URL equals the new one.
_VOLATILE_PARAMS = frozenset({"since"})
_KEY_FILE = re.compile(r"^[0-9a-f]{32}\.json$")


def site_cache_dir(site_dir: Path) -> Path:
    """Where a site keeps its GitHub cache: `<site>/.tamatar/cache/github/`."""
    return site_dir / CACHE_SUBDIR


def cache_key(url: str) -> str:
    """The stable key of a request URL: sha256 of the URL without volatile parameters."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    stable = sorted((k, v) for k, v in query if k not in _VOLATILE_PARAMS)
    normalised = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(stable), ""))
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class CacheEntry:
    """One cached answer."""

    url: str
    status: int
    body: Any
    etag: str | None = None
    last_modified: str | None = None
    link: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "link": self.link,
            "body": self.body,
        }


def _entry_from_json(data: Any) -> CacheEntry | None:
    if not isinstance(data, dict):
        return None
    url, status = data.get("url"), data.get("status")
    if not isinstance(url, str) or not isinstance(status, int):
        return None
    etag, modified, link = data.get("etag"), data.get("last_modified"), data.get("link")
    return CacheEntry(
        url=url,
        status=status,
        body=data.get("body"),
        etag=etag if isinstance(etag, str) else None,
        last_modified=modified if isinstance(modified, str) else None,
        link=link if isinstance(link, str) else None,
    )


class ResponseCache:
    """Read and write cache entries in one directory; collects warnings about bad files."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.corrupt: list[Path] = []
        self.misses = 0  # answers asked for and not cached
        self._used: set[str] = set()  # file names read or written by this sync

    def path_for(self, url: str) -> Path:
        name = f"{cache_key(url)}.json"
        self._used.add(name)
        return self.directory / name

    def prune(self) -> int:
        """Delete the entries this sync did not ask for (removed repositories, old pages).

        Call only after a complete online sync. Returns the number of files removed."""
        removed = 0
        try:
            candidates = list(self.directory.glob("*.json"))
        except OSError:
            return 0
        for path in candidates:
            if path.name not in self._used and _KEY_FILE.match(path.name):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        return removed

    def get(self, url: str) -> CacheEntry | None:
        """The entry for `url`, or None when missing or unreadable (then noted in `corrupt`)."""
        path = self.path_for(url)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError:
            self._note_corrupt(path)
            return None
        try:
            entry = _entry_from_json(json.loads(text))
        except (ValueError, RecursionError):
            entry = None
        if entry is None:
            self._note_corrupt(path)
        return entry

    def put(self, entry: CacheEntry) -> None:
        """Write `entry` atomically; a failure to write is not fatal (the cache is optional)."""
        path = self.path_for(entry.url)
        data = json.dumps(entry.to_json(), ensure_ascii=False, sort_keys=True) + "\n"
        with contextlib.suppress(OSError):
            if path.read_text(encoding="utf-8") == data:
                return  # unchanged: keep the file (and a committed cache) as it is
        write_atomic(path, data.encode("utf-8"))

    def _note_corrupt(self, path: Path) -> None:
        if path not in self.corrupt:
            self.corrupt.append(path)
