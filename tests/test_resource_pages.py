"""Resource pages (`resources/<slug>/`): the review, the rating in half stars (read out as
a sentence, drawn as stars), the dates, and every log that cites the resource, newest
first; the category filter pages; the API's `url`; in both themes, and after incremental
builds exactly as a cold build makes them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pagetree import Element, page
from sitefiles import FIXED_EPOCH, write_site
from test_incremental import _cold, _edit, _ok, _tree

from tamatar_site.build.pipeline import BuildOptions
from tamatar_site.build.session import SiteBuilder
from tamatar_site.cli import main

CONFIG = "site:\n  title: Shelf\n  base_url: https://example.org/s/\n  theme: {theme}\n"

FILES = {
    "resources/book.yaml": (
        "title: The Book\nurl: https://example.org/book\ntype: book\nrating: 4.5\n"
        "difficulty: beginner\nstatus: done\ncategories: [Rust, Systems programming]\n"
        "started: 2026-09-01\nfinished: 2026-10-15\n"
        "review: |\n  Chapter 10 is **the** one.\n"
    ),
    "resources/talk.yaml": "title: A Talk\ntype: video\nrating: 3\ncategories: [rust]\n",
    "resources/paper.yaml": "title: A Paper\ncategories: [databases]\n",
    "paths/learn.yaml": "title: Learn\nsteps:\n  - {title: Read, resource: book, done: true}\n",
    "logs/2026-10-01-a.md": "---\ntitle: Opened it\nresources: [book]\n---\nA.\n",
    "logs/2026-10-20-b.md": "---\ntitle: Finished it\nresources: [book, talk]\n---\nB.\n",
    "logs/2026-10-09-c.md": "---\ntitle: Between\nresources: [book]\n---\nC.\n",
    "logs/2026-10-10-d.md": "---\ntitle: Not citing\n---\nD.\n",
}


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def build(site: Path, out: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(site), "-o", str(out), "--offline"])
    assert result.exit_code == 0, result.output


@pytest.fixture(params=["default", "minimal"])
def out(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    site = write_site(tmp_path / "site", FILES, config=CONFIG.format(theme=request.param))
    build(site, tmp_path / "out")
    return tmp_path / "out"


def rating(main: Element) -> Element:
    return main.find("span", cls="rating")


def test_half_star_rating_is_read_out_and_drawn(out: Path) -> None:
    book = rating(page(out, "resources/book/"))
    assert book.find("span", cls="visually-hidden").text == "Rated 4.5 out of 5"
    stars = book.find("span", cls="stars")
    assert stars.attrs["aria-hidden"] == "true"
    assert stars.text.startswith("★★★★")  # four full stars, then the half one
    half = stars.find("span", cls="star-half")
    assert half.find("span", cls="star-half-fill").text == "★"
    assert stars.text == "★★★★☆★"  # text order: 4 full, the half (hollow + fill), no empty
    talk = rating(page(out, "resources/talk/"))
    assert talk.find("span", cls="visually-hidden").text == "Rated 3 out of 5"
    assert talk.find("span", cls="stars").text == "★★★☆☆"
    assert not talk.find_all(cls="star-half")
    # the list draws the same stars
    listed = page(out, "resources/").find_all("span", cls="rating")
    assert [r.find("span", cls="visually-hidden").text for r in listed] == [
        "Rated 3 out of 5",
        "Rated 4.5 out of 5",
    ]


def test_the_review_dates_and_facts(out: Path) -> None:
    book = page(out, "resources/book/")
    assert book.find("h1").text == "The Book"
    assert "Chapter 10 is the one." in book.text
    assert book.find_all("strong")[0].text == "the"
    times = {t.attrs["datetime"] for t in book.find_all("time")}
    assert {"2026-09-01", "2026-10-15"} <= times
    assert "https://example.org/book" in book.hrefs()
    assert "/s/paths/learn/" in book.hrefs()
    # categories link to their filter pages; "Rust" and "rust" are one category
    assert "/s/resources/category/rust/" in book.hrefs()
    assert "/s/resources/category/systems-programming/" in book.hrefs()


def test_backlinks_newest_first(out: Path) -> None:
    book = page(out, "resources/book/")
    logs = [a for a in book.find_all("a") if "/logs/" in a.attrs["href"]]
    assert [a.text for a in logs] == ["Finished it", "Between", "Opened it"]
    assert logs[0].attrs["href"] == "/s/logs/2026/10/20/b/"
    assert "Not citing" not in book.text
    assert "No log cites it yet." in page(out, "resources/paper/").text


def test_category_filter_pages(out: Path) -> None:
    rust = page(out, "resources/category/rust/")
    titles = [h.text for h in rust.find_all("h3")]
    assert sorted(titles) == ["A Talk", "The Book"]
    assert [h.text for h in page(out, "resources/category/databases/").find_all("h3")] == [
        "A Paper"
    ]
    current = [a for a in rust.find_all("a") if a.attrs.get("aria-current") == "page"]
    assert [a.attrs["href"] for a in current] == ["/s/resources/category/rust/"]
    listing = page(out, "resources/")
    for key in ("rust", "systems-programming", "databases"):
        assert f"/s/resources/category/{key}/" in listing.hrefs()
    for slug in ("book", "talk", "paper"):
        assert f"/s/resources/{slug}/" in listing.hrefs()


def test_the_api_points_at_the_resource_page(out: Path) -> None:
    data = json.loads((out / "api/v1/resources.json").read_text(encoding="utf-8"))
    urls = {r["slug"]: r["url"] for r in data["resources"]}
    assert urls["book"] == "https://example.org/s/resources/book/"


def test_moving_a_citation_and_deleting_a_resource_like_a_cold_build(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", FILES, config=CONFIG.format(theme="default"))
    out = tmp_path / "out"
    options = BuildOptions(output_dir=out, offline=True)
    builder = SiteBuilder(site)
    _ok(builder.build(options))
    edited = _edit(site, "logs/2026-10-01-a.md", "resources: [book]", "resources: [paper]")
    _ok(builder.build(options, changed={edited}))
    assert _tree(out) == _cold(site, tmp_path, "moved")
    assert "Opened it" not in page(out, "resources/book/").text
    assert "Opened it" in page(out, "resources/paper/").text

    edited = _edit(site, "logs/2026-10-01-a.md", "resources: [paper]", "resources: []")
    (site / "resources/paper.yaml").unlink()
    _ok(builder.build(options, changed={edited, (site / "resources/paper.yaml").absolute()}))
    assert not (out / "resources/paper").exists()
    assert not (out / "resources/category/databases").exists()
    assert _tree(out) == _cold(site, tmp_path, "deleted")


def test_categories_that_differ_only_in_signs_have_their_own_pages(tmp_path: Path) -> None:
    """`C`, `C#` and `C++` are three categories, named as tags are."""
    files = {
        f"resources/{slug}.yaml": f"title: {slug.upper()} book\ncategories: [{category}]\n"
        for slug, category in (("c", "C"), ("cs", "C#"), ("cpp", '"C++"'))
    }
    site = write_site(tmp_path / "site", files, config=CONFIG.format(theme="default"))
    build(site, tmp_path / "out")
    for key, title in (("c", "C book"), ("c-sharp", "CS book"), ("c-plus-plus", "CPP book")):
        listed = page(tmp_path / "out", f"resources/category/{key}/").find_all("h3")
        assert [h.text for h in listed] == [title]
