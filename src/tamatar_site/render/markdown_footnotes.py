"""Render stage: the footnotes of a Markdown document, as markdown-it's footnote plugin
marks them up.

References are numbered in the order they first appear (`[1]`, a second reference to
the same note `[1:1]`); definitions are collected wherever they stand and listed at
the end, only those referenced, in a `<section class="footnotes">` named by a
"Footnotes" heading. Each note ends with one back link per reference. Ids are `fn1`,
`fnref1`, `fnref1:1`, or with an id prefix `fn-goal-rust-1` (the plugin's `docId`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

__all__ = ["FootnoteBody", "Footnotes"]

_BACK_ARROW = "\u21a9\ufe0e"


@dataclass
class FootnoteBody:
    """The rendered HTML parts and plain text lines of one footnote definition."""

    parts: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


@dataclass
class _Note:
    number: int
    references: int = 0


class Footnotes:
    """The footnote references and definitions of one document."""

    def __init__(self, id_prefix: str) -> None:
        self.id_prefix = id_prefix
        doc_id = id_prefix.strip("-")
        self.infix = f"-{doc_id}-" if id_prefix else ""
        self.notes: dict[str, _Note] = {}
        self.definitions: dict[str, FootnoteBody] = {}

    def definition(self, label: str) -> FootnoteBody:
        """Where the body of the definition of `label` is written. The first definition of
        a label counts, as on GitHub: a later one is written nowhere."""
        if label in self.definitions:
            return FootnoteBody()
        body = self.definitions[label] = FootnoteBody()
        return body

    def reference(self, label: str) -> str:
        """The `<sup>` link of one reference to `label`."""
        note = self.notes.get(label)
        if note is None:
            note = self.notes[label] = _Note(number=len(self.notes) + 1)
        sub = note.references
        note.references += 1
        ident = html.escape(f"{self.infix}{note.number}")
        suffix = f":{sub}" if sub else ""
        return (
            f'<sup class="footnote-ref"><a href="#fn{ident}" id="fnref{ident}{suffix}">'
            f"[{note.number}{suffix}]</a></sup>"
        )

    def section(self, heading_level: int) -> tuple[list[str], list[str]]:
        """The HTML parts and text lines of the footnote section (empty without notes)."""
        listed = [
            (note, self.definitions[label])
            for label, note in self.notes.items()
            if label in self.definitions
        ]
        if not listed:
            return [], []
        # A heading names the section for screen readers (and for the Nu checker,
        # which warns about a <section> without one).
        section_id = html.escape(self.id_prefix) + "footnotes"
        h = f"h{heading_level}"
        parts = [
            f'<section class="footnotes" aria-labelledby="{section_id}">\n'
            f'<{h} id="{section_id}" class="footnotes-title">Footnotes</{h}>\n'
            '<ol class="footnotes-list">\n'
        ]
        lines: list[str] = []
        for note, body in listed:
            ident = html.escape(f"{self.infix}{note.number}")
            backrefs = "".join(_backref(ident, note.number, sub) for sub in range(note.references))
            note_parts = list(body.parts)
            if note_parts and note_parts[-1] == "</p>\n":  # back links end the last paragraph
                note_parts[-1] = backrefs + "</p>\n"
            else:
                note_parts.append(backrefs)
            parts.append(f'<li id="fn{ident}" class="footnote-item">')
            parts.extend(note_parts)
            parts.append("</li>\n")
            lines.extend(body.lines)
        parts.append("</ol>\n</section>\n")
        return parts, lines


def _backref(ident: str, number: int, sub: int) -> str:
    target = f"fnref{ident}" + (f":{sub}" if sub else "")
    label = f"Back to reference {number}" + (f" ({sub + 1})" if sub else "")
    return f' <a href="#{target}" class="footnote-backref" aria-label="{label}">{_BACK_ARROW}</a>'
