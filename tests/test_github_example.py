"""The example site's committed GitHub cache: current, and enough for an offline build."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
from pathlib import Path

import pytest
from github_example_cache import regenerate

from tamatar_site.github.cache import site_cache_dir
from tamatar_site.github.enrich import enrich
from tamatar_site.github.sync import sync_site
from tamatar_site.validate import load_site

EXAMPLE = Path(__file__).resolve().parents[1] / "example-site"


def test_committed_cache_matches_a_regeneration(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("_site", "content"))
    result = regenerate(site)
    assert result.warnings == [  # only github3.py's commits were recorded, not the repository
        "GitHub has no repository sigmavirus24/github3.py (404): check the projects' `repo:` and"
        " `github.repos`, or set `github.token_env` for private repositories"
    ]
    committed = {p.name: p.read_bytes() for p in site_cache_dir(EXAMPLE).glob("*.json")}
    fresh = {p.name: p.read_bytes() for p in site_cache_dir(site).glob("*.json")}
    assert fresh == committed, "run: .venv/bin/python tests/github_example_cache.py"


def test_offline_sync_of_the_example_site_shows_repos_and_linked_commits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("offline sync opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    loaded = load_site(EXAMPLE)
    assert loaded.config is not None and loaded.site is not None
    result = sync_site(EXAMPLE, loaded.config, loaded.site, offline=True, environ={})
    assert result.warnings == [] and result.requests == 0
    data = result.data
    assert data is not None and data.profile is not None and data.profile.login == "octocat"
    assert [r.full_name for r in data.repos] == ["octocat/Hello-World", "PyCQA/flake8"]
    assert len(data.commits) == 26

    now = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    view = enrich(loaded.site, data, timezone=loaded.config.site.timezone, now=now)
    assert view.repo_cards["PyCQA/flake8"].stars == 277
    assert [lang.name for lang in view.repo_cards["octocat/Hello-World"].languages] == [
        "C",
        "Python",
    ]
    flush = view.log_commits["logs/2026/09/15/first-flush-works/"]
    assert [(c.short_sha, c.subject, c.additions) for c in flush] == [
        ("6dcb09b", "Fix all the bugs", 104)
    ]
    visitor = view.log_commits["logs/2026/09/28/ast-visitor/"]
    assert [c.subject for c in visitor] == [
        "Correct flake8 violation",
        "Ensure we never try to talk to the network on CI",
    ]
