"""`tamatar new`: one file from a template, dated in the site's time zone, never overwriting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tamatar_site.cli import main
from tamatar_site.load.frontmatter import split_front_matter

# 2026-11-21 20:00 UTC is already 2026-11-22 in Kolkata (UTC+05:30).
EVENING_UTC = str(int(dt.datetime(2026, 11, 21, 20, 0, tzinfo=dt.UTC).timestamp()))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "tamatar.yaml").write_text(
        'site:\n  title: T\n  base_url: "https://asha.github.io/devlog/"\n'
        "  timezone: Asia/Kolkata\n"
    )
    return site


def _new(site: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["new", *args, "--site", str(site)], env={"SOURCE_DATE_EPOCH": EVENING_UTC}
    )
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("kind", "relative"),
    [
        ("log", "logs/2026/2026-11-22-lifetimes-finally-clicked.md"),
        ("project", "projects/lifetimes-finally-clicked.yaml"),
        ("resource", "resources/lifetimes-finally-clicked.yaml"),
        ("goal", "goals/lifetimes-finally-clicked.yaml"),
        ("path", "paths/lifetimes-finally-clicked.yaml"),
        ("snippet", "snippets/lifetimes-finally-clicked.md"),
    ],
)
def test_new_writes_a_valid_file(site: Path, kind: str, relative: str) -> None:
    code, output = _new(site, kind, "Lifetimes finally clicked!")
    assert code == 0, output
    assert output.strip() == str(site / relative)
    check = CliRunner().invoke(main, ["check", str(site)])
    assert check.exit_code == 0, check.output
    assert "error" not in check.output


def test_log_title_date_and_body(site: Path) -> None:
    code, output = _new(site, "log", 'Rust: "lifetimes"', "finally")
    assert code == 0, output
    text = Path(output.strip()).read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == 'Rust: "lifetimes" finally'
    assert front["date"] == dt.date(2026, 11, 22)  # the site's day, not UTC's
    assert front["tags"] == []
    assert Path(output.strip()).name == "2026-11-22-rust-lifetimes-finally.md"


def test_snippet_is_frontmatter_and_a_code_block(site: Path) -> None:
    code, output = _new(site, "snippet", "Retry with backoff")
    assert code == 0
    split = split_front_matter(Path(output.strip()).read_text())
    assert yaml.safe_load(split.yaml_text)["language"] == "python"
    assert split.body.startswith("```python\n")


def test_new_refuses_to_overwrite(site: Path) -> None:
    assert _new(site, "project", "tamatar")[0] == 0
    (site / "projects" / "tamatar.yaml").write_text("name: mine\n")
    code, output = _new(site, "project", "tamatar")
    assert code == 1
    assert output == (
        "Error: projects/tamatar.yaml already exists; choose another title or edit that file\n"
    )
    assert (site / "projects" / "tamatar.yaml").read_text() == "name: mine\n"


def test_new_needs_a_site(tmp_path: Path) -> None:
    code, output = _new(tmp_path, "log", "Hello")
    assert code == 1
    assert f"Error: {tmp_path / 'tamatar.yaml'} not found; run `tamatar init` first" in output


def test_new_needs_letters_in_the_title(site: Path) -> None:
    code, output = _new(site, "log", "!!!")
    assert code == 1
    assert "cannot make a file name from the title '!!!'" in output


def test_unknown_kind_is_a_usage_error(site: Path) -> None:
    code, output = _new(site, "post", "Hello")
    assert code == 2
    assert "'post' is not one of 'log', 'project', 'resource', 'goal', 'path', 'snippet'" in output


def test_every_content_kind_has_a_template_and_a_cli_choice(site: Path) -> None:
    from tamatar_site.scaffold import CONTENT_KINDS

    command = main.commands["new"]
    kind = next(p for p in command.params if p.name == "kind")
    assert list(kind.type.choices) == list(CONTENT_KINDS)  # type: ignore[attr-defined]
    assert set(CONTENT_KINDS) >= {"log", "project", "resource", "goal", "path", "snippet"}


def test_new_path_is_a_learning_path_with_one_step(site: Path) -> None:
    code, output = _new(site, "path", "Learn Rust")
    assert code == 0, output
    target = Path(output.strip())
    assert target == site / "paths" / "learn-rust.yaml"
    data = yaml.safe_load(target.read_text())
    assert data["title"] == "Learn Rust"
    assert data["steps"] == [{"title": "First step", "done": False}]
    build = CliRunner().invoke(main, ["build", str(site), "--offline", "--quiet"])
    assert build.exit_code == 0, build.output
    page = site / "_site" / "paths" / "learn-rust" / "index.html"
    assert page.is_file()
    assert "Learn Rust" in page.read_text(encoding="utf-8")
