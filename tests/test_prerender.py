"""Bodies rendered ahead (`render/prerender.py`): used by the build when they match, never
in the way when they do not, and the output is the same as without them."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.build.bodies import render_texts
from tamatar_site.build.pipeline import BuildOptions, build_site
from tamatar_site.build.prerender import BODY_CACHE, start_prerender

CONFIG = "site:\n  title: Ahead\n  base_url: https://example.org/\n"


def _log(day: int) -> tuple[str, str]:
    date = dt.date(2026, 9, 1) + dt.timedelta(days=day)
    link = f"See [the day before]({date - dt.timedelta(days=1)}-day-{day - 1}.md).\n" if day else ""
    body = f"Notes of day {day}.\n\n{link}\n```python\nprint({day})\n```\n"
    return (
        f"logs/{date.isoformat()}-day-{day}.md",
        f"---\ntitle: Day {day}\ntags: [go]\n---\n{body}",
    )


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", dict(_log(day) for day in range(60)), config=CONFIG)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _cold_without(site: Path, tmp_path: Path) -> dict[str, bytes]:
    copy = tmp_path / "copy"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".tamatar"))
    result = build_site(copy, BuildOptions(output_dir=tmp_path / "plain", offline=True))
    assert not result.diagnostics.has_errors
    return _tree(tmp_path / "plain")


def test_every_log_body_is_rendered_ahead_under_the_build_s_own_key(site: Path) -> None:
    prerender = start_prerender(site)
    assert prerender is not None
    results = prerender.results()
    text = (site / "logs/2026-09-08-day-7.md").read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    [(key, entry)] = render_texts([body], unsafe_html=False)
    assert results[key] == entry
    assert len(results) == 60
    assert prerender.results() == {}  # handed over once: only the build holds them
    prerender.close()


def test_a_build_with_bodies_rendered_ahead_writes_what_a_plain_build_writes(
    site: Path, tmp_path: Path
) -> None:
    prerender = start_prerender(site)
    assert prerender is not None
    result = build_site(
        site, BuildOptions(output_dir=tmp_path / "out", offline=True), prerender=prerender
    )
    assert not result.diagnostics.has_errors
    assert _tree(tmp_path / "out") == _cold_without(site, tmp_path)


def test_unsafe_html_sites_render_again_and_stay_right(site: Path, tmp_path: Path) -> None:
    (site / "tamatar.yaml").write_text(CONFIG + "markdown:\n  unsafe_html: true\n")
    (site / "logs/2026-09-01-day-0.md").write_text("---\ntitle: Day 0\n---\n<b>bold</b>\n")
    prerender = start_prerender(site)
    assert prerender is not None  # rendered ahead as safe HTML: no key matches
    result = build_site(
        site, BuildOptions(output_dir=tmp_path / "out", offline=True), prerender=prerender
    )
    assert not result.diagnostics.has_errors
    built = _tree(tmp_path / "out")
    assert b"<b>bold</b>" in built["logs/2026/09/01/day-0/index.html"]
    assert built == _cold_without(site, tmp_path)


def test_pipes_broken_files_and_other_folders_do_not_stop_it(site: Path) -> None:
    os.mkfifo(site / "logs" / "pipe.md")  # no writer: a plain open() would wait forever
    (site / "logs" / "broken.md").write_text("no front matter\n")
    (site / "logs" / "binary.md").write_bytes(b"\x00\x01")
    (site / "logs" / ".hidden").mkdir()
    (site / "logs" / ".hidden" / "x.md").write_text("---\ntitle: X\n---\nhidden\n")
    prerender = start_prerender(site)
    assert prerender is not None
    assert len(prerender.results()) == 60


def test_not_started_for_small_sites_or_a_site_with_a_body_cache(
    site: Path, tmp_path: Path
) -> None:
    small = write_site(tmp_path / "small", dict(_log(day) for day in range(5)), config=CONFIG)
    assert start_prerender(small) is None
    (site / BODY_CACHE).parent.mkdir(parents=True)
    (site / BODY_CACHE).write_bytes(b"")
    assert start_prerender(site) is None
