"""Render stage: what follows from the logs' order and metadata, not from their bodies (the
neighbours, related logs, the logs the feeds carry and the archives by date), computed once
and kept while no log's metadata changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tamatar_site.compute import timeline
from tamatar_site.config import SiteConfig
from tamatar_site.model import Log
from tamatar_site.render.i18n import Localizer
from tamatar_site.render.views.archive import ArchiveIndex

__all__ = ["LogOrder", "feed_log_sources"]


def feed_log_sources(logs: Sequence[Log], config: SiteConfig) -> set[str]:
    """Sources of the logs any feed will carry: the newest `limit` overall and per tag."""
    limit = config.feeds.limit
    wanted = {log.source for log in logs[:limit]}
    if config.feeds.per_tag and "atom" in config.feeds.formats:
        per_tag: dict[str, int] = {}
        for log in logs:
            for tag in log.tags:
                seen = per_tag.get(tag.slug, 0)
                if seen < limit:
                    per_tag[tag.slug] = seen + 1
                    wanted.add(log.source)
    return wanted


@dataclass(frozen=True)
class LogOrder:
    """What follows from the logs' order and metadata, not from their bodies: neighbours,
    related logs, which logs the feeds carry and the archives by date. Valid while no
    log's metadata changes."""

    neighbours: tuple[timeline.Neighbours[Log], ...]
    related: tuple[tuple[Log, ...], ...]
    feed_sources: frozenset[str]
    archive: ArchiveIndex

    @classmethod
    def of(cls, logs: Sequence[Log], config: SiteConfig, localizer: Localizer) -> LogOrder:
        return cls(
            neighbours=timeline.compute_neighbours(logs),
            related=timeline.compute_related(logs),
            feed_sources=frozenset(feed_log_sources(logs, config)),
            archive=ArchiveIndex.of(logs, localizer),
        )
