"""Pure GitHub enrichment: commits per log day, language usage, health score, weekly activity.

Formulas (documented in the README, "GitHub data"):

- Language usage: each repository's language bytes count with the weight
  `0.5 ** (days since its last push / 180)`, so a repository pushed today counts fully, one
  pushed half a year ago counts half, and one untouched for two years counts 1/16.
  A repository without `pushed_at` counts as pushed 720 days ago (weight 1/16).
- Health score 0-100: `0.5 * community + 0.3 * recency + 0.2 * issues`, where `community` is
  GitHub's community profile `health_percentage`, `recency = 100 * 0.5 ** (days since push /
  90)` and `issues = 100 / (1 + open_issues / 20)` (no open issues: 100; 20: 50). When the
  community percentage is unknown the other two share its weight (0.6 and 0.4). An archived
  repository counts its recency as 0.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from tamatar_site.github.data import Commit, GitHubData, GitHubProfile, Repo
from tamatar_site.github.views import (
    CommitView,
    LanguageShareView,
    ProfileView,
    RepoCardView,
    WeekView,
    commit_view,
    language_shares,
    profile_view,
    repo_card_view,
)
from tamatar_site.model import Site

LANGUAGE_HALF_LIFE_DAYS = 180.0
RECENCY_HALF_LIFE_DAYS = 90.0
ISSUES_HALF_LOAD = 20.0
_UNKNOWN_PUSH_AGE_DAYS = 720.0


@dataclass(frozen=True)
class LinkRequest:
    """A log's `commits:` wish: which day, which repositories, `auto` or SHAs."""

    log: str  # the log's permalink, the key of `GitHubEnrichment.log_commits`
    day: dt.date
    # The project's repository (empty for a project without `repo:`), or None for a log with
    # no project: it looks in every repository `github.repos` selects. The selection is only
    # known once the sync has listed them (`public`), so it is bound late: `repos_within`.
    repos: tuple[str, ...] | None
    spec: Literal["auto"] | tuple[str, ...]

    def repos_within(self, selected_repos: Sequence[str]) -> tuple[str, ...]:
        """The repositories to look in, given the ones `github.repos` selected."""
        return tuple(dict.fromkeys(selected_repos)) if self.repos is None else self.repos


def link_requests(site: Site) -> tuple[LinkRequest, ...]:
    """Every log with `commits: auto` or a SHA list, with the repositories to look in:
    its project's repo, or (None) every selected repository when the log has no project."""
    project_repos = {p.slug: p.repo for p in site.projects}
    requests: list[LinkRequest] = []
    for log in site.logs:
        if log.commits == "none":
            continue
        repos: tuple[str, ...] | None = None
        if log.project is not None:
            repo = project_repos.get(log.project)
            repos = (repo,) if repo else ()
        spec: Literal["auto"] | tuple[str, ...] = (
            "auto" if log.commits == "auto" else tuple(s.lower() for s in log.commits)
        )
        requests.append(LinkRequest(log.permalink, log.date, repos, spec))
    return tuple(requests)


def local_day(moment: dt.datetime, zone: dt.tzinfo) -> dt.date:
    return moment.astimezone(zone).date()


def resolve_link(
    request: LinkRequest,
    commits: Sequence[Commit],
    zone: dt.tzinfo,
    *,
    selected_repos: Sequence[str],
) -> tuple[Commit, ...]:
    """The commits a log links to: the day's commits (`auto`) or the SHAs (prefixes allowed).

    `selected_repos` are the repositories `github.repos` selected, where a log without a
    project looks. SHAs are looked up in the log's repositories first, then in every fetched
    commit."""
    repos = set(request.repos_within(selected_repos))
    if request.spec == "auto":
        found = [
            c for c in commits if c.repo in repos and local_day(c.authored_at, zone) == request.day
        ]
        return tuple(sorted(found, key=lambda c: c.authored_at, reverse=True))
    resolved: list[Commit] = []
    for prefix in request.spec:
        if len(prefix) < 4:
            continue
        matches = [c for c in commits if c.repo in repos and c.sha.startswith(prefix)]
        if not matches:
            matches = [c for c in commits if c.sha.startswith(prefix)]
        if matches and matches[0] not in resolved:
            resolved.append(matches[0])
    return tuple(resolved)


def _days_since(moment: dt.datetime | None, now: dt.datetime) -> float:
    if moment is None:
        return _UNKNOWN_PUSH_AGE_DAYS
    return max(0.0, (now - moment).total_seconds() / 86400)


def language_weights(repos: Iterable[Repo], now: dt.datetime) -> dict[str, float]:
    """Language -> weighted bytes: `bytes * 0.5 ** (days since push / 180)`."""
    weights: dict[str, float] = defaultdict(float)
    for repo in repos:
        factor = 0.5 ** (_days_since(repo.pushed_at, now) / LANGUAGE_HALF_LIFE_DAYS)
        for language, size in repo.languages.items():
            weights[language] += size * factor
    return dict(weights)


def health_score(repo: Repo, now: dt.datetime) -> int:
    """0-100, see the module docstring for the formula."""
    recency = (
        0.0
        if repo.archived
        else 100 * 0.5 ** (_days_since(repo.pushed_at, now) / RECENCY_HALF_LIFE_DAYS)
    )
    issues = 100 / (1 + max(0, repo.open_issues) / ISSUES_HALF_LOAD)
    if repo.health_percentage is None:
        score = 0.6 * recency + 0.4 * issues
    else:
        score = 0.5 * repo.health_percentage + 0.3 * recency + 0.2 * issues
    return max(0, min(100, round(score)))


def weekly_activity(
    commits: Iterable[Commit], repo: str, zone: dt.tzinfo, today: dt.date, weeks: int = 26
) -> tuple[WeekView, ...]:
    """Commit counts per ISO week (Monday first) for the last `weeks` weeks, oldest first."""
    this_monday = today - dt.timedelta(days=today.weekday())
    first = this_monday - dt.timedelta(weeks=weeks - 1)
    counts: dict[dt.date, int] = defaultdict(int)
    for commit in commits:
        if commit.repo != repo:
            continue
        day = local_day(commit.authored_at, zone)
        monday = day - dt.timedelta(days=day.weekday())
        if first <= monday <= this_monday:
            counts[monday] += 1
    return tuple(
        WeekView(start, counts.get(start, 0))
        for start in (first + dt.timedelta(weeks=i) for i in range(weeks))
    )


def commit_days(commits: Iterable[Commit], zone: dt.tzinfo) -> frozenset[dt.date]:
    """Local days with at least one commit, for streaks and the heatmap."""
    return frozenset(local_day(c.authored_at, zone) for c in commits)


@dataclass(frozen=True)
class GitHubEnrichment:
    """Everything the templates show from GitHub, ready to render."""

    profile: ProfileView | None
    repo_cards: dict[str, RepoCardView]  # "owner/name" -> card
    project_commits: dict[str, tuple[CommitView, ...]]  # "owner/name" -> recent commits
    project_activity: dict[str, tuple[WeekView, ...]]  # "owner/name" -> commits per week
    log_commits: dict[str, tuple[CommitView, ...]]  # log permalink -> linked commits
    languages: tuple[LanguageShareView, ...]  # weighted usage across repositories
    commit_days: frozenset[dt.date]
    commits_per_day: dict[dt.date, int]  # local day -> commits, for the heatmap


def enrich(
    site: Site,
    data: GitHubData,
    *,
    timezone: str,
    now: dt.datetime,
    recent_commits: int = 10,
) -> GitHubEnrichment:
    """Turn fetched GitHub data into views keyed by repository and by log permalink.

    A log without a project links commits from the repositories the sync selected
    (`data.selected`), or, for data that does not say, from every fetched repository.
    """
    zone = zoneinfo.ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    # Recency counts in whole days: two builds of one day show the same weights and scores
    # (the no-change check and serve's edit path both rest on that).
    day_start = dt.datetime.combine(today, dt.time(), tzinfo=zone)
    repos = data.selected or tuple(dict.fromkeys([r.full_name for r in data.repos]))
    cards = {r.full_name: repo_card_view(r, health_score(r, day_start), zone) for r in data.repos}
    by_repo: dict[str, list[Commit]] = defaultdict(list)
    for commit in data.commits:
        by_repo[commit.repo].append(commit)
    project_commits = {
        name: tuple(
            commit_view(c, zone)
            for c in sorted(group, key=lambda c: c.authored_at, reverse=True)[:recent_commits]
        )
        for name, group in by_repo.items()
    }
    # The window ends this week, or at the last commit when the repository went quiet long
    # ago: the caption states the dates, and an all-empty chart says nothing.
    activity = {
        name: weekly_activity(
            data.commits,
            name,
            zone,
            min(today, max((local_day(c.authored_at, zone) for c in by_repo[name]), default=today)),
        )
        for name in sorted({*cards, *by_repo})
    }
    log_commits = {
        request.log: tuple(
            commit_view(c, zone)
            for c in resolve_link(request, data.commits, zone, selected_repos=repos)
        )
        for request in link_requests(site)
    }
    return GitHubEnrichment(
        profile=profile_view(data.profile) if isinstance(data.profile, GitHubProfile) else None,
        repo_cards=cards,
        project_commits=project_commits,
        project_activity=activity,
        log_commits={k: v for k, v in log_commits.items() if v},
        languages=language_shares(language_weights(data.repos, day_start)),
        commit_days=commit_days(data.commits, zone),
        commits_per_day=dict(
            sorted(Counter(local_day(c.authored_at, zone) for c in data.commits).items())
        ),
    )
