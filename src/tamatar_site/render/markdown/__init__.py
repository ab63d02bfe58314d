"""Markdown to HTML: the one markdown-it factory (`renderer.py`), its rules and plugins,
link checks, heading ids, code highlighting and plain-text summaries."""

from __future__ import annotations

from tamatar_site.render.markdown.renderer import (
    DEFAULT_RESERVED_IDS,
    LinkResolver,
    MarkdownRenderer,
    RenderedBody,
    RenderedMarkdown,
    highlight_css,
    is_safe_url,
    slugify,
    strip_heading_anchors,
)

__all__ = [
    "DEFAULT_RESERVED_IDS",
    "LinkResolver",
    "MarkdownRenderer",
    "RenderedBody",
    "RenderedMarkdown",
    "highlight_css",
    "is_safe_url",
    "slugify",
    "strip_heading_anchors",
]
