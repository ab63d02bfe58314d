"""The build's GitHub step: sync (or read the cache), enrich, and report trouble as warnings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import NamedTuple, Protocol

from tamatar_site.config import SiteConfig
from tamatar_site.diagnostics import Diagnostics
from tamatar_site.github.enrich import GitHubEnrichment, enrich
from tamatar_site.model import Site

_GITHUB_KEY = re.compile(r"^github\s*:", re.MULTILINE)


class NetworkOptions(Protocol):
    """How a build may ask GitHub (the build's options)."""

    @property
    def offline(self) -> bool: ...  # never: the cache only

    @property
    def refresh(self) -> bool: ...  # now, even when the cache is fresh


class GitHubStep(NamedTuple):
    enrichment: GitHubEnrichment | None  # None: the site uses no GitHub data, or none was had
    fresh_until: float | None = None  # read from a fresh cache: when it goes stale (epoch s)


def github_step(
    site_dir: Path,
    config: SiteConfig,
    site: Site,
    now: dt.datetime,
    network: NetworkOptions,
    diagnostics: Diagnostics,
) -> GitHubStep:
    """The site's GitHub views, and until when they are those of a fresh cache.

    A cache fresh within `github.max_age` is read without asking GitHub, unless
    `network.refresh`.
    Network trouble never fails a build: it becomes a warning at the `github:` key of
    tamatar.yaml, and the build goes on with the cache (or without GitHub data).
    """
    if not config.github.user:
        return GitHubStep(None)
    from tamatar_site.github.sync import sync_site  # the HTTP client: only for GitHub sites

    synced = sync_site(site_dir, config, site, offline=network.offline, refresh=network.refresh)
    line = _github_line(site_dir / "tamatar.yaml")
    for warning in synced.warnings:
        diagnostics.warning("tamatar.yaml", line, 1, f"GitHub: {warning}")
    if synced.data is None:
        return GitHubStep(None)
    enrichment = enrich(site, synced.data, timezone=config.site.timezone, now=now)
    return GitHubStep(enrichment, synced.fresh_until)


def _github_line(config_file: Path) -> int:
    try:
        text = config_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 1
    match = _GITHUB_KEY.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1
