"""Where the site's calendar is, for the pages that advertise it (the goals page)."""

from __future__ import annotations

from tamatar_site.render.pages.common import RouteInputs
from tamatar_site.render.views import content as v

CALENDAR_PATH = "calendar.ics"


def calendar_path(inputs: RouteInputs) -> str | None:
    """`calendar.ics` when the build writes it (`calendar: true` and something dated)."""
    return CALENDAR_PATH if inputs.calendar else None


def calendar_links(inputs: RouteInputs) -> tuple[v.FeedLinkView, ...]:
    """The `<link rel="alternate" type="text/calendar">` of the pages that advertise it."""
    path = calendar_path(inputs)
    if path is None:
        return ()
    words = inputs.localizer.gettext("%(site)s (calendar)")
    title = words % {"site": inputs.config.site.title}
    return (v.FeedLinkView("text/calendar", title, path),)
