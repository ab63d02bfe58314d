"""The inputs of every page (`RouteInputs`): every Markdown body rendered once, the tag
index, streaks, stats, the heatmap and the views every page shares.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
from collections.abc import Callable, Mapping

from tamatar_site.build.bodies import (
    BodyCache,
    BodyEntry,
    BodyJob,
    BodyLinkResolver,
    PendingBodies,
    start_bodies,
)
from tamatar_site.compute import compute_streaks, timeline
from tamatar_site.compute.achievements import compute_achievements
from tamatar_site.compute.calendar import compute_calendar
from tamatar_site.compute.heatmap import compute_heatmap
from tamatar_site.compute.recommendations import compute_recommendations
from tamatar_site.compute.stats import compute_stats
from tamatar_site.config import AchievementsSection, RuleChange, SiteConfig
from tamatar_site.github.enrich import GitHubEnrichment
from tamatar_site.model import DEFAULT_ACHIEVEMENT_RULES, AchievementRule, Site, Tag
from tamatar_site.render.i18n import ENGLISH, Localizer
from tamatar_site.render.markdown import MarkdownRenderer
from tamatar_site.render.pages.common import (
    RouteInputs,
    profile_view,
    site_view,
    streak_commit_days,
)
from tamatar_site.render.templates import make_abs_url, make_url
from tamatar_site.render.views import content as v
from tamatar_site.render.views.dashboard import build_dashboard

__all__ = [
    "achievement_rules",
    "body_jobs",
    "compute_route_inputs",
    "compute_views",
    "link_resolver",
    "resolve_relative",
    "source_targets",
    "start_site_bodies",
]


def resolve_relative(
    source: str, path: str, targets: Mapping[str, str], url: Callable[[str], str]
) -> str | None:
    """Resolve a relative link written in `source` to another source file's page.

    `[see](2026-11-20-borrowck.md)` in `logs/2026/x.md` becomes the URL of
    `logs/2026/2026-11-20-borrowck.md`'s page; `../static/a.png` becomes `url("a.png")`.
    The renderer passes the path without `?query`/`#fragment` and puts those back.
    Anything else (unknown files, paths leaving the site) is left as written (None).
    """
    if not path or path.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if joined == ".." or joined.startswith("../"):
        return None
    permalink = targets.get(joined)
    if permalink is not None:
        return url(permalink.split("#", 1)[0])
    if joined.startswith("static/"):
        return url(joined[len("static/") :])
    return None


def body_jobs(site: Site) -> list[BodyJob]:
    """Every Markdown text of the site, as jobs for the body renderer."""
    jobs = [BodyJob(log.source, log.body, plain_text=False) for log in site.logs]
    jobs += [BodyJob(p.source, p.description) for p in site.projects]
    jobs += [BodyJob(r.source, r.review) for r in site.resources]
    jobs += [BodyJob(g.source, g.description) for g in site.goals]
    jobs += [BodyJob(p.source, p.description) for p in site.paths]
    jobs += [BodyJob(s.source, s.body) for s in site.snippets]
    jobs += [BodyJob(p.source, p.body) for p in site.pages]
    return jobs


def start_site_bodies(
    config: SiteConfig,
    site: Site,
    cache: BodyCache | None,
    *,
    prerendered: Callable[[], Mapping[bytes, BodyEntry]] | None = None,
) -> PendingBodies:
    """Start rendering every Markdown text of the site once (in worker processes for big
    sites, from `cache` when unchanged; `result()` saves it): see `bodies.start_bodies`."""
    return start_bodies(
        body_jobs(site),
        unsafe_html=config.markdown.unsafe_html,
        resolve_link=link_resolver(site, make_url(config.base_path)),
        cache=cache,
        prerendered=prerendered,
    )


def link_resolver(site: Site, url: Callable[[str], str]) -> BodyLinkResolver:
    """The resolver of relative links between the files of `site` (`resolve_relative`).
    It lists the site's files at the first relative link: the edit of a log without one
    (the common case in `serve`) does not go over every file of the site."""
    targets: dict[str, str] = {}

    def resolve(source: str, path: str) -> str | None:
        if not targets:
            targets.update(source_targets(site))
        return resolve_relative(source, path, targets, url)

    return resolve


def source_targets(site: Site) -> dict[str, str]:
    """Every content file's source path -> its permalink."""
    targets: dict[str, str] = {}
    groups = (site.logs, site.projects, site.resources, site.goals, site.paths, site.snippets)
    for group in (*groups, site.pages):
        for item in group:
            targets[item.source] = item.permalink
    return targets


def compute_route_inputs(
    config: SiteConfig,
    site: Site,
    now: dt.datetime,
    *,
    body_cache: BodyCache | None = None,
    github: GitHubEnrichment | None = None,
) -> RouteInputs:
    """Everything routes need: the views while the bodies render, then the bodies; in
    English (benchmarks and tests; a build reads the site's catalogues)."""
    with start_site_bodies(config, site, body_cache) as pending:
        inputs = compute_views(config, site, now.date(), github, ENGLISH)
        return dataclasses.replace(inputs, bodies=pending.result())


def compute_views(
    config: SiteConfig,
    site: Site,
    today: dt.date,
    github: GitHubEnrichment | None,
    localizer: Localizer,
) -> RouteInputs:
    """The compute stage for rendering, without the Markdown bodies (`bodies` is empty):
    tag index, streaks, stats, heatmap and the views every page shares, in the words of
    `localizer`'s language."""
    markdown = MarkdownRenderer(unsafe_html=config.markdown.unsafe_html)
    tag_index = dict(timeline.compute_tag_index(site.logs, site.tag_names))
    other_tags = [t for s in site.snippets for t in s.tags] + [
        t for g in site.goals for t in g.tags
    ]
    for tag in other_tags:  # tags used only by snippets or goals still get a page
        if tag.slug not in tag_index:
            name = site.tag_names.get(tag.slug, tag.name)
            tag_index[tag.slug] = timeline.TagEntry(Tag(tag.slug, name), ())
    tags = v.TagViews(config, site.tag_names)
    tags.set_counts({slug: entry.count for slug, entry in tag_index.items()})
    commit_days = streak_commit_days(config, github)
    grace_days = config.streaks.grace_days
    streaks = compute_streaks(site.logs, today, commit_days, grace_days=grace_days)
    rules = achievement_rules(config.achievements)
    achievements = compute_achievements(
        site, rules, today, extra_days=commit_days, grace_days=grace_days
    )
    stats = compute_stats(site.logs, today, tag_names=site.tag_names)
    heatmap = compute_heatmap(site.logs, today, _commits_per_day(github, config))
    return RouteInputs(
        config=config,
        site=site,
        bodies={},
        abs_url=make_abs_url(str(config.site.base_url)),
        site_view=site_view(config, site, today, profile_view(config, markdown, github), localizer),
        tags=tags,
        tag_index=dict(sorted(tag_index.items())),
        streaks=streaks,
        stats=stats,
        heatmap=heatmap,
        dashboard=build_dashboard(streaks, stats, heatmap, tags, localizer),
        github=github,
        recommendations=compute_recommendations(site),
        achievements=achievements,
        calendar=compute_calendar(site) if config.calendar else (),
        localizer=localizer,
    )


def achievement_rules(section: AchievementsSection) -> tuple[AchievementRule, ...]:
    """The built-in rules as `achievements.rules` changes them (those set to false left
    out), then the custom ones, in the order they are written."""
    rules = []
    for rule in DEFAULT_ACHIEVEMENT_RULES:
        change = section.rules.get(rule.id, RuleChange())
        if change.enabled:
            threshold = change.threshold or rule.threshold
            rules.append(dataclasses.replace(rule, threshold=threshold, title=change.title))
    custom = (AchievementRule(c.id, c.metric, c.threshold, c.title, c.tag) for c in section.custom)
    return (*rules, *custom)


def _commits_per_day(
    github: GitHubEnrichment | None, config: SiteConfig
) -> dict[dt.date, int] | None:
    """Commit counts for the heatmap, when commits count as activity."""
    if github is None or not config.streaks.count_commits:
        return None
    return github.commits_per_day
