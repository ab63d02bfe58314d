"""View models: tag colours with contrast, summaries, initials, views built from the model."""

from __future__ import annotations

import datetime as dt

import pytest
from markupsafe import Markup

from tamatar_site.config import SiteConfig
from tamatar_site.model import Goal, Milestone, Project, Resource, Tag
from tamatar_site.render.i18n import ENGLISH
from tamatar_site.render.markdown.summary import summarize
from tamatar_site.render.views import content as v
from tamatar_site.render.views import learning as lv


@pytest.mark.parametrize(
    ("background", "text"),
    [("#dea584", "#000000"), ("#000", "#ffffff"), ("#ffffff", "#000000"), ("#3572a5", "#ffffff")],
)
def test_contrast_text_color(background: str, text: str) -> None:
    assert v.contrast_text_color(background) == text


def test_tag_badges_carry_colours_descriptions_counts_and_feeds() -> None:
    config = SiteConfig.model_validate(
        {"site": {"title": "t"}, "tags": {"rust": {"color": "#dea584", "description": "Systems"}}}
    )
    tags = v.TagViews(config, {"rust": "Rust"})
    tags.set_counts({"rust": 3})
    rust = tags.view(Tag("rust", "rust"))
    assert rust == v.TagView(
        slug="rust",
        name="Rust",
        permalink="tags/rust/",
        count=3,
        description="Systems",
        style="--tag-bg:#dea584;--tag-fg:#000000",
        feed_path="tags/rust/feed.xml",
    )
    assert tags.view("python").style == ""
    assert tags.view("rust") is rust  # built once


def test_no_tag_feeds_without_atom() -> None:
    config = SiteConfig.model_validate({"site": {"title": "t"}, "feeds": {"formats": ["rss"]}})
    assert v.TagViews(config, {}).view("x").feed_path is None


def test_summarize_cuts_at_a_word() -> None:
    assert summarize("short  text here.") == "short text here."
    # One line per block: list items and table cells do not run together.
    assert summarize("Done:\nSize-tiered compaction\nWrite stalls") == (
        "Done: Size-tiered compaction. Write stalls."
    )
    long = "word " * 100
    summary = summarize(long, 30)
    assert summary.endswith("…") and len(summary) <= 31
    assert "wor…" not in summary


def test_initials_and_reading_time() -> None:
    assert v.initials("Asha Rao") == "AR"
    assert v.initials("") == "?"
    assert v.reading_minutes(440) == 2
    assert v.reading_minutes(0) == 1


def test_project_and_resource_views() -> None:
    project = Project(
        "projects/t.yaml",
        "t",
        "Tamatar",
        repo="asha/tamatar",
        milestones=(Milestone("First", True, dt.date(2026, 1, 1)),),
    )
    view = v.project_view(project, html="<p>Hi</p>", text="Hi")
    assert view.repo_url == "https://github.com/asha/tamatar"
    assert isinstance(view.description_html, Markup)
    assert (view.description_html, view.summary) == (Markup("<p>Hi</p>"), "Hi.")
    assert view.milestones == (v.MilestoneView("First", True, dt.date(2026, 1, 1)),)
    resource = Resource("resources/b.yaml", "b", "Book", type="book", status="in-progress")
    rv = lv.resource_view(resource, "", ENGLISH)
    assert (rv.type_label, rv.status_label, rv.difficulty_label) == ("Book", "In progress", "")


def test_goal_view_links_dependencies_by_title() -> None:
    config = SiteConfig.model_validate({"site": {"title": "t"}})
    goal = Goal(
        "goals/b.yaml",
        "b",
        "B",
        depends_on=("a",),
        milestones=(Milestone("x", True), Milestone("y")),
    )
    view = lv.goal_view(goal, "", {"a": "Learn A"}, v.TagViews(config, {}), ENGLISH)
    assert view.depends_on == (v.LinkView("Learn A", "goals/a/"),)
    assert view.progress == 50
    assert view.type_label == "Skill development"
