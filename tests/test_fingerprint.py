"""Fingerprints of page contexts: equal inputs, equal fingerprints; a visible change, a new one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from markupsafe import Markup

from tamatar_site.build.fingerprint import (
    ContextFingerprinter,
    Unfingerprintable,
    template_set_fingerprint,
)


@dataclass(frozen=True)
class Card:
    title: str
    day: dt.date
    tags: tuple[str, ...] = ()


def _page(
    context: dict[str, object], template: str = "log.html", shared: tuple[str, ...] = ()
) -> bytes:
    return ContextFingerprinter(b"templates").page(template, context, shared)


def test_equal_contexts_have_equal_fingerprints() -> None:
    first = {"log": Card("Lifetimes", dt.date(2026, 11, 21), ("rust",)), "n": 3}
    second = {"log": Card("Lifetimes", dt.date(2026, 11, 21), ("rust",)), "n": 3}
    assert _page(first) == _page(second)
    assert _page(first, shared=("log",)) == _page(second, shared=("log",))


@pytest.mark.parametrize(
    "changed",
    [
        {"log": Card("Lifetimes!", dt.date(2026, 11, 21), ("rust",)), "n": 3},
        {"log": Card("Lifetimes", dt.date(2026, 11, 22), ("rust",)), "n": 3},
        {"log": Card("Lifetimes", dt.date(2026, 11, 21), ("rust", "go")), "n": 3},
        {"log": Card("Lifetimes", dt.date(2026, 11, 21), ("rust",)), "n": 4},
        {"log": Card("Lifetimes", dt.date(2026, 11, 21), ("rust",)), "n": True},
    ],
)
def test_any_change_changes_the_fingerprint(changed: dict[str, object]) -> None:
    base = {"log": Card("Lifetimes", dt.date(2026, 11, 21), ("rust",)), "n": 3}
    assert _page(base) != _page(changed)


def test_markup_is_not_text_and_big_strings_count_whole() -> None:
    assert _page({"body": "<b>x</b>"}) != _page({"body": Markup("<b>x</b>")})
    big = "word " * 1000
    assert _page({"body": big}) == _page({"body": "word " * 1000})
    assert _page({"body": big}) != _page({"body": big + "!"})
    assert _page({"body": Markup(big)}) != _page({"body": Markup(big + "!")})


def test_template_name_and_template_set_count() -> None:
    context = {"n": 1}
    assert _page(context, "log.html") != _page(context, "tag.html")
    one = ContextFingerprinter(b"one").page("log.html", context, ())
    two = ContextFingerprinter(b"two").page("log.html", context, ())
    assert one != two


def test_unknown_objects_are_refused() -> None:
    with pytest.raises(Unfingerprintable):
        _page({"render": lambda: "x"})


def test_template_set_covers_file_contents(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "log.html").write_text("{{ log.title }}", encoding="utf-8")
    before = template_set_fingerprint([folder], "config")
    assert before == template_set_fingerprint([folder], "config")
    assert before != template_set_fingerprint([folder], "other config")
    (folder / "log.html").write_text("{{ log.title }}!", encoding="utf-8")
    assert before != template_set_fingerprint([folder], "config")
