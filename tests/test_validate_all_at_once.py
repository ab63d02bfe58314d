"""A schema error in a file does not hide that file's other mistakes: one run shows all."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main

PROJECT = {"projects/devlog.yaml": "name: Devlog\n"}
RESOURCE = {"resources/rust-book.yaml": "title: The Book\n"}

CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    "mood out of range and an unknown project": (
        {
            **PROJECT,
            "logs/2026-11-01-a.md": "---\ntitle: A\nmood: 12\nproject: devlgo\n---\nText\n",
        },
        [
            "logs/2026-11-01-a.md:3:1: error: `mood` must be at most 10 (got 12)",
            "logs/2026-11-01-a.md:4:1: error: unknown project `devlgo` (did you mean `devlog`?)",
        ],
    ),
    "an unknown key and a missing date": (
        {"logs/notes.md": "---\ntitle: A\ncolour: red\n---\nText\n"},
        [
            "logs/notes.md:1:1: error: missing required key `date` "
            "(or start the file name with YYYY-MM-DD-)",
            "logs/notes.md:3:1: error: unknown key `colour`",
        ],
    ),
    "a misspelt date is one mistake, not two": (
        {"logs/notes.md": "---\ntitle: A\ndtae: 2026-11-01\n---\nText\n"},
        ["logs/notes.md:3:1: error: unknown key `dtae` (did you mean `date`?)"],
    ),
    "progress out of range and an unknown goal": (
        {"goals/g.yaml": "title: G\nprogress: 150\ndepends_on: [x]\n"},
        [
            "goals/g.yaml:2:1: error: `progress` must be at most 100 (got 150)",
            "goals/g.yaml:3:14: error: unknown goal `x`",
        ],
    ),
    "a bad step and an unknown resource in another step": (
        {
            **RESOURCE,
            "paths/p.yaml": (
                "title: P\nsteps:\n  - {title: One, done: maybe}\n"
                "  - {title: Two, resource: rust-bok}\n"
            ),
        },
        [
            "paths/p.yaml:3:18: error: `steps[0].done` must be true or false (got `maybe`)",
            "paths/p.yaml:4:18: error: unknown resource `rust-bok` (did you mean `rust-book`?)",
        ],
    ),
    "a bad resource item and an unknown one beside it": (
        {
            **RESOURCE,
            "logs/2026-11-01-a.md": (
                "---\ntitle: A\nresources: [rust-bok, {a: b}]\nfocus_minutes: -1\n---\nText\n"
            ),
        },
        [
            "logs/2026-11-01-a.md:3:13: error: unknown resource `rust-bok` "
            "(did you mean `rust-book`?)",
            "logs/2026-11-01-a.md:3:23: error: `resources[1]` must be text (got a mapping)",
            "logs/2026-11-01-a.md:4:1: error: `focus_minutes` must be at least 0 (got -1)",
        ],
    ),
    "an error in the referring key itself is reported once": (
        {**PROJECT, "logs/2026-11-01-a.md": "---\ntitle: A\nproject: [devlog]\n---\nText\n"},
        ["logs/2026-11-01-a.md:3:1: error: `project` must be text (got a list)"],
    ),
    "a file name that gives no slug, beside a schema error": (
        {"logs/2026-11-01-Bad Name.md": "---\ntitle: A\nmood: 0\n---\nText\n"},
        [
            "logs/2026-11-01-Bad Name.md:1:1: error: file name `2026-11-01-Bad Name.md` gives "
            "the slug `Bad Name`, which is not valid: rename the file using lowercase "
            "letters, digits, `-` and `_`",
            "logs/2026-11-01-Bad Name.md:3:1: error: `mood` must be at least 1 (got 0)",
        ],
    ),
    "a config error and a missing theme": (
        {"tamatar.yaml": "site:\n  title: T\n  theme: nope\n  timezon: UTC\n"},
        [
            'tamatar.yaml:3:3: error: unknown theme "nope": not a folder of the site\'s themes/, '
            "not a shipped theme (default, minimal) and not a folder with templates/",
            "tamatar.yaml:4:3: error: unknown key `timezon` in `site` (did you mean `timezone`?)",
        ],
    ),
}


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@pytest.mark.parametrize("files, expected", CASES.values(), ids=list(CASES))
def test_every_mistake_of_a_file_in_one_run(
    tmp_path: Path, files: dict[str, str], expected: list[str]
) -> None:
    site = write_site(tmp_path / "site", files)
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == expected
    assert result.stderr == f"{len(expected)} error{'s' if len(expected) > 1 else ''}, 0 warnings\n"


def test_the_references_of_a_broken_file_are_checked_on_a_cached_build(tmp_path: Path) -> None:
    """The second build reads the record from the record cache, references included."""
    site = write_site(
        tmp_path / "site",
        {**PROJECT, "logs/2026-11-01-a.md": "---\ntitle: A\nmood: 12\nproject: devlgo\n---\nT\n"},
    )
    outputs = []
    for _ in range(2):
        result = CliRunner().invoke(main, ["build", str(site), "--offline"])
        assert result.exit_code == 1
        outputs.append(result.stderr)
    assert outputs[0] == outputs[1]
    assert "logs/2026-11-01-a.md:4:1: error: unknown project `devlgo`" in outputs[1]
    assert (site / ".tamatar" / "cache" / "content" / "records.marshal").is_file()
    assert not (site / "_site").exists()
