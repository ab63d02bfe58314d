"""The static JSON API under `api/v1/`: the content of each document, as the models of
`api_models` (which define the API), and the bytes they are written as (those of logs:
`api_logs`).

URLs are absolute, dates ISO 8601. Output is deterministic (no build time, stable order).
`api_outputs` decides which documents exist and when each is rendered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from tamatar_site import model
from tamatar_site.compute import Heatmap, Streak, timeline
from tamatar_site.render.documents import api_models as m
from tamatar_site.render.pages.common import RouteInputs
from tamatar_site.render.views.achievements import achievements_view
from tamatar_site.render.views.content import tag_permalink

API_PREFIX = "api/v1/"
LOGS_PER_PAGE = 100  # logs per `logs.json` page: a page of summaries is ~60 KB


Absolute = Callable[[str, str], str]
"""(HTML, permalink of the page it is on) -> the HTML with absolute links."""
HtmlOf = Callable[[str, str], str]
"""(source, permalink of the page it is on) -> the source's HTML with absolute links."""


def logs_page_path(page: int) -> str:
    """Page 1 is `logs.json`, page N `logs/page/N.json` (no slug makes a `logs/page/`)."""
    return f"{API_PREFIX}logs.json" if page == 1 else f"{API_PREFIX}logs/page/{page}.json"


def log_path(log: model.Log) -> str:
    """`logs/2026-11-21-lifetimes.json`: the date and slug, as a log's file is named (a slug
    alone may be used on several days)."""
    return f"{API_PREFIX}logs/{log.date.isoformat()}-{log.slug}.json"


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def dump_document(document: m.Document) -> bytes:
    """JSON with one key of the document per line, and one item per line in its lists
    (readable, diff-friendly, and written by json's C encoder: `indent=` would use the
    pure-Python one, seconds for 10,000 logs). `<`, `>` and `&` are written as `\\u003c`...
    so a document can be pasted into HTML without becoming markup."""
    lines = []
    for key, value in document.model_dump(mode="json").items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {_compact(item)}" for item in value)
            lines.append(f"  {_compact(key)}: [\n{items}\n  ]")
        else:
            lines.append(f"  {_compact(key)}: {_compact(value)}")
    text = "{\n" + ",\n".join(lines) + "\n}"
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (text + "\n").encode("utf-8")


def api_profile(inputs: RouteInputs, absolute: Absolute) -> m.Profile:
    config, profile = inputs.config, inputs.site_view.profile
    return m.Profile(
        title=config.site.title,
        description=config.site.description,
        url=inputs.abs_url(""),
        language=config.site.language,
        name=profile.name,
        bio=config.profile.bio,
        bio_html=absolute(str(profile.bio_html), ""),
        avatar=inputs.abs_url(profile.avatar_url) if profile.avatar_url else None,
        location=profile.location,
        skills=list(profile.skills),
        links=[m.ProfileLink(label=link.label, url=link.url) for link in profile.links],
    )


def _milestones(milestones: Sequence[model.Milestone]) -> list[m.Milestone]:
    return [m.Milestone(title=x.title, done=x.done, date=x.date) for x in milestones]


def api_projects(inputs: RouteInputs, html: HtmlOf) -> m.Projects:
    by_project = timeline.compute_project_index(inputs.site.logs)
    return m.Projects(
        projects=[
            m.Project(
                slug=p.slug,
                name=p.name,
                url=inputs.abs_url(p.permalink),
                status=p.status,
                featured=p.featured,
                tech_stack=list(p.tech_stack),
                repo=p.repo,
                live_url=p.live_url,
                start_date=p.start_date,
                end_date=p.end_date,
                logs=len(by_project.get(p.slug, ())),
                description=p.description,
                description_html=html(p.source, p.permalink),
                milestones=_milestones(p.milestones),
            )
            for p in inputs.site.projects
        ]
    )


def api_resources(inputs: RouteInputs, html: HtmlOf) -> m.Resources:
    return m.Resources(
        resources=[
            m.Resource(
                slug=r.slug,
                title=r.title,
                url=inputs.abs_url(r.permalink),
                link=r.url,
                type=r.type,
                difficulty=r.difficulty,
                rating=r.rating,
                categories=list(r.categories),
                status=r.status,
                added=r.added,
                started=r.started,
                finished=r.finished,
                review=r.review,
                review_html=html(r.source, r.permalink),
            )
            for r in inputs.site.resources
        ]
    )


def api_goals(inputs: RouteInputs, html: HtmlOf) -> m.Goals:
    return m.Goals(
        goals=[
            m.Goal(
                slug=g.slug,
                title=g.title,
                url=inputs.abs_url(g.permalink),
                type=g.type,
                status=g.status,
                progress=g.progress,
                target_date=g.target_date,
                depends_on=list(g.depends_on),
                tags=[tag.slug for tag in g.tags],
                milestones=_milestones(g.milestones),
                description=g.description,
                description_html=html(g.source, g.permalink),
            )
            for g in inputs.site.goals
        ]
    )


def api_paths(inputs: RouteInputs, html: HtmlOf) -> m.Paths:
    return m.Paths(
        paths=[
            m.LearningPath(
                slug=p.slug,
                title=p.title,
                url=inputs.abs_url(p.permalink),
                difficulty=p.difficulty,
                estimated_hours=p.estimated_hours,
                progress=p.progress,
                prerequisites=list(p.prerequisites),
                outcomes=list(p.outcomes),
                steps=[
                    m.PathStep(title=s.title, resource=s.resource, done=s.done, date=s.date)
                    for s in p.steps
                ],
                description=p.description,
                description_html=html(p.source, p.permalink),
            )
            for p in inputs.site.paths
        ]
    )


def api_snippets(inputs: RouteInputs, html: HtmlOf) -> m.Snippets:
    return m.Snippets(
        snippets=[
            m.Snippet(
                slug=s.slug,
                title=s.title,
                url=inputs.abs_url(s.permalink),
                language=s.language,
                tags=[tag.slug for tag in s.tags],
                date=s.date,
                description=s.description,
                body=s.body,
                html=html(s.source, s.permalink),
            )
            for s in inputs.site.snippets
        ]
    )


def api_tags(inputs: RouteInputs) -> m.Tags:
    counts = sorted(
        ((slug, entry.count) for slug, entry in inputs.tag_index.items()),
        key=lambda item: (-item[1], item[0]),
    )
    return m.Tags(
        tags=[
            m.TagCount(
                slug=slug,
                name=inputs.tags.view(slug).name,
                url=inputs.abs_url(tag_permalink(slug)),
                logs=count,
            )
            for slug, count in counts
        ]
    )


def api_stats(inputs: RouteInputs) -> m.Stats:
    streaks, stats, heatmap = inputs.streaks, inputs.stats, inputs.heatmap
    totals = stats.totals
    languages: dict[str, int] = {}
    for snippet in inputs.site.snippets:
        if snippet.language:
            languages[snippet.language] = languages.get(snippet.language, 0) + 1
    github = inputs.github
    return m.Stats(
        as_of=streaks.today,
        streaks=m.Streaks(
            current=_streak(streaks.current),
            longest=_streak(streaks.longest),
            active_days=streaks.active_days,
            first_active=streaks.first_active,
            last_active=streaks.last_active,
        ),
        totals=m.Totals(
            logs=totals.logs,
            words=totals.words,
            focus_minutes=totals.focus_minutes,
            tags=totals.tags,
            projects=totals.projects,
            first_date=totals.first_date,
            last_date=totals.last_date,
            mood=totals.mood,
            productivity=totals.productivity,
        ),
        heatmap=_heatmap(heatmap),
        months=[
            m.MonthCount(
                year=month.year,
                month=month.month,
                logs=month.logs,
                focus_minutes=month.focus_minutes,
            )
            for month in stats.months
        ],
        languages=[
            m.LanguageShare(name=share.name, percent=share.percent)
            for share in (github.languages if github is not None else ())
        ],
        snippet_languages=[
            m.LanguageCount(name=name, snippets=count)
            for name, count in sorted(languages.items(), key=lambda item: (-item[1], item[0]))
        ],
        achievements=_achievements(inputs),
    )


# The last heatmap and its model: an edit of log text keeps the last build's heatmap, and
# its model has one DayCount per active day (10,000 models in a 10,000-log site).
_last_heatmap: tuple[Heatmap, m.Heatmap] | None = None


def _heatmap(heatmap: Heatmap) -> m.Heatmap:
    global _last_heatmap
    if _last_heatmap is not None and _last_heatmap[0] is heatmap:
        return _last_heatmap[1]
    made = m.Heatmap(
        start=heatmap.start,
        end=heatmap.end,
        days=[
            m.DayCount(date=cell.date, logs=cell.logs, commits=cell.commits)
            for cell in heatmap.cells
            if cell.logs or cell.commits
        ],
    )
    _last_heatmap = (heatmap, made)
    return made


def _achievements(inputs: RouteInputs) -> list[m.Achievement]:
    return [
        m.Achievement(
            id=a.id,
            title=a.english_title,
            metric=a.metric,
            threshold=a.threshold,
            tag=a.tag,
            progress=a.progress,
            earned=a.earned,
            date=a.date,
            source=a.source,
            url=inputs.abs_url(a.link) if a.link else None,
            badge_url=inputs.abs_url(a.badge),
        )
        for a in achievements_view(inputs.achievements, inputs.site.tag_names).items
    ]


def _streak(streak: Streak) -> m.Streak:
    return m.Streak(length=streak.length, start=streak.start, end=streak.end)
