"""Compiled templates are kept per user (`$XDG_CACHE_HOME/tamatar/`) and never go stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.build.pipeline import BuildOptions, build_site
from tamatar_site.load.themes import shipped_themes_dir
from tamatar_site.render.templates import bytecode_cache_dir

FILES = {"logs/2026-11-01-a.md": "---\ntitle: A\ntags: [rust]\n---\nHello.\n"}
CONFIG = "site:\n  title: Cached\n  base_url: https://example.org/\n"


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _build(site: Path, out: Path) -> dict[str, bytes]:
    result = build_site(site, BuildOptions(output_dir=out, offline=True))
    assert not result.diagnostics.has_errors
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_a_second_site_uses_the_compiled_theme_and_builds_the_same(tmp_path: Path) -> None:
    first = write_site(tmp_path / "one", FILES, config=CONFIG)
    cold = _build(first, tmp_path / "out-1")
    compiled = sorted(bytecode_cache_dir().glob("*.cache"))
    assert len(compiled) >= 10  # every theme template a build uses
    stamps = [path.stat().st_mtime_ns for path in compiled]

    second = write_site(tmp_path / "two", FILES, config=CONFIG)
    assert _build(second, tmp_path / "out-2") == cold
    assert [path.stat().st_mtime_ns for path in compiled] == stamps  # read, not written again


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, config=CONFIG)
    theme = shipped_themes_dir() / "default/templates/404.html"
    override = site / "templates" / "404.html"
    override.parent.mkdir()
    source = theme.read_text(encoding="utf-8")
    assert "Page not found" in source
    override.write_text(source.replace("Page not found", "Lost one"), encoding="utf-8")
    assert b"Lost one" in _build(site, tmp_path / "out-1")["404.html"]
    override.write_text(source.replace("Page not found", "Lost two"), encoding="utf-8")
    page = _build(site, tmp_path / "out-2")["404.html"]
    assert b"Lost two" in page and b"Lost one" not in page


def test_a_cache_folder_that_cannot_be_made_is_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    site = write_site(tmp_path / "site", FILES, config=CONFIG)
    assert "index.html" in _build(site, tmp_path / "out")
