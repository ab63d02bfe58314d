"""The folders of a site, by name (standard library only: the no-change check reads it
before anything else is imported)."""

from __future__ import annotations

__all__ = ["BUILT_IN_ROUTES", "CONTENT_FOLDERS", "SOURCE_FOLDERS"]

# One folder per kind of content file (`load.documents.KIND_EXTENSIONS` reads them).
CONTENT_FOLDERS = ("logs", "projects", "resources", "goals", "paths", "snippets", "pages")
# Every folder a site is built from: the output may not live inside any of them.
SOURCE_FOLDERS = (*CONTENT_FOLDERS, "static", "templates", "themes", "locale")

# The first segment of every output path tamatar writes itself, without its extension: the
# sections of render/pages/routes.py, the files of render/documents/ and the theme's
# assets/. A free-form page (`pages/<slug>.md` -> `<slug>/`) may not take one of them, nor
# a name the shipped features keep for themselves (search, the API, cards, og images).
# tests/test_free_pages.py checks this set against a real build's output.
BUILT_IN_ROUTES = frozenset(
    {
        *(folder for folder in CONTENT_FOLDERS if folder != "pages"),
        "404", "api", "assets", "badges", "calendar", "cards", "digests", "feed", "following",
        "index", "og", "pagefind",
        "robots", "rss", "search", "sitemap", "stats", "tags",
    }
)  # fmt: skip
