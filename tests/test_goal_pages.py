"""Goal pages (`goals/<slug>/`): the quest chain in dependency order with each goal's
status, the goals that depend on it, and the logs, projects and resources that belong to
it (through the logs that name it in `goals:`); in both themes, and after incremental
builds exactly as a cold build makes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pagetree import Element, page
from sitefiles import FIXED_EPOCH, write_site
from test_incremental import _cold, _edit, _ok, _tree

from tamatar_site.build.pipeline import BuildOptions
from tamatar_site.build.session import SiteBuilder
from tamatar_site.cli import main

CONFIG = "site:\n  title: Quests\n  base_url: https://example.org/q/\n  theme: {theme}\n"

FILES = {
    # a chain of three: basics <- crate <- talk; `side` depends on basics too
    "goals/talk.yaml": "title: Give a talk\nstatus: paused\ndepends_on: [crate]\n",
    "goals/crate.yaml": (
        "title: Ship a crate\ndescription: Publish *it*.\ndepends_on: [basics]\n"
        "target_date: 2027-01-31\nmilestones:\n"
        "  - {title: Parser, date: 2026-10-01, done: true}\n  - {title: Docs, done: false}\n"
    ),
    "goals/basics.yaml": "title: Learn the basics\nstatus: completed\n",
    "goals/side.yaml": "title: A side quest\ndepends_on: [basics]\n",
    "projects/lexer.yaml": "name: Lexer\n",
    "resources/book.yaml": "title: The Book\nstatus: done\n",
    "logs/2026-10-01-first.md": (
        "---\ntitle: First steps\ngoals: [crate]\nproject: lexer\n---\nStarted.\n"
    ),
    "logs/2026-10-05-second.md": (
        "---\ntitle: Reading more\ngoals: [crate, basics]\nresources: [book]\n---\nRead.\n"
    ),
    "logs/2026-10-09-third.md": "---\ntitle: Unrelated\n---\nNothing.\n",
}


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def build(site: Path, out: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["build", str(site), "-o", str(out), "--offline"],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(params=["default", "minimal"])
def out(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    site = write_site(tmp_path / "site", FILES, config=CONFIG.format(theme=request.param))
    build(site, tmp_path / "out")
    return tmp_path / "out"


def chain(main: Element) -> list[str]:
    return [li.text for li in main.find("ol", cls="quest-chain").items()]


def test_the_chain_of_three_in_order_with_statuses(out: Path) -> None:
    talk = chain(page(out, "goals/talk/"))
    assert len(talk) == 3
    assert talk[0].startswith("Learn the basics") and "completed" in talk[0]
    assert talk[1].startswith("Ship a crate") and "active" in talk[1]
    assert talk[2].startswith("Give a talk") and "paused" in talk[2] and "this goal" in talk[2]
    # from the start of the chain: everything after it, the side quest included
    basics = chain(page(out, "goals/basics/"))
    assert [t.split(" ")[0] for t in basics] == ["Learn", "Ship", "A", "Give"]
    assert "this goal" in basics[0]
    # the other goals are links; the page's own goal is not
    hrefs = page(out, "goals/crate/").find("ol", cls="quest-chain").hrefs()
    assert hrefs == ["/q/goals/basics/", "/q/goals/talk/"]


def test_dependencies_and_dependants_are_linked(out: Path) -> None:
    crate = page(out, "goals/crate/")
    hrefs = crate.hrefs()
    assert "/q/goals/basics/" in hrefs and "/q/goals/talk/" in hrefs
    text = crate.text
    assert "Depends on: Learn the basics" in text
    assert "Needed by: Give a talk" in text
    basics = page(out, "goals/basics/").text
    assert "Needed by: Ship a crate, A side quest" in basics
    # nothing depends on the side quest
    assert "Needed by" not in page(out, "goals/side/").text


def test_the_logs_projects_and_resources_of_a_goal(out: Path) -> None:
    crate = page(out, "goals/crate/")
    logs = [a for a in crate.find_all("a") if "/logs/" in a.attrs["href"]]
    assert [a.text for a in logs] == ["Reading more", "First steps"]  # newest first
    assert logs[0].attrs["href"] == "/q/logs/2026/10/05/second/"
    assert "/q/projects/lexer/" in crate.hrefs()
    assert "/q/resources/book/" in crate.hrefs()
    assert "Unrelated" not in crate.text
    assert "Publish it." in crate.text and "Parser" in crate.text and "1 Oct 2026" in crate.text
    talk = page(out, "goals/talk/")
    assert "No log names this goal yet." in talk.text


def test_the_goals_list_links_each_goal_page(out: Path) -> None:
    listing = page(out, "goals/")
    for slug in ("talk", "crate", "basics", "side"):
        assert f"/q/goals/{slug}/" in listing.hrefs()
        assert (out / "goals" / slug / "index.html").is_file()


def test_renaming_a_logs_goals_moves_it_like_a_cold_build(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, config=CONFIG.format(theme="default"))
    options = BuildOptions(output_dir=tmp_path / "out", offline=True)
    builder = SiteBuilder(site)
    _ok(builder.build(options))
    edited = _edit(site, "logs/2026-10-01-first.md", "goals: [crate]", "goals: [side]")
    _ok(builder.build(options, changed={edited}))
    assert _tree(tmp_path / "out") == _cold(site, tmp_path, "renamed")
    assert "First steps" not in page(tmp_path / "out", "goals/crate/").text
    assert "First steps" in page(tmp_path / "out", "goals/side/").text
    assert "/q/projects/lexer/" in page(tmp_path / "out", "goals/side/").hrefs()

    # a new title of a log shows on its goal's page; its text alone changes no goal page
    edited = _edit(site, "logs/2026-10-05-second.md", "Reading more", "Reading on")
    _ok(builder.build(options, changed={edited}))
    assert "Reading on" in page(tmp_path / "out", "goals/basics/").text
    edited = _edit(site, "logs/2026-10-05-second.md", "Read.", "Read it all.")
    _ok(builder.build(options, changed={edited}))
    assert _tree(tmp_path / "out") == _cold(site, tmp_path, "text")


def test_a_deleted_goal_takes_its_page_with_it(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, config=CONFIG.format(theme="minimal"))
    out = tmp_path / "out"
    build(site, out)
    assert (out / "goals/side/index.html").is_file()
    (site / "goals/side.yaml").unlink()
    build(site, out)
    assert not (out / "goals/side").exists()
    assert "A side quest" not in page(out, "goals/basics/").text
    assert _tree(out) == _cold(site, tmp_path, "deleted")
