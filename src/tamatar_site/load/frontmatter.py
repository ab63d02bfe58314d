"""Load stage: split a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^---[ \t]*\r?$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_MISSING = (
    "missing front matter: the file must start with a `---` line (did you forget the `---` lines?)"
)
_UNCLOSED = "front matter is never closed: add a `---` line after the last front-matter line"


@dataclass(frozen=True)
class FrontMatterSplit:
    """The front matter text, the body, and where each starts (1-based lines of the file)."""

    yaml_text: str
    yaml_line: int  # line of the first front-matter line (the one after the opening ---)
    body: str
    body_line: int


class FrontMatterError(ValueError):
    """The file has no (or an unterminated) front matter; carries a 1-based line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def split_front_matter(text: str) -> FrontMatterSplit:
    """Split `---` front matter from the Markdown body.

    Raises:
        FrontMatterError: the file does not start with `---`, or the block is never closed.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    first_end = text.find("\n")
    first_line = text if first_end < 0 else text[:first_end]
    if not _FENCE.match(first_line):
        raise FrontMatterError(1, _MISSING)
    if first_end < 0:
        raise FrontMatterError(1, _UNCLOSED)
    yaml_start = first_end + 1
    close = _CLOSE.search(text, yaml_start)
    if close is None:
        raise FrontMatterError(1, _UNCLOSED)
    close_line = text.count("\n", 0, close.start()) + 1
    body_start = text.find("\n", close.end())
    return FrontMatterSplit(
        yaml_text=text[yaml_start : close.start()],
        yaml_line=2,
        body="" if body_start < 0 else text[body_start + 1 :],
        body_line=close_line + 1,
    )
