"""The folders of a site, by name (standard library only: the no-change check reads it
before anything else is imported)."""

from __future__ import annotations

__all__ = ["CONTENT_FOLDERS", "SOURCE_FOLDERS"]

# One folder per kind of content file (`load.documents.KIND_EXTENSIONS` reads them).
CONTENT_FOLDERS = ("logs", "projects", "resources", "goals", "paths", "snippets")
# Every folder a site is built from: the output may not live inside any of them.
SOURCE_FOLDERS = (*CONTENT_FOLDERS, "static", "templates", "themes")
