"""Tests for render/markdown_links.py: URL normalization, resolving and the external check."""

from __future__ import annotations

import pytest

from tamatar_site.render.markdown.links import (
    is_external,
    is_safe_url,
    normalize_url,
    resolve_relative,
)


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("https://example.com/a?b=1&c=2#d", "https://example.com/a?b=1&c=2#d"),
        ("my notes.md", "my%20notes.md"),
        ("already%20encoded.md", "already%20encoded.md"),
        ("100%.md", "100%25.md"),
        ("caf\u00e9.md", "caf%C3%A9.md"),
        ('a"b<c>.md', "a%22b%3Cc%3E.md"),
        ("https://b\u00fccher.example/\u00fc", "https://xn--bcher-kva.example/%C3%BC"),
        ("http://[::1]:8000/[x]", "http://[::1]:8000/%5Bx%5D"),
        ("java\tscript:x", "java%09script:x"),
    ],
)
def test_normalize_url(url: str, normalized: str) -> None:
    assert normalize_url(url) == normalized


def test_normalized_urls_keep_unsafe_schemes_visible_to_the_check() -> None:
    for url in ("java\tscript:x", "java\nscript:x", " javascript:x", "\x00javascript:x"):
        assert not is_safe_url(normalize_url(url))


def test_resolve_relative_keeps_query_and_fragment() -> None:
    def resolve(path: str) -> str | None:
        return "/logs/x/" if path == "my notes.md" else None

    assert resolve_relative("my%20notes.md?a=1#b", resolve) == "/logs/x/?a=1#b"
    assert resolve_relative("other.md#b", resolve) == "other.md#b"
    assert resolve_relative("#b", resolve) == "#b"
    assert resolve_relative("https://example.com/my%20notes.md", resolve) == (
        "https://example.com/my%20notes.md"
    )
    assert resolve_relative("my%20notes.md", None) == "my%20notes.md"


@pytest.mark.parametrize(
    ("href", "external"),
    [
        ("https://example.com", True),
        ("HTTP://example.com", True),
        ("//cdn.example.com/x", True),
        ("mailto:a@example.com", False),
        ("/abs/", False),
        ("notes.md", False),
        ("#frag", False),
    ],
)
def test_is_external(href: str, external: bool) -> None:
    assert is_external(href) is external
