"""Validate stage: `load_site` reads a whole site and returns model.Site plus every diagnostic.

The work is split in two: `record_parser.py` validates each file on its own (cacheable),
`assemble.py` runs the checks across files; `loader.py` drives both and keeps what it can.
"""

from __future__ import annotations

from pathlib import Path

from tamatar_site.diagnostics import Diagnostics
from tamatar_site.model import Site
from tamatar_site.validate.loader import ContentLoader, LoadedSite

__all__ = ["LoadedSite", "load_site", "summary_line"]


def load_site(site_dir: Path, *, include_drafts: bool = False) -> LoadedSite:
    """Read, validate and cross-check every file of the site at `site_dir`.

    Every problem is collected; nothing raises for bad content. Drafts are validated but
    left out of the site unless `include_drafts`.
    """
    return ContentLoader(site_dir).load(include_drafts=include_drafts)


def summary_line(loaded: LoadedSite, diagnostics: Diagnostics | None = None) -> str:
    """`3 errors, 1 warning` or `ok: 42 logs, 4 projects, ...` for the end of `tamatar check`;
    `diagnostics` are those shown, when not the loaded ones (`--strict`)."""
    shown = loaded.diagnostics if diagnostics is None else diagnostics
    errors = len(shown.errors)
    warnings = len(shown.warnings)
    if errors or warnings:
        return f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    site = loaded.site or Site()
    parts = (
        _count(len(site.logs), "log"),
        _count(len(site.projects), "project"),
        _count(len(site.resources), "resource"),
        _count(len(site.goals), "goal"),
        _count(len(site.paths), "learning path"),
        _count(len(site.snippets), "snippet"),
        _count(len(site.pages), "page"),
    )
    return "ok: " + ", ".join(parts)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
