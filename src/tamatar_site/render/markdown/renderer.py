"""Markdown to HTML, the single Markdown renderer of tamatar.

CommonMark plus GFM tables, strikethrough (`~one~` or `~~two~~` tildes), task lists
and footnotes, parsed by markdown-it-py with the footnote plugin of mdit-py-plugins.
`rules.py` holds tamatar's core and render rules (task lists among them),
`footnotes.py` the footnote ones, and `links.py` checks and resolves
URLs. With:

- **Heading anchors.** Every heading gets a stable id (slugified text, de-duplicated
  as `intro`, `intro-1`) and a link to itself after it::

      <div class="heading"><h2 id="intro">Intro</h2><a class="anchor" href="#intro"
      aria-label="Link to section: Intro">#</a></div>

  The link sits beside the heading, not inside it, so a screen reader's heading list
  reads "Intro" and not "Intro Link to section". The theme shows `.anchor` on hover
  and focus of `.heading`.
- **Heading levels.** The page title is the page's only `<h1>`, so a document's
  top-most heading becomes `<h2>` (`top_heading_level`) and deeper ones follow
  without skipping a level: `#`/`###` render as h2/h3, and `##`/`####`/`##` as
  h2/h3/h2. The Nu checker reports skipped levels and axe a second `<h1>`; this
  keeps any log valid whatever levels its author used.
- **Code.** Fenced code is highlighted by Pygments with CSS classes
  (`highlight.py`); unknown languages are escaped as plain text.
- **Links.** Only http(s), mailto, tel and relative URLs become links (images may
  also use `data:image/png|gif|jpeg|webp`); anything else (`javascript:`,
  `vbscript:`, `data:` links, ...) stays text, also in autolinks and reference
  definitions. Absolute http(s) links get `rel="noopener noreferrer"`. Relative links and
  image sources go through the caller's `resolve_link`.
- **Raw HTML** is escaped unless `unsafe_html=True`, which passes it through as is
  (an escaped HTML block shows as its source, in paragraphs of text).
- **Footnotes** (`[^label]` and `[^label]: text`) are numbered in the order they are
  first referenced and listed at the end in a `<section class="footnotes">` with a
  "Footnotes" heading at `top_heading_level`; their ids (`fn1`, `fnref1`, `fnref1:1`)
  carry the `id_prefix` (`fn-goal-rust-1`).
- **Plain text** (`RenderedMarkdown.text`): one line per block of text, code blocks
  left out, for word counts and search; read from the parsed tokens, no second parse.
- **Summary text** (`RenderedMarkdown.lead`): the opening prose only (paragraphs, list
  items and quotes; never headings, tables, code or raw HTML), or, when the document has
  a `<!-- more -->` line, the prose before it (`lead_marked`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType
from mdit_py_plugins.footnote import footnote_plugin

from tamatar_site.render.markdown import footnotes as markdown_footnotes
from tamatar_site.render.markdown import rules as markdown_rules
from tamatar_site.render.markdown.headings import slugify
from tamatar_site.render.markdown.highlight import highlight_css, language_of
from tamatar_site.render.markdown.links import LinkResolver, is_safe_url, normalize_url
from tamatar_site.render.markdown.rules import (
    DocumentOptions,
    inline_text,
    is_more_marker,
    plain_text,
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

# Ids the page templates may use; a heading called "Main" becomes `main-1`.
DEFAULT_RESERVED_IDS = frozenset(
    {"main", "content", "top", "header", "footer", "nav", "footnotes", "skip", "search"}
)

_HEADING_ANCHOR_RE = re.compile(r'<a class="anchor" href="#[^"]*" aria-label="[^"]*">#</a>')
_parser: MarkdownIt | None = None


@dataclass(frozen=True)
class RenderedMarkdown:
    """HTML for the page, plain text for search and word counts (code blocks left out),
    and the prose a summary is made of (`lead`; all of it before `<!-- more -->` when
    `lead_marked`)."""

    html: str
    text: str
    lead: str = ""
    lead_marked: bool = False
    languages: tuple[str, ...] = ()  # of its fenced code blocks, as highlighted (`rust`)


@dataclass(frozen=True)
class RenderedBody(RenderedMarkdown):
    """A rendered body with what the pages read of its text, computed where it is rendered
    (a worker process) instead of once per page in the build's own process."""

    summary: str = ""  # `summarize(text)`: a log's summary in lists and feeds
    words: int = 0  # words of the plain text, for the reading time

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled with its HTML as `str`: a `Markup` is unpickled from a `str` that the
        # unpickler keeps until the load ends, so a saved session would hold every body
        # twice while it loads. The views take either (`views.content.trusted_html`).
        fields = dataclasses.fields(self)
        values = (str(self.html) if f.name == "html" else getattr(self, f.name) for f in fields)
        return (RenderedBody, tuple(values))


def _build_parser() -> MarkdownIt:
    # Raw HTML is always parsed, so an escaped HTML block stays one block of text; the
    # document's options (in the env) decide per render whether it is escaped.
    md = MarkdownIt(
        "commonmark", {"html": True, "xhtmlOut": False, "strikethrough_single_tilde": True}
    )
    md.enable(["table", "strikethrough"])
    md.disable(["linkify", "replacements", "smartquotes"], ignoreInvalid=True)
    md.use(footnote_plugin, inline=False)  # pandoc's `^[inline]` notes are not GFM
    # markdown-it would leave a link that fails validateLink as its whole source text;
    # the allow-list runs in markdown_rules.rewrite_document instead, which keeps the
    # link text and drops only the link, in every link form.
    md.validateLink = _accept_link  # type: ignore[method-assign]
    md.normalizeLink = normalize_url  # type: ignore[method-assign]
    md.normalizeLinkText = _link_text  # type: ignore[method-assign, assignment]
    markdown_rules.install(md)
    markdown_footnotes.install(md)
    return md


def _accept_link(url: str) -> bool:
    return True


def _link_text(url: str) -> str:
    return url  # an autolink shows its URL as written


def parser() -> MarkdownIt:
    """The process's one MarkdownIt, built on first use (worker processes build their own)."""
    global _parser
    if _parser is None:
        _parser = _build_parser()
    return _parser


class MarkdownRenderer:
    """Renders Markdown documents; build one per site and reuse it for every document.

    Args:
        unsafe_html: pass raw HTML through instead of escaping it.
        top_heading_level: the level of a document's top-most heading (2: the page
            title is the `<h1>`).
        reserved_ids: ids the page around the document uses; headings avoid them.
    """

    def __init__(
        self,
        *,
        unsafe_html: bool = False,
        top_heading_level: int = 2,
        reserved_ids: frozenset[str] = DEFAULT_RESERVED_IDS,
    ) -> None:
        if not 1 <= top_heading_level <= 6:
            raise ValueError(f"top_heading_level must be 1 to 6, not {top_heading_level}")
        self.unsafe_html = unsafe_html
        self.top_heading_level = top_heading_level
        self.reserved_ids = reserved_ids

    def render(
        self, text: str, *, resolve_link: LinkResolver | None = None, id_prefix: str = ""
    ) -> RenderedMarkdown:
        """Render one document.

        Args:
            text: the Markdown source (a log body, a project description, ...).
            resolve_link: maps relative links to URLs (see `LinkResolver`).
            id_prefix: put before every id the document creates (headings, footnotes).
                Give each document its own (`goal-learn-rust-`) when several are shown
                on one page, or two "## Notes" headings would share an id.
        """
        options = DocumentOptions(
            unsafe_html=self.unsafe_html,
            top_heading_level=self.top_heading_level,
            reserved_ids=self.reserved_ids,
            resolve_link=resolve_link,
            id_prefix=id_prefix,
        )
        env: EnvType = {markdown_rules.ENV_KEY: options}
        if id_prefix:
            env["docId"] = id_prefix.strip("-")  # the footnote plugin's id prefix
        md = parser()
        tokens = md.parse(text, env)
        html = md.renderer.render(tokens, md.options, env)
        lead, marked = lead_text(tokens)
        languages = dict.fromkeys(language_of(t.info) for t in tokens if t.type == "fence")
        return RenderedMarkdown(
            html=html,
            text=plain_text(tokens),
            lead=lead,
            lead_marked=marked,
            languages=tuple(language for language in languages if language),
        )


# Blocks whose text is not prose: a summary never quotes them.
_NOT_PROSE = {
    "table_open": "table_close",
    "heading_open": "heading_close",
    "footnote_block_open": "footnote_block_close",
}


def lead_text(tokens: Sequence[Token]) -> tuple[str, bool]:
    """The prose of a document, one line per block, and whether it stopped at a
    `<!-- more -->` line: paragraphs, list items and quotes, not headings, tables, code
    blocks, raw HTML or footnotes."""
    lines: list[str] = []
    closing: str | None = None  # the token that ends the block being skipped
    for token in tokens:
        kind = token.type
        if closing is not None:
            if kind == closing:
                closing = None
        elif kind in _NOT_PROSE:
            closing = _NOT_PROSE[kind]
        elif kind == "inline":
            line = inline_text(token.children)
            if line:
                lines.append(line)
        elif kind == "html_block" and is_more_marker(token.content):
            return "\n".join(lines), True
    return "\n".join(lines), False


def strip_heading_anchors(html: str) -> str:
    """`html` without the `#` links beside headings, for feeds: readers show them as text."""
    return _HEADING_ANCHOR_RE.sub("", html)
