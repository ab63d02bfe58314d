"""The GitHub sync stage: ask the API (or the cache) for everything a site shows.

`sync_site` is the one call the build and `tamatar sync` make; `sync_github` is the same with
every input explicit, for tests and the benchmark. This module plans a sync, runs it on an
event loop with one client and sums it up; the requests are in `fetch.py`, the warnings in
`sync_warnings.py`.
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

import httpx

from tamatar_site.clock import build_today
from tamatar_site.config import GitHubSection, SiteConfig
from tamatar_site.github.cache import ResponseCache, site_cache_dir
from tamatar_site.github.client import ClientSettings, GitHubClient
from tamatar_site.github.data import GitHubData
from tamatar_site.github.enrich import LinkRequest, link_requests
from tamatar_site.github.fetch import Progress, fetch_github_data
from tamatar_site.github.freshness import fresh_until, record_sync, request_key
from tamatar_site.github.sync_warnings import sync_warnings
from tamatar_site.model import Site


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
    complete: bool = False  # GitHub answered everything asked (no stop, no network trouble)
    # Read from a cache fresh within `github.max_age`, GitHub not asked: when it goes stale
    # (seconds since the epoch).
    fresh_until: float | None = None


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
    refresh: bool = False,
) -> SyncResult:
    """Sync the GitHub data of a loaded site into `<site>/.tamatar/cache/github/`.

    `building` says whose warnings these are: a build's (which goes on with the cache or
    without GitHub data) or `tamatar sync`'s (which only refreshes the cache). A build reads
    a cache fresh within `github.max_age` without asking GitHub, unless `refresh`.
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
        use_fresh_cache=building and not refresh,
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
    use_fresh_cache: bool = False,
) -> SyncResult:
    """Fetch profile, repositories and commits; fall back to the cache; never raise for I/O.

    `wanted_repos` are the projects' repositories, used when `github.repos` is `projects`.
    `http_client` (for tests: an injected transport) is used for this one sync and closed.
    With `use_fresh_cache`, a cache that a complete sync of the same requests filled less
    than `github.max_age` minutes ago is read instead (`fresh_until` set), when it holds every
    answer.
    """
    if not github_config.user:
        return SyncResult(data=None)
    started = time.perf_counter()
    settings = settings or ClientSettings()
    asked = request_key(
        github_config.model_dump(mode="json", exclude={"max_age"}),
        sorted(wanted_repos),
        since,
        links,
        token is not None,
    )

    def run(
        cache: ResponseCache, offline: bool, http: httpx.AsyncClient | None = http_client
    ) -> SyncResult:
        return _run_coroutine(
            lambda: _sync(
                github_config,
                wanted_repos,
                cache,
                offline=offline,
                since=since,
                token=token,
                links=links,
                zone=zoneinfo.ZoneInfo(timezone),
                http_client=http,
                settings=settings,
                progress=progress,
                building=building,
            )
        )

    until = None
    if use_fresh_cache and not offline:
        until = fresh_until(cache_dir, asked, github_config.max_age, time.time())
    if until is not None:
        cache = ResponseCache(cache_dir)
        result = run(cache, offline=True, http=None)
        if result.data is not None and not cache.misses and not cache.corrupt:
            result.fresh_until = until
            result.seconds = time.perf_counter() - started
            return result
    result = run(ResponseCache(cache_dir), offline)
    # Not after warnings (a repository GitHub has not): a read of the cache would drop them.
    if result.complete and not result.warnings:
        record_sync(cache_dir, asked, time.time())
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
    http = http_client
    if http is None and not offline:  # making one costs 0.1 s (its TLS context)
        http = httpx.AsyncClient(timeout=settings.timeout, follow_redirects=True)
    try:
        client = GitHubClient(
            http,
            str(github_config.api_url),
            cache,
            token=token,
            offline=offline,
            settings=settings,
        )
        fetched = await fetch_github_data(
            client, github_config, user, wanted_repos, since, links, zone, progress, missing
        )
    finally:
        # Connections belong to this event loop, so the client is closed here, given or not.
        if http is not None:
            await http.aclose()
    stats = client.stats
    result = SyncResult(
        data=fetched,
        requests=stats.requests,
        not_modified=stats.not_modified,
        statuses=dict(stats.statuses),
    )
    result.warnings = sync_warnings(
        client, cache, fetched, offline, sorted(missing), github_config.token_env, building
    )
    if not offline and client.stop_reason is None and fetched is not None:
        result.complete = True
        result.pruned = cache.prune()  # only a complete answer says what is no longer needed
    return result


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
