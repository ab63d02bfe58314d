"""GitHub enrichment: fetch (cached, offline-safe) and turn into template views.

The build calls `sync_site(...)` then `enrich(...)`; `tamatar sync` calls only `sync_site`.
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
