"""The render rule of inline code: a short phrase of code is kept on one line.

A code span with spaces up to `SHORT_CODE_SPAN` characters is one phrase
(`cargo build --release`) and fits a phone's line: it gets `class="nowrap"`, which the
themes style `white-space: nowrap`. A longer one may wrap at its spaces.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

SHORT_CODE_SPAN = 30


def render_code_span(
    renderer: object, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    content = tokens[idx].content
    if " " in content and len(content) <= SHORT_CODE_SPAN:
        return f'<code class="nowrap">{escapeHtml(content)}</code>'
    return f"<code>{escapeHtml(content)}</code>"
