"""The levels and ids of a Markdown document's headings.

The page title is the page's only `<h1>`, so a document's top-most heading becomes
`top_heading_level` and deeper ones follow without skipping a level (`#`/`###` render
as h2/h3). Every heading gets a unique id: its slug, de-duplicated as `intro`,
`intro-1`, and kept clear of the page's reserved ids and of footnote ids (`fn1`).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["HeadingOutline", "slugify"]

_FOOTNOTE_ID_RE = re.compile(r"fn(?:ref)?\d+(?::\d+)?")
_SLUG_DROP_RE = re.compile(r"[^\w\s-]")
_SLUG_JOIN_RE = re.compile(r"[\s_-]+")


def slugify(text: str) -> str:
    """A heading id: lower case words joined by `-` (`Hello, World!` -> `hello-world`)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _SLUG_DROP_RE.sub("", text)
    text = _SLUG_JOIN_RE.sub("-", text).strip("-")
    return text or "section"


class HeadingOutline:
    """The headings of one document so far: gives each new one its level and id."""

    def __init__(self, top_level: int, reserved_ids: frozenset[str], id_prefix: str) -> None:
        self.top_level = top_level
        self.id_prefix = id_prefix
        self.taken = set(reserved_ids) | {f"{id_prefix}footnotes"}
        self.open: list[tuple[int, int]] = []  # (source level, output level) of the enclosing
        # per slug, the counter to try next: ids are only ever added to `taken`, so the
        # counters tried before stay taken (a thousand "## Notes" stay linear)
        self.counters: dict[str, int] = {}

    def level(self, source_level: int) -> int:
        """The output level of a heading written at `source_level` (1 to 6)."""
        while self.open and self.open[-1][0] >= source_level:
            self.open.pop()
        level = min(self.open[-1][1] + 1 if self.open else self.top_level, 6)
        self.open.append((source_level, level))
        return level

    def unique_id(self, title: str) -> str:
        """A new id for a heading with this visible text (`intro`, then `intro-1`)."""
        slug = self.id_prefix + slugify(title)
        counter = self.counters.get(slug, 0)
        candidate = f"{slug}-{counter}" if counter else slug
        while candidate in self.taken or _FOOTNOTE_ID_RE.fullmatch(candidate):
            counter += 1
            candidate = f"{slug}-{counter}"
        self.counters[slug] = counter
        self.taken.add(candidate)
        return candidate
