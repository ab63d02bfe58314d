"""GitHub sync against a real local server replaying recorded GitHub responses."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakegithub import FakeGitHub, Reply, example_reply, load_fixture, reply_from_exchange

from tamatar_site.config import GitHubSection, SiteConfig
from tamatar_site.github.client import ClientSettings
from tamatar_site.github.enrich import LinkRequest
from tamatar_site.github.sync import SyncResult, plan_sync, sync_github, sync_site
from tamatar_site.model import Log, Site

FAST = ClientSettings(timeout=2.0, retries=2, backoff=0.01, concurrency=4)
HELLO = "octocat/Hello-World"
HELLO_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
TOKEN = "ghp_tamatarTestToken0123456789abcdefXYZ"


def serve_octocat(gh: FakeGitHub) -> None:
    """octocat + octocat/Hello-World from GitHub's OpenAPI examples, with validators."""
    gh.add("/users/octocat", example_reply("users-get-user.json", etag='W/"user-1"'))
    gh.add(
        f"/repos/{HELLO}",
        example_reply(
            "repos-get.json", etag='"repo-1"', **{"Last-Modified": "Tue, 19 Sep 2017 15:57:54 GMT"}
        ),
    )
    gh.add(f"/repos/{HELLO}/languages", example_reply("repos-list-languages.json", etag='"l-1"'))
    gh.add(f"/repos/{HELLO}/commits", example_reply("repos-list-commits.json", etag='W/"c-1"'))
    gh.add(f"/repos/{HELLO}/commits/{HELLO_SHA}", example_reply("repos-get-commit.json", 'W/"d"'))


def config(gh: FakeGitHub, **overrides: Any) -> GitHubSection:
    values: dict[str, Any] = {"user": "octocat", "repos": [HELLO], "api_url": gh.url}
    values.update(overrides)
    return GitHubSection.model_validate(values)


def run(
    gh: FakeGitHub,
    cache: Path,
    *,
    offline: bool = False,
    token: str | None = None,
    links: tuple[LinkRequest, ...] = (),
    settings: ClientSettings = FAST,
    **overrides: Any,
) -> SyncResult:
    return sync_github(
        config(gh, **overrides),
        [],
        cache,
        offline=offline,
        since=dt.date(2011, 1, 1),
        token=token,
        links=links,
        settings=settings,
    )


LINK_AUTO = LinkRequest("logs/2011-04-14-bugs.md", dt.date(2011, 4, 14), (HELLO,), "auto")


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        serve_octocat(server)
        yield server


def test_first_sync_fetches_profile_repo_languages_and_commits(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    result = run(gh, tmp_path, links=(LINK_AUTO,))

    assert result.warnings == []
    assert result.data is not None
    assert result.data.profile is not None
    assert (result.data.profile.login, result.data.profile.followers) == ("octocat", 20)
    (repo,) = result.data.repos
    assert (repo.full_name, repo.stars, repo.forks, repo.license) == (HELLO, 80, 9, "MIT")
    assert repo.topics == ("octocat", "atom", "electron", "api")
    assert repo.languages == {"C": 78769, "Python": 7769}
    assert repo.health_percentage is None  # no community profile recorded: a 404
    (commit,) = result.data.commits
    assert commit.sha == HELLO_SHA and commit.message == "Fix all the bugs"
    assert commit.authored_at == dt.datetime(2011, 4, 14, 16, 0, 49, tzinfo=dt.UTC)
    assert (commit.additions, commit.deletions) == (104, 4)  # linked: detail fetched

    first = next(gh.requests_to("/users/octocat"))
    assert first.header("accept") == "application/vnd.github+json"
    assert first.header("x-github-api-version") == "2022-11-28"
    assert first.header("user-agent") == "tamatar/0.1.0"
    assert first.header("authorization") is None  # no token given
    listing = next(gh.requests_to(f"/repos/{HELLO}/commits"))
    assert listing.query == {
        "author": "octocat",
        "per_page": "100",
        "since": "2011-01-01T00:00:00Z",
    }
    assert result.requests == 6  # user, repo, languages, community, commits, one detail
    stored = [json.loads(p.read_text()) for p in tmp_path.glob("*.json")]
    assert {e["etag"] for e in stored} >= {'W/"user-1"', '"repo-1"', 'W/"c-1"', 'W/"d"'}
    assert all(set(e) == {"url", "etag", "last_modified", "link", "status", "body"} for e in stored)


def test_commit_detail_only_for_linked_commits(gh: FakeGitHub, tmp_path: Path) -> None:
    result = run(gh, tmp_path)
    assert result.data is not None
    assert result.data.commits[0].additions is None
    assert f"/repos/{HELLO}/commits/{HELLO_SHA}" not in gh.paths()


def test_second_sync_sends_only_conditional_requests_and_gets_304s(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    first = run(gh, tmp_path, links=(LINK_AUTO,))
    files = {p: p.read_bytes() for p in tmp_path.glob("*.json")}
    gh.requests.clear()

    second = run(gh, tmp_path, links=(LINK_AUTO,))

    assert second.data == first.data
    assert second.warnings == []
    answered_200 = [r for r in gh.requests if r.path != f"/repos/{HELLO}/community/profile"]
    assert len(answered_200) == 5
    assert all(r.header("if-none-match") for r in answered_200)
    assert next(gh.requests_to("/users/octocat")).header("if-none-match") == 'W/"user-1"'
    repo_request = next(gh.requests_to(f"/repos/{HELLO}"))
    assert repo_request.header("if-modified-since") == "Tue, 19 Sep 2017 15:57:54 GMT"
    assert second.not_modified == 5 and second.statuses == {304: 5, 404: 1}
    assert {p: p.read_bytes() for p in tmp_path.glob("*.json")} == files  # nothing rewritten


def test_recorded_304_pair_revalidates_a_weak_etag(tmp_path: Path) -> None:
    """hub4j's real 200 (weak ETag) then 304 for the same If-None-Match."""
    with FakeGitHub() as gh:
        name = "hub4j-test-org/github-api"
        gh.add("/users/octocat", example_reply("users-get-user.json", etag='"u"'))
        gh.add(
            f"/repos/{name}",
            reply_from_exchange("hub4j-get-repository-200-before-304.json"),
            reply_from_exchange("hub4j-get-repository-304-not-modified.json"),
        )
        run(gh, tmp_path, repos=[name])
        second = run(gh, tmp_path, repos=[name])
        sent = list(gh.requests_to(f"/repos/{name}"))
    assert sent[1].header("if-none-match") == 'W/"295ae3430c604f3d10b6eb145fe511b5"'
    assert second.data is not None and second.data.repos[0].full_name == name


def _commit_pages(gh: FakeGitHub, repo: str) -> list[dict[str, Any]]:
    """github3.py's 25 recorded commits served as 3 pages linked like GitHub does."""
    recorded = load_fixture("exchanges/github3-list-commits-200-link.json")["response"]
    items: list[dict[str, Any]] = recorded["body"]
    chunks = [items[0:10], items[10:20], items[20:25]]
    base = "https://api.github.com/repositories/3710711/commits"
    for number, chunk in enumerate(chunks, start=1):
        headers = dict(recorded["headers"])
        headers["ETag"] = f'W/"page-{number}"'
        links = []
        if number < 3:
            links.append(f'<{base}?page={number + 1}>; rel="next"')
        links.append(f'<{base}?page=3>; rel="last"')
        headers["Link"] = ", ".join(links)
        path = f"/repos/{repo}/commits" if number == 1 else "/repositories/3710711/commits"
        gh.add(
            path, Reply(200, chunk, headers), query={"page": str(number)} if number > 1 else None
        )
    return items


def test_commit_pagination_follows_link_headers_across_three_pages(tmp_path: Path) -> None:
    repo = "sigmavirus24/github3.py"
    with FakeGitHub() as gh:
        gh.add("/users/octocat", example_reply("users-get-user.json"))
        items = _commit_pages(gh, repo)
        result = run(gh, tmp_path, repos=[repo])
        pages = [r for r in gh.requests if "commits" in r.path]
        assert [r.path for r in pages] == [
            f"/repos/{repo}/commits",
            "/repositories/3710711/commits",
            "/repositories/3710711/commits",
        ]
        assert [r.query.get("page") for r in pages] == [None, "2", "3"]
        # offline, the cached Link headers lead through the same three pages
        offline = run(gh, tmp_path, repos=[repo], offline=True)
    assert result.data is not None and offline.data is not None
    assert {c.sha for c in result.data.commits} == {c["sha"] for c in items}
    assert len(result.data.commits) == 25
    assert offline.data.commits == result.data.commits


def test_recorded_issue_pages_are_followed_exactly_as_given(tmp_path: Path) -> None:
    """octokit's five recorded pages: page 1 on a repo path, pages 2-5 on /repositories/<id>."""
    from tamatar_site.github.cache import ResponseCache
    from tamatar_site.github.client import GitHubClient

    with FakeGitHub() as gh:
        first_path = load_fixture("exchanges/octokit-paginate-issues-page1.json")["request"]["path"]
        gh.add(first_path, reply_from_exchange("octokit-paginate-issues-page1.json"))
        for n in range(2, 6):
            reply = reply_from_exchange(f"octokit-paginate-issues-page{n}.json")
            gh.add("/repositories/515435940/issues", reply, query={"page": str(n)})

        async def fetch() -> list[Any]:
            async with httpx.AsyncClient() as http:
                client = GitHubClient(http, gh.url, ResponseCache(tmp_path), settings=FAST)
                items, _ = await client.get_pages(client.url(first_path, {"per_page": "3"}))
                return items

        import asyncio

        items = asyncio.run(fetch())
    assert [i["number"] for i in items] == sorted((i["number"] for i in items), reverse=True)
    assert len(items) == 13
    assert [r.query.get("page") for r in gh.requests] == [None, "2", "3", "4", "5"]


def test_bad_token_gives_one_clear_warning_and_stops(gh: FakeGitHub, tmp_path: Path) -> None:
    gh.add("/users/octocat", reply_from_exchange("hub4j-get-user-401-bad-credentials.json"))
    result = run(gh, tmp_path, token=TOKEN)
    assert result.data is None
    assert result.warnings == [
        "GitHub rejected the token (401 Bad credentials): check or renew it; stopped asking"
        " GitHub and nothing is cached, so the site is built without GitHub data"
    ]
    assert gh.requests[0].header("authorization") == f"Bearer {TOKEN}"
    assert result.requests < 6


def _primary_limit_reply() -> Reply:
    """No recording of a primary-limit 403 exists: GitHub's recorded rate headers, Remaining 0,
    and the real body from errors/403-rate-limit-exceeded.json."""
    recorded = load_fixture("exchanges/octokit-get-branch-protection-404.json")["response"]
    headers = {
        k: v
        for k, v in recorded["headers"].items()
        if k.lower().startswith(("x-rate", "content-type"))
    }
    headers["X-RateLimit-Remaining"] = "0"
    headers["X-RateLimit-Used"] = "5000"
    return Reply(403, load_fixture("errors/403-rate-limit-exceeded.json"), headers)


def test_primary_rate_limit_keeps_the_cache_and_says_when_it_resets(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    first = run(gh, tmp_path)
    for route in (f"/repos/{HELLO}", "/users/octocat"):
        gh.add(route, _primary_limit_reply())
    gh.requests.clear()
    second = run(gh, tmp_path, settings=ClientSettings(backoff=0.01, concurrency=1))
    assert second.data == first.data  # everything still there, from the cache
    assert second.warnings == [
        "GitHub's rate limit of 5000 requests per hour was reached; it resets at"
        " 2022-07-19 05:36:39 UTC; stopped asking GitHub and using the cached GitHub data"
    ]
    assert len(gh.requests) == 1  # the first 403 stopped every further request


def test_secondary_rate_limit_429_with_retry_after(gh: FakeGitHub, tmp_path: Path) -> None:
    gh.add(
        f"/repos/{HELLO}",
        reply_from_exchange("hub4j-SIMULATED-secondary-rate-limit-429-retry-after.json"),
    )
    result = run(gh, tmp_path)
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith(
        "GitHub's secondary rate limit was reached; GitHub asks to wait 8 s (until "
    )
    assert result.statuses.get(429) == 1


def test_a_429_with_a_short_wait_is_asked_again(gh: FakeGitHub, tmp_path: Path) -> None:
    ok = example_reply("repos-get.json", etag='"r"')
    gh.add(f"/repos/{HELLO}", Reply(429, {"message": "slow down"}, {"retry-after": "1"}), ok)
    result = run(gh, tmp_path)
    assert result.warnings == []
    assert result.data is not None and result.data.repos[0].stars == 80
    assert len(list(gh.requests_to(f"/repos/{HELLO}"))) == 2


def test_a_429_without_a_wait_is_retried_with_backoff(gh: FakeGitHub, tmp_path: Path) -> None:
    ok = example_reply("repos-get.json", etag='"r"')
    gh.add(f"/repos/{HELLO}", Reply(429, {"message": "Too Many Requests"}), ok)
    result = run(gh, tmp_path, settings=ClientSettings(backoff=0.01))
    assert result.warnings == []
    assert len(list(gh.requests_to(f"/repos/{HELLO}"))) == 2


def test_a_429_of_a_spent_hourly_limit_is_not_retried(gh: FakeGitHub, tmp_path: Path) -> None:
    spent = {"x-ratelimit-remaining": "0", "x-ratelimit-limit": "60"}
    gh.add(f"/repos/{HELLO}", Reply(429, {"message": "API rate limit exceeded"}, spent))
    result = run(gh, tmp_path, settings=ClientSettings(backoff=0.01))
    assert len(result.warnings) == 1 and "rate limit" in result.warnings[0]
    assert len(list(gh.requests_to(f"/repos/{HELLO}"))) == 1


def test_secondary_rate_limit_403_by_message(gh: FakeGitHub, tmp_path: Path) -> None:
    gh.add("/users/octocat", Reply(403, load_fixture("errors/403-secondary-rate-limit.json")))
    result = run(gh, tmp_path)
    assert result.warnings == [
        "GitHub's secondary rate limit was reached; try again in a few minutes; stopped asking"
        " GitHub and nothing is cached, so the site is built without GitHub data"
    ]


def test_server_error_is_retried_then_succeeds(gh: FakeGitHub, tmp_path: Path) -> None:
    ok = example_reply("repos-get.json", etag='"r"')
    gh.add(f"/repos/{HELLO}", Reply(500, {"message": "Server Error"}), Reply(502), ok)
    result = run(gh, tmp_path)
    assert result.warnings == []
    assert result.data is not None and result.data.repos[0].stars == 80
    assert len(list(gh.requests_to(f"/repos/{HELLO}"))) == 3


def test_persistent_server_errors_fall_back_to_the_cache(gh: FakeGitHub, tmp_path: Path) -> None:
    first = run(gh, tmp_path)
    gh.add("/users/octocat", Reply(503, {"message": "Service Unavailable"}))
    second = run(gh, tmp_path, settings=ClientSettings(backoff=0.01, retries=1, concurrency=1))
    assert second.data == first.data
    assert second.warnings == [
        "GitHub answered 503 Service Unavailable 2 times; stopped asking GitHub and using the"
        " cached GitHub data"
    ]


def test_timeout_warns_and_uses_the_cache(gh: FakeGitHub, tmp_path: Path) -> None:
    first = run(gh, tmp_path)
    slow = example_reply("users-get-user.json")
    slow.delay = 1.0
    gh.add("/users/octocat", slow)
    gh.requests.clear()
    quick = ClientSettings(timeout=0.2, retries=1, backoff=0.01, concurrency=1)
    second = run(gh, tmp_path, settings=quick)
    assert second.data == first.data
    assert second.warnings == [
        "GitHub did not answer within 0.2 s; stopped asking GitHub and using the cached GitHub data"
    ]
    assert len(list(gh.requests_to("/users/octocat"))) == 2  # one retry


def test_unreachable_server_without_cache_builds_without_github_data(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = sync_github(
        GitHubSection(user="octocat", repos=[HELLO], api_url=f"http://127.0.0.1:{port}"),  # type: ignore[arg-type]
        [],
        tmp_path,
        offline=False,
        since=None,
        token=None,
        settings=ClientSettings(retries=0, timeout=2),
    )
    assert result.data is None
    assert result.warnings == [
        f"could not reach GitHub at http://127.0.0.1:{port} (ConnectError); stopped asking"
        " GitHub and nothing is cached, so the site is built without GitHub data"
    ]


def _closed_port() -> int:
    with socket.socket() as probe:  # bound, never listening: connections are refused
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("where", ["refused", "unresolvable"])
def test_no_network_gives_up_at_the_first_attempt(where: str, tmp_path: Path) -> None:
    """A refused connection or a host that does not resolve fails the same way on a retry:
    one attempt, one warning, and none of the default backoff (1 s, then 2 s)."""
    api_url = (
        f"http://127.0.0.1:{_closed_port()}"
        if where == "refused"
        else ("http://nonexistent.invalid")
    )
    started = time.monotonic()
    result = sync_github(
        GitHubSection(user="octocat", repos=[HELLO, "octocat/Spoon-Knife"], api_url=api_url),  # type: ignore[arg-type]
        [],
        tmp_path,
        offline=False,
        since=None,
        token=None,
        settings=ClientSettings(),  # the defaults: retries=2, backoff=1.0
    )
    elapsed = time.monotonic() - started
    assert result.requests == 1  # the profile; nothing after the stop, no retry
    assert result.warnings == [
        f"could not reach GitHub at {api_url} (ConnectError); stopped asking"
        " GitHub and nothing is cached, so the site is built without GitHub data"
    ]
    assert elapsed < 0.9, f"{elapsed:.2f} s: a retry waited out the backoff"


def test_a_dropped_connection_is_retried(gh: FakeGitHub, tmp_path: Path) -> None:
    """Unlike a refused connection, a connection closed mid-answer may work a moment later."""
    gh.add("/users/octocat", Reply(drop=True), example_reply("users-get-user.json"))
    result = run(gh, tmp_path)
    assert result.warnings == []
    assert len(list(gh.requests_to("/users/octocat"))) == 2


def _no_network(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"offline sync sent {request.url}")


def test_offline_never_opens_a_socket(
    gh: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    online = run(gh, tmp_path, links=(LINK_AUTO,))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("offline sync opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    offline = sync_github(
        config(gh),
        [],
        tmp_path,
        offline=True,
        since=dt.date(2011, 1, 1),
        token=TOKEN,
        links=(LINK_AUTO,),
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(_no_network)),
    )
    assert offline.requests == 0 and offline.warnings == []
    assert offline.data == online.data


def test_offline_without_cache_says_the_site_has_no_github_data(tmp_path: Path) -> None:
    cache = tmp_path / ".tamatar" / "cache" / "github"
    result = sync_github(
        GitHubSection(user="octocat", repos=[HELLO]),
        [],
        cache,
        offline=True,
        since=None,
        token=None,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(_no_network)),
    )
    assert result.data is None
    assert result.warnings == [
        f"--offline and no GitHub data is cached in {cache}; the site is built without GitHub"
        " data (run `tamatar sync` to fill the cache)"
    ]


@pytest.mark.parametrize("garbage", ["{not json", '{"url": 3}', "[]", "\x00\x01"])
def test_corrupt_cache_file_is_ignored_with_one_warning(
    gh: FakeGitHub, tmp_path: Path, garbage: str
) -> None:
    run(gh, tmp_path)
    from tamatar_site.github.cache import ResponseCache

    user_file = ResponseCache(tmp_path).path_for(f"{gh.url}/users/octocat")
    user_file.write_text(garbage)
    offline = run(gh, tmp_path, offline=True)
    assert offline.data is not None and offline.data.profile is None
    assert offline.data.repos[0].stars == 80
    assert offline.warnings == [
        f"{user_file}: ignored 1 unreadable GitHub cache file; it is fetched again on the next sync"
    ]
    online = run(gh, tmp_path)  # refetched and repaired
    assert online.data is not None and online.data.profile is not None
    assert json.loads(user_file.read_text())["body"]["login"] == "octocat"


def test_public_repos_lists_non_forks(gh: FakeGitHub, tmp_path: Path) -> None:
    listing = load_fixture("openapi-examples/users-list-repos.json")
    fork = {**listing[0], "full_name": "octocat/forked", "fork": True}
    gh.add("/users/octocat/repos", Reply(200, [*listing, fork], {"ETag": '"list"'}))
    result = run(gh, tmp_path, repos="public")
    assert result.data is not None
    assert [r.full_name for r in result.data.repos] == [HELLO]
    assert next(gh.requests_to("/users/octocat/repos")).query["per_page"] == "100"


def test_explicit_sha_outside_the_listed_commits_is_fetched(gh: FakeGitHub, tmp_path: Path) -> None:
    gh.add(f"/repos/{HELLO}/commits", Reply(200, [], {"ETag": '"empty"'}))
    request = LinkRequest("logs/x.md", dt.date(2026, 1, 1), (HELLO,), ("6dcb09b",))
    gh.add(f"/repos/{HELLO}/commits/6dcb09b", example_reply("repos-get-commit.json"))
    result = run(gh, tmp_path, links=(request,))
    assert result.data is not None
    (commit,) = result.data.commits
    assert commit.sha == HELLO_SHA and commit.additions == 104


def test_token_is_sent_only_to_the_api_host_and_never_written(tmp_path: Path) -> None:
    repo = "sigmavirus24/github3.py"
    with FakeGitHub() as other, FakeGitHub() as gh:
        gh.add("/users/octocat", example_reply("users-get-user.json"))
        page2 = dict(load_fixture("exchanges/github3-list-commits-200-link.json")["response"])
        first_page = Reply(
            200, page2["body"][:5], {"Link": f'<{other.url}/commits?page=2>; rel="next"'}
        )
        gh.add(f"/repos/{repo}/commits", first_page)
        other.add("/commits", Reply(200, page2["body"][5:8], {"ETag": '"p2"'}))
        result = run(gh, tmp_path, token=TOKEN, repos=[repo])
        assert all(r.header("authorization") == f"Bearer {TOKEN}" for r in gh.requests)
        assert [r.header("authorization") for r in other.requests] == [None]
    assert result.data is not None and len(result.data.commits) == 8
    written = list(tmp_path.rglob("*"))
    assert written
    for path in written:
        if path.is_file():
            assert TOKEN not in path.read_text(encoding="utf-8")
    assert all(TOKEN not in w for w in result.warnings)


def test_missing_repository_gets_one_warning_online_only(gh: FakeGitHub, tmp_path: Path) -> None:
    online = run(gh, tmp_path, repos=[HELLO, "octocat/nope", "octocat/gone"])
    assert online.warnings == [
        "GitHub has no repository octocat/gone, octocat/nope (404): check the projects' `repo:`"
        " and `github.repos`, or set `github.token_env` for private repositories"
    ]
    offline = run(gh, tmp_path, repos=[HELLO, "octocat/nope", "octocat/gone"], offline=True)
    assert offline.warnings == [] and offline.data == online.data


def test_complete_sync_prunes_entries_nothing_asks_for(gh: FakeGitHub, tmp_path: Path) -> None:
    gh.add("/repos/octocat/Spoon-Knife", example_reply("repos-get.json", etag='"sk"'))
    run(gh, tmp_path, repos=[HELLO, "octocat/Spoon-Knife"])
    before = {p.name for p in tmp_path.glob("*.json")}
    offline = run(gh, tmp_path, offline=True)
    assert offline.pruned == 0 and {p.name for p in tmp_path.glob("*.json")} == before
    online = run(gh, tmp_path)
    assert online.pruned == 4  # Spoon-Knife: repository, languages, community, commits
    assert len(before) - len(list(tmp_path.glob("*.json"))) == 4
    assert run(gh, tmp_path, offline=True).data == online.data


def test_401_without_a_token_asks_for_one(gh: FakeGitHub, tmp_path: Path) -> None:
    gh.add("/users/octocat", Reply(401, load_fixture("errors/401-bad-credentials.json")))
    result = run(gh, tmp_path)
    assert result.warnings == [
        "GitHub answered 401 Unauthorized: this API needs a token; set `github.token_env` to the"
        " name of a variable holding one; stopped asking GitHub and nothing is cached, so the"
        " site is built without GitHub data"
    ]


# A log with no project: it looks in every selected repository, known for `public` only
# once the sync has listed them.
LINK_NO_PROJECT = LinkRequest("logs/2011/04/14/notes/", dt.date(2011, 4, 14), None, "auto")


def serve_public_listing(gh: FakeGitHub) -> None:
    listing = load_fixture("openapi-examples/users-list-repos.json")
    gh.add("/users/octocat/repos", Reply(200, listing, {"ETag": '"list"'}))


def test_public_repos_give_a_log_without_project_complete_commits(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    serve_public_listing(gh)
    first = run(gh, tmp_path / "a", links=(LINK_NO_PROJECT,), repos="public")

    assert first.warnings == [] and first.data is not None
    assert first.data.selected == (HELLO,)
    (commit,) = first.data.commits
    assert (commit.repo, commit.sha, commit.message, commit.html_url) == (
        HELLO,
        HELLO_SHA,
        "Fix all the bugs",
        f"https://github.com/{HELLO}/commit/{HELLO_SHA}",
    )
    assert (commit.additions, commit.deletions) == (104, 4)  # the detail was fetched
    assert first.requests == 7  # user, listing, repo, languages, community, commits, detail
    # Exactly what a log of a project with that repo gets.
    project = run(gh, tmp_path / "b", links=(LINK_AUTO,), repos="public")
    assert project.data is not None and project.data.commits == first.data.commits


def test_public_repos_no_project_link_revalidates_like_the_rest(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    serve_public_listing(gh)
    first = run(gh, tmp_path, links=(LINK_NO_PROJECT,), repos="public")
    files = {p: p.read_bytes() for p in tmp_path.glob("*.json")}
    gh.requests.clear()

    second = run(gh, tmp_path, links=(LINK_NO_PROJECT,), repos="public")

    assert second.data == first.data and second.warnings == []
    asked = [r for r in gh.requests if r.path != f"/repos/{HELLO}/community/profile"]
    assert len(asked) == 6 and all(r.header("if-none-match") for r in asked)
    assert (
        next(gh.requests_to(f"/repos/{HELLO}/commits/{HELLO_SHA}")).header("if-none-match")
        == 'W/"d"'
    )
    assert second.statuses == {304: 6, 404: 1} and second.pruned == 0
    assert {p: p.read_bytes() for p in tmp_path.glob("*.json")} == files
    gh.requests.clear()
    offline = run(gh, tmp_path, links=(LINK_NO_PROJECT,), repos="public", offline=True)
    assert offline.data == first.data and gh.requests == []


def test_no_project_explicit_sha_is_fetched_when_one_public_repo_is_selected(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    serve_public_listing(gh)
    gh.add(f"/repos/{HELLO}/commits", Reply(200, [], {"ETag": '"empty"'}))
    gh.add(f"/repos/{HELLO}/commits/6dcb09b", example_reply("repos-get-commit.json"))
    request = LinkRequest("logs/x/", dt.date(2026, 1, 1), None, ("6dcb09b",))
    result = run(gh, tmp_path, links=(request,), repos="public")
    assert result.data is not None
    (commit,) = result.data.commits
    assert (commit.repo, commit.sha, commit.additions) == (HELLO, HELLO_SHA, 104)


def test_sync_site_links_logs_without_project_over_the_listed_public_repos(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    serve_public_listing(gh)
    site_config = SiteConfig.model_validate(
        {
            "site": {"title": "Octo log"},
            "github": {"user": "octocat", "repos": "public", "api_url": gh.url},
        }
    )
    day = dt.date(2011, 4, 14)
    stamp = dt.datetime(2011, 4, 14, 9, tzinfo=dt.UTC)
    site = Site(
        logs=(Log("logs/2011-04-14-notes.md", "notes", "Notes", day, stamp, "", 5, commits="auto"),)
    )

    plan = plan_sync(site_config, site)
    assert [(link.log, link.repos) for link in plan.links] == [("logs/2011/04/14/notes/", None)]
    result = sync_site(tmp_path, site_config, site, environ={}, settings=FAST)

    assert result.data is not None and result.data.selected == (HELLO,)
    (commit,) = result.data.commits
    assert (commit.additions, commit.deletions) == (104, 4)
