"""Golden output: the example site, built offline with a fixed SOURCE_DATE_EPOCH, must match
tests/golden/example-site/ file by file, so any change to the output is a visible diff.

Refresh the copy after an intended change with `.venv/bin/python -m pytest
tests/test_golden.py --update-golden` and review the diff before committing it.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from click.testing import CliRunner

from tamatar_site.cli import main

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden" / "example-site"
FIXED_EPOCH = "1795348800"  # 2026-11-22T12:00:00Z


# Pagefind's bundle is its binary's output (tests/test_search.py checks it); the golden copy
# keeps only its entry file, whose page count and hash change with what is indexed.
SEARCH_BUNDLE = "pagefind/"
SEARCH_ENTRY = "pagefind/pagefind-entry.json"


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path (forward slashes), of the search bundle
    only its entry file."""
    files = {
        path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    return {
        key: path.read_bytes()
        for key, path in files.items()
        if not key.startswith(SEARCH_BUNDLE) or key == SEARCH_ENTRY
    }


def build_example(tmp_path: Path) -> Path:
    site = tmp_path / "example-site"
    shutil.copytree(REPO / "example-site", site, ignore=shutil.ignore_patterns("content", "_site"))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["build", str(site), "--offline", "-q", "-o", str(out)],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )
    assert result.exit_code == 0, result.output
    return out


def mismatch(path: str, expected: bytes | None, actual: bytes | None) -> str:
    """A unified diff of one file (or a note for a missing, extra or binary file)."""
    if expected is None:
        return f"{path}: new file, not in the golden copy"
    if actual is None:
        return f"{path}: in the golden copy, no longer written"
    try:
        old, new = expected.decode("utf-8"), actual.decode("utf-8")
    except UnicodeDecodeError:
        return f"{path}: binary file differs"
    diff = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        f"golden/{path}",
        f"built/{path}",
        n=2,
    )
    return "".join(list(diff)[:60])


def test_example_site_matches_golden_copy(tmp_path: Path, update_golden: bool) -> None:
    out = build_example(tmp_path)
    built = files_of(out)
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
        for path in (GOLDEN / SEARCH_BUNDLE).iterdir():
            if path.is_dir():
                shutil.rmtree(path)
            elif f"{SEARCH_BUNDLE}{path.name}" != SEARCH_ENTRY:
                path.unlink()
    golden = files_of(GOLDEN)
    problems = [
        mismatch(path, golden.get(path), built.get(path))
        for path in sorted(golden.keys() | built.keys())
        if golden.get(path) != built.get(path)
    ]
    assert not problems, (
        f"{len(problems)} output file(s) differ from tests/golden/example-site/ "
        "(intended? rerun with --update-golden and commit the diff):\n\n" + "\n".join(problems)
    )


def test_a_changed_file_shows_as_a_unified_diff() -> None:
    report = mismatch("a.html", b"<p>one</p>\n<p>two</p>\n", b"<p>one</p>\n<p>2</p>\n")
    assert "--- golden/a.html" in report
    assert "-<p>two</p>" in report and "+<p>2</p>" in report
    assert mismatch("b.css", None, b"x") == "b.css: new file, not in the golden copy"
    assert mismatch("c.xml", b"x", None) == "c.xml: in the golden copy, no longer written"
