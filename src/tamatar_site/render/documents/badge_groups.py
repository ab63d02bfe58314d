"""The achievements' badges of a build (`badges/<id>.svg`) as fingerprinted document
groups: one per rule, rendered only when what the badge shows changed."""

from __future__ import annotations

from collections.abc import Iterator

from tamatar_site.render.charts.badges import Badge, render_badge
from tamatar_site.render.charts.svg import day_label
from tamatar_site.render.documents.groups import Document, DocumentGroup, fingerprint
from tamatar_site.render.pages.common import RouteInputs
from tamatar_site.render.views.achievements import UNITS, AchievementView, achievements_view


def badge(view: AchievementView) -> Badge:
    """What a rule's badge shows, in English (badges have no message catalogue)."""
    unit = UNITS[view.metric]
    if view.threshold == 1:
        unit = unit.removesuffix("s")
    if view.tag:
        unit = f"{unit} #{view.tag}"
    if view.earned:
        status = f"Earned {day_label(view.date)}" if view.date else "Earned"
        said = f"earned on {day_label(view.date)}" if view.date else "earned"
        if view.label:
            said += f" with {view.label}"
    else:
        status = f"{view.progress:,} of {view.threshold:,}"
        said = f"not earned yet: {status}"
    return Badge(
        id=view.id,
        title=view.english_title,
        number=f"{view.threshold:,}",
        unit=unit,
        status=status,
        description=f"Achievement {view.english_title}, {said}.",
        earned=view.earned,
    )


def iter_badge_groups(inputs: RouteInputs) -> Iterator[DocumentGroup]:
    """One group per achievement rule: its badge."""
    for view in achievements_view(inputs.achievements, inputs.site.tag_names).items:
        drawn = badge(view)

        def render(drawn: Badge = drawn, path: str = view.badge) -> list[Document]:
            return [Document(path, render_badge(drawn).encode("utf-8"))]

        yield DocumentGroup((view.badge,), fingerprint("badge", repr(drawn)), render)
