"""Pure GitHub enrichment: log links per local day, language weights, health, activity."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from fakegithub import load_fixture

from tamatar_site.github.data import (
    Commit,
    GitHubData,
    Repo,
    parse_commit,
    parse_profile,
    parse_repo,
)
from tamatar_site.github.enrich import (
    LinkRequest,
    commit_days,
    enrich,
    health_score,
    language_weights,
    link_requests,
    resolve_link,
    weekly_activity,
)
from tamatar_site.model import Log, Project, Site

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def commit(repo: str, sha: str, when: str, message: str = "work") -> Commit:
    return Commit(
        repo,
        sha,
        message,
        f"https://github.com/{repo}/commit/{sha}",
        dt.datetime.fromisoformat(when),
    )


def repo(
    name: str,
    *,
    pushed: dt.datetime | None = NOW,
    languages: dict[str, int] | None = None,
    issues: int = 0,
    health: int | None = None,
    archived: bool = False,
) -> Repo:
    return Repo(
        name,
        f"https://github.com/{name}",
        None,
        0,
        0,
        issues,
        None,
        (),
        None,
        archived,
        pushed,
        languages or {},
        health,
    )


def log(
    slug: str, day: dt.date, *, project: str | None = None, commits: str | tuple[str, ...] = "auto"
) -> Log:
    stamp = dt.datetime.combine(day, dt.time(9), KOLKATA)
    return Log(
        f"logs/{day}-{slug}.md", slug, slug, day, stamp, "", 5, project=project, commits=commits
    )  # type: ignore[arg-type]


# 2026-11-20 20:00 UTC is already 2026-11-21 01:30 in Kolkata.
COMMITS = (
    commit("asha/tamatar", "aaaa1111", "2026-11-20T20:00:00+00:00", "late night fix"),
    commit("asha/tamatar", "bbbb2222", "2026-11-20T10:00:00+00:00", "morning"),
    commit("asha/other", "cccc3333", "2026-11-21T05:00:00+00:00", "other repo"),
)


def test_auto_links_the_days_commits_in_the_site_time_zone() -> None:
    request = LinkRequest("logs/2026/11/21/x/", dt.date(2026, 11, 21), ("asha/tamatar",), "auto")
    assert [c.sha for c in resolve_link(request, COMMITS, KOLKATA, selected_repos=())] == [
        "aaaa1111"
    ]
    in_utc = resolve_link(request, COMMITS, dt.UTC, selected_repos=())
    assert in_utc == ()  # in UTC the late fix was on the 20th


def test_log_without_project_links_every_selected_repo() -> None:
    site = Site(logs=(log("x", dt.date(2026, 11, 21)),))
    (request,) = link_requests(site)
    assert request.repos is None  # bound late: `public` repositories are listed by the sync
    selected = ["asha/tamatar", "asha/other"]
    assert request.repos_within(selected) == ("asha/tamatar", "asha/other")
    found = resolve_link(request, COMMITS, KOLKATA, selected_repos=selected)
    assert [c.sha for c in found] == ["cccc3333", "aaaa1111"]  # newest first
    only_other = resolve_link(request, COMMITS, KOLKATA, selected_repos=["asha/other"])
    assert [c.sha for c in only_other] == ["cccc3333"]
    assert resolve_link(request, COMMITS, KOLKATA, selected_repos=()) == ()


def test_log_of_a_project_without_repo_links_nothing_whatever_is_selected() -> None:
    site = Site(
        logs=(log("x", dt.date(2026, 11, 21), project="t"),),
        projects=(Project("projects/t.yaml", "t", "T"),),
    )
    (request,) = link_requests(site)
    assert request.repos == ()
    assert resolve_link(request, COMMITS, KOLKATA, selected_repos=["asha/tamatar"]) == ()


def test_explicit_shas_match_by_prefix_in_order() -> None:
    site = Site(
        logs=(log("x", dt.date(2020, 1, 1), project="t", commits=("BBBB22", "aaaa1")),),
        projects=(Project("projects/t.yaml", "t", "T", repo="asha/tamatar"),),
    )
    (request,) = link_requests(site)
    assert request.spec == ("bbbb22", "aaaa1") and request.repos == ("asha/tamatar",)
    found = resolve_link(request, COMMITS, KOLKATA, selected_repos=["asha/other"])
    assert [c.sha for c in found] == ["bbbb2222", "aaaa1111"]


def test_logs_with_commits_none_ask_for_nothing() -> None:
    site = Site(logs=(log("x", dt.date(2026, 11, 21), commits="none"),))
    assert link_requests(site) == ()


def test_language_weights_halve_every_180_days_since_the_last_push() -> None:
    fresh = repo("a/fresh", languages={"Rust": 1000})
    old = repo("a/old", pushed=NOW - dt.timedelta(days=180), languages={"Rust": 1000, "C": 400})
    weights = language_weights([fresh, old], NOW)
    assert weights == pytest.approx({"Rust": 1500.0, "C": 200.0})
    never = repo("a/never", pushed=None, languages={"Go": 1600})
    assert language_weights([never], NOW) == pytest.approx({"Go": 100.0})  # 720 days: 1/16


def test_health_score_combines_community_recency_and_issues() -> None:
    assert health_score(repo("a/b", health=100), NOW) == 100
    # 0.5*80 + 0.3*50 (pushed 90 days ago) + 0.2*50 (20 open issues) = 65
    pushed = NOW - dt.timedelta(days=90)
    assert health_score(repo("a/b", health=80, pushed=pushed, issues=20), NOW) == 65
    # unknown community: 0.6 * recency + 0.4 * issues
    assert health_score(repo("a/b", pushed=pushed, issues=20), NOW) == 50
    assert health_score(repo("a/b", health=100, archived=True), NOW) == 70


def test_weekly_activity_counts_iso_weeks_oldest_first() -> None:
    weeks = weekly_activity(COMMITS, "asha/tamatar", KOLKATA, dt.date(2026, 11, 21), weeks=3)
    assert [(w.start.isoformat(), w.count) for w in weeks] == [
        ("2026-11-02", 0),
        ("2026-11-09", 0),
        ("2026-11-16", 2),
    ]


def test_commit_days_are_local_days() -> None:
    assert commit_days(COMMITS, KOLKATA) == {dt.date(2026, 11, 20), dt.date(2026, 11, 21)}


def test_enrich_builds_views_from_recorded_github_answers() -> None:
    body = load_fixture("openapi-examples/repos-get.json")
    hello = parse_repo(body, load_fixture("openapi-examples/repos-list-languages.json"), None)
    detail = parse_commit(
        "octocat/Hello-World", load_fixture("openapi-examples/repos-get-commit.json")
    )
    profile = parse_profile(load_fixture("openapi-examples/users-get-user.json"))
    assert hello is not None and detail is not None and profile is not None
    data = GitHubData(profile, (hello,), (detail,))
    site = Site(
        logs=(log("bugs", dt.date(2011, 4, 14), project="hello"),),
        projects=(Project("projects/hello.yaml", "hello", "Hello", repo="octocat/Hello-World"),),
    )
    result = enrich(site, data, timezone="Asia/Kolkata", now=NOW)
    card = result.repo_cards["octocat/Hello-World"]
    assert (card.stars, card.url, card.license) == (
        80,
        "https://github.com/octocat/Hello-World",
        "MIT",
    )
    assert [(lang.name, lang.percent) for lang in card.languages] == [("C", 91.0), ("Python", 9.0)]
    (linked,) = result.log_commits["logs/2011/04/14/bugs/"]
    assert (linked.short_sha, linked.subject, linked.additions) == (
        "6dcb09b",
        "Fix all the bugs",
        104,
    )
    assert result.profile is not None and result.profile.url == "https://github.com/octocat"
    assert result.commit_days == {dt.date(2011, 4, 14)}
    assert [lang.name for lang in result.languages] == ["C", "Python"]
    weeks = result.project_activity["octocat/Hello-World"]  # ends at the last commit's week
    assert (len(weeks), weeks[-1].start, weeks[-1].count) == (26, dt.date(2011, 4, 11), 1)


def test_enrich_links_a_log_without_project_to_the_repos_the_sync_selected() -> None:
    site = Site(logs=(log("x", dt.date(2026, 11, 21)),))
    tamatar, other = repo("asha/tamatar"), repo("asha/other")
    # The sync selected only asha/other (say, `repos: [asha/other]`); asha/tamatar's commits
    # are here for a project's explicit SHA and must not show up on the no-project log.
    data = GitHubData(None, (tamatar, other), COMMITS, selected=("asha/other",))
    result = enrich(site, data, timezone="Asia/Kolkata", now=NOW)
    assert [c.short_sha for c in result.log_commits["logs/2026/11/21/x/"]] == ["cccc333"]
    # Data that does not say what was selected: every fetched repository.
    unsaid = enrich(
        site, GitHubData(None, (tamatar, other), COMMITS), timezone="Asia/Kolkata", now=NOW
    )
    assert [c.short_sha for c in unsaid.log_commits["logs/2026/11/21/x/"]] == [
        "cccc333",
        "aaaa111",
    ]


def test_two_builds_of_one_day_get_the_same_enrichment() -> None:
    """Recency counts in whole days of the site's time zone: a rebuild minutes later shows
    the same language shares and health scores, so serve's edit path and the no-change
    check apply to sites with GitHub data; the next day the weights move."""
    data = GitHubData(
        None,
        (
            repo("a/rust", pushed=NOW - dt.timedelta(days=50), languages={"Rust": 1000}),
            repo("a/py", pushed=NOW - dt.timedelta(days=600), languages={"Python": 3000}),
        ),
        (),
    )
    site = Site(logs=(log("day", dt.date(2026, 11, 20)),))
    morning = enrich(site, data, timezone="Asia/Kolkata", now=NOW - dt.timedelta(hours=6))
    later = enrich(site, data, timezone="Asia/Kolkata", now=NOW + dt.timedelta(minutes=17))
    assert later == morning
    next_day = enrich(site, data, timezone="Asia/Kolkata", now=NOW + dt.timedelta(days=1))
    assert next_day.languages != morning.languages
