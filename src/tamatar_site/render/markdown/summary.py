"""The plain-text summary of a rendered text (lists, feeds, the head's
description). Standard library only: worker processes import it without the view models."""

from __future__ import annotations

__all__ = ["summarize"]

_CLOSING_PUNCTUATION = (".", "!", "?", ":", ";", "…", ")", '"', "”")


def summarize(text: str, limit: int | None = 220) -> str:
    """The first `limit` characters of plain text, cut at a word, with an ellipsis;
    all of it when `limit` is None (the text before a `<!-- more -->` line).

    The text has one line per block (paragraph, list item, table cell); a block that ends
    without punctuation gets a full stop, so list items do not run together.
    """
    blocks = (" ".join(line.split()) for line in text.splitlines())
    flat = " ".join(
        block if block.endswith(_CLOSING_PUNCTUATION) else block + "." for block in blocks if block
    )
    if limit is None or len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:")
    return cut + "…"
