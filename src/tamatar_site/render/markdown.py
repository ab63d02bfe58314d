"""Render stage: Markdown to HTML, the single MarkdownIt factory of tamatar.

CommonMark plus GFM tables, strikethrough, task lists and footnotes, with:

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
  definitions. Absolute http(s) links get `rel="noopener"`. Relative links and
  image sources go through the caller's `resolve_link`.
- **Raw HTML** is escaped unless `unsafe_html=True`, which passes it through as is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from tamatar_site.render.highlight import highlight_block, highlight_css, language_of

__all__ = [
    "DEFAULT_RESERVED_IDS",
    "LinkResolver",
    "MarkdownRenderer",
    "RenderedMarkdown",
    "highlight_css",
    "is_safe_url",
    "slugify",
    "strip_heading_anchors",
]

LinkResolver = Callable[[str], str | None]
"""Maps a relative link's path, as written and percent-decoded, without its `?query`
and `#fragment` (`../2025/x.md`), to a URL, or None to keep the link as written.
The query and fragment are put back on the returned URL."""

# Ids the page templates may use; a heading called "Main" becomes `main-1`.
DEFAULT_RESERVED_IDS = frozenset(
    {"main", "content", "top", "header", "footer", "nav", "footnotes", "skip", "search"}
)

_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_IMAGE_DATA_RE = re.compile(r"data:image/(?:png|gif|jpeg|webp)[;,]", re.IGNORECASE)
_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL_AND_SPACE_RE = re.compile(r"[\x00-\x20\x7f]")
_FOOTNOTE_ID_RE = re.compile(r"fn(?:ref)?\d+(?::\d+)?")
_HEADING_ANCHOR_RE = re.compile(r'<a class="anchor" href="#[^"]*" aria-label="[^"]*">#</a>')


@dataclass(frozen=True)
class RenderedMarkdown:
    """HTML for the page, and plain text for summaries and search (code blocks left out)."""

    html: str
    text: str


def is_safe_url(url: str, *, image: bool = False) -> bool:
    """True when `url` may become an `href` (or, with `image`, a `src`).

    Browsers ignore ASCII whitespace and control characters inside a scheme
    (`java\\tscript:`), so they are removed before the scheme is read; markdown-it
    hands over percent-encoded URLs (`java%09script:`), so they are decoded first.
    A relative link whose decoded first segment looks like a scheme (`a%3Ab`) is
    refused too: rare, and safer than guessing.
    """
    compact = _CONTROL_AND_SPACE_RE.sub("", unquote(url))
    match = _SCHEME_RE.match(compact)
    if match is None:
        return True  # relative: a path, `?query` or `#fragment`
    scheme = match.group(1).lower()
    if scheme in _LINK_SCHEMES:
        return True
    return image and _IMAGE_DATA_RE.match(compact) is not None


def slugify(text: str) -> str:
    """A heading id: lower case words joined by `-` (`Hello, World!` -> `hello-world`)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w\s-]", "", text)
    text = re.sub(r"[\s_-]+", "-", text).strip("-")
    return text or "section"


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
        self._md = self._build()

    def _build(self) -> MarkdownIt:
        md = MarkdownIt("commonmark", {"html": self.unsafe_html, "xhtmlOut": False})
        md.enable(["table", "strikethrough"])
        md.use(footnote_plugin)
        md.use(tasklists_plugin, enabled=False, label=True)
        # markdown-it's own check only blocks javascript/vbscript/file/data; ours is an
        # allow-list. data: images pass here and data: links are unlinked in _rewrite_links.
        md.validateLink = lambda url: is_safe_url(url, image=True)  # type: ignore[method-assign]
        md.core.ruler.push("tamatar_headings", self._number_headings)
        md.core.ruler.push("tamatar_links", _rewrite_links)
        md.add_render_rule("heading_open", _render_heading_open)
        md.add_render_rule("heading_close", _render_heading_close)
        md.add_render_rule("fence", _render_fence)
        md.add_render_rule("code_block", _render_code_block)
        md.add_render_rule("footnote_block_open", _footnote_block_open_rule(self.top_heading_level))
        md.add_render_rule("footnote_anchor", _render_footnote_anchor)
        return md

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
        env: EnvType = {"resolve_link": resolve_link, "id_prefix": id_prefix}
        if id_prefix:
            env["docId"] = id_prefix.strip("-")  # the footnote plugin's id prefix
        tokens = self._md.parse(text, env)
        html = self._md.renderer.render(tokens, self._md.options, env)
        return RenderedMarkdown(html=html, text=_plain_text(tokens))

    # --- core rules ---------------------------------------------------------------------

    def _number_headings(self, state: StateCore) -> None:
        """Set heading levels (no skipped levels) and unique ids."""
        prefix = str(state.env.get("id_prefix", ""))
        taken = set(self.reserved_ids) | {f"{prefix}footnotes"}
        # (source level, output level) of the enclosing headings
        outline: list[tuple[int, int]] = []
        tokens = state.tokens
        for index, token in enumerate(tokens):
            if token.type != "heading_open":
                continue
            source_level = int(token.tag[1])
            while outline and outline[-1][0] >= source_level:
                outline.pop()
            level = min(outline[-1][1] + 1 if outline else self.top_heading_level, 6)
            outline.append((source_level, level))
            tag = f"h{level}"
            token.tag = tag
            tokens[_matching_close(tokens, index)].tag = tag

            title = _inline_text(tokens[index + 1])
            slug = _unique(prefix + slugify(title), taken)
            token.attrSet("id", slug)
            token.meta["anchor_label"] = f"Link to section: {title}" if title else "Link to section"


def _unique(slug: str, taken: set[str]) -> str:
    candidate = slug
    counter = 0
    while candidate in taken or _FOOTNOTE_ID_RE.fullmatch(candidate):
        counter += 1
        candidate = f"{slug}-{counter}"
    taken.add(candidate)
    return candidate


def _matching_close(tokens: Sequence[Token], open_index: int) -> int:
    for index in range(open_index + 1, len(tokens)):
        if tokens[index].type == "heading_close":
            return index
    raise AssertionError("markdown-it always closes a heading")


def _inline_text(token: Token) -> str:
    """The visible text of an inline token: text, inline code and image alt text."""
    parts: list[str] = []
    for child in token.children or ():
        kind = child.type
        if kind == "text" or kind == "code_inline":
            parts.append(child.content)
        elif kind == "softbreak" or kind == "hardbreak":
            parts.append(" ")
        elif kind == "image":
            parts.append(_inline_text(child))
    # whitespace runs to one space, ends trimmed (str.split's whitespace is re's `\s`)
    return " ".join("".join(parts).split())


def _rewrite_links(state: StateCore) -> None:
    """Unlink unsafe links, resolve relative ones and mark external ones."""
    resolve_link: LinkResolver | None = state.env.get("resolve_link")
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        drop_next_close = False
        for child in block.children:
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if not is_safe_url(href):  # a data: URL allowed for images only
                    drop_next_close = True
                    continue
                href = _resolve(href, resolve_link)
                child.attrSet("href", href)
                if _is_external(href):
                    child.attrSet("rel", "noopener")
            elif child.type == "link_close" and drop_next_close:
                drop_next_close = False
                continue
            elif child.type == "image":
                src = str(child.attrGet("src") or "")
                child.attrSet("src", _resolve(src, resolve_link))
                child.attrSet("loading", "lazy")
            children.append(child)
        block.children = children


def _resolve(href: str, resolve_link: LinkResolver | None) -> str:
    if resolve_link is None:
        return href
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return href  # absolute, protocol-relative, or only a #fragment / ?query
    resolved = resolve_link(unquote(parts.path))
    if resolved is None:
        return href
    if parts.query:
        resolved += "?" + parts.query
    if parts.fragment:
        resolved += "#" + parts.fragment
    return resolved


def _is_external(href: str) -> bool:
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    return scheme in ("http", "https") or (not scheme and bool(parts.netloc))  # `//host/x`


# --- render rules ---------------------------------------------------------------------------


def _render_heading_open(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    slug = escape(str(token.attrGet("id")))
    return f'<div class="heading"><{token.tag} id="{slug}">'


def _render_heading_close(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # the matching heading_open is two tokens back: heading_open, inline, heading_close
    opening = tokens[idx - 2]
    slug = escape(str(opening.attrGet("id")))
    label = escape(str(opening.meta.get("anchor_label", "Link to section")))
    return (
        f'</{tokens[idx].tag}><a class="anchor" href="#{slug}" aria-label="{label}">#</a></div>\n'
    )


def _render_fence(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    return highlight_block(token.content, language_of(token.info))


def _render_code_block(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return highlight_block(tokens[idx].content, "")


def _footnote_block_open_rule(level: int) -> Callable[..., str]:
    def render_footnote_block_open(
        renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        # A heading names the section for screen readers (and for the Nu checker,
        # which warns about a <section> without one).
        section_id = escape(str(env.get("id_prefix", ""))) + "footnotes"
        return (
            f'<section class="footnotes" aria-labelledby="{section_id}">\n'
            f'<h{level} id="{section_id}" class="footnotes-title">Footnotes</h{level}>\n'
            '<ol class="footnotes-list">\n'
        )

    return render_footnote_block_open


def _render_footnote_anchor(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    number = str(token.meta["id"] + 1)
    sub_id = int(token.meta.get("subId", 0))
    doc_id = env.get("docId")
    prefix = f"-{doc_id}-" if isinstance(doc_id, str) else ""  # as the footnote plugin does
    ident = prefix + number + (f":{sub_id}" if sub_id > 0 else "")
    return (
        f' <a href="#fnref{ident}" class="footnote-backref"'
        f' aria-label="Back to reference {number}{f" ({sub_id + 1})" if sub_id > 0 else ""}">'
        "\u21a9\ufe0e</a>"
    )


def strip_heading_anchors(html: str) -> str:
    """`html` without the `#` links beside headings, for feeds: readers show them as text."""
    return _HEADING_ANCHOR_RE.sub("", html)


# --- plain text -----------------------------------------------------------------------------


def _plain_text(tokens: Sequence[Token]) -> str:
    """One line per block of text; code blocks and raw HTML are left out."""
    lines = [_inline_text(token) for token in tokens if token.type == "inline"]
    return "\n".join(line for line in lines if line)
