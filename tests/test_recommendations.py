"""What to learn next: the next step of each active path and to-read resources that match
the tags logged most in the last 30 days (counted back from the newest log), with reasons,
on the home page and the path pages of both themes, right after incremental builds."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.build.pipeline import BuildOptions, BuildResult, build_site
from tamatar_site.compute.recommendations import (
    compute_recommendations,
    is_active,
    next_step,
    recent_tag_counts,
)
from tamatar_site.model import LearningPath, Log, PathStep, Resource, Site, Tag, tag_slug

CONFIG = """\
site:
  title: Learning
  base_url: https://example.org/
  theme: {theme}
search: false
social_images: false
"""


def _log(day: str, *tags: str) -> str:
    return f"---\ntitle: Log of {day}\ntags: [{', '.join(tags)}]\n---\nText.\n"


FILES: dict[str, str | bytes] = {
    # The newest log is on 2026-11-20: the window is 2026-10-22 .. 2026-11-20.
    "logs/2026-11-20-a.md": _log("2026-11-20", "rust", "databases"),
    "logs/2026-11-18-b.md": _log("2026-11-18", "rust"),
    "logs/2026-11-01-c.md": _log("2026-11-01", "rust", "databases"),
    "logs/2026-10-22-d.md": _log("2026-10-22", "databases"),  # the window's first day
    "logs/2026-10-21-e.md": _log("2026-10-21", "python", "python2"),  # one day too old
    "resources/atomics.yaml": "title: Rust Atomics and Locks\ncategories: [Rust]\n",
    "resources/ddia.yaml": "title: DDIA\ncategories: [databases]\nstatus: to-read\n",
    "resources/nomicon.yaml": "title: Nomicon\ncategories: [rust]\nstatus: in-progress\n",
    "resources/book.yaml": "title: The Book\ncategories: [rust]\nstatus: done\n",
    "resources/fluent.yaml": "title: Fluent Python\ncategories: [python]\n",
    "paths/storage.yaml": (
        "title: Storage\nsteps:\n"
        "  - {title: Read about pages, done: true}\n"
        "  - {title: Write a WAL, resource: ddia}\n"
        "  - {title: Compaction}\n"
    ),
    "paths/compilers.yaml": "title: Compilers\nsteps:\n  - {title: Lexing}\n  - {title: Parsing}\n",
    "paths/done.yaml": "title: Finished\nsteps:\n  - {title: Only step, done: true}\n",
}


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def _site(tmp_path: Path, files: dict[str, str | bytes] = FILES, theme: str = "default") -> Path:
    return write_site(tmp_path / "site", files, config=CONFIG.format(theme=theme))


def _build(site: Path, out: Path) -> BuildResult:
    result = build_site(site, BuildOptions(output_dir=out, offline=True))
    assert not result.diagnostics.has_errors, [d.format() for d in result.diagnostics]
    return result


def _section(html: str) -> str:
    """The text of the "What to learn next" section, tags removed, spaces collapsed."""
    start = html.index("<section", html.index('id="next-title"') - 120)
    section = html[start : html.index("</section>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


# -- the computation ------------------------------------------------------------------------


def _path(*done: bool) -> LearningPath:
    steps = tuple(PathStep(f"Step {n}", done=d) for n, d in enumerate(done, 1))
    return LearningPath("paths/p.yaml", "p", "P", steps=steps)


def test_a_path_is_active_between_its_first_and_its_last_step() -> None:
    assert not is_active(_path())
    assert not is_active(_path(False, False))
    assert is_active(_path(True, False, False))
    assert is_active(_path(False, True, False))  # done out of order still counts
    assert not is_active(_path(True, True))
    step = next_step(_path(True, False, False))
    assert step is not None and (step.step.title, step.number, step.done, step.total) == (
        "Step 2",
        2,
        1,
        3,
    )
    assert next_step(_path(True, True)) is None


def _model_log(day: dt.date, *tags: str) -> Log:
    moment = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    return Log(
        source=f"logs/{day}.md",
        slug=str(day),
        title=str(day),
        date=day,
        timestamp=moment,
        body="",
        body_line=1,
        tags=tuple(Tag(tag_slug(t), t) for t in tags),
    )


def test_recent_tags_are_counted_in_the_30_days_that_end_on_the_newest_log() -> None:
    newest = dt.date(2026, 3, 30)
    logs = [
        _model_log(newest, "rust"),
        _model_log(newest - dt.timedelta(days=29), "rust", "C++"),  # the window's first day
        _model_log(newest - dt.timedelta(days=30), "go", "rust"),  # outside
    ]
    assert recent_tag_counts(logs) == {"rust": 2, "c-plus-plus": 1}
    assert recent_tag_counts([]) == {}


def test_resources_match_by_category_as_tags_match_and_the_best_reason_comes_first() -> None:
    newest = dt.date(2026, 3, 30)
    logs = (
        _model_log(newest, "rust", "C++"),
        _model_log(newest - dt.timedelta(days=1), "rust"),
    )
    resources = (
        Resource("r/a.yaml", "a", "Zeta", categories=("c++",)),
        Resource("r/b.yaml", "b", "Alpha", categories=("C++", "Rust")),
        Resource("r/c.yaml", "c", "Beta", categories=("rust",), status="done"),
        Resource("r/d.yaml", "d", "Gamma", categories=("go",)),
    )
    recommendations = compute_recommendations(Site(logs=logs, resources=resources))
    picks = [(p.resource.slug, p.tag, p.logs) for p in recommendations.resources]
    assert picks == [("b", "rust", 2), ("a", "c-plus-plus", 1)]
    assert recommendations.until == newest
    assert compute_recommendations(Site(resources=resources)).resources == ()


# -- the site -------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["default", "minimal"])
def test_home_and_path_pages_show_what_to_learn_next_with_reasons(
    tmp_path: Path, theme: str
) -> None:
    out = tmp_path / "out"
    _build(_site(tmp_path, theme=theme), out)
    home = _section((out / "index.html").read_text())
    assert "What to learn next" in home
    # The active path's next step (not the unstarted one, not the finished one).
    assert "Write a WAL" in home and "next step of Storage, 1 of 3 steps done" in home
    assert "Lexing" not in home and "Only step" not in home
    # To-read resources matching the recent tags (databases and rust, 3 logs each); DDIA is
    # the next step's resource already, in-progress and done resources are not suggested,
    # and the Python log is a day too old.
    assert "because you wrote 3 logs on #rust in the last 30 days" in home
    assert home.index("Rust Atomics and Locks") < home.index("because you wrote 3 logs")
    for absent in ("DDIA because", "Nomicon", "The Book", "Fluent Python", "#databases"):
        assert absent not in home
    # A path's own page: its next step, even before it is started; resources as on home.
    compilers = _section((out / "paths/compilers/index.html").read_text())
    assert "Lexing" in compilers and "next step of Compilers, 0 of 2 steps done" in compilers
    assert "Write a WAL" not in compilers
    assert "Rust Atomics and Locks" in compilers
    storage = _section((out / "paths/storage/index.html").read_text())
    assert "Write a WAL" in storage and "DDIA" in storage
    assert "databases" not in storage  # DDIA is shown once, as the step's resource


def test_one_log_gives_a_singular_reason(tmp_path: Path) -> None:
    files = {
        "logs/2026-11-20-a.md": _log("2026-11-20", "go"),
        "resources/tour.yaml": "title: A Tour of Go\ncategories: [go]\n",
    }
    out = tmp_path / "out"
    _build(_site(tmp_path, files), out)
    assert "because you wrote 1 log on #go in the last 30 days" in _section(
        (out / "index.html").read_text()
    )


@pytest.mark.parametrize("theme", ["default", "minimal"])
def test_nothing_is_shown_when_nothing_matches(tmp_path: Path, theme: str) -> None:
    files = {
        "logs/2026-11-20-a.md": _log("2026-11-20", "rust"),
        "resources/fluent.yaml": "title: Fluent Python\ncategories: [python]\n",
        "paths/done.yaml": "title: Finished\nsteps:\n  - {title: Only step, done: true}\n",
    }
    out = tmp_path / "out"
    _build(_site(tmp_path, files, theme=theme), out)
    assert "What to learn next" not in (out / "index.html").read_text()
    assert "What to learn next" not in (out / "paths/done/index.html").read_text()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_incremental_edits_update_the_home_page_as_a_cold_build_does(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    _build(site, out)
    # A new log moves the window on (2026-10-22 falls out, python comes in); a step done
    # moves the path on, so DDIA is no longer the next step's resource.
    (site / "logs/2026-11-21-f.md").write_text(_log("2026-11-21", "databases", "python"))
    storage = site / "paths/storage.yaml"
    storage.write_text(
        storage.read_text().replace("resource: ddia}", "resource: ddia, done: true}")
    )
    _build(site, out)
    home = _section((out / "index.html").read_text())
    assert "Compaction" in home and "2 of 3 steps done" in home
    assert "because you wrote 3 logs on #databases in the last 30 days" in home
    assert home.index("DDIA") < home.index("Rust Atomics and Locks")  # a tie: by tag
    assert "Fluent Python" in home and "1 log on #python" in home
    cold = tmp_path / "cold"
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns(".tamatar"))
    _build(cold, tmp_path / "cold-out")
    assert _tree(out) == _tree(tmp_path / "cold-out")

    # The log deleted again: back to what the first build showed.
    (site / "logs/2026-11-21-f.md").unlink()
    _build(site, out)
    home = _section((out / "index.html").read_text())
    assert "Fluent Python" not in home and "3 logs on #databases" in home
