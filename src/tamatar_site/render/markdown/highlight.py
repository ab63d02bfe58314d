"""Pygments highlighting of code blocks, with CSS classes and a light/dark stylesheet.

Highlighting is most of the Markdown render time, so lexers are
looked up once per language name and highlighted blocks are cached in memory by
(language, code): a rebuild, or the same snippet in a log and on the snippets page,
costs a dictionary lookup.

The HTML carries only class names (`<span class="k">`); colours live in
`highlight_css()`, which writes a light palette and a dark palette under
`@media (prefers-color-scheme: dark)`. Every token colour is checked against its
background and nudged until it reaches the WCAG AA ratio of 4.5:1, so the code
blocks pass axe's colour-contrast rule in both schemes.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from html import escape

from pygments import highlight as _pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.style import Style
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Token, _TokenType
from pygments.util import ClassNotFound

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
MIN_CONTRAST = 4.5  # WCAG 2 AA for normal text
HIGHLIGHT_CACHE_SIZE = 8192

# One formatter for everything: with nowrap=True it only emits class names, so the
# style it was built with does not matter.
_FORMATTER = HtmlFormatter(nowrap=True)
_LANGUAGE_RE = re.compile(r"[\w.+#-]+")


def language_of(info: str) -> str:
    """The language of a fence info string: its first word (`rust,ignore` -> `rust`)."""
    match = _LANGUAGE_RE.match(info.strip())
    return match.group(0).lower() if match else ""


def highlight_block(code: str, language: str) -> str:
    """A `<pre>` element for a fenced code block.

    Known languages are highlighted with class names; unknown or missing ones are
    escaped as plain text. The `<pre>` is focusable (`tabindex="0"`) because wide
    code scrolls sideways and keyboard users must be able to scroll it too (axe's
    scrollable-region-focusable rule).
    """
    highlighted = _highlight_cached(language, code) if language else None
    if highlighted is None:
        return (
            f'<pre class="highlight" tabindex="0"><code>{escape(code, quote=False)}</code></pre>\n'
        )
    return (
        f'<pre class="highlight" tabindex="0"><code class="language-{escape(language)}">'
        f"{highlighted}</code></pre>\n"
    )


@cache
def _lexer_for(language: str) -> Lexer | None:
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return None


@lru_cache(maxsize=HIGHLIGHT_CACHE_SIZE)
def _highlight_cached(language: str, code: str) -> str | None:
    lexer = _lexer_for(language)
    if lexer is None:
        return None
    html: str = _pygments_highlight(code, lexer, _FORMATTER)
    return html


# --- stylesheet -------------------------------------------------------------------------

_RESETS = {
    "color": "inherit",
    "background-color": "transparent",
    "font-weight": "normal",
    "font-style": "normal",
    "text-decoration": "none",
}


@lru_cache(maxsize=1)
def highlight_css() -> str:
    """CSS for highlighted code: a light palette, and a dark one for `prefers-color-scheme: dark`.

    The dark rules reset whatever the light palette sets and the dark one does not,
    so neither palette leaks into the other.
    """
    light_base, light_rules = _palette(get_style_by_name(LIGHT_STYLE), dark=False)
    dark_base, dark_rules = _palette(get_style_by_name(DARK_STYLE), dark=True)
    lines = [
        f'/* Code highlighting: Pygments "{LIGHT_STYLE}" (light) and "{DARK_STYLE}" (dark),',
        f"   colours adjusted to a contrast of at least {MIN_CONTRAST}:1. Made by tamatar. */",
        _rule(".highlight", light_base),
        # a theme's `code { color; background }` must not reach into highlighted blocks
        _rule(".highlight code", {"color": "inherit", "background-color": "transparent"}),
    ]
    lines += [_rule(selector, decls) for selector, decls in light_rules.items() if decls]
    lines.append("@media (prefers-color-scheme: dark) {")
    lines.append("  " + _rule(".highlight", dark_base))
    for selector in sorted(light_rules.keys() | dark_rules.keys(), key=_selector_order):
        decls = dict(dark_rules.get(selector, {}))
        for prop in light_rules.get(selector, {}):
            decls.setdefault(prop, _RESETS[prop])
        if decls:
            lines.append("  " + _rule(selector, decls))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _selector_order(selector: str) -> tuple[int, str]:
    return (len(selector), selector)


def _rule(selector: str, decls: dict[str, str]) -> str:
    body = " ".join(f"{prop}: {value};" for prop, value in decls.items())
    return f"{selector} {{ {body} }}"


def _palette(style: type[Style], *, dark: bool) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The `.highlight` declarations and one declaration dict per token class."""
    background = _hex(style.background_color) or ("#0d1117" if dark else "#ffffff")
    base_color = _hex(style.style_for_token(Token)["color"]) or ("#e6edf3" if dark else "#1f2328")
    base_color = ensure_contrast(base_color, background)
    base = {"color": base_color, "background-color": background}
    rules: dict[str, dict[str, str]] = {}
    for token_type in sorted(STANDARD_TYPES, key=str):
        short = STANDARD_TYPES[token_type]
        if not short:  # the root Token: that is `.highlight` itself
            continue
        rules[f".highlight .{short}"] = _declarations(style, token_type, background)
    return base, rules


def _declarations(style: type[Style], token_type: _TokenType, background: str) -> dict[str, str]:
    spec = style.style_for_token(token_type)
    decls: dict[str, str] = {}
    token_background = _hex(spec["bgcolor"])
    if spec["color"]:
        decls["color"] = ensure_contrast(_hex(spec["color"]) or "", token_background or background)
    if token_background:
        decls["background-color"] = token_background
    if spec["bold"]:
        decls["font-weight"] = "bold"
    if spec["italic"]:
        decls["font-style"] = "italic"
    if spec["underline"]:
        decls["text-decoration"] = "underline"
    return decls


def _hex(color: str | None) -> str | None:
    if not color:
        return None
    color = color.lstrip("#").lower()
    if len(color) == 3:
        color = "".join(c * 2 for c in color)
    return "#" + color


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of a `#rrggbb` colour."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two `#rrggbb` colours (1 to 21)."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def ensure_contrast(color: str, background: str, minimum: float = MIN_CONTRAST) -> str:
    """`color`, moved towards black or white (away from `background`) until it reaches `minimum`."""
    if contrast_ratio(color, background) >= minimum:
        return color
    target = 0 if relative_luminance(background) > 0.18 else 255
    channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(1, 21):
        mixed = [round(c + (target - c) * step / 20) for c in channels]
        candidate = "#" + "".join(f"{c:02x}" for c in mixed)
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
    return "#000000" if target == 0 else "#ffffff"
