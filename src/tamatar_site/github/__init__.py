"""GitHub enrichment: fetch (cached, offline-safe) and turn into template views.

The build calls `sync_site` then `enrich`; `tamatar sync` calls only `sync_site`::

    synced = sync_site(site_dir, config, site, offline=options.offline)  # never raises for I/O
    # synced.warnings: at most a few sentences (rate limit, network, 401, 404 repos, corrupt
    # cache); synced.data is None when there is no GitHub data at all.
    github = enrich(site, synced.data, timezone=config.site.timezone, now=build_now(...))
    # templates get `github` (GitHubEnrichment): repo_cards / project_commits /
    # project_activity keyed by "owner/name", log_commits keyed by a log's permalink,
    # languages, profile; commit_days for `streaks.count_commits`.
"""

from __future__ import annotations

from tamatar_site.github.cache import ResponseCache, site_cache_dir
from tamatar_site.github.client import ClientSettings, GitHubClient
from tamatar_site.github.data import Commit, GitHubData, GitHubProfile, Repo
from tamatar_site.github.enrich import (
    GitHubEnrichment,
    LinkRequest,
    commit_days,
    enrich,
    health_score,
    language_weights,
    link_requests,
    resolve_link,
    weekly_activity,
)
from tamatar_site.github.sync import (
    SyncPlan,
    SyncResult,
    format_sync_summary,
    plan_sync,
    sync_github,
    sync_site,
)
from tamatar_site.github.views import (
    CommitView,
    LanguageShareView,
    ProfileView,
    RepoCardView,
    WeekView,
    safe_url,
)

__all__ = [
    "ClientSettings",
    "Commit",
    "CommitView",
    "GitHubClient",
    "GitHubData",
    "GitHubEnrichment",
    "GitHubProfile",
    "LanguageShareView",
    "LinkRequest",
    "ProfileView",
    "Repo",
    "RepoCardView",
    "ResponseCache",
    "SyncPlan",
    "SyncResult",
    "WeekView",
    "commit_days",
    "enrich",
    "format_sync_summary",
    "health_score",
    "language_weights",
    "link_requests",
    "plan_sync",
    "resolve_link",
    "safe_url",
    "site_cache_dir",
    "sync_github",
    "sync_site",
    "weekly_activity",
]
