"""The JSON API: what each document holds, its layout (one log per line) and HTML safety."""

from __future__ import annotations

import datetime as dt
import json

from tamatar_site.compute import compute_streaks
from tamatar_site.config import SiteConfig
from tamatar_site.model import Log, Project, Tag
from tamatar_site.render.documents.api import render_api
from tamatar_site.render.templates import make_abs_url

HOSTILE = 'A </script><b>"quoted"</b> & more — ünïcode'
ZONE = dt.timezone(dt.timedelta(hours=5, minutes=30))


def _log(day: int, title: str, tags: tuple[Tag, ...] = ()) -> Log:
    moment = dt.datetime(2026, 11, day, 9, 0, tzinfo=ZONE)
    return Log(
        source=f"logs/{day}.md",
        slug=f"day-{day}",
        title=title,
        date=moment.date(),
        timestamp=moment,
        body="text",
        body_line=4,
        tags=tags,
        project="p" if day % 2 else None,
        mood=day % 10,
    )


def _documents(logs: list[Log]) -> dict[str, bytes]:
    config = SiteConfig.model_validate(
        {"site": {"title": HOSTILE, "base_url": "https://example.org/log/"}}
    )
    project = Project(source="projects/p.yaml", slug="p", name="P")
    documents = render_api(
        config=config,
        logs=logs,
        projects=[project],
        tag_counts={"rust": 2, "go": 1},
        tag_names={"rust": "Rust", "go": "Go"},
        summaries={log.source: f"summary of {log.title}" for log in logs},
        streaks=compute_streaks(logs, dt.date(2026, 11, 22)),
        abs_url=make_abs_url("https://example.org/log/"),
    )
    return {document.path: document.data for document in documents}


def test_documents_hold_every_log_project_and_tag() -> None:
    rust = Tag("rust", "Rust")
    logs = [_log(21, "Newest", (rust,)), _log(20, HOSTILE, (rust, Tag("go", "Go")))]
    documents = _documents(logs)
    assert sorted(documents) == [
        "api/v1/logs.json",
        "api/v1/projects.json",
        "api/v1/site.json",
        "api/v1/tags.json",
    ]
    parsed = {path: json.loads(data) for path, data in documents.items()}
    items = parsed["api/v1/logs.json"]["logs"]
    assert [item["title"] for item in items] == ["Newest", HOSTILE]
    assert items[1] == {
        "title": HOSTILE,
        "date": "2026-11-20",
        "url": "https://example.org/log/logs/2026/11/20/day-20/",
        "tags": ["rust", "go"],
        "project": None,
        "mood": 0,
        "productivity": None,
        "focus_minutes": None,
        "summary": f"summary of {HOSTILE}",
    }
    assert parsed["api/v1/projects.json"]["projects"][0]["logs"] == 1
    assert [t["slug"] for t in parsed["api/v1/tags.json"]["tags"]] == ["rust", "go"]
    site = parsed["api/v1/site.json"]
    assert (site["version"], site["title"], site["streaks"]["active_days"]) == (1, HOSTILE, 2)


def test_one_log_per_line_and_no_markup_characters() -> None:
    logs = [_log(day, HOSTILE if day == 3 else f"Log {day}") for day in range(1, 8)]
    data = _documents(logs)["api/v1/logs.json"]
    lines = data.decode("utf-8").splitlines()
    assert lines[:3] == ["{", '  "version": 1,', '  "logs": [']
    assert lines[-2:] == ["  ]", "}"]
    assert len(lines) == 3 + len(logs) + 2
    assert all(line.startswith('    {"title": ') for line in lines[3:-2])
    for document in _documents(logs).values():
        assert not {b"<", b">", b"&"} & {bytes([c]) for c in document}  # \u003c etc.
        assert document.endswith(b"}\n")


def test_a_site_without_logs_has_an_empty_list() -> None:
    assert json.loads(_documents([])["api/v1/logs.json"]) == {"version": 1, "logs": []}
