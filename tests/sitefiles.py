"""Test helper: write small sites into tmp_path from a dict of relative paths to contents."""

from __future__ import annotations

import textwrap
from pathlib import Path

MINIMAL_CONFIG = "site:\n  title: Test site\n"
# 2026-11-22 12:00 UTC: "today" for every test that sets SOURCE_DATE_EPOCH
FIXED_EPOCH = "1795348800"


def write_site(
    root: Path, files: dict[str, str | bytes], *, config: str | None = MINIMAL_CONFIG
) -> Path:
    """Write `files` (text is dedented) under `root`, plus a minimal tamatar.yaml."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None and "tamatar.yaml" not in files:
        (root / "tamatar.yaml").write_text(config, encoding="utf-8")
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def stat_key(path: Path) -> tuple[int, int, int]:
    """What changes when a file is rewritten, even with its old mtime put back."""
    info = path.stat()
    return (info.st_ino, info.st_mtime_ns, info.st_ctime_ns)


def output_stats(output: Path) -> dict[str, tuple[int, int, int]]:
    """`stat_key` of every file under `output`, by relative path."""
    return {str(p.relative_to(output)): stat_key(p) for p in output.rglob("*") if p.is_file()}


def tree_bytes(root: Path) -> dict[str, bytes]:
    """The bytes of every file under `root`, by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}
