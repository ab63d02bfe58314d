"""The achievements' badges of a build (`badges/<id>.svg`) as fingerprinted document
groups: one per rule, rendered only when what the badge shows changed."""

from __future__ import annotations

from collections.abc import Iterator

from tamatar_site.render.charts.badges import Badge, render_badge
from tamatar_site.render.documents.groups import Document, DocumentGroup, fingerprint
from tamatar_site.render.i18n import Localizer
from tamatar_site.render.pages.common import RouteInputs
from tamatar_site.render.views.achievements import (
    AchievementView,
    achievements_view,
    worded_title,
)


def badge(view: AchievementView, lo: Localizer) -> Badge:
    """What a rule's badge shows, in the site's language (the templates' own wording)."""
    title = worded_title(view.title, view.metric, view.threshold, view.tag, lo)
    number = lo.number(view.threshold)
    unit = _unit(view, lo)
    words = {"title": title, "label": view.label}
    if view.earned:
        words["date"] = lo.date(view.date)
        if view.date:
            status = lo.gettext("Earned %(date)s") % words
            if view.label:
                said = lo.gettext("Achievement %(title)s, earned on %(date)s with %(label)s.")
            else:
                said = lo.gettext("Achievement %(title)s, earned on %(date)s.")
        else:
            status = lo.gettext("Earned")
            if view.label:
                said = lo.gettext("Achievement %(title)s, earned with %(label)s.")
            else:
                said = lo.gettext("Achievement %(title)s, earned.")
    else:
        progress = {"progress": lo.number(view.progress), "threshold": number}
        status = words["status"] = lo.gettext("%(progress)s of %(threshold)s") % progress
        said = lo.gettext("Achievement %(title)s, not earned yet: %(status)s.")
    return Badge(
        id=view.id,
        title=title,
        number=number,
        unit=unit,
        status=status,
        description=said % words,
        earned=view.earned,
    )


def _unit(view: AchievementView, lo: Localizer) -> str:
    """What the number on the badge counts (`logs`, `days`, ...; `logs #rust`)."""
    n = view.threshold
    match view.metric:
        case "logs" | "tag_logs":
            unit = lo.ngettext("log", "logs", n)
        case "streak_days":
            unit = lo.ngettext("day", "days", n)
        case "focus_hours":
            unit = lo.ngettext("hour", "hours", n)
        case "resources_finished":
            unit = lo.ngettext("resource", "resources", n)
        case "goals_completed":
            unit = lo.ngettext("goal", "goals", n)
        case "paths_completed":
            unit = lo.ngettext("path", "paths", n)
        case _:
            unit = lo.ngettext("language", "languages", n)
    return f"{unit} #{view.tag}" if view.tag else unit


def iter_badge_groups(inputs: RouteInputs) -> Iterator[DocumentGroup]:
    """One group per achievement rule: its badge."""
    for view in achievements_view(inputs.achievements, inputs.site.tag_names).items:
        drawn = badge(view, inputs.localizer)

        def render(drawn: Badge = drawn, path: str = view.badge) -> list[Document]:
            return [Document(path, render_badge(drawn).encode("utf-8"))]

        yield DocumentGroup((view.badge,), fingerprint("badge", repr(drawn)), render)
