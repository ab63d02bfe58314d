"""Template views of GitHub data: plain frozen values; URLs are kept only when they are https.

Templates escape every string (Jinja autoescape); these views make sure nothing but an
`https://` URL from the API ever becomes a link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from tamatar_site.github.data import Commit, GitHubProfile, Repo

# GitHub linguist colours of common languages; others get a neutral grey.
LANGUAGE_COLORS: Mapping[str, str] = {
    "C": "#555555",
    "C#": "#178600",
    "C++": "#f34b7d",
    "CSS": "#663399",
    "Dockerfile": "#384d54",
    "Go": "#00add8",
    "HTML": "#e34c26",
    "Haskell": "#5e5086",
    "Java": "#b07219",
    "JavaScript": "#f1e05a",
    "Kotlin": "#a97bff",
    "Lua": "#000080",
    "Makefile": "#427819",
    "Python": "#3572a5",
    "Ruby": "#701516",
    "Rust": "#dea584",
    "Shell": "#89e051",
    "Swift": "#f05138",
    "TypeScript": "#3178c6",
    "Zig": "#ec915c",
}
_OTHER_COLOR = "#8b949e"
MAX_LANGUAGES = 8


def safe_url(url: str | None) -> str | None:
    """`url` when it is an absolute https URL with a host, else None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "https" or not parts.netloc or any(c in url for c in "\"'<> "):
        return None
    return url.strip()


@dataclass(frozen=True)
class ProfileView:
    login: str
    name: str | None
    avatar_url: str | None
    bio: str | None
    url: str | None
    followers: int
    public_repos: int


@dataclass(frozen=True)
class LanguageShareView:
    name: str
    weight: float  # bytes, weighted by push recency when across repositories
    percent: float  # 0-100, one decimal
    color: str


@dataclass(frozen=True)
class RepoCardView:
    full_name: str
    url: str | None
    description: str | None
    stars: int
    forks: int
    open_issues: int
    language: str | None
    topics: tuple[str, ...]
    license: str | None
    archived: bool
    pushed_on: dt.date | None  # local date of the last push
    health_percentage: int | None
    health_score: int
    languages: tuple[LanguageShareView, ...]


@dataclass(frozen=True)
class CommitView:
    repo: str
    sha: str
    short_sha: str
    subject: str
    message: str
    url: str | None
    authored_at: dt.datetime  # in the site's time zone
    additions: int | None
    deletions: int | None


@dataclass(frozen=True)
class WeekView:
    start: dt.date  # the Monday
    count: int


def language_shares(weights: Mapping[str, float]) -> tuple[LanguageShareView, ...]:
    """The top languages by weight with percentages; the rest folded into "Other"."""
    total = sum(weights.values())
    if total <= 0:
        return ()
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    top, rest = ranked[:MAX_LANGUAGES], ranked[MAX_LANGUAGES:]
    shares = [
        LanguageShareView(
            name, weight, round(100 * weight / total, 1), LANGUAGE_COLORS.get(name, _OTHER_COLOR)
        )
        for name, weight in top
    ]
    rest_weight = sum(weight for _, weight in rest)
    if rest_weight > 0:
        shares.append(
            LanguageShareView(
                "Other", rest_weight, round(100 * rest_weight / total, 1), _OTHER_COLOR
            )
        )
    return tuple(shares)


def profile_view(profile: GitHubProfile) -> ProfileView:
    return ProfileView(
        login=profile.login,
        name=profile.name,
        avatar_url=safe_url(profile.avatar_url),
        bio=profile.bio,
        url=safe_url(profile.html_url),
        followers=profile.followers,
        public_repos=profile.public_repos,
    )


def repo_card_view(repo: Repo, score: int, zone: dt.tzinfo) -> RepoCardView:
    return RepoCardView(
        full_name=repo.full_name,
        url=safe_url(repo.html_url),
        description=repo.description,
        stars=repo.stars,
        forks=repo.forks,
        open_issues=repo.open_issues,
        language=repo.language,
        topics=repo.topics,
        license=repo.license,
        archived=repo.archived,
        pushed_on=repo.pushed_at.astimezone(zone).date() if repo.pushed_at else None,
        health_percentage=repo.health_percentage,
        health_score=score,
        languages=language_shares({k: float(v) for k, v in repo.languages.items()}),
    )


def commit_view(commit: Commit, zone: dt.tzinfo) -> CommitView:
    return CommitView(
        repo=commit.repo,
        sha=commit.sha,
        short_sha=commit.short_sha,
        subject=commit.subject,
        message=commit.message,
        url=safe_url(commit.html_url),
        authored_at=commit.authored_at.astimezone(zone),
        additions=commit.additions,
        deletions=commit.deletions,
    )
