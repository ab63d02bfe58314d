"""How fresh the GitHub cache is: when the last complete sync ran, and what it asked for.

A build within `github.max_age` minutes of a complete sync that asked for the same things
reads the cache and asks GitHub nothing: its data is what that sync fetched, so a site that
did not change takes the build's no-change path. Asking for something else (another
`github:` setting, a new project's repository, a log wanting commits of another day) makes
the cache stale at once. The record is `last-sync.record` (JSON) beside the
cached answers, whose own files are `<key>.json`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tamatar_site.cachefile import write_atomic

RECORD = "last-sync.record"


def request_key(*asked: object) -> str:
    """A digest of what a sync asks GitHub for (its settings, repositories and links)."""
    text = json.dumps(asked, default=repr, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fresh_until(cache_dir: Path, key: str, max_age_minutes: int, now: float) -> float | None:
    """When the cache goes stale (seconds since the epoch), if a complete sync asked for
    `key` less than `max_age_minutes` before `now`; else None."""
    if max_age_minutes <= 0:
        return None
    try:
        record = json.loads((cache_dir / RECORD).read_text(encoding="utf-8"))
        synced_at = float(record["at"])
        same = record["asked"] == key
    except (OSError, ValueError, TypeError, KeyError):
        return None
    until = synced_at + max_age_minutes * 60
    return until if same and synced_at <= now < until else None


def record_sync(cache_dir: Path, key: str, now: float) -> None:
    """Note a complete sync of `key` at `now`; a cache that cannot be written stays stale."""
    record = {"at": now, "asked": key}
    write_atomic(cache_dir / RECORD, json.dumps(record).encode("utf-8"))
