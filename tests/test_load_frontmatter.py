"""split_front_matter: the YAML block, the body and their line numbers."""

from __future__ import annotations

import pytest

from tamatar_site.load import FrontMatterError, split_front_matter


def test_split_gives_yaml_body_and_body_line() -> None:
    split = split_front_matter("---\ntitle: A\nmood: 3\n---\nFirst line\nSecond\n")
    assert split.yaml_text == "title: A\nmood: 3\n"
    assert split.yaml_line == 2
    assert split.body == "First line\nSecond\n"
    assert split.body_line == 5


def test_dots_close_the_block_and_trailing_spaces_are_allowed() -> None:
    split = split_front_matter("---  \ntitle: A\n...\nBody")
    assert split.yaml_text == "title: A\n"
    assert split.body == "Body"


def test_crlf_and_bom() -> None:
    split = split_front_matter("\ufeff---\r\ntitle: A\r\n---\r\nBody\r\n")
    assert split.yaml_text == "title: A\r\n"
    assert split.body == "Body\r\n"
    assert split.body_line == 4


def test_horizontal_rule_in_the_body_is_body() -> None:
    split = split_front_matter("---\ntitle: A\n---\nabove\n---\nbelow\n")
    assert split.body == "above\n---\nbelow\n"


def test_empty_front_matter_and_no_body() -> None:
    split = split_front_matter("---\n---")
    assert split.yaml_text == ""
    assert split.body == ""
    assert split.body_line == 3


@pytest.mark.parametrize(
    "text, message",
    [
        ("# Title\n", "missing front matter"),
        ("", "missing front matter"),
        ("----\ntitle: A\n---\n", "missing front matter"),
        ("---\ntitle: A\nbody\n", "front matter is never closed"),
        ("---", "front matter is never closed"),
    ],
)
def test_missing_or_unclosed(text: str, message: str) -> None:
    with pytest.raises(FrontMatterError) as caught:
        split_front_matter(text)
    assert caught.value.line == 1
    assert caught.value.message.startswith(message)
