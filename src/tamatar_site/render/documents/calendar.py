"""`calendar.ics` (RFC 5545): the site's dated goals, milestones and path steps as
all-day events, written with the `icalendar` package.

The same content gives the same bytes: UIDs come from the site's address and each item's
key (`compute/calendar.py`), DTSTAMP from the content (the newest log's time), never from
the clock. The file is a `DocumentGroup`: rendered (and `icalendar` imported, a fifth of a
second) only when its inputs changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from urllib.parse import urlsplit

from tamatar_site.compute.calendar import CalendarItem
from tamatar_site.model import Site
from tamatar_site.render.documents.groups import Document, DocumentGroup, fingerprint
from tamatar_site.render.pages.calendar import CALENDAR_PATH, calendar_path
from tamatar_site.render.pages.common import RouteInputs

PRODID = "-//tamatar//calendar//EN"
REFRESH = dt.timedelta(hours=12)  # how often subscribed applications should fetch it again

_CATEGORIES = {
    "goal-target": "Goal",
    "goal-milestone": "Goal milestone",
    "project-milestone": "Project milestone",
    "path-step": "Learning path step",
}
_OWNERS = {
    "goal-target": "goal",
    "goal-milestone": "goal",
    "project-milestone": "project",
    "path-step": "learning path",
}


def calendar_documents(inputs: RouteInputs) -> Iterator[DocumentGroup]:
    """`calendar.ics`, unless `calendar: false` or nothing in the site has a date."""
    items = inputs.calendar
    if calendar_path(inputs) is None:
        return
    config = inputs.config
    base_url = str(config.site.base_url)
    name = f"{config.site.title}: goals and milestones"
    stamp = calendar_stamp(inputs.site, items)
    links = {item.permalink: inputs.abs_url(item.permalink) for item in items}
    key = fingerprint(
        CALENDAR_PATH,
        PRODID,
        base_url,
        name,
        config.site.description,
        config.site.timezone,
        stamp.isoformat(),
        repr(items),
        repr(links),
    )

    def render() -> list[Document]:
        data = render_calendar(
            items,
            name=name,
            description=config.site.description,
            timezone=config.site.timezone,
            base_url=base_url,
            link=links.__getitem__,
            stamp=stamp,
        )
        return [Document(CALENDAR_PATH, data)]

    yield DocumentGroup((CALENDAR_PATH,), key, render)


def calendar_stamp(site: Site, items: Sequence[CalendarItem]) -> dt.datetime:
    """DTSTAMP of every event: when the content was last written, as far as the content
    says (the newest log's time, in UTC); without logs, midnight UTC of the first event."""
    if site.logs:
        return site.logs[0].timestamp.astimezone(dt.UTC).replace(microsecond=0)
    first = min(item.day for item in items)
    return dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)


def uid_prefix(base_url: str) -> tuple[str, str]:
    """(local part prefix, host) of the UIDs: `https://asha.github.io/devlog/` gives
    (`devlog-`, `asha.github.io`), so two sites on one host never share a UID."""
    parts = urlsplit(base_url)
    path = "-".join(segment for segment in parts.path.split("/") if segment)
    return (f"{path}-" if path else ""), (parts.hostname or "localhost")


def _summary(item: CalendarItem) -> str:
    if item.kind == "goal-target":
        return f"Target: {item.title}"
    return f"{item.owner}: {item.title}"


def _description(item: CalendarItem) -> str:
    if item.kind == "goal-target":
        text = f"Target date of the goal “{item.owner}”."
        state = " Completed." if item.done else ""
    else:
        noun = "Step" if item.kind == "path-step" else "Milestone"
        text = f"{noun} of the {_OWNERS[item.kind]} “{item.owner}”."
        state = " Done." if item.done else ""
    if item.cancelled:
        state = " Cancelled."
    return text + state


def render_calendar(
    items: Sequence[CalendarItem],
    *,
    name: str,
    description: str,
    timezone: str,
    base_url: str,  # for the UIDs
    link: Callable[[str], str],
    stamp: dt.datetime,
) -> bytes:
    """An RFC 5545 VCALENDAR with one all-day VEVENT per item, in the items' order.

    Args:
        link: a site-relative permalink -> its absolute URL.
        stamp: DTSTAMP of every event (aware).
    """
    import icalendar  # a fifth of a second to import: only when the calendar is rendered

    prefix, host = uid_prefix(base_url)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", icalendar.vText(name))  # RFC 7986
    calendar.add("x-wr-calname", icalendar.vText(name))  # what most applications read
    if description:
        calendar.add("description", icalendar.vText(description))
        calendar.add("x-wr-caldesc", icalendar.vText(description))
    calendar.add("x-wr-timezone", timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    for item in items:
        event = icalendar.Event()
        event.add("uid", f"{prefix}{item.key}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)  # a date: VALUE=DATE, an all-day event
        event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("summary", _summary(item))
        event.add("description", _description(item))
        event.add("url", link(item.permalink))
        event.add("categories", [_CATEGORIES[item.kind]])
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT")  # a deadline, not a busy day
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
