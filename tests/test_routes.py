"""Routes: link resolution between sources, goal order, pagination views, feed selection."""

from __future__ import annotations

import datetime as dt

from tamatar_site.build.inputs import resolve_relative, source_targets
from tamatar_site.compute import timeline
from tamatar_site.config import SiteConfig
from tamatar_site.model import Goal, Log, Site, Tag
from tamatar_site.render.pages.common import index_path, pagination_view
from tamatar_site.render.pages.learning import goals_in_dependency_order
from tamatar_site.render.pages.logorder import feed_log_sources
from tamatar_site.render.templates import make_url

URL = make_url("/devlog/")
TARGETS = {
    "logs/2026/2026-11-20-borrowck.md": "logs/2026/11/20/borrowck/",
    "logs/2025/2025-01-01-new-year.md": "logs/2025/01/01/new-year/",
    "resources/rust-book.yaml": "resources/rust-book/",
    "projects/tamatar.yaml": "projects/tamatar/",
}


def resolve(source: str, path: str) -> str | None:
    return resolve_relative(source, path, TARGETS, URL)


def test_relative_links_resolve_to_permalinks() -> None:
    source = "logs/2026/2026-11-21-x.md"
    assert resolve(source, "2026-11-20-borrowck.md") == "/devlog/logs/2026/11/20/borrowck/"
    assert resolve(source, "./2026-11-20-borrowck.md") == "/devlog/logs/2026/11/20/borrowck/"
    assert resolve(source, "../2025/2025-01-01-new-year.md") == "/devlog/logs/2025/01/01/new-year/"
    assert resolve(source, "../../projects/tamatar.yaml") == "/devlog/projects/tamatar/"
    assert resolve(source, "../../resources/rust-book.yaml") == "/devlog/resources/rust-book/"
    assert resolve(source, "../../static/img/a.png") == "/devlog/img/a.png"


def test_unknown_or_escaping_links_are_kept() -> None:
    source = "logs/2026/2026-11-21-x.md"
    assert resolve(source, "missing.md") is None
    assert resolve(source, "../../../outside.md") is None
    assert resolve(source, "/absolute/path") is None
    assert resolve(source, "") is None


def log(slug: str, day: int, *tags: str) -> Log:
    date = dt.date(2026, 11, day)
    moment = dt.datetime(2026, 11, day, tzinfo=dt.UTC)
    return Log(
        f"logs/2026-11-{day:02d}-{slug}.md",
        slug,
        slug.title(),
        date,
        moment,
        "",
        5,
        tags=tuple(Tag(t, t) for t in tags),
    )


def test_source_targets_cover_every_kind() -> None:
    site = Site(logs=(log("a", 2),), goals=(Goal("goals/g.yaml", "g", "G"),))
    assert source_targets(site) == {
        "logs/2026-11-02-a.md": "logs/2026/11/02/a/",
        "goals/g.yaml": "goals/g/",
    }


def test_goals_come_after_their_dependencies_and_keep_order_otherwise() -> None:
    goals = [
        Goal("goals/c.yaml", "c", "C", depends_on=("b",)),
        Goal("goals/a.yaml", "a", "A"),
        Goal("goals/b.yaml", "b", "B", depends_on=("a",)),
        Goal("goals/d.yaml", "d", "D"),
    ]
    assert [g.slug for g in goals_in_dependency_order(goals)] == ["a", "b", "c", "d"]


def test_goal_cycles_do_not_lose_goals() -> None:
    goals = [
        Goal("goals/y.yaml", "y", "Y", depends_on=("x",)),
        Goal("goals/x.yaml", "x", "X", depends_on=("y",)),
        Goal("goals/z.yaml", "z", "Z"),
    ]
    # Goals stuck in a cycle come last, in their input order.
    assert [g.slug for g in goals_in_dependency_order(goals)] == ["z", "y", "x"]


def test_pagination_view_windows_and_neighbours() -> None:
    pages = timeline.paginate(list(range(100)), 10)
    first = pagination_view("logs/", pages[0])
    assert (first.previous, first.next) == (None, "logs/page/2/")
    assert [link.number for link in first.links] == [1, 2, 3, 10]
    middle = pagination_view("tags/rust/", pages[4])
    assert middle.previous == "tags/rust/page/4/"
    assert [link.number for link in middle.links] == [1, 3, 4, 5, 6, 7, 10]
    assert [link.current for link in middle.links].count(True) == 1
    last = pagination_view("logs/", pages[9])
    assert last.next is None


def test_index_path() -> None:
    assert index_path("") == "index.html"
    assert index_path("logs/page/2/") == "logs/page/2/index.html"


def test_feed_logs_are_the_newest_overall_and_per_tag() -> None:
    logs = (
        log("e", 5, "a"),
        log("d", 4, "a"),
        log("c", 3, "b"),
        log("b", 2, "a"),
        log("a", 1, "b"),
    )
    config = SiteConfig.model_validate({"site": {"title": "t"}, "feeds": {"limit": 2}})
    assert feed_log_sources(logs, config) == {
        "logs/2026-11-05-e.md",
        "logs/2026-11-04-d.md",
        "logs/2026-11-03-c.md",
        "logs/2026-11-01-a.md",
    }
    no_tag_feeds = SiteConfig.model_validate(
        {"site": {"title": "t"}, "feeds": {"limit": 2, "per_tag": False}}
    )
    assert feed_log_sources(logs, no_tag_feeds) == {"logs/2026-11-05-e.md", "logs/2026-11-04-d.md"}


def test_profile_falls_back_to_the_github_name_and_avatar() -> None:
    from tamatar_site.github.enrich import GitHubEnrichment
    from tamatar_site.github.views import ProfileView
    from tamatar_site.render.markdown import MarkdownRenderer
    from tamatar_site.render.pages.common import profile_view

    github = GitHubEnrichment(
        profile=ProfileView(
            "asha", "Asha Rao", "https://avatars.example/asha.png", None, None, 3, 4
        ),
        repo_cards={},
        project_commits={},
        project_activity={},
        log_commits={},
        languages=(),
        commit_days=frozenset(),
        commits_per_day={},
    )
    bare = SiteConfig.model_validate({"site": {"title": "Devlog"}})
    view = profile_view(bare, MarkdownRenderer(), github)
    assert (view.name, view.avatar_url, view.initials) == (
        "Asha Rao",
        "https://avatars.example/asha.png",
        "AR",
    )
    own = SiteConfig.model_validate(
        {"site": {"title": "Devlog"}, "profile": {"name": "A", "avatar": "static/me.png"}}
    )
    assert profile_view(own, MarkdownRenderer(), github).avatar_url == "me.png"
    assert profile_view(bare, MarkdownRenderer()).name == "Devlog"
