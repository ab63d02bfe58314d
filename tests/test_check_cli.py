"""`tamatar check` through click's CliRunner: text and JSON output, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_SITE = REPO / "example-site"
FIFTEEN = REPO / "tests" / "sites" / "invalid-fifteen-mistakes"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def test_example_site_is_clean() -> None:
    result = CliRunner().invoke(main, ["check", str(EXAMPLE_SITE)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "ok: 44 logs, 5 projects, 11 resources, 5 goals, 2 learning paths, 3 snippets, 2 pages\n"
    )


def test_example_site_json_is_an_empty_list() -> None:
    result = CliRunner().invoke(main, ["check", str(EXAMPLE_SITE), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_fifteen_mistakes_in_eight_files_all_reported_in_one_run(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIFTEEN, site)
    expected = (FIFTEEN / "expected-errors.txt").read_text(encoding="utf-8").splitlines()
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == expected
    assert len(expected) == 15
    assert len({line.split(":", 1)[0] for line in expected}) == 8
    assert result.stderr == "15 errors, 0 warnings\n"


def test_fifteen_mistakes_as_json(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIFTEEN, site)
    text = CliRunner().invoke(main, ["check", str(site)]).stdout.splitlines()
    result = CliRunner().invoke(main, ["check", str(site), "--format", "json"])
    assert result.exit_code == 1
    entries = json.loads(result.stdout)
    assert len(entries) == 15
    assert [
        f"{e['path']}:{e['line']}:{e['column']}: {e['severity']}: {e['message']}" for e in entries
    ] == text
    assert entries[1] == {
        "path": "goals/b.yaml",
        "line": 3,
        "column": 5,
        "severity": "error",
        "message": "goal dependency cycle: a -> b -> a",
    }


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"logs/2026-11-01-a.md": "---\ntitle: A\n---\n"})
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 0
    assert result.stdout == "logs/2026-11-01-a.md:3:1: warning: log has no text\n"
    assert result.stderr == "0 errors, 1 warning\n"


def test_default_site_is_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site(tmp_path, {"logs/2026-11-01-a.md": "---\ntitle: A\nmood: 0\n---\nx\n"})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.stdout == "logs/2026-11-01-a.md:3:1: error: `mood` must be at least 1 (got 0)\n"


def test_missing_config_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"tamatar.yaml:1:1: error: tamatar.yaml not found in `{tmp_path}`: every site "
        "needs one (`tamatar init` creates a site)\n"
    )


def test_missing_site_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_unknown_format_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["check", str(EXAMPLE_SITE), "--format", "xml"])
    assert result.exit_code == 2
    assert "'xml' is not one of 'text', 'json'" in result.stderr


def test_hostile_files_never_produce_a_traceback(tmp_path: Path) -> None:
    laughs = "---\ntitle: x\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        laughs += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
    site = write_site(
        tmp_path,
        {
            "logs/2026-01-01-bomb.md": laughs + "---\nbody\n",
            "logs/2026-01-02-binary.md": b"\x89PNG\r\n\x1a\n\x00\x00",
            "logs/2026-01-03-latin1.md": b"---\ntitle: caf\xe9\n---\nx\n",
            "projects/deep.yaml": "name: " + "[" * 5000 + "]" * 5000 + "\n",
        },
    )
    (site / "logs" / "2026-01-04-folder.md").mkdir()
    with open(site / "logs" / "2026-01-05-huge.md", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    (site / "logs" / "2026-01-06-loop.md").symlink_to("2026-01-06-loop.md")
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "logs/2026-01-01-bomb.md:8:1: error: YAML document is too large: more than 200000 "
        "values (too many aliases?)",
        "logs/2026-01-02-binary.md:3:1: error: binary file: expected UTF-8 text",
        "logs/2026-01-03-latin1.md:2:11: error: invalid UTF-8 (byte 0xe9): save the file as UTF-8",
        "logs/2026-01-04-folder.md:1:1: error: this is a folder, but a file was expected here",
        "logs/2026-01-05-huge.md:1:1: error: file is too large: 52,428,800 bytes, "
        "more than the limit of 10 MB",
        "logs/2026-01-06-loop.md:1:1: error: cannot read the file: broken symbolic link or "
        "link loop",
        "projects/deep.yaml:1:71: error: YAML nesting is deeper than 64 levels",
    ]
