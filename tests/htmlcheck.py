"""Test helper: find unbalanced tags and script vectors in an HTML fragment by parsing it.

Used by the Markdown property tests and by `fuzz/fuzz_targets.py`. The checks parse the
HTML with the standard library's `html.parser` (attribute values come back unescaped, as a
browser reads them), never by searching the text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite",
     "data", "srcset", "lowsrc", "dynsrc"}
)  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# What a browser ignores in a URL before reading its scheme: leading C0 controls and
# spaces, and tabs and newlines anywhere.
_URL_IGNORED_RE = re.compile(r"[\t\n\r]")
_URL_LEADING_RE = re.compile(r"^[\x00-\x20]+")
SAFE_DATA_IMAGE_RE = re.compile(r"data:image/(?:png|gif|jpeg|webp)[;,]")


def url_scheme_text(value: str) -> str:
    """`value` as a browser reads it to find its scheme, lower case."""
    return _URL_LEADING_RE.sub("", _URL_IGNORED_RE.sub("", value)).lower()


def is_dangerous_url(value: str, *, image: bool = False) -> bool:
    """A `javascript:`, `vbscript:` or `data:` URL (a `data:image/...` one is fine for images)."""
    text = url_scheme_text(value)
    if image and SAFE_DATA_IMAGE_RE.match(text):
        return False
    return text.startswith(DANGEROUS_SCHEMES)


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_element(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check_element(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.problems.append(f"self-closing non-void <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            self.problems.append(f"end tag of void element </{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> does not close the open {self.stack[-1:]}")
        else:
            self.stack.pop()

    def _check_element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "base", "meta", "style", "form"):
            self.problems.append(f"<{tag}> element")
            self.scripts += tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name}= on <{tag}>")
            image = tag == "img" and name == "src"
            if name in URL_ATTRIBUTES and value and is_dangerous_url(value, image=image):
                self.problems.append(f"dangerous URL {name}={value!r} on <{tag}>")


def html_problems(html: str) -> list[str]:
    """Unbalanced tags, script elements, event handlers and script URLs in `html`."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    if checker.stack:
        checker.problems.append(f"unclosed elements {checker.stack}")
    return checker.problems
