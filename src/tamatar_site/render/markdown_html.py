"""Render stage: HTML and plain text from pulldown-cmark's event stream (via pyromark).

`markdown.py` parses with pyromark, a binding of the Rust pulldown-cmark parser, which
yields a flat stream of events (`{"Start": "Paragraph"}`, `{"Text": "..."}`, ...).
`write_document` walks that stream once and writes tamatar's HTML itself, which is
where the features of `markdown.py` live: heading levels and ids, anchors, Pygments
code, the link allow-list and resolver, escaped raw HTML, task list labels and the
footnote section. Its markup follows markdown-it's (`<s>`, `style="text-align:right"`,
`<br>`, the same newlines), so pages look the same whichever parser made them.

It also collects the plain text: one line per block of text (paragraph, heading, table
cell, list item), code blocks left out, footnotes last.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tamatar_site.render.highlight import highlight_block, language_of
from tamatar_site.render.markdown_footnotes import FootnoteBody, Footnotes
from tamatar_site.render.markdown_headings import HeadingOutline
from tamatar_site.render.markdown_links import (
    LinkResolver,
    is_external,
    is_safe_url,
    normalize_url,
    resolve_relative,
)

__all__ = ["DocumentOptions", "write_document"]

_ALIGN_STYLE = {
    "Left": ' style="text-align:left"',
    "Right": ' style="text-align:right"',
    "Center": ' style="text-align:center"',
}
_SIMPLE_TAGS = {"Emphasis": "em", "Strong": "strong", "Strikethrough": "s"}
# Block-level events: they end a line of plain text, and in a list item they start on a
# new line after the item's text.
_BLOCKS = frozenset({
    "Paragraph", "Heading", "BlockQuote", "CodeBlock", "HtmlBlock", "List", "Item",
    "Table", "TableHead", "TableRow", "TableCell", "FootnoteDefinition",
})  # fmt: skip
_CHECKBOX = '<input class="task-list-item-checkbox" disabled="disabled" type="checkbox">'
_CHECKED_BOX = (
    '<input class="task-list-item-checkbox" checked="checked" disabled="disabled" type="checkbox">'
)


def _escape(text: str) -> str:
    """HTML-escape text or an attribute value (`& < > "`, as markdown-it does)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


def _line(parts: list[str]) -> str:
    """Text pieces joined, whitespace runs made one space, ends trimmed."""
    return " ".join("".join(parts).split())


@dataclass(frozen=True)
class DocumentOptions:
    """What one `write_document` call needs besides the events."""

    unsafe_html: bool
    top_heading_level: int
    reserved_ids: frozenset[str]
    resolve_link: LinkResolver | None
    id_prefix: str


@dataclass
class _Heading:
    start: int  # index of its opening tag in the output's parts
    tag: str


def write_document(events: Iterable[Any], options: DocumentOptions) -> tuple[str, str]:
    """The HTML and the plain text of one document's events."""
    return _Writer(options).write(events)


class _Writer:
    """One document: walks its events once, keeping the little state HTML needs."""

    def __init__(self, options: DocumentOptions) -> None:
        self.options = options
        self.outline = HeadingOutline(
            options.top_heading_level, options.reserved_ids, options.id_prefix
        )
        self.footnotes = Footnotes(options.id_prefix)
        self.document = FootnoteBody()  # the document's own parts and lines
        self.out = self.document  # where output goes: the document or a footnote definition
        self.outputs: list[FootnoteBody] = []  # the enclosing outputs in a definition
        self.text: list[str] = []  # the plain text of the current block
        self.code: list[str] | None = None  # the code of the current code block
        self.language = ""
        self.html_block: list[str] | None = None  # an escaped raw HTML block's lines
        self.links: list[bool] = []  # per open link: whether it became an <a>
        self.image_depth = 0
        self.image_alt: list[str] = []
        self.image_src: str | None = None
        self.image_title = ""
        self.heading: _Heading | None = None
        self.lists: list[int] = []  # index of each open list's opening tag
        self.items: list[int] = []  # index of each open item's opening tag
        self.label_open = False
        self.table_align: tuple[str, ...] = ()
        self.cell = 0
        self.in_head = False
        self.body_started = False

    # --- driving ----------------------------------------------------------------------------

    def write(self, events: Iterable[Any]) -> tuple[str, str]:
        for event in events:
            if isinstance(event, str):
                self.simple(event)
                continue
            for kind, value in event.items():
                if kind == "Text":
                    self.text_event(value)
                elif kind == "Start":
                    self.start(value)
                elif kind == "End":
                    self.end(value)
                else:
                    self.inline(kind, value)
        self.flush()
        return self.finish()

    def flush(self) -> str:
        """End the current line of plain text; returns it ("" when there is none)."""
        if not self.text:
            return ""
        line = _line(self.text)
        if line:
            self.out.lines.append(line)
        self.text.clear()
        return line

    def emit_text(self, text: str) -> None:
        if self.image_depth:
            self.image_alt.append(text)
        else:
            self.out.parts.append(_escape(text))
        self.text.append(text)

    # --- events -----------------------------------------------------------------------------

    def text_event(self, text: str) -> None:
        if self.code is not None:
            self.code.append(text)
        else:
            self.emit_text(text)

    def simple(self, event: str) -> None:
        if event == "SoftBreak" or event == "HardBreak":
            if self.image_depth:
                self.image_alt.append(" ")
            else:
                self.out.parts.append("\n" if event == "SoftBreak" else "<br>\n")
            self.text.append(" ")
        elif event == "Rule":
            self.flush()
            self.block_break()
            self.out.parts.append("<hr>\n")

    def inline(self, kind: str, value: Any) -> None:
        if kind == "Code":
            if self.image_depth:
                self.image_alt.append(value)
            else:
                self.out.parts.append(f"<code>{_escape(value)}</code>")
            self.text.append(value)
        elif kind == "Html" or kind == "InlineHtml":
            if self.html_block is not None:
                self.html_block.append(value)
            elif self.options.unsafe_html:
                if not self.image_depth:
                    self.out.parts.append(value)
            else:
                self.emit_text(value)
        elif kind == "FootnoteReference":
            if not self.image_depth:
                self.out.parts.append(self.footnotes.reference(str(value)))
        elif kind == "TaskListMarker":
            self.task_marker(bool(value))
        elif isinstance(value, str):  # an event this writer does not know: its text, escaped
            self.emit_text(value)

    def start(self, tag: Any) -> None:
        name: str
        value: Any
        name, value = (tag, None) if isinstance(tag, str) else next(iter(tag.items()))
        if name in _BLOCKS:
            self.flush()
            self.close_label()
            if name != "Item" and name not in ("TableHead", "TableRow", "TableCell"):
                self.block_break()
        if name == "Paragraph":
            self.out.parts.append("<p>")
        elif name in _SIMPLE_TAGS:
            if not self.image_depth:
                self.out.parts.append(f"<{_SIMPLE_TAGS[name]}>")
        elif name == "Link":
            self.start_link(value)
        elif name == "Image":
            self.start_image(value)
        elif name == "Heading":
            self.start_heading(value)
        elif name == "CodeBlock":
            self.code = []
            fenced = value.get("Fenced") if isinstance(value, dict) else None
            self.language = language_of(fenced) if fenced else ""
        elif name == "List":
            self.lists.append(len(self.out.parts))
            if value is None:
                self.out.parts.append("<ul>\n")
            else:
                start = f' start="{int(value)}"' if int(value) != 1 else ""
                self.out.parts.append(f"<ol{start}>\n")
        elif name == "Item":
            self.items.append(len(self.out.parts))
            self.out.parts.append("<li>")
        elif name == "BlockQuote":
            self.out.parts.append("<blockquote>\n")
        elif name == "HtmlBlock":
            if not self.options.unsafe_html:
                self.html_block = []
        elif name == "Table":
            self.table_align = tuple(value)
            self.body_started = False
            self.out.parts.append("<table>\n")
        elif name == "TableHead":
            self.in_head = True
            self.cell = 0
            self.out.parts.append("<thead>\n<tr>\n")
        elif name == "TableRow":
            self.cell = 0
            if not self.body_started:
                self.body_started = True
                self.out.parts.append("<tbody>\n")
            self.out.parts.append("<tr>\n")
        elif name == "TableCell":
            align = self.table_align[self.cell] if self.cell < len(self.table_align) else ""
            cell_tag = "th" if self.in_head else "td"
            self.out.parts.append(f"<{cell_tag}{_ALIGN_STYLE.get(align, '')}>")
        elif name == "FootnoteDefinition":
            self.outputs.append(self.out)
            self.out = self.footnotes.definition(str(value))

    def end(self, tag: Any) -> None:
        name = tag if isinstance(tag, str) else next(iter(tag))
        if name in _BLOCKS:
            if name == "Heading":
                self.end_heading()
                return
            self.flush()
            self.close_label()
        parts = self.out.parts
        if name == "Paragraph":
            parts.append("</p>\n")
        elif name in _SIMPLE_TAGS:
            if not self.image_depth:
                parts.append(f"</{_SIMPLE_TAGS[name]}>")
        elif name == "Link":
            if self.links.pop() and not self.image_depth:
                parts.append("</a>")
        elif name == "Image":
            self.end_image()
        elif name == "CodeBlock":
            code, self.code = self.code or [], None
            parts.append(highlight_block("".join(code), self.language))
        elif name == "List":
            self.lists.pop()
            parts.append("</ol>\n" if tag["List"] else "</ul>\n")
        elif name == "Item":
            self.items.pop()
            parts.append("</li>\n")
        elif name == "BlockQuote":
            parts.append("</blockquote>\n")
        elif name == "HtmlBlock":
            self.end_html_block()
        elif name == "Table":
            parts.append("</tbody>\n</table>\n" if self.body_started else "</table>\n")
        elif name == "TableHead":
            self.in_head = False
            parts.append("</tr>\n</thead>\n")
        elif name == "TableRow":
            parts.append("</tr>\n")
        elif name == "TableCell":
            parts.append("</th>\n" if self.in_head else "</td>\n")
            self.cell += 1
        elif name == "FootnoteDefinition":
            self.out = self.outputs.pop()

    def block_break(self) -> None:
        """In a list item, a block starts on a new line (after `<li>` or the item's text)."""
        parts = self.out.parts
        if self.items and parts and not parts[-1].endswith("\n"):
            parts.append("\n")

    # --- raw HTML ---------------------------------------------------------------------------

    def end_html_block(self) -> None:
        if self.html_block is None:
            return  # unsafe_html: the block went out as it is
        source, self.html_block = "".join(self.html_block), None
        # Escaped, it is text: a paragraph per run of lines (a comment or <pre> block may
        # hold blank lines), each line's indentation dropped as in a Markdown paragraph.
        paragraph: list[str] = []
        for line in (*source.split("\n"), ""):
            line = line.strip()
            if line:
                paragraph.append(line)
            elif paragraph:
                text = "\n".join(paragraph)
                self.out.parts.append(f"<p>{_escape(text)}</p>\n")
                self.text.append(text)
                self.flush()
                paragraph = []

    # --- links and images -------------------------------------------------------------------

    def link_target(self, link: dict[str, str], *, image: bool) -> str | None:
        """The escaped URL for a link or image, or None when it must stay text."""
        url = link["dest_url"]
        if link.get("link_type") == "Email":
            url = "mailto:" + url
        url = normalize_url(url)
        if not is_safe_url(url, image=image):
            return None
        try:
            return resolve_relative(url, self.options.resolve_link)
        except ValueError:  # not a URL urlsplit can read (`http://[x`)
            return None

    def start_link(self, link: dict[str, str]) -> None:
        if self.image_depth:  # a link in an image description is only alt text
            self.links.append(False)
            return
        href = self.link_target(link, image=False)  # a data: URL is for images only
        try:
            external = href is not None and is_external(href)
        except ValueError:
            href = None
        self.links.append(href is not None)
        if href is None:
            return
        title = f' title="{_escape(link["title"])}"' if link.get("title") else ""
        rel = ' rel="noopener"' if external else ""
        self.out.parts.append(f'<a href="{_escape(href)}"{title}{rel}>')

    def start_image(self, image: dict[str, str]) -> None:
        self.image_depth += 1
        if self.image_depth > 1:
            return
        self.image_alt = []
        self.image_src = self.link_target(image, image=True)
        self.image_title = image.get("title") or ""

    def end_image(self) -> None:
        self.image_depth -= 1
        if self.image_depth:
            return
        alt = _escape("".join(self.image_alt))
        if self.image_src is not None:
            title = f' title="{_escape(self.image_title)}"' if self.image_title else ""
            self.out.parts.append(
                f'<img src="{_escape(self.image_src)}" alt="{alt}"{title} loading="lazy">'
            )
        else:  # an unsafe source: the description stays as text
            self.out.parts.append(alt)

    # --- headings ---------------------------------------------------------------------------

    def start_heading(self, heading: dict[str, Any]) -> None:
        level = self.outline.level(int(str(heading["level"])[1]))
        self.heading = _Heading(start=len(self.out.parts), tag=f"h{level}")
        self.out.parts.append("")  # the opening tag, once the id is known

    def end_heading(self) -> None:
        heading, self.heading = self.heading, None
        if heading is None:
            return
        title = self.flush()
        slug = html.escape(self.outline.unique_id(title))
        label = html.escape(f"Link to section: {title}" if title else "Link to section")
        parts = self.out.parts
        parts[heading.start] = f'<div class="heading"><{heading.tag} id="{slug}">'
        parts.append(
            f'</{heading.tag}><a class="anchor" href="#{slug}" aria-label="{label}">#</a></div>\n'
        )

    # --- task lists -------------------------------------------------------------------------

    def task_marker(self, checked: bool) -> None:
        parts = self.out.parts
        if self.items:
            parts[self.items[-1]] = parts[self.items[-1]].replace(
                "<li>", '<li class="task-list-item">', 1
            )
        if self.lists and "contains-task-list" not in parts[self.lists[-1]]:
            parts[self.lists[-1]] = parts[self.lists[-1]].replace(
                ">", ' class="contains-task-list">', 1
            )
        # the item's text labels the checkbox (axe: form elements must have labels)
        parts.append("<label>" + (_CHECKED_BOX if checked else _CHECKBOX) + " ")
        self.label_open = True

    def close_label(self) -> None:
        if self.label_open:
            self.label_open = False
            self.out.parts.append("</label>")

    # --- the end -----------------------------------------------------------------------------

    def finish(self) -> tuple[str, str]:
        parts, lines = self.document.parts, self.document.lines
        section, notes = self.footnotes.section(self.options.top_heading_level)
        parts.extend(section)
        lines.extend(notes)
        return "".join(parts), "\n".join(lines)
