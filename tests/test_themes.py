"""Themes: resolution (site's themes/NAME, shipped, path), the unknown-theme diagnostic in
check and build, the shipped themes' templates, and a build in each shipped theme."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main
from tamatar_site.load.themes import (
    PAGE_TEMPLATES,
    ThemeError,
    resolve_theme_dir,
    shipped_themes,
    shipped_themes_dir,
)
from tamatar_site.render.pages import freepages, goals, learning, resources, routes
from tamatar_site.serve import read_settings

FILES = {
    "logs/2026-11-01-a.md": "---\ntitle: First day\ntags: [rust]\n---\nHello.\n",
    "logs/2026-11-02-b.md": "---\ntitle: Second day\ntags: [rust]\n---\nAgain.\n",
}


def config(theme: str) -> str:
    return f"site:\n  title: Themed\n  base_url: https://example.org/\n  theme: {theme}\n"


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def test_tamatar_ships_default_and_minimal() -> None:
    assert shipped_themes() == ["default", "minimal"]
    for name in shipped_themes():
        assert (shipped_themes_dir() / name / "templates" / "base.html").is_file()


def test_a_name_is_the_sites_theme_first_then_a_shipped_one(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {})
    assert resolve_theme_dir("minimal", site) == (shipped_themes_dir() / "minimal").resolve()
    (site / "themes" / "minimal" / "templates").mkdir(parents=True)
    assert resolve_theme_dir("minimal", site) == (site / "themes" / "minimal").resolve()
    assert resolve_theme_dir("default", site) == (shipped_themes_dir() / "default").resolve()


def test_a_path_is_a_folder_relative_to_the_site_or_absolute(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {})
    (site / "looks" / "mine" / "templates").mkdir(parents=True)
    assert resolve_theme_dir("looks/mine", site) == (site / "looks" / "mine").resolve()
    elsewhere = tmp_path / "shared-theme"
    (elsewhere / "templates").mkdir(parents=True)
    assert resolve_theme_dir(str(elsewhere), site) == elsewhere.resolve()
    (site / "no-templates").mkdir()
    with pytest.raises(ThemeError, match='unknown theme "no-templates"'):
        resolve_theme_dir("no-templates", site)


def test_an_unknown_theme_names_the_closest_one(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {})
    with pytest.raises(ThemeError) as error:
        resolve_theme_dir("miniml", site)
    assert 'unknown theme "miniml"' in str(error.value)
    assert "(default, minimal)" in str(error.value)
    assert 'did you mean "minimal"?' in str(error.value)
    (site / "themes" / "tomato" / "templates").mkdir(parents=True)
    with pytest.raises(ThemeError, match='did you mean "tomato"'):
        resolve_theme_dir("tomatoe", site)


def test_check_and_build_report_an_unknown_theme_at_site_theme(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, config=config("defualt"))
    expected = 'tamatar.yaml:4:3: error: unknown theme "defualt": '
    checked = CliRunner().invoke(main, ["check", str(site)])
    assert checked.exit_code == 1
    assert checked.exception is None or isinstance(checked.exception, SystemExit)
    assert checked.stdout.startswith(expected)
    assert 'did you mean "default"?' in checked.stdout
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", str(site), "-o", str(out), "--offline"])
    assert built.exit_code == 1
    assert "Traceback" not in built.output
    assert expected in built.stderr
    assert not out.exists()


def test_serve_watches_the_theme_the_build_uses(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, config=config("minimal"))
    assert read_settings(site).theme_dir == (shipped_themes_dir() / "minimal").resolve()
    (site / "themes" / "minimal" / "templates").mkdir(parents=True)
    assert read_settings(site).theme_dir == (site / "themes" / "minimal").resolve()
    (site / "tamatar.yaml").write_text(config("nope"), encoding="utf-8")
    assert read_settings(site).theme_dir is None  # the build reports it


def test_page_templates_are_the_ones_the_routes_render() -> None:
    named: set[str] = set()
    for module in (routes, learning, goals, resources, freepages):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        named |= set(re.findall(r'"([a-z0-9_]+\.html)"', source))
    assert named == set(PAGE_TEMPLATES)


@pytest.mark.parametrize("theme", ["default", "minimal"])
def test_every_shipped_theme_has_every_page_template(theme: str) -> None:
    templates = shipped_themes_dir() / theme / "templates"
    missing = [name for name in (*PAGE_TEMPLATES, "base.html") if not (templates / name).is_file()]
    assert missing == []


def test_minimal_shares_no_template_file_with_default() -> None:
    default = shipped_themes_dir() / "default" / "templates"
    minimal = shipped_themes_dir() / "minimal" / "templates"
    shared = [
        path.relative_to(minimal).as_posix()
        for path in sorted(minimal.rglob("*.html"))
        if (default / path.relative_to(minimal)).is_file()
        and (default / path.relative_to(minimal)).read_bytes() == path.read_bytes()
    ]
    assert shared == []
    assert not (shipped_themes_dir() / "minimal" / "static" / "assets" / "tamatar.css").exists()


def _build(site: Path, out: Path) -> str:
    result = CliRunner().invoke(main, ["build", str(site), "-o", str(out), "--offline"])
    assert result.exit_code == 0, result.output
    return (out / "index.html").read_text(encoding="utf-8")


def test_the_minimal_home_page_has_one_column_and_no_charts(tmp_path: Path) -> None:
    minimal = _build(write_site(tmp_path / "m", FILES, config=config("minimal")), tmp_path / "o1")
    default = _build(write_site(tmp_path / "d", FILES, config=config("default")), tmp_path / "o2")
    assert 'class="chart heatmap"' in default
    assert "<svg" not in minimal and "heatmap" not in minimal  # no chart at all
    assert "with-side" not in minimal and "side-col" not in minimal
    assert "/assets/minimal.css" in minimal and "/assets/tamatar.css" not in minimal
    assert (tmp_path / "o1" / "assets" / "minimal.css").is_file()
    assert not (tmp_path / "o1" / "assets" / "tamatar.css").exists()
    assert "Second day" in minimal and "First day" in minimal


def test_a_site_theme_and_a_single_template_override(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, config=config("mine"))
    shutil.copytree(shipped_themes_dir() / "minimal", site / "themes" / "mine")
    base = site / "themes" / "mine" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("Made with", "Baked with"))
    (site / "templates").mkdir()
    (site / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Lost?</h1>{% endblock %}\n'
    )
    out = tmp_path / "out"
    assert "Baked with" in _build(site, out)
    page = (out / "404.html").read_text(encoding="utf-8")
    assert "<h1>Lost?</h1>" in page and "Baked with" in page


def test_a_site_theme_added_later_is_used_by_the_next_build(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, config=config("minimal"))
    out = tmp_path / "out"
    assert "Baked with" not in _build(site, out)
    shutil.copytree(shipped_themes_dir() / "minimal", site / "themes" / "minimal")
    base = site / "themes" / "minimal" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("Made with", "Baked with"))
    assert "Baked with" in _build(site, out)  # not "nothing changed"


def test_themes_share_the_compiled_template_cache_without_mixing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both themes have an index.html: the cache keys each by its file, not only its name.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    default_site = write_site(tmp_path / "d", FILES, config=config("default"))
    minimal_site = write_site(tmp_path / "m", FILES, config=config("minimal"))
    first = _build(default_site, tmp_path / "o1")
    minimal = _build(minimal_site, tmp_path / "o2")
    again = _build(write_site(tmp_path / "d2", FILES, config=config("default")), tmp_path / "o3")
    assert len(list((tmp_path / "cache").rglob("*.cache"))) > 2 * len(PAGE_TEMPLATES)
    assert again == first != minimal
    assert "/assets/minimal.css" in minimal and "/assets/tamatar.css" in again
