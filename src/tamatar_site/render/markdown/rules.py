"""Tamatar's markdown-it core and render rules, and the plain text of tokens.

One core rule, run right after markdown-it's inline parsing, walks a document's tokens
once: it gives headings their levels and ids, turns raw inline HTML into text unless
`unsafe_html`, drops links whose URL fails the allow-list (their text stays), resolves
relative links and image sources, marks external links and makes task list items. An
inline rule reads `~one~` and `~~two~~` tilde strikethrough. The render rules write the
heading anchors, Pygments code blocks, short code spans kept on one line, escaped HTML
blocks and lazy images.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from tamatar_site.render.markdown.code_spans import render_code_span
from tamatar_site.render.markdown.headings import HeadingOutline
from tamatar_site.render.markdown.highlight import highlight_block, language_of
from tamatar_site.render.markdown.links import (
    LinkResolver,
    is_external,
    is_safe_url,
    resolve_relative,
)

__all__ = ["ENV_KEY", "EXTERNAL_REL", "DocumentOptions", "install", "options_of", "plain_text"]

ENV_KEY = "tamatar"
# GitHub's whitespace after a task marker; the end of the paragraph too (`- [x]` alone)
_TASK_RE = re.compile(r"\[[ xX]\](?:[ \t\n\v\f\r]|$)")
_CHECKBOX = '<input class="task-list-item-checkbox" disabled="disabled" type="checkbox">'
_CHECKED_BOX = (
    '<input class="task-list-item-checkbox" checked="checked" disabled="disabled" type="checkbox">'
)
# Delimiter markers of `~` and `~~` (the second is no character: only these rules see it).
_TILDE_MARKERS = (0x7E, 0x7E7E)
EXTERNAL_REL = "noopener noreferrer"  # the rel of links to other sites


@dataclass(frozen=True)
class DocumentOptions:
    """What the rules need to know of one document, passed in markdown-it's env."""

    unsafe_html: bool
    top_heading_level: int
    reserved_ids: frozenset[str]
    resolve_link: LinkResolver | None
    id_prefix: str


def install(md: MarkdownIt) -> None:
    """Add tamatar's rules to `md`, after the footnote plugin: the core rule then runs
    before the plugin moves the notes to the end, so headings are numbered in source order."""
    md.core.ruler.after("inline", "tamatar_document", rewrite_document)
    md.inline.ruler.at("strikethrough", strikethrough)
    md.inline.ruler2.at("strikethrough", strikethrough_pairs)
    md.add_render_rule("heading_open", _render_heading_open)
    md.add_render_rule("heading_close", _render_heading_close)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_code_block)
    md.add_render_rule("html_block", _render_html_block)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("code_inline", render_code_span)


def options_of(env: EnvType) -> DocumentOptions:
    """The options `MarkdownRenderer.render` put in the env."""
    options = env[ENV_KEY]
    assert isinstance(options, DocumentOptions)
    return options


# --- the core rule --------------------------------------------------------------------------


def rewrite_document(state: StateCore) -> None:
    """Heading levels and ids, escaped inline HTML, and checked and resolved links."""
    options = options_of(state.env)
    outline: HeadingOutline | None = None
    tokens = state.tokens
    lists: list[Token] = []  # the open lists, innermost last
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            if token.children:
                token.children = _rewrite_inline(token.children, options)
                if lists and token.content.startswith("["):
                    _make_task(tokens, index, lists[-1])
        elif kind == "bullet_list_open" or kind == "ordered_list_open":
            lists.append(token)
        elif kind == "bullet_list_close" or kind == "ordered_list_close":
            lists.pop()
        elif kind == "heading_open":
            if outline is None:
                outline = HeadingOutline(
                    options.top_heading_level, options.reserved_ids, options.id_prefix
                )
            tag = f"h{outline.level(int(token.tag[1]))}"
            token.tag = tag
            tokens[index + 2].tag = tag  # heading_open, inline, heading_close
            title = inline_text(tokens[index + 1].children, raw_html=not options.unsafe_html)
            token.attrSet("id", outline.unique_id(title))
            token.meta["title"] = title
        elif kind == "html_block" and not options.unsafe_html:
            token.meta["escaped"] = True


def _make_task(tokens: list[Token], index: int, list_open: Token) -> None:
    """A list item whose first paragraph starts with `[ ]` or `[x]` becomes a task: a
    disabled checkbox labelled by the item's text (axe: form elements must have labels),
    with the markup of mdit-py-plugins' task list plugin. Done here rather than by the
    plugin, whose search for the list of each item made long task lists quadratic. As in
    pulldown-cmark, `[x]` alone or before a line break is a task too."""
    inline = tokens[index]
    children = inline.children
    content = inline.content
    if (
        not children
        or tokens[index - 1].type != "paragraph_open"
        or tokens[index - 2].type != "list_item_open"
        or _TASK_RE.match(content) is None
        or children[0].type != "text"
        or not children[0].content.startswith(content[:3])
    ):
        return
    first = children[0]
    rest = first.content[3:].lstrip(" \t")
    if not rest and len(children) > 1 and children[1].type == "softbreak":
        del children[1]
    first.content = " " + rest  # one space after the box, however many were typed
    checkbox = Token("html_inline", "", 0)
    checkbox.content = _CHECKED_BOX if content[1] in "xX" else _CHECKBOX
    children[:0] = [_html_token("<label>"), checkbox]
    children.append(_html_token("</label>"))
    tokens[index - 2].attrSet("class", "task-list-item")
    list_open.attrSet("class", "contains-task-list")


def _html_token(content: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = content
    return token


def _rewrite_inline(children: list[Token], options: DocumentOptions) -> list[Token]:
    result: list[Token] = []
    drop_close = False
    for child in children:
        kind = child.type
        if kind == "text":
            pass
        elif kind == "html_inline":
            if not options.unsafe_html:
                child.type = "text"  # shown as written, escaped like any text
        elif kind == "link_open":
            href = _link_target(str(child.attrGet("href") or ""), options, image=False)
            try:
                external = href is not None and is_external(href)
            except ValueError:
                href = None
            if href is None:
                drop_close = True  # a link that must stay text: only its text stays
                continue
            child.attrSet("href", href)
            if external:
                child.attrSet("rel", EXTERNAL_REL)
        elif kind == "link_close":
            if drop_close:
                drop_close = False
                continue
        elif kind == "image":
            src = _link_target(str(child.attrGet("src") or ""), options, image=True)
            if src is None:
                child.meta["unsafe"] = True
            else:
                child.attrSet("src", src)
            if child.children and not options.unsafe_html:
                _escape_raw_html(child.children)
        result.append(child)
    return result


def _escape_raw_html(children: list[Token]) -> None:
    for child in children:
        if child.type == "html_inline":
            child.type = "text"
        elif child.type == "image" and child.children:
            _escape_raw_html(child.children)


def _link_target(url: str, options: DocumentOptions, *, image: bool) -> str | None:
    """The URL for a link or image (markdown-it normalized it), or None to keep it text."""
    if not is_safe_url(url, image=image):
        return None
    try:
        return resolve_relative(url, options.resolve_link)
    except ValueError:  # not a URL urlsplit can read (`http://[x`)
        return None


def inline_text(children: Sequence[Token] | None, *, raw_html: bool = False) -> str:
    """The visible text of inline tokens, whitespace runs made one space, ends trimmed:
    text, inline code and image descriptions (with `raw_html`, raw HTML too)."""
    return " ".join(_inline_parts(children, raw_html).split())


def _inline_parts(children: Sequence[Token] | None, raw_html: bool) -> str:
    parts: list[str] = []
    for child in children or ():
        kind = child.type
        if kind == "text" or kind == "text_special" or kind == "code_inline":
            parts.append(child.content)
        elif kind == "softbreak" or kind == "hardbreak":
            parts.append(" ")
        elif kind == "image":
            parts.append(_inline_parts(child.children, raw_html))
        elif kind == "html_inline" and raw_html:
            parts.append(child.content)
    return "".join(parts)


def strikethrough(state: StateInline, silent: bool) -> bool:
    """`~one~` or `~~two~~` tildes, as on GitHub: a single tilde opens and closes by the
    rules of `_` (`1~2~3` stays text), a pair by those of `*`, three or more are text.
    Singles and pairs have their own delimiter markers so that one never closes the other."""
    start = state.pos
    if silent or state.src[start] != "~":
        return False
    scanned = state.scanDelims(start, True)
    length = scanned.length
    token = state.push("text", "", 0)
    token.content = "~" * length
    state.pos += length
    if length > 2:
        return True
    if length == 1:
        scanned = state.scanDelims(start, False)
    state.delimiters.append(
        Delimiter(
            marker=_TILDE_MARKERS[length - 1],
            length=0,  # no "rule of 3" length checks
            token=len(state.tokens) - 1,
            end=-1,
            open=scanned.can_open,
            close=scanned.can_close,
        )
    )
    return True


def strikethrough_pairs(state: StateInline) -> None:
    """Matched tilde delimiters become `<s>` and `</s>`, at every nesting level."""
    _strike(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _strike(state, meta["delimiters"])


def _strike(state: StateInline, delimiters: list[Delimiter]) -> None:
    for delimiter in delimiters:
        if delimiter.marker not in _TILDE_MARKERS or delimiter.end == -1:
            continue
        opening = state.tokens[delimiter.token]
        opening.type, opening.nesting = "s_open", 1
        closing = state.tokens[delimiters[delimiter.end].token]
        closing.type, closing.nesting = "s_close", -1
        for token in (opening, closing):
            token.tag = "s"
            token.markup = token.content
            token.content = ""


# --- render rules ---------------------------------------------------------------------------


def _block_start(tokens: Sequence[Token], idx: int) -> str:
    """A line break before a block that follows the text of a tight list item (the
    hidden paragraph), as markdown-it's renderToken writes before its own blocks."""
    return "\n" if idx and tokens[idx - 1].hidden else ""


def _render_heading_open(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    slug = html.escape(str(token.attrGet("id")))
    return f'{_block_start(tokens, idx)}<div class="heading"><{token.tag} id="{slug}">'


def _render_heading_close(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    opening = tokens[idx - 2]  # heading_open, inline, heading_close
    slug = html.escape(str(opening.attrGet("id")))
    title = opening.meta.get("title", "")
    label = html.escape(f"Link to section: {title}" if title else "Link to section")
    return (
        f'</{tokens[idx].tag}><a class="anchor" href="#{slug}" aria-label="{label}">#</a></div>\n'
    )


def _render_fence(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    return _block_start(tokens, idx) + highlight_block(token.content, language_of(token.info))


def _render_code_block(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return _block_start(tokens, idx) + highlight_block(tokens[idx].content, "")


def _render_html_block(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    content = tokens[idx].content
    if is_more_marker(content):
        return ""  # the summary marker is for tamatar, not for readers
    start = _block_start(tokens, idx)
    if not tokens[idx].meta.get("escaped"):
        return start + content
    return start + "".join(
        f"<p>{escapeHtml(text)}</p>\n" for text in html_block_paragraphs(content)
    )


_MORE_MARKER_RE = re.compile(r"<!--\s*more\s*-->")


def is_more_marker(html_block: str) -> bool:
    """Whether an HTML block is the summary marker `<!-- more -->` (Hugo's and Jekyll's)."""
    return _MORE_MARKER_RE.fullmatch(html_block.strip()) is not None


def html_block_paragraphs(source: str) -> list[str]:
    """An escaped HTML block's text: a paragraph per run of lines (a comment or <pre>
    block may hold blank lines), each line's indentation dropped as in a paragraph."""
    paragraphs: list[str] = []
    lines: list[str] = []
    for line in (*source.split("\n"), ""):
        line = line.strip()
        if line:
            lines.append(line)
        elif lines:
            paragraphs.append("\n".join(lines))
            lines = []
    return paragraphs


def _render_image(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    alt = escapeHtml(_inline_parts(token.children, raw_html=False))
    if token.meta.get("unsafe"):
        return alt  # an unsafe source: the description stays as text
    src = escapeHtml(str(token.attrGet("src") or ""))
    title = token.attrGet("title")
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    return f'<img src="{src}" alt="{alt}"{title_attr} loading="lazy">'


# --- plain text -----------------------------------------------------------------------------


def plain_text(tokens: Sequence[Token]) -> str:
    """One line per block of text; code blocks and raw HTML are left out (escaped HTML
    blocks are text: a line per paragraph). Footnotes come last, as on the page."""
    lines: list[str] = []
    for token in tokens:
        kind = token.type
        if kind == "inline":
            line = inline_text(token.children)
            if line:
                lines.append(line)
        elif kind == "html_block" and token.meta.get("escaped"):
            if is_more_marker(token.content):
                continue
            for paragraph in html_block_paragraphs(token.content):
                line = " ".join(paragraph.split())
                if line:
                    lines.append(line)
    return "\n".join(lines)
