"""Logs dated after the build's today: left out of every page, feed and count unless
`--future` (like Hugo's and Jekyll's `--future`); `check` still validates and warns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main
from tamatar_site.serve.app import LocalBuild, session_builder

CONFIG = """\
site:
  title: Future test
  base_url: https://asha.github.io/devlog/
  timezone: UTC
"""

# FIXED_EPOCH is 2026-11-22 12:00 UTC: the first two logs are past, the last is tomorrow.
FILES = {
    "logs/2026-11-20-past.md": "---\ntitle: Past one\ndate: 2026-11-20\ntags: [rust]\n---\nOld.\n",
    "logs/2026-11-22-today.md": "---\ntitle: Today one\ndate: 2026-11-22\n---\nNow.\n",
    "logs/2026-11-23-tomorrow.md": (
        "---\ntitle: Tomorrow one\ndate: 2026-11-23\ntags: [later]\n---\nLater.\n"
    ),
}
FUTURE_PAGE = Path("logs/2026/11/23/tomorrow/index.html")


def _build(site: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(
        main,
        ["build", str(site), "-o", str(out), "--offline", *extra],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )
    assert result.exit_code == 0, result.output


def _texts(out: Path) -> dict[str, str]:
    return {
        str(path.relative_to(out)): path.read_text(encoding="utf-8")
        for path in out.rglob("*")
        if path.is_file() and path.suffix in {".html", ".xml", ".json"}
    }


def test_future_logs_are_left_out_everywhere_by_default(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, config=CONFIG)
    out = tmp_path / "out"
    _build(site, out)
    assert not (out / FUTURE_PAGE).exists()
    assert not (out / "tags/later").exists()
    leaks = [name for name, text in _texts(out).items() if "Tomorrow one" in text]
    assert leaks == []
    api = json.loads((out / "api/v1/logs.json").read_text(encoding="utf-8"))
    assert [log["title"] for log in api["logs"]] == ["Today one", "Past one"]
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "2 logs on 2 days" in home  # the heatmap agrees with the tiles


def test_future_flag_includes_them(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, config=CONFIG)
    out = tmp_path / "out"
    _build(site, out, "--future")
    assert "Tomorrow one" in (out / FUTURE_PAGE).read_text(encoding="utf-8")
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "Tomorrow one" in feed
    api = json.loads((out / "api/v1/logs.json").read_text(encoding="utf-8"))
    assert len(api["logs"]) == 3
    # the no-change fast path keys on the flag: a build without it drops the page again
    _build(site, out)
    assert not (out / FUTURE_PAGE).exists()


def test_serve_builds_honour_future(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    site = write_site(tmp_path / "site", FILES, config=CONFIG)
    build = session_builder()
    url = "http://127.0.0.1:8000/devlog/"
    outcome = build(LocalBuild(site, url, offline=True))
    assert outcome.ok, outcome.errors
    assert not (site / "_site" / FUTURE_PAGE).exists()
    outcome = build(LocalBuild(site, url, offline=True, future=True))
    assert outcome.ok, outcome.errors
    assert (site / "_site" / FUTURE_PAGE).exists()


def test_check_still_validates_future_logs(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, config=CONFIG)
    result = CliRunner().invoke(main, ["check", str(site)], env={"SOURCE_DATE_EPOCH": FIXED_EPOCH})
    assert result.exit_code == 0
    assert (
        "logs/2026-11-23-tomorrow.md:3:1: warning: log is dated 2026-11-23, after today "
        "(2026-11-22); builds leave it out until that day (`--future` includes it)\n"
        in result.output
    )
