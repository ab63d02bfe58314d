"""Validate stage: relative links between content files, found in Markdown and checked.

A relative link to another content file (`[see](2026-11-20-borrowck.md)`) is resolved
the way the renderer does (`render/inputs.resolve_relative`: relative to the linking
file's folder); one that names no file of the site is a warning at the link.

Parsing Markdown costs milliseconds a text, so it is done only when needed:
`link_candidates` (per file, kept in its cached record) lists every path ending in a
content suffix that could be a link destination, with a plain string scan; when all of
them name files of the site there is nothing to report. Only a text with a candidate that
does not resolve is parsed (`find_file_links`, markdown-it-py), which tells real links from
code and prose and says where each is written.

Links to other paths (`../tags/rust/`, `static/a.png`) are left alone: the renderer does
not resolve them against content files either.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Set
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

FileLink = tuple[str, int, int]
"""(path as written, percent-decoded, without ?query and #fragment; line; column)."""

CONTENT_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
UNSURE = ""
"""A candidate that a string scan cannot read (escapes, entities, `<a b.md>`): parse."""

_LONGEST = 1024  # characters of a path the scan reads; a longer one is parsed
# Characters that cannot be part of a link destination as the scan reads it.
_DESTINATION_ENDS = frozenset(" \t\r\n()<>[]\"'`")

_parser: MarkdownIt | None = None


def link_candidates(body: str) -> tuple[str, ...]:
    """Every path in `body` ending in a content suffix that may be a link destination
    (percent-decoded), without parsing Markdown; just (UNSURE,) where only a parse can
    tell (escapes, entities, `<my notes.md>`, a path longer than any real one)."""
    lowered = body.lower()
    found: list[str] = []
    for suffix in CONTENT_SUFFIXES:
        end = 0
        while (start := lowered.find(suffix, end)) >= 0:
            end = start + len(suffix)
            if end < len(body) and (body[end].isalnum() or body[end] in "_-"):
                continue  # `x.mdx`, `x.yml2`: another suffix
            limit = max(start - _LONGEST, 0)
            while start > limit and body[start - 1] not in _DESTINATION_ENDS:
                start -= 1
            text = body[start:end]
            newline = body.rfind("\n", limit, start)
            line_start = limit if newline < 0 else newline + 1
            if start == limit or "\\" in text or "&" in text or "<" in body[line_start:start]:
                return (UNSURE,)
            if _after_link_opening(body, start):
                found.append(unquote(text))
    return tuple(found)


def _after_link_opening(body: str, start: int) -> bool:
    """Whether the text before `start` (spaces and line breaks aside) opens a destination:
    `](` of an inline link or `]:` of a reference definition."""
    index = start - 1
    while index >= 0 and body[index] in " \t\r\n":
        index -= 1
    if index < 0:
        return False
    return body[index] == "(" or (body[index] == ":" and body[index - 1 : index] == "]")


def all_resolve(source: str, candidates: Iterable[str], published: Set[str]) -> bool:
    """True when every relative candidate of `source` names a file in `published`."""
    for candidate in candidates:
        if candidate == UNSURE:
            return False
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc or candidate.startswith("/"):
            continue  # absolute: not a link to a content file
        if resolve(source, parts.path) not in published:
            return False
    return True


def _markdown() -> MarkdownIt:
    """A CommonMark block parser: the inline pass runs only where a link may be (`_hrefs`),
    several times faster than a whole parse."""
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt

        _parser = MarkdownIt("commonmark").disable("inline")
    return _parser


def find_file_links(body: str, body_line: int) -> tuple[FileLink, ...]:
    """The relative links to content files in `body`, whose first line is `body_line` of
    its file; each at the line and column of the destination as written."""
    if not _names_content_file(body):
        return ()
    locator = _Locator(body.split("\n"))
    found: list[FileLink] = []
    for block, href in _hrefs(_markdown(), body):
        path = _content_path(href)
        if path is None:
            continue
        line, column = locator.locate(block, (path, href, urlsplit(href).path))
        found.append((path, body_line + line, column + 1))
    return tuple(found)


def _hrefs(parser: MarkdownIt, body: str) -> Iterator[tuple[tuple[int, int], str]]:
    """(block line range, href) of every link that may point at a content file."""
    env: dict[str, Any] = {}  # the block pass puts reference definitions here
    tokens = parser.parse(body, env)
    references = env.get("references", {}).values()
    by_reference = any(_content_path(str(r.get("href", ""))) for r in references)
    for token in tokens:
        if token.type != "inline" or "]" not in token.content:
            continue
        if not by_reference and not _names_content_file(token.content):
            continue
        block = (token.map[0], token.map[1]) if token.map else (0, 0)
        children: list[Token] = []
        parser.inline.parse(token.content, parser, env, children)
        for child in children:
            if child.type == "link_open":
                href = child.attrGet("href")
                if isinstance(href, str):
                    yield block, href


def _names_content_file(text: str) -> bool:
    lowered = text.lower()
    return any(suffix in lowered for suffix in CONTENT_SUFFIXES)


def _content_path(href: str) -> str | None:
    """The decoded path of a relative link to a content file, else None."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    path = unquote(parts.path)
    return path if path.lower().endswith(CONTENT_SUFFIXES) else None


class _Locator:
    """Finds where link destinations are written. Links of one block are found in order,
    each after the one before, and a definition's place is remembered: linear in the text
    even with thousands of links."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursors: dict[tuple[int, int], tuple[int, int]] = {}  # block -> next (line, col)
        self.anywhere: dict[str, tuple[int, int] | None] = {}

    def locate(self, block: tuple[int, int], forms: Iterable[str]) -> tuple[int, int]:
        """0-based (line, column) of the first of `forms` written in `block` after its
        previous link, else anywhere (a reference definition), else the block's start."""
        first_line, first_column = self.cursors.get(block, (block[0], 0))
        forms = list(dict.fromkeys(forms))
        for form in forms:
            for index in range(first_line, min(block[1], len(self.lines))):
                start = first_column if index == first_line else 0
                column = self.lines[index].find(form, start)
                if column >= 0:
                    self.cursors[block] = (index, column + len(form))
                    return index, column
        for form in forms:
            if form not in self.anywhere:
                self.anywhere[form] = next(
                    (
                        (index, line.find(form))
                        for index, line in enumerate(self.lines)
                        if form in line
                    ),
                    None,
                )
            found = self.anywhere[form]
            if found is not None:
                return found
        return block[0], 0


def resolve(source: str, path: str) -> str | None:
    """The site-relative file `path` (written in `source`) names, or None when it leaves
    the site; the same join as the renderer's."""
    simple = path and path[0] not in "./" and path[-1] != "/"
    if simple and "/." not in path and "//" not in path:
        folder = source.rpartition("/")[0]  # nothing to normalise: the common case
        return f"{folder}/{path}" if folder else path
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def broken_links(
    source: str, links: Iterable[FileLink], published: Set[str]
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
