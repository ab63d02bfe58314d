"""Validate stage: relative links between content files, found in Markdown and checked.

`find_file_links` lists the links of a Markdown body that point at another content file
(`[see](2026-11-20-borrowck.md)`), with the line and column where each is written; it
runs once per file (the result is kept in the file's cached record). `broken_links` then
resolves them the way the renderer does (`render/inputs.resolve_relative`: relative to
the linking file's folder) against the files the site publishes.

Links to other paths (`../tags/rust/`, `static/a.png`) are left alone: the renderer does
not resolve them against content files either.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

FileLink = tuple[str, int, int]
"""(path as written, percent-decoded, without ?query and #fragment; line; column)."""

CONTENT_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")

_parser: MarkdownIt | None = None


def _markdown() -> MarkdownIt:
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt

        _parser = MarkdownIt("commonmark")
    return _parser


def find_file_links(body: str, body_line: int) -> tuple[FileLink, ...]:
    """The relative links to content files in `body`, whose first line is `body_line` of
    its file; each at the line and column of the destination as written."""
    lowered = body.lower()
    if not any(suffix in lowered for suffix in CONTENT_SUFFIXES):
        return ()  # most bodies: no parse needed
    lines = body.split("\n")
    found: list[FileLink] = []
    for block, href in _hrefs(_markdown().parse(body)):
        path = _content_path(href)
        if path is None:
            continue
        line, column = _locate(lines, block, (path, href, urlsplit(href).path))
        found.append((path, body_line + line, column + 1))
    return tuple(found)


def _hrefs(tokens: Iterable[Token]) -> Iterator[tuple[tuple[int, int], str]]:
    """(block line range, href) of every link in `tokens`, in order."""
    for token in tokens:
        if token.type != "inline" or token.children is None:
            continue
        block = (token.map[0], token.map[1]) if token.map else (0, 0)
        for child in token.children:
            if child.type == "link_open":
                href = child.attrGet("href")
                if isinstance(href, str):
                    yield block, href


def _content_path(href: str) -> str | None:
    """The decoded path of a relative link to a content file, else None."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    path = unquote(parts.path)
    return path if path.lower().endswith(CONTENT_SUFFIXES) else None


def _locate(lines: list[str], block: tuple[int, int], forms: Iterable[str]) -> tuple[int, int]:
    """0-based (line, column) where one of `forms` is written: in the link's own block
    first, then anywhere (a reference definition); else the block's first line."""
    ranges = (range(block[0], min(block[1], len(lines))), range(len(lines)))
    for candidates in ranges:
        for form in forms:
            for index in candidates:
                column = lines[index].find(form)
                if column >= 0:
                    return index, column
    return block[0], 0


def resolve(source: str, path: str) -> str | None:
    """The site-relative file `path` (written in `source`) names, or None when it leaves
    the site; the same join as the renderer's."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def broken_links(
    source: str, links: Iterable[FileLink], published: frozenset[str] | set[str]
) -> Iterator[tuple[int, int, str]]:
    """(line, column, message) for each link of `source` to no file in `published`."""
    for path, line, column in links:
        target = resolve(source, path)
        if target is None or target not in published:
            yield (
                line,
                column,
                f'broken link "{path}": no log, project or page at that path',
            )
