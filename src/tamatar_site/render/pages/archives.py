"""The archive pages: `logs/YYYY/`, `logs/YYYY/MM/` and `logs/YYYY/MM/DD/`, paginated
like the timeline (`logs/2026/page/2/`), so every prefix of a log's permalink is a page."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator, Mapping

from tamatar_site.compute import timeline
from tamatar_site.model import Log
from tamatar_site.render.pages.common import (
    Page,
    PageMeta,
    RouteInputs,
    common_context,
    index_path,
    pagination_view,
)
from tamatar_site.render.views.archive import ArchiveIndex
from tamatar_site.render.views.content import LogSummaryView


def archive_pages(
    inputs: RouteInputs,
    archive: ArchiveIndex,
    summary_of: Callable[[Log], LogSummaryView],
    numbers: Mapping[str, Container[int]] | None = None,
) -> Iterator[Page]:
    """Every page of every archive (`numbers`: only these pages of these archives, by
    archive permalink)."""
    _ = inputs.localizer.gettext
    per_page = inputs.config.site.logs_per_page
    for permalink, entry in archive.entries.items():
        wanted = numbers.get(permalink) if numbers is not None else None
        if numbers is not None and wanted is None:
            continue
        view = archive.views[permalink]
        for page in timeline.paginate(entry.logs, per_page):
            if wanted is not None and page.number not in wanted:
                continue
            values = {"period": view.title, "page": page.number, "pages": page.total_pages}
            title = _("Logs of %(period)s") % values
            if page.number > 1:
                title = _("Logs of %(period)s, page %(page)s of %(pages)s") % values
            description = _("The daily logs of %(period)s, newest first (%(num)s).") % {
                "period": view.title,
                "num": view.count,
            }
            meta = PageMeta(title, page.url(permalink), "logs", description)
            yield Page(
                index_path(meta.permalink),
                "archive.html",
                common_context(
                    inputs,
                    meta,
                    archive=view,
                    logs=[summary_of(log) for log in page.items],
                    pagination=pagination_view(permalink, page),
                ),
            )


def archive_page_numbers(
    archive: ArchiveIndex, logs: list[Log], per_page: int
) -> dict[str, set[int]]:
    """The pages of the archives that list `logs` (archive permalink -> page numbers)."""
    numbers: dict[str, set[int]] = {}
    for log in logs:
        for permalink in timeline.archive_prefixes(log.date):
            listed = archive.entries[permalink].logs
            position = next(i for i, other in enumerate(listed) if other.source == log.source)
            numbers.setdefault(permalink, set()).add(position // per_page + 1)
    return numbers
