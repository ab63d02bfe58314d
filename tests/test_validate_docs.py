"""README.md documents every config key and file field, and its examples pass `check`."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.config import SiteConfig
from tamatar_site.validate import load_site
from tamatar_site.validate.schemas import SCHEMAS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def _model_in(annotation: object) -> tuple[str, type[BaseModel]] | None:
    """('', M) for M or M | None, ('[]', M) for list[M], ('.<tag>', M) for dict[str, M]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "", annotation
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is list and arguments:
        inner = _model_in(arguments[0])
        return ("[]", inner[1]) if inner else None
    if origin is dict and len(arguments) == 2:
        inner = _model_in(arguments[1])
        return (".<tag>", inner[1]) if inner else None
    for argument in arguments:
        inner = _model_in(argument)
        if inner:
            return inner
    return None


_KEY_NAMES = {"rules": "<id>"}  # achievements.rules.<id>.threshold


def _config_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys: list[str] = []
    for name, info in model.model_fields.items():
        dotted = f"{prefix}{name}"
        inner = _model_in(info.annotation)
        if inner is None:
            keys.append(dotted)
        else:
            suffix, submodel = inner
            if name in _KEY_NAMES:  # a mapping whose keys are not tags
                suffix = suffix.replace("<tag>", _KEY_NAMES[name])
            if prefix or suffix:
                keys.append(dotted)
            keys.extend(_config_keys(submodel, f"{dotted}{suffix}."))
    return keys


def test_every_config_key_is_documented() -> None:
    section = _section("Configuration: `tamatar.yaml`")
    keys = _config_keys(SiteConfig)
    assert "site.timezone" in keys
    assert "following[].feed" in keys
    assert "tags.<tag>.color" in keys
    # nested keys have a table row; top-level sections a bold heading such as **`tags`**
    missing = [
        key for key in keys if f"| `{key}` |" not in section and f"**`{key}`**" not in section
    ]
    assert missing == []


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_every_file_field_is_documented(kind: str) -> None:
    section = _section("File formats")
    start = section.index(f"### {kind.capitalize() if kind != 'paths' else 'Learning paths'}:")
    table = section[start : section.index("\n### ", start + 1)]
    fields = list(SCHEMAS[kind].model_fields)
    missing = [name for name in fields if f"`{name}`" not in table]
    assert missing == []


def _first_block(text: str, start: str) -> str:
    position = text.index(start)
    match = re.search(r"^(`{3,})(?:yaml|markdown)\n(.*?)^\1$", text[position:], re.S | re.M)
    assert match is not None
    return match.group(2)


def test_examples_pass_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    formats = _section("File formats")
    config = _first_block(_section("Configuration: `tamatar.yaml`"), "```yaml")
    site = write_site(
        tmp_path,
        {
            "tamatar.yaml": config,
            "logs/2026-11-21-lifetimes.md": _first_block(formats, "### Logs"),
            "projects/tidepool.yaml": _first_block(formats, "### Projects"),
            "resources/rust-book.yaml": _first_block(formats, "### Resources"),
            "resources/rustonomicon.yaml": "title: The Rustonomicon\n",
            "resources/ddia.yaml": "title: DDIA\n",
            "goals/tidepool-v0-1.yaml": _first_block(formats, "### Goals"),
            "goals/rust-fluency.yaml": "title: Rust\n",
            "paths/storage.yaml": _first_block(formats, "### Learning paths"),
            "snippets/retry.md": _first_block(formats, "### Snippets"),
            "pages/about.md": _first_block(formats, "### Pages"),
            "static/avatar.svg": "<svg/>",
        },
    )
    loaded = load_site(site)
    assert [d.format() for d in loaded.diagnostics] == []
    assert loaded.site is not None
    assert len(loaded.site.logs) == 1
    assert [page.slug for page in loaded.site.pages] == ["about"]


def test_the_limits_table_matches_the_code() -> None:
    from tamatar_site.fieldtypes import MAX_TITLE_LENGTH
    from tamatar_site.load import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES
    from tamatar_site.validate.schemas import (
        FIRST_DATE,
        LAST_DATE,
        MAX_ITEMS,
        MAX_TAG_LENGTH,
        MAX_TAGS,
    )

    start = README.index("\n### Limits\n")
    section = README[start : README.index("\n## ", start)]
    rows = dict(
        (cells[0].strip(), cells[1].strip())
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith(("| what", "| ---"))
        for cells in [line[2:-2].split(" | ")]
    )
    assert rows["tags of one log, goal or snippet"] == str(MAX_TAGS)
    assert rows["length of a tag"] == f"{MAX_TAG_LENGTH} characters"
    assert rows[next(k for k in rows if k.startswith("length of a title"))] == (
        f"{MAX_TITLE_LENGTH} characters"
    )
    assert rows[next(k for k in rows if k.startswith("items of any other list"))] == str(MAX_ITEMS)
    assert rows["size of a file"] == f"{MAX_FILE_BYTES // (1024 * 1024)} MB"
    assert rows[next(k for k in rows if k.startswith("values in one YAML"))] == f"{MAX_NODES:,}"
    assert rows["nesting of YAML lists and mappings"] == f"{MAX_DEPTH} levels"
    assert rows["dates"] == f"{FIRST_DATE} to {LAST_DATE}"
