"""load_site: the model.Site it builds from valid sites (dates, slugs, tags, drafts, order)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.model import Milestone, PathStep, Tag
from tamatar_site.validate import load_site

EXAMPLE_SITE = Path(__file__).resolve().parent.parent / "example-site"
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
CONFIG = "site:\n  title: T\n  timezone: Asia/Kolkata\n"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def _log(front_matter: str, body: str = "Body\n") -> str:
    return f"---\n{front_matter}---\n{body}"


def test_example_site_loads_completely() -> None:
    loaded = load_site(EXAMPLE_SITE)
    assert list(loaded.diagnostics) == []
    assert loaded.config is not None
    assert loaded.config.site.base_url.path == "/devlog/"
    site = loaded.site
    assert site is not None
    assert len(site.logs) == 44
    assert site.logs[0].date == dt.date(2026, 11, 20)
    assert site.logs[-1].date == dt.date(2026, 8, 3)
    assert len({log.date.month for log in site.logs}) == 4
    assert [len(site.projects), len(site.resources), len(site.goals)] == [5, 11, 5]
    assert [len(site.paths), len(site.snippets)] == [2, 3]
    assert [p.slug for p in site.projects if p.repo] == ["hello-world"]
    assert any(goal.depends_on for goal in site.goals)
    assert site.tag_names["rust"] == "Rust"


def test_drafts_are_validated_but_left_out_unless_asked_for() -> None:
    assert load_site(EXAMPLE_SITE).site is not None
    with_drafts = load_site(EXAMPLE_SITE, include_drafts=True).site
    assert with_drafts is not None
    assert len(with_drafts.logs) == 45
    assert with_drafts.logs[0].draft


def test_log_fields_slug_and_permalink(tmp_path: Path) -> None:
    site_dir = write_site(
        tmp_path,
        {
            "logs/2026/2026-11-21-lifetimes.md": _log(
                "title: Lifetimes\ntags: [Rust]\nproject: p\nmood: 8\nproductivity: 7\n"
                "focus_minutes: 95\nresources: [book]\ncommits: auto\n"
            ),
            "projects/p.yaml": "name: P\n",
            "resources/book.yaml": "title: Book\n",
        },
        config=CONFIG,
    )
    site = load_site(site_dir).site
    assert site is not None
    [log] = site.logs
    assert log.source == "logs/2026/2026-11-21-lifetimes.md"
    assert log.slug == "lifetimes"
    assert log.date == dt.date(2026, 11, 21)
    assert log.timestamp == dt.datetime(2026, 11, 21, tzinfo=KOLKATA)
    assert log.permalink == "logs/2026/11/21/lifetimes/"
    assert (log.mood, log.productivity, log.focus_minutes) == (8, 7, 95)
    assert (log.project, log.resources, log.commits) == ("p", ("book",), "auto")
    assert log.tags == (Tag("rust", "Rust"),)
    assert (log.body, log.body_line) == ("Body\n", 11)


@pytest.mark.parametrize(
    "date_line, local_date, timestamp",
    [
        ("date: 2026-11-21", dt.date(2026, 11, 21), dt.datetime(2026, 11, 21, 0, 0)),
        ("date: 2026-11-21 23:00:00", dt.date(2026, 11, 21), dt.datetime(2026, 11, 21, 23, 0)),
        # 20:00 in New York is 06:30 the next day in Kolkata
        (
            "date: 2026-11-20T20:00:00-05:00",
            dt.date(2026, 11, 21),
            dt.datetime(2026, 11, 21, 6, 30),
        ),
        ("date: '2026-11-21'", dt.date(2026, 11, 21), dt.datetime(2026, 11, 21, 0, 0)),
        ("date: '2026-11-21T09:15'", dt.date(2026, 11, 21), dt.datetime(2026, 11, 21, 9, 15)),
    ],
)
def test_dates_are_read_in_the_site_time_zone(
    tmp_path: Path, date_line: str, local_date: dt.date, timestamp: dt.datetime
) -> None:
    site_dir = write_site(tmp_path, {"logs/x.md": _log(f"title: X\n{date_line}\n")}, config=CONFIG)
    site = load_site(site_dir).site
    assert site is not None
    assert site.logs[0].date == local_date
    assert site.logs[0].timestamp == timestamp.replace(tzinfo=KOLKATA)


def test_slug_field_overrides_the_file_name(tmp_path: Path) -> None:
    site_dir = write_site(
        tmp_path, {"logs/2026-11-01-long-name.md": _log("title: X\nslug: short\n")}
    )
    site = load_site(site_dir).site
    assert site is not None
    assert site.logs[0].slug == "short"


def test_logs_are_sorted_newest_first(tmp_path: Path) -> None:
    site_dir = write_site(
        tmp_path,
        {
            "logs/2026-11-02-b.md": _log("title: B\n"),
            "logs/2026-11-03-c.md": _log("title: C\n"),
            "logs/2026-11-01-a.md": _log("title: A\n"),
            "logs/2026-11-02-a-later.md": _log("title: A2\ndate: 2026-11-02 18:00:00\n"),
        },
    )
    site = load_site(site_dir).site
    assert site is not None
    assert [log.slug for log in site.logs] == ["c", "a-later", "b", "a"]


def test_tags_are_normalised_site_wide(tmp_path: Path) -> None:
    site_dir = write_site(
        tmp_path,
        {
            "logs/2026-11-01-a.md": _log("title: A\ntags: [Rust, ' rust ', Machine  Learning]\n"),
            "logs/2026-11-02-b.md": _log("title: B\ntags: [rust, C++, machine-learning]\n"),
            "goals/g.yaml": "title: G\ntags: [RUST, c#]\n",
            "snippets/s.md": "---\ntitle: S\ntags: [rust]\n---\n```rust\nfn main() {}\n```\n",
        },
    )
    site = load_site(site_dir).site
    assert site is not None
    by_slug = {log.slug: log for log in site.logs}
    assert by_slug["a"].tags == (Tag("rust", "Rust"), Tag("machine-learning", "Machine Learning"))
    assert by_slug["b"].tags == (
        Tag("rust", "Rust"),
        Tag("c-plus-plus", "C++"),
        Tag("machine-learning", "Machine Learning"),
    )
    assert site.goals[0].tags == (Tag("rust", "Rust"), Tag("c-sharp", "c#"))
    assert site.snippets[0].tags == (Tag("rust", "Rust"),)
    assert site.tag_names == {
        "c-plus-plus": "C++",
        "c-sharp": "c#",
        "machine-learning": "Machine Learning",
        "rust": "Rust",
    }


def test_project_resource_goal_path_snippet_fields(tmp_path: Path) -> None:
    site_dir = write_site(
        tmp_path,
        {
            "projects/kv.yaml": (
                "name: KV\nstatus: completed\ntech_stack: [rust]\nstart_date: 2026-01-01\n"
                "end_date: 2026-02-01\nrepo: octocat/Hello-World\nlive_url: https://kv.dev\n"
                "featured: true\nmilestones:\n  - {title: WAL, date: 2026-01-10, done: true}\n"
            ),
            "resources/book.yaml": (
                "title: Book\nurl: https://example.org/book\ntype: book\ndifficulty: advanced\n"
                "rating: 4\ncategories: db\nstatus: done\nreview: Good.\nadded: 2026-01-02\n"
            ),
            "goals/a.yaml": "title: A\ndepends_on: [b]\nmilestones:\n  - {title: x, done: true}\n"
            "  - {title: y}\n",
            "goals/b.yaml": "title: B\nstatus: completed\n",
            "goals/c.yaml": "title: C\nprogress: 40\n",
            "resources/course.yaml": "title: Course\nrating: 4.5\nstatus: done\n"
            "started: 2026-02-01\nfinished: 2026-03-15\n",
            "logs/2026-03-02-study.md": "---\ntitle: Study\ngoals: [a, c]\n---\nText.\n",
            "paths/p.yaml": "title: P\nestimated_hours: 12.5\nsteps:\n"
            "  - {title: read, resource: book, done: true}\n  - {title: build}\n",
            "snippets/s.md": "---\ntitle: S\nlanguage: rust\ndate: 2026-03-01\n---\n```rust\n```\n",
        },
    )
    site = load_site(site_dir).site
    assert site is not None
    [project] = site.projects
    assert (project.slug, project.status, project.repo, project.featured) == (
        "kv",
        "completed",
        "octocat/Hello-World",
        True,
    )
    assert project.milestones == (Milestone("WAL", True, dt.date(2026, 1, 10)),)
    resource, course = sorted(site.resources, key=lambda r: r.slug)
    assert (resource.type, resource.rating, resource.categories) == ("book", 4, ("db",))
    assert str(resource.rating) == "4"  # a whole rating is shown without `.0`
    assert resource.added == dt.date(2026, 1, 2)
    assert (resource.started, resource.finished) == (None, None)
    assert course.rating == 4.5
    assert (course.started, course.finished) == (dt.date(2026, 2, 1), dt.date(2026, 3, 15))
    [log] = site.logs
    assert log.goals == ("a", "c")
    goals = {goal.slug: goal for goal in site.goals}
    assert goals["a"].depends_on == ("b",)
    assert [goals["a"].progress, goals["b"].progress, goals["c"].progress] == [50, 100, 40]
    [path] = site.paths
    assert path.steps == (PathStep("read", "book", True), PathStep("build", None, False))
    assert (path.estimated_hours, path.progress) == (12.5, 50)
    [snippet] = site.snippets
    assert (snippet.language, snippet.date, snippet.body_line) == ("rust", dt.date(2026, 3, 1), 6)


def test_broken_config_still_reports_content_errors(tmp_path: Path) -> None:
    site_dir = write_site(
        tmp_path,
        {
            "tamatar.yaml": "site:\n  title: T\n  timezone: Asia/Kolkata\n  colour: red\n",
            "logs/2026-11-01-a.md": _log("title: A\nmood: 11\n"),
        },
    )
    loaded = load_site(site_dir)
    assert loaded.config is None
    assert loaded.site is None
    assert [d.format() for d in loaded.diagnostics] == [
        "logs/2026-11-01-a.md:3:1: error: `mood` must be at most 10 (got 11)",
        "tamatar.yaml:4:3: error: unknown key `colour` in `site`",
    ]


def test_not_a_folder(tmp_path: Path) -> None:
    loaded = load_site(tmp_path / "missing")
    assert [d.message for d in loaded.diagnostics] == [
        f"`{tmp_path / 'missing'}` is not a folder with a site in it"
    ]


def test_empty_lists_and_text_may_be_left_blank(tmp_path: Path) -> None:
    site_dir = write_site(
        tmp_path,
        {
            "projects/p.yaml": "name: P\ndescription:\nmilestones:\ntech_stack:\n",
            "paths/x.yaml": "title: X\nsteps:\n",
            "resources/r.yaml": "title: R\nreview:\ncategories: databases\n",
        },
    )
    site = load_site(site_dir).site
    assert site is not None
    assert (site.projects[0].description, site.projects[0].milestones) == ("", ())
    assert site.projects[0].tech_stack == ()
    assert site.paths[0].steps == ()
    assert (site.resources[0].review, site.resources[0].categories) == ("", ("databases",))


def test_avatar_may_be_a_url_or_an_existing_file(tmp_path: Path) -> None:
    for avatar in ("https://example.org/me.png", "static/me.png"):
        config = f"site: {{title: T}}\nprofile: {{avatar: '{avatar}'}}\n"
        site_dir = write_site(tmp_path / avatar[:5], {"static/me.png": b"png"}, config=config)
        assert list(load_site(site_dir).diagnostics) == []
