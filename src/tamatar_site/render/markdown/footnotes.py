"""Tamatar's rules for the footnotes of mdit-py-plugins' footnote plugin.

The plugin numbers references in the order they first appear (`[1]`, a second
reference to the same note `[1:1]`) and lists the referenced definitions at the end;
these rules make the first definition of a label count (as on GitHub; the plugin
keeps the last), name the section with a "Footnotes" heading and label each back
link. Ids are `fn1`, `fnref1`, `fnref1:1`, or with an id prefix `fn-goal-rust-1`
(the plugin's `docId`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote.index import footnote_def

from tamatar_site.render.markdown.rules import options_of

__all__ = ["install"]

_BACK_ARROW = "\u21a9\ufe0e"


def install(md: MarkdownIt) -> None:
    """Add the footnote rules to `md`, which already uses the footnote plugin."""
    # A definition also ends a quote or list it follows without a blank line (as in
    # pulldown-cmark and on GitHub), instead of continuing its paragraph lazily.
    md.block.ruler.at(
        "footnote_def", footnote_def, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.core.ruler.before("footnote_tail", "tamatar_first_footnote", keep_first_definitions)
    md.add_render_rule("footnote_anchor_name", _render_anchor_name)
    md.add_render_rule("footnote_block_open", _render_block_open)
    md.add_render_rule("footnote_anchor", _render_anchor)


def keep_first_definitions(state: StateCore) -> None:
    """Drop every later definition of a footnote label before the plugin collects them."""
    if "footnotes" not in state.env:
        return
    tokens = state.tokens
    seen: set[str] = set()
    kept: list[Token] = []
    dropping = False
    changed = False
    for token in tokens:
        kind = token.type
        if kind == "footnote_reference_open":
            label = token.meta["label"]
            dropping = label in seen
            seen.add(label)
        if dropping:
            changed = True
            if kind == "footnote_reference_close":
                dropping = False
            continue
        kept.append(token)
    if changed:
        state.tokens = kept


def _anchor_name(token: Token, env: EnvType) -> str:
    number = str(token.meta["id"] + 1)
    doc_id = env.get("docId")
    return html.escape(f"-{doc_id}-{number}" if isinstance(doc_id, str) else number)


def _render_anchor_name(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return _anchor_name(tokens[idx], env)


def _render_block_open(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    document = options_of(env)
    level = document.top_heading_level
    # A heading names the section for screen readers (and for the Nu checker, which
    # warns about a <section> without one).
    section_id = html.escape(document.id_prefix) + "footnotes"
    return (
        f'<section class="footnotes" aria-labelledby="{section_id}">\n'
        f'<h{level} id="{section_id}" class="footnotes-title">Footnotes</h{level}>\n'
        '<ol class="footnotes-list">\n'
    )


def _render_anchor(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    number = token.meta["id"] + 1
    sub = int(token.meta.get("subId", 0))
    target = "fnref" + _anchor_name(token, env) + (f":{sub}" if sub else "")
    label = f"Back to reference {number}" + (f" ({sub + 1})" if sub else "")
    return f' <a href="#{target}" class="footnote-backref" aria-label="{label}">{_BACK_ARROW}</a>'
