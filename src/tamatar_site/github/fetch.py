"""The GitHub sync's requests: what one sync asks the API (or the cache) for.

The user's profile, the repositories `github.repos` selects (listed by the API for
`public`), each one's details, languages, community health and the user's commits in the
window, then the additions and deletions of the commits that logs link to.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import zoneinfo
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from tamatar_site.config import GitHubSection
from tamatar_site.github.client import GitHubClient
from tamatar_site.github.data import (
    Commit,
    GitHubData,
    GitHubProfile,
    Repo,
    parse_commit,
    parse_profile,
    parse_repo,
)
from tamatar_site.github.enrich import LinkRequest, resolve_link

Progress = Callable[[int, int], None]  # (repositories done, repositories in all)


def _configured_repos(github_config: GitHubSection, project_repos: Sequence[str]) -> list[str]:
    """The repositories `github.repos` names; empty for `public`, which the API lists."""
    if isinstance(github_config.repos, list):
        return list(dict.fromkeys(github_config.repos))
    if github_config.repos == "projects":
        return list(dict.fromkeys(project_repos))
    return []  # `public`: listed by the API


async def fetch_github_data(
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
    """The profile, the selected repositories with their commits, and the details of the
    commits that logs link to; None when GitHub (or the cache) answered nothing at all.

    A repository GitHub answered 404 for is appended to `missing`.
    """
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
