"""The static JSON API under `api/v1/` (site, logs, projects, tags).

Every document is a JSON object with a `version` key so the format can grow; URLs are
absolute, dates ISO 8601. Output is deterministic (no build time, stable order).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tamatar_site.compute import StreakStats
from tamatar_site.config import SiteConfig
from tamatar_site.model import Log, Project
from tamatar_site.render.views.content import tag_permalink

API_VERSION = 1
API_PREFIX = "api/v1/"


@dataclass(frozen=True)
class ApiDocument:
    path: str  # output path, e.g. `api/v1/logs.json`
    data: bytes


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _dump(document: Mapping[str, object]) -> bytes:
    """JSON with one key of the document per line, and one item per line in its lists
    (readable, diff-friendly, and written by json's C encoder: `indent=` would use the
    pure-Python one, seconds for 10,000 logs). `<`, `>` and `&` are written as `\\u003c`...
    so a document can be pasted into HTML without becoming markup."""
    lines = []
    for key, value in document.items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {_compact(item)}" for item in value)
            lines.append(f"  {_compact(key)}: [\n{items}\n  ]")
        else:
            lines.append(f"  {_compact(key)}: {_compact(value)}")
    text = "{\n" + ",\n".join(lines) + "\n}" if lines else "{}"
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (text + "\n").encode("utf-8")


def render_api(
    *,
    config: SiteConfig,
    logs: Sequence[Log],
    projects: Sequence[Project],
    tag_counts: Mapping[str, int],
    tag_names: Mapping[str, str],
    summaries: Mapping[str, str],
    streaks: StreakStats,
    abs_url: Callable[[str], str],
) -> list[ApiDocument]:
    """The API documents: `site.json`, `logs.json`, `projects.json`, `tags.json`."""
    log_counts: dict[str, int] = {}
    for log in logs:
        if log.project:
            log_counts[log.project] = log_counts.get(log.project, 0) + 1
    log_items = [
        {
            "title": log.title,
            "date": log.date.isoformat(),
            "url": abs_url(log.permalink),
            "tags": [tag.slug for tag in log.tags],
            "project": log.project,
            "mood": log.mood,
            "productivity": log.productivity,
            "focus_minutes": log.focus_minutes,
            "summary": summaries.get(log.source, ""),
        }
        for log in logs
    ]
    project_items = [
        {
            "slug": p.slug,
            "name": p.name,
            "url": abs_url(p.permalink),
            "status": p.status,
            "featured": p.featured,
            "tech_stack": list(p.tech_stack),
            "repo": p.repo,
            "live_url": p.live_url,
            "start_date": p.start_date.isoformat() if p.start_date else None,
            "end_date": p.end_date.isoformat() if p.end_date else None,
            "logs": log_counts.get(p.slug, 0),
        }
        for p in projects
    ]
    tag_items = [
        {
            "slug": slug,
            "name": tag_names.get(slug, slug),
            "url": abs_url(tag_permalink(slug)),
            "logs": count,
        }
        for slug, count in sorted(tag_counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    site = {
        "version": API_VERSION,
        "title": config.site.title,
        "description": config.site.description,
        "url": abs_url(""),
        "language": config.site.language,
        "author": config.profile.name or None,
        "streaks": {
            "current": streaks.current.length,
            "longest": streaks.longest.length,
            "active_days": streaks.active_days,
            "as_of": streaks.today.isoformat(),
        },
        "endpoints": {
            name: abs_url(f"{API_PREFIX}{name}.json") for name in ("logs", "projects", "tags")
        },
    }
    return [
        ApiDocument(f"{API_PREFIX}site.json", _dump(site)),
        ApiDocument(f"{API_PREFIX}logs.json", _dump({"version": API_VERSION, "logs": log_items})),
        ApiDocument(
            f"{API_PREFIX}projects.json",
            _dump({"version": API_VERSION, "projects": project_items}),
        ),
        ApiDocument(f"{API_PREFIX}tags.json", _dump({"version": API_VERSION, "tags": tag_items})),
    ]
