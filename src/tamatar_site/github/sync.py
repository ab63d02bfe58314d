"""The GitHub sync stage: ask the API (or the cache) for everything a site shows.

`sync_site` is the one call the build and `tamatar sync` make; `sync_github` is the same with
every input explicit, for tests and the benchmark.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import os
import time
import zoneinfo
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from tamatar_site.clock import build_today
from tamatar_site.config import GitHubSection, SiteConfig
from tamatar_site.github.cache import ResponseCache, site_cache_dir
from tamatar_site.github.client import ClientSettings, GitHubClient
from tamatar_site.github.data import (
    Commit,
    GitHubData,
    GitHubProfile,
    Repo,
    parse_commit,
    parse_profile,
    parse_repo,
)
from tamatar_site.github.enrich import LinkRequest, link_requests, resolve_link
from tamatar_site.model import Site

Progress = Callable[[int, int], None]  # (repositories done, repositories in all)


@dataclass
class SyncResult:
    """What a sync produced. `data` is None when nothing could be fetched nor read."""

    data: GitHubData | None
    warnings: list[str] = field(default_factory=list)
    requests: int = 0
    not_modified: int = 0
    pruned: int = 0  # cache files removed because nothing asks for them any more
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(frozen=True)
class SyncPlan:
    """What to ask for, derived from the config and the content."""

    repos: tuple[str, ...]  # the projects' repo: values (used when github.repos is `projects`)
    since: dt.date | None
    # A log without a project has repos=None: it looks in the repositories the sync selects,
    # which for `public` only the API's listing tells.
    links: tuple[LinkRequest, ...]


def plan_sync(config: SiteConfig, site: Site) -> SyncPlan:
    """The repositories, the commit window and the log links a site needs."""
    repos = tuple(dict.fromkeys(p.repo for p in site.projects if p.repo))
    if config.github.commits_since is not None:
        today = build_today(config.site.timezone)
        since: dt.date | None = today - dt.timedelta(days=config.github.commits_since)
    else:
        since = min((log.date for log in site.logs), default=None)
    return SyncPlan(repos, since, link_requests(site))


def sync_site(
    site_dir: Path,
    config: SiteConfig,
    site: Site,
    *,
    offline: bool = False,
    environ: Mapping[str, str] | None = None,
    http_client: httpx.AsyncClient | None = None,
    settings: ClientSettings | None = None,
    progress: Progress | None = None,
    building: bool = True,
) -> SyncResult:
    """Sync the GitHub data of a loaded site into `<site>/.tamatar/cache/github/`.

    `building` says whose warnings these are: a build's (which goes on with the cache or
    without GitHub data) or `tamatar sync`'s (which only refreshes the cache).
    """
    env = os.environ if environ is None else environ
    token = env.get(config.github.token_env, "").strip() if config.github.token_env else ""
    plan = plan_sync(config, site)
    return sync_github(
        config.github,
        plan.repos,
        site_cache_dir(site_dir),
        offline=offline,
        since=plan.since,
        token=token or None,
        links=plan.links,
        timezone=config.site.timezone,
        http_client=http_client,
        settings=settings,
        progress=progress,
        building=building,
    )


def sync_github(
    github_config: GitHubSection,
    wanted_repos: Sequence[str],
    cache_dir: Path,
    *,
    offline: bool,
    since: dt.date | None,
    token: str | None,
    links: Sequence[LinkRequest] = (),
    timezone: str = "UTC",
    http_client: httpx.AsyncClient | None = None,
    settings: ClientSettings | None = None,
    progress: Progress | None = None,
    building: bool = True,
) -> SyncResult:
    """Fetch profile, repositories and commits; fall back to the cache; never raise for I/O.

    `wanted_repos` are the projects' repositories, used when `github.repos` is `projects`.
    `http_client` (for tests: an injected transport) is used for this one sync and closed.
    """
    if not github_config.user:
        return SyncResult(data=None)
    started = time.perf_counter()
    cache = ResponseCache(cache_dir)
    settings = settings or ClientSettings()
    result = _run_coroutine(
        lambda: _sync(
            github_config,
            wanted_repos,
            cache,
            offline=offline,
            since=since,
            token=token,
            links=links,
            zone=zoneinfo.ZoneInfo(timezone),
            http_client=http_client,
            settings=settings,
            progress=progress,
            building=building,
        )
    )
    result.seconds = time.perf_counter() - started
    return result


def _run_coroutine(make: Callable[[], Coroutine[Any, Any, SyncResult]]) -> SyncResult:
    """Run a sync to completion, also from a thread whose event loop is already running
    (a caller embedding tamatar in async code, or a test driving a browser): asyncio.run()
    refuses that, so the sync then gets a loop of its own in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def _configured_repos(github_config: GitHubSection, project_repos: Sequence[str]) -> list[str]:
    if isinstance(github_config.repos, list):
        return list(dict.fromkeys(github_config.repos))
    if github_config.repos == "projects":
        return list(dict.fromkeys(project_repos))
    return []  # `public`: listed by the API


async def _sync(
    github_config: GitHubSection,
    wanted_repos: Sequence[str],
    cache: ResponseCache,
    *,
    offline: bool,
    since: dt.date | None,
    token: str | None,
    links: Sequence[LinkRequest],
    zone: zoneinfo.ZoneInfo,
    http_client: httpx.AsyncClient | None,
    settings: ClientSettings,
    progress: Progress | None,
    building: bool,
) -> SyncResult:
    user = github_config.user or ""
    missing: list[str] = []  # repositories GitHub answered 404 for
    http = http_client or httpx.AsyncClient(timeout=settings.timeout, follow_redirects=True)
    try:
        client = GitHubClient(
            http,
            str(github_config.api_url),
            cache,
            token=token,
            offline=offline,
            settings=settings,
        )
        fetched = await _fetch_all(
            client, github_config, user, wanted_repos, since, links, zone, progress, missing
        )
    finally:
        # Connections belong to this event loop, so the client is closed here, given or not.
        await http.aclose()
    stats = client.stats
    result = SyncResult(
        data=fetched,
        requests=stats.requests,
        not_modified=stats.not_modified,
        statuses=dict(stats.statuses),
    )
    result.warnings = _warnings(
        client, cache, fetched, offline, sorted(missing), github_config.token_env, building
    )
    if not offline and client.stop_reason is None and fetched is not None:
        result.pruned = cache.prune()  # only a complete answer says what is no longer needed
    return result


async def _fetch_all(
    client: GitHubClient,
    github_config: GitHubSection,
    user: str,
    wanted_repos: Sequence[str],
    since: dt.date | None,
    links: Sequence[LinkRequest],
    zone: zoneinfo.ZoneInfo,
    progress: Progress | None,
    missing: list[str],
) -> GitHubData | None:
    login = quote(user, safe="")
    profile_answer = await client.get(client.url(f"/users/{login}"))
    profile: GitHubProfile | None = None
    if profile_answer is not None and profile_answer.status == 200:
        profile = parse_profile(profile_answer.body)

    names = _configured_repos(github_config, wanted_repos)
    if github_config.repos == "public":
        params = {"type": "owner", "sort": "pushed", "per_page": str(client.settings.per_page)}
        listed, _ = await client.get_pages(client.url(f"/users/{login}/repos", params))
        names = [
            item["full_name"]
            for item in listed
            if isinstance(item, dict)
            and isinstance(item.get("full_name"), str)
            and not item.get("fork")
            and not item.get("private")
        ]

    done = 0
    total = len(names)

    async def one_repo(name: str) -> tuple[Repo | None, list[Commit], bool]:
        nonlocal done
        repo, commits, seen = await _fetch_repo(client, name, user, since, missing)
        done += 1
        if progress is not None:
            progress(done, total)
        return repo, commits, seen

    per_repo = await asyncio.gather(*(one_repo(name) for name in names))
    repos = tuple(repo for repo, _, _ in per_repo if repo is not None)
    commits = [commit for _, repo_commits, _ in per_repo for commit in repo_commits]
    anything = profile is not None or any(seen for _, _, seen in per_repo)
    if not anything:
        return None
    commits = await _add_details(client, commits, links, zone, names)
    commits.sort(key=lambda c: (c.authored_at, c.repo, c.sha), reverse=True)
    return GitHubData(
        profile=profile, repos=repos, commits=tuple(commits), selected=tuple(dict.fromkeys(names))
    )


async def _fetch_repo(
    client: GitHubClient, name: str, user: str, since: dt.date | None, missing: list[str]
) -> tuple[Repo | None, list[Commit], bool]:
    """One repository: details, languages, community health and the user's commits."""
    base = f"/repos/{quote(name, safe='/')}"
    params = {"author": user, "per_page": str(client.settings.per_page)}
    if since is not None:
        params["since"] = f"{since.isoformat()}T00:00:00Z"
    repo_answer, languages, community, (items, commits_status) = await asyncio.gather(
        client.get(client.url(base)),
        client.get(client.url(f"{base}/languages")),
        client.get(client.url(f"{base}/community/profile")),
        client.get_pages(client.url(f"{base}/commits", params)),
    )
    seen = any(a is not None for a in (repo_answer, languages, community)) or (
        commits_status is not None
    )
    repo: Repo | None = None
    if repo_answer is not None and repo_answer.status == 404 and repo_answer.source == "network":
        missing.append(name)
    if repo_answer is not None and repo_answer.status == 200:
        repo = parse_repo(
            repo_answer.body,
            _body_if_ok(languages),
            _body_if_ok(community),
        )
    commits = [c for item in items if (c := parse_commit(name, item)) is not None]
    return repo, commits, seen


def _body_if_ok(answer: Any) -> Any:
    return answer.body if answer is not None and answer.status == 200 else None


async def _add_details(
    client: GitHubClient,
    commits: list[Commit],
    links: Sequence[LinkRequest],
    zone: zoneinfo.ZoneInfo,
    selected_repos: Sequence[str],
) -> list[Commit]:
    """Fetch additions/deletions for the commits that logs link to (and explicit SHAs not
    among the listed commits, when the log looks in one repository). A log without a project
    looks in `selected_repos`, the repositories this sync selected (listed, for `public`)."""
    wanted: dict[tuple[str, str], None] = {}
    for request in links:
        repos = request.repos_within(selected_repos)
        found = resolve_link(request, commits, zone, selected_repos=selected_repos)
        for commit in found:
            wanted[(commit.repo, commit.sha)] = None
        if isinstance(request.spec, tuple) and len(repos) == 1:
            for sha in request.spec:
                if not any(c.sha.startswith(sha.lower()) for c in found):
                    wanted[(repos[0], sha.lower())] = None
    if not wanted:
        return commits

    async def detail(repo: str, sha: str) -> Commit | None:
        url = client.url(f"/repos/{quote(repo, safe='/')}/commits/{quote(sha, safe='')}")
        answer = await client.get(url)
        if answer is None or answer.status != 200:
            return None
        return parse_commit(repo, answer.body)

    details = await asyncio.gather(*(detail(repo, sha) for repo, sha in wanted))
    by_key = {(c.repo, c.sha): c for c in details if c is not None}
    merged = [by_key.pop((c.repo, c.sha), c) for c in commits]
    merged.extend(by_key.values())  # explicit SHAs outside the listed window
    return merged


def _warnings(
    client: GitHubClient,
    cache: ResponseCache,
    data: GitHubData | None,
    offline: bool,
    missing: Sequence[str],
    token_env: str | None,
    building: bool = True,
) -> list[str]:
    warnings: list[str] = []
    if missing:
        names = ", ".join(missing)
        warnings.append(
            f"GitHub has no repository {names} (404): check the projects' `repo:` and"
            " `github.repos`, or set `github.token_env` for private repositories"
        )
    if cache.corrupt:
        count = len(cache.corrupt)
        warnings.append(
            f"{cache.corrupt[0]}: ignored {count} unreadable GitHub cache file"
            f"{'s' if count > 1 else ''}; {'it is' if count == 1 else 'they are'}"
            " fetched again on the next sync"
        )
    if client.stop_message is not None:
        if building:
            then = (
                " and using the cached GitHub data"
                if data is not None
                else " and nothing is cached, so the site is built without GitHub data"
            )
        else:
            then = f"; {_cache_left(client)}"
        message = client.stop_message
        if client.stop_reason == "bad_token" and token_env:
            # Name the variable (never its value) so the fix is obvious.
            message = message.replace("the token", f"the token in ${token_env}", 1)
            message = message.replace("needs a token", f"needs a token in ${token_env}", 1)
        elif client.stop_reason == "bad_token" and message.endswith("needs a token"):
            message += "; set `github.token_env` to the name of a variable holding one"
        warnings.append(f"{message}; stopped asking GitHub{then}")
    elif data is None and offline:
        warnings.append(
            f"--offline and no GitHub data is cached in {cache.directory}; the site is built"
            " without GitHub data (run `tamatar sync` to fill the cache)"
        )
    elif data is None:
        warnings.append(
            "GitHub returned no data for the user; the site is built without it"
            if building
            else "GitHub returned no data for the user; nothing was cached"
        )
    return [client.redact(w) for w in warnings]


def _cache_left(client: GitHubClient) -> str:
    """What a stopped `tamatar sync` left in the cache: nothing new, or part of it refreshed."""
    statuses = client.stats.statuses.items()
    answered = sum(count for status, count in statuses if status < 400 or status == 404)
    if answered == 0:
        return "the cache is unchanged"
    answers = "1 answer was" if answered == 1 else f"{answered} answers were"
    return f"{answers} refreshed before that; the rest of the cache is unchanged"


def format_sync_summary(result: SyncResult) -> str:
    """`GitHub: @octocat, 3 repositories, 25 commits; 14 requests (12 not modified) in 0.84s`."""
    data = result.data
    if data is None:
        what = "no data"
    else:
        who = f"@{data.profile.login}, " if data.profile else ""
        repos = f"{len(data.repos)} repositor{'y' if len(data.repos) == 1 else 'ies'}"
        commits = f"{len(data.commits)} commit{'' if len(data.commits) == 1 else 's'}"
        what = f"{who}{repos}, {commits}"
    requests = f"{result.requests} request{'' if result.requests == 1 else 's'}"
    pruned = f", {result.pruned} stale cache files removed" if result.pruned else ""
    return (
        f"GitHub: {what}; {requests} ({result.not_modified} not modified{pruned})"
        f" in {result.seconds:.2f}s"
    )
