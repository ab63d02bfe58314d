"""GitHub enrichment data: immutable values parsed from REST API answers. No I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class GitHubProfile:
    """The public profile of `github.user`."""

    login: str
    name: str | None
    avatar_url: str | None
    bio: str | None
    html_url: str | None
    followers: int
    public_repos: int


@dataclass(frozen=True)
class Repo:
    """One selected repository with its language byte counts and community health."""

    full_name: str
    html_url: str | None
    description: str | None
    stars: int
    forks: int
    open_issues: int
    language: str | None
    topics: tuple[str, ...]
    license: str | None
    archived: bool
    pushed_at: dt.datetime | None
    languages: dict[str, int] = field(default_factory=dict)
    health_percentage: int | None = None


@dataclass(frozen=True)
class Commit:
    """One commit by the user. `additions`/`deletions` are known only for linked commits."""

    repo: str
    sha: str
    message: str
    html_url: str | None
    authored_at: dt.datetime  # aware
    additions: int | None = None
    deletions: int | None = None

    @property
    def short_sha(self) -> str:
        return self.sha[:7]

    @property
    def subject(self) -> str:
        """The first line of the message."""
        return self.message.split("\n", 1)[0].strip()


@dataclass(frozen=True)
class GitHubData:
    """Everything fetched for a site: profile, repositories and commits (newest first).

    `selected` names the repositories `github.repos` selected (for `public`: as GitHub listed
    them), whose commits a log without a project links; `repos` holds those GitHub described.
    """

    profile: GitHubProfile | None = None
    repos: tuple[Repo, ...] = ()
    commits: tuple[Commit, ...] = ()
    selected: tuple[str, ...] = ()


def parse_datetime(value: object) -> dt.datetime | None:
    """An ISO 8601 timestamp from the API (`2011-01-26T19:06:43Z`) as an aware datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def parse_profile(body: Any) -> GitHubProfile | None:
    """GET /users/{user} -> GitHubProfile, or None when the body is not a user."""
    if not isinstance(body, dict) or not isinstance(body.get("login"), str):
        return None
    return GitHubProfile(
        login=body["login"],
        name=_str(body.get("name")),
        avatar_url=_str(body.get("avatar_url")),
        bio=_str(body.get("bio")),
        html_url=_str(body.get("html_url")),
        followers=_int(body.get("followers")),
        public_repos=_int(body.get("public_repos")),
    )


def parse_repo(body: Any, languages: Any = None, community: Any = None) -> Repo | None:
    """GET /repos/{o}/{r} (+ /languages, /community/profile) -> Repo, or None."""
    if not isinstance(body, dict) or not isinstance(body.get("full_name"), str):
        return None
    license_body = body.get("license")
    license_name: str | None = None
    if isinstance(license_body, dict):
        license_name = _str(license_body.get("spdx_id")) or _str(license_body.get("name"))
        if license_name == "NOASSERTION":
            license_name = _str(license_body.get("name"))
    topics = body.get("topics")
    language_bytes: dict[str, int] = {}
    if isinstance(languages, dict):
        language_bytes = {
            str(name): size
            for name, size in languages.items()
            if isinstance(size, int) and not isinstance(size, bool) and size > 0
        }
    health: int | None = None
    if isinstance(community, dict) and isinstance(community.get("health_percentage"), int):
        health = max(0, min(100, community["health_percentage"]))
    return Repo(
        full_name=body["full_name"],
        html_url=_str(body.get("html_url")),
        description=_str(body.get("description")),
        stars=_int(body.get("stargazers_count")),
        forks=_int(body.get("forks_count")),
        open_issues=_int(body.get("open_issues_count")),
        language=_str(body.get("language")),
        topics=tuple(t for t in topics if isinstance(t, str)) if isinstance(topics, list) else (),
        license=license_name,
        archived=bool(body.get("archived")),
        pushed_at=parse_datetime(body.get("pushed_at")),
        languages=language_bytes,
        health_percentage=health,
    )


def parse_commit(repo: str, body: Any) -> Commit | None:
    """One item of GET /repos/{o}/{r}/commits, or a commit detail, -> Commit, or None."""
    if not isinstance(body, dict) or not isinstance(body.get("sha"), str):
        return None
    inner = body.get("commit")
    if not isinstance(inner, dict):
        return None
    author = inner.get("author")
    authored = parse_datetime(author.get("date")) if isinstance(author, dict) else None
    if authored is None:
        committer = inner.get("committer")
        authored = parse_datetime(committer.get("date")) if isinstance(committer, dict) else None
    if authored is None:
        return None
    stats = body.get("stats")
    additions = deletions = None
    if isinstance(stats, dict):
        additions = stats.get("additions") if isinstance(stats.get("additions"), int) else None
        deletions = stats.get("deletions") if isinstance(stats.get("deletions"), int) else None
    return Commit(
        repo=repo,
        sha=body["sha"],
        message=_str(inner.get("message")) or "",
        html_url=_str(body.get("html_url")),
        authored_at=authored,
        additions=additions,
        deletions=deletions,
    )
