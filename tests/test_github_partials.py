"""The theme's GitHub partials: escaped remote text, https-only links, real content."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2

from tamatar_site.github.data import Commit, GitHubData, Repo
from tamatar_site.github.enrich import enrich
from tamatar_site.load.themes import shipped_themes_dir
from tamatar_site.model import Log, Project, Site
from tamatar_site.render.templates import make_environment

THEME = shipped_themes_dir() / "default" / "templates"
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def environment() -> jinja2.Environment:
    return make_environment(THEME.parent, None, base_path="/", base_url="https://asha.github.io/")


def render(name: str, **context: Any) -> str:
    return environment().get_template(f"partials/github/{name}").render(**context)


def hostile_data() -> tuple[Site, GitHubData]:
    repo = Repo(
        "asha/evil",
        "javascript:alert(1)",
        HOSTILE,
        5,
        1,
        2,
        "Rust",
        ("<b>topic</b>",),
        "MIT",
        False,
        NOW,
        {"Rust": 300, '<Lang"x>': 100},
        90,
    )
    commits = (
        Commit("asha/evil", "a" * 40, f"{HOSTILE}\n\nbody", "http://github.com/x", NOW, 3, 1),
        Commit("asha/evil", "b" * 40, "fine", "https://github.com/asha/evil/commit/bbbb", NOW),
    )
    log = Log("logs/x.md", "x", "x", NOW.date(), NOW, "", 5, project="evil", commits="auto")
    site = Site(
        logs=(log,), projects=(Project("projects/evil.yaml", "evil", "Evil", repo="asha/evil"),)
    )
    return site, GitHubData(None, (repo,), commits)


def test_commits_partial_escapes_messages_and_links_only_https() -> None:
    site, data = hostile_data()
    github = enrich(site, data, timezone="UTC", now=NOW)
    html = render("commits.html", github=github, log=site.logs[0])
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img" in html
    assert 'href="http://github.com/x"' not in html  # plain http never becomes a link
    assert '<code class="sha">aaaaaaa</code>' in html
    commit = "https://github.com/asha/evil/commit/bbbb"
    assert f'<a class="sha" href="{commit}" rel="noopener noreferrer">' in html
    assert '+3</span> <span class="deletions">\u22121' in html
    assert "body" not in html.split("commit-subject")[1].split("</span>")[0]  # subject only


def test_repo_card_escapes_description_topics_and_languages() -> None:
    site, data = hostile_data()
    github = enrich(site, data, timezone="UTC", now=NOW)
    html = render("repo_card.html", github=github, project=site.projects[0])
    assert "<script>" not in html and "<b>" not in html and '<Lang"x>' not in html
    assert "&lt;b&gt;topic&lt;/b&gt;" in html and "&lt;Lang&#34;x&gt;" in html
    assert "javascript:" not in html
    assert "<dt>Stars</dt><dd>5</dd>" in html
    assert "<dt>Health</dt><dd>93<span" in html  # 0.5*90 + 0.3*100 + 0.2*(100/1.1)
    assert 'aria-label="Rust 75.0%, &lt;Lang&#34;x&gt; 25.0%"' in html
    assert "Recent commits" not in html  # repo_commits.html shows them
    commits = render("repo_commits.html", github=github, project=site.projects[0])
    assert '<h2 id="commits-title-asha-evil">Recent commits</h2>' in commits
    assert commits.count('<li class="commit">') == 2 and "<script>" not in commits


def test_languages_partial_lists_weighted_usage() -> None:
    site, data = hostile_data()
    github = enrich(site, data, timezone="UTC", now=NOW)
    html = render("languages.html", github=github)
    assert "<h2" in html and 'Rust <span class="muted">75.0%</span>' in html


def test_partials_render_nothing_without_github_data() -> None:
    for name in (
        "commits.html",
        "repo_card.html",
        "repo_commits.html",
        "languages.html",
        "profile.html",
    ):
        assert render(name, github=None).strip() == ""
