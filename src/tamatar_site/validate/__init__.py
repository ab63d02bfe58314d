"""Validate stage: raw documents -> model.Site plus diagnostics; `load_site` is the entry."""

from __future__ import annotations

from tamatar_site.model import tag_slug
from tamatar_site.validate.references import split_date_prefix
from tamatar_site.validate.site import LoadedSite, load_site, summary_line

__all__ = ["LoadedSite", "load_site", "split_date_prefix", "summary_line", "tag_slug"]
