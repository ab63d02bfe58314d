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
    assert result.warnings == []  # the example asks only for what was recorded
    committed = {p.name: p.read_bytes() for p in site_cache_dir(EXAMPLE).glob("*.json")}
    fresh = {p.name: p.read_bytes() for p in site_cache_dir(site).glob("*.json")}
    assert fresh == committed, "run: .venv/bin/python tests/github_example_cache.py"


def test_offline_sync_of_the_example_site_shows_the_2011_repo_of_its_2011_project(
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
    assert [r.full_name for r in data.repos] == ["octocat/Hello-World"]
    assert len(data.commits) == 1

    now = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    view = enrich(loaded.site, data, timezone=loaded.config.site.timezone, now=now)
    card = view.repo_cards["octocat/Hello-World"]
    assert [lang.name for lang in card.languages] == ["C", "Python"]
    # the 2011 repository belongs to the 2011 project, not to a 2026 one
    repos = {project.slug: project.repo for project in loaded.site.projects}
    assert repos["hello-world"] == "octocat/Hello-World"
    assert repos["tidepool"] is None
    assert view.log_commits == {}  # no 2026 log claims a commit of 2011
