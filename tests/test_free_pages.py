"""Free-form pages: `pages/<slug>.md` -> `<slug>/`, validated like every other kind, in the
navigation of both shipped themes and the sitemap, rebuilt incrementally, `tamatar new page`."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from searchindex import comparable
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.build import manifest
from tamatar_site.build.pipeline import BuildOptions, BuildResult, build_site
from tamatar_site.build.session import SiteBuilder
from tamatar_site.cli import main
from tamatar_site.layout import BUILT_IN_ROUTES
from tamatar_site.serve.watch import ChangeKind, belongs_to_site, classify
from tamatar_site.validate import load_site

CONFIG = """\
site:
  title: Pages
  base_url: https://example.org/log/
  theme: {theme}
following:
  - {{name: Someone, url: "https://example.org/someone/", feed: "https://example.org/feed.xml"}}
"""
ABOUT = """\
---
title: About me
description: Who writes this.
nav: true
order: 1
---
I write about *Rust*. See [my first log](../logs/2026-11-20-first.md).
"""
NOW = """\
---
title: Now
nav: true
order: 2
---
Shipping things.
"""
USES = """\
---
title: Uses
---
A keyboard.
"""
FILES = {
    "logs/2026-11-20-first.md": (
        "---\ntitle: First\ntags: [rust]\n---\nHello, [about](../pages/about.md).\n"
    ),
    "logs/2026-11-21-second.md": "---\ntitle: Second\n---\nMore.\n",
    "projects/p.yaml": "name: P\n",
    "pages/about.md": ABOUT,
    "pages/now.md": NOW,
    "pages/uses.md": USES,
}


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def _site(
    tmp_path: Path, files: dict[str, str | bytes] | None = None, theme: str = "default"
) -> Path:
    return write_site(
        tmp_path / "site", FILES if files is None else files, config=CONFIG.format(theme=theme)
    )


def _ok(result: BuildResult) -> BuildResult:
    assert not result.diagnostics.has_errors, [d.format() for d in result.diagnostics]
    return result


def _tree(root: Path) -> dict[str, bytes]:
    """The output's files, the search index as what it finds (`searchindex.py`)."""
    return comparable(
        {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    )


def _stats(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def _edit(site: Path, relative: str, old: str, new: str) -> Path:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path.absolute()


def _nav(html: str) -> list[str]:
    """The labels of the main navigation, in order."""
    start = html.index("<nav")
    nav = html[start : html.index("</nav>", start)]
    return [part.split("<", 1)[0] for part in nav.split('">')[1:] if not part.startswith("<")]


# -- validation -----------------------------------------------------------------------------


def test_pages_load_in_navigation_order(tmp_path: Path) -> None:
    loaded = load_site(_site(tmp_path))
    assert [d.format() for d in loaded.diagnostics] == []
    assert loaded.site is not None
    pages = loaded.site.pages
    assert [(p.slug, p.title, p.nav, p.order) for p in pages] == [
        ("uses", "Uses", False, 0),
        ("about", "About me", True, 1),
        ("now", "Now", True, 2),
    ]
    about = pages[1]
    assert (about.source, about.description, about.body_line) == (
        "pages/about.md",
        "Who writes this.",
        7,
    )
    assert about.body.startswith("I write about *Rust*.")
    assert about.permalink == "about/"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"pages/a.md": "---\ndescription: no title\n---\nText.\n"},
            ["pages/a.md:2:1: error: missing required key `title`"],
        ),
        (
            {"pages/a.md": "---\ntitle: A\nnva: true\n---\nText.\n"},
            ["pages/a.md:3:1: error: unknown key `nva` (did you mean `nav`?)"],
        ),
        (
            {"pages/a.md": "---\ntitle: A\norder: first\n---\nText.\n"},
            ["pages/a.md:3:1: error: `order` must be a whole number (got `first`)"],
        ),
        (
            {"pages/a.md": "---\ntitle: A\nnav: 'yes'\n---\nText.\n"},
            ["pages/a.md:3:1: error: `nav` must be true or false (got `yes`)"],
        ),
        (
            {"pages/tags.md": "---\ntitle: My tags\n---\nText.\n"},
            [
                "pages/tags.md:1:1: error: file name `tags.md` makes the page `/tags/`, which "
                "clashes with tamatar's built-in `tags` route: rename the file"
            ],
        ),
        (
            {"pages/About Me.md": "---\ntitle: A\n---\nText.\n"},
            [
                "pages/About Me.md:1:1: error: file name `About Me.md` gives the slug "
                "`About Me`, which is not valid: rename the file using lowercase letters, "
                "digits, `-` and `_`"
            ],
        ),
        (
            {
                "pages/a.md": "---\ntitle: A\n---\nOne.\n",
                "pages/more/a.md": "---\ntitle: B\n---\nTwo.\n",
            },
            ["pages/more/a.md:1:1: error: duplicate page slug `a`: pages/a.md uses it already"],
        ),
        (
            {"pages/a.md": "---\ntitle: A\n---\n"},
            ["pages/a.md:3:1: warning: page has no text"],
        ),
        (
            {"pages/a.md": "---\ntitle: A\n---\nSee [nothing](../logs/none.md).\n"},
            [
                'pages/a.md:4:15: warning: broken link "../logs/none.md": no log, project or '
                "page at that path"
            ],
        ),
    ],
    ids=[
        "missing title",
        "unknown key",
        "order not a number",
        "nav not a boolean",
        "built-in route",
        "invalid slug",
        "duplicate slug",
        "empty body",
        "broken link",
    ],
)
def test_bad_pages_are_reported_at_their_position(
    tmp_path: Path, files: dict[str, str | bytes], expected: list[str]
) -> None:
    loaded = load_site(write_site(tmp_path / "site", files))
    lines = [d.format() for d in loaded.diagnostics]
    assert lines == expected


@pytest.mark.parametrize("slug", sorted(BUILT_IN_ROUTES))
def test_every_built_in_route_is_refused_as_a_page_slug(tmp_path: Path, slug: str) -> None:
    loaded = load_site(
        write_site(tmp_path / "site", {f"pages/{slug}.md": "---\ntitle: X\n---\nY\n"})
    )
    assert [d.format().split(": error: ")[0] for d in loaded.diagnostics.errors] == [
        f"pages/{slug}.md:1:1"
    ]
    assert f"built-in `{slug}` route" in loaded.diagnostics.errors[0].message


def test_the_built_in_routes_cover_every_output_tamatar_writes(tmp_path: Path) -> None:
    """BUILT_IN_ROUTES is the first segment of each output path of a site with every kind of
    content, feed and page, apart from the free pages and the site's own static files."""
    example = Path(__file__).parent.parent / "example-site"
    site = tmp_path / "example"
    shutil.copytree(example, site, ignore=shutil.ignore_patterns("_site", ".tamatar"))
    github = example / ".tamatar" / "cache" / "github"
    if github.is_dir():
        shutil.copytree(github, site / ".tamatar" / "cache" / "github")
    out = tmp_path / "out"
    _ok(build_site(site, BuildOptions(output_dir=out, offline=True)))
    pages = {p.stem for p in (site / "pages").glob("*.md")}
    static = {p.name for p in (site / "static").iterdir()}
    first = {
        p.name.split(".", 1)[0]
        for p in out.iterdir()
        if p.name not in static and not p.name.startswith(".")  # `.tamatar-output`
    }
    assert pages <= first
    assert first - pages <= BUILT_IN_ROUTES


# -- output ---------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["default", "minimal"])
def test_pages_are_written_with_navigation_and_sitemap(tmp_path: Path, theme: str) -> None:
    site = _site(tmp_path, theme=theme)
    out = tmp_path / "out"
    _ok(build_site(site, BuildOptions(output_dir=out, offline=True)))
    about = (out / "about/index.html").read_text(encoding="utf-8")
    assert "<h1>About me</h1>" in about
    assert "data-pagefind-body" in about
    assert "<em>Rust</em>" in about
    assert 'href="/log/logs/2026/11/20/first/"' in about  # relative link to a log resolved
    assert '<meta name="description" content="Who writes this.">' in about
    assert f"<title>About me {'·' if theme == 'default' else '—'} Pages</title>" in about
    assert '<a href="/log/about/" aria-current="page">About me</a>' in about
    uses = (out / "uses/index.html").read_text(encoding="utf-8")
    assert "<h1>Uses</h1>" in uses and "A keyboard." in uses
    for page in ("index.html", "logs/index.html", "uses/index.html", "404.html"):
        nav = _nav((out / page).read_text(encoding="utf-8"))
        assert nav[-3:] == ["Following", "About me", "Now"], (page, nav)
        assert "Uses" not in nav
    log = (out / "logs/2026/11/20/first/index.html").read_text(encoding="utf-8")
    assert 'href="/log/about/"' in log  # a log links to a page by its file
    sitemap = ElementTree.parse(out / "sitemap.xml").getroot()
    locs = {el.text for el in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {f"https://example.org/log/{slug}/" for slug in ("about", "now", "uses")} <= locs


# -- incremental builds ---------------------------------------------------------------------


def _changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {path for path, key in after.items() if before.get(path) != key} | (
        before.keys() - after.keys()
    )


def _cold(site: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    copy = tmp_path / f"cold-{name}"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".tamatar"))
    _ok(build_site(copy, BuildOptions(output_dir=tmp_path / f"cold-{name}-out", offline=True)))
    return _tree(tmp_path / f"cold-{name}-out")


def test_editing_a_page_body_rewrites_that_page_only(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    options = BuildOptions(output_dir=out, offline=True)
    _ok(build_site(site, options))
    before = _stats(out)
    again = _ok(build_site(site, options))
    assert (again.written, again.removed) == (0, 0)
    assert _stats(out) == before

    _edit(site, "pages/now.md", "Shipping things.", "Shipping *more* things.")
    time.sleep(0.01)
    _ok(build_site(site, options))
    changed = _changed(before, _stats(out)) - {".tamatar-output"}
    # The page, and the search index's delta that holds its new words (the base stays).
    assert {path for path in changed if not path.startswith("pagefind/")} == {"now/index.html"}
    assert "pagefind/delta/pagefind-entry.json" in changed
    assert "pagefind/pagefind-entry.json" not in changed
    assert "Shipping <em>more</em> things." in (out / "now/index.html").read_text()
    assert _tree(out) == _cold(site, tmp_path, "body")


@pytest.mark.parametrize(
    ("old", "new"),
    [("title: Now", "title: Right now"), ("order: 2", "order: 0"), ("nav: true", "nav: false")],
    ids=["title", "order", "nav"],
)
def test_changing_a_navigation_entry_rewrites_every_page(
    tmp_path: Path, old: str, new: str
) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    options = BuildOptions(output_dir=out, offline=True)
    _ok(build_site(site, options))
    before = _stats(out)
    _edit(site, "pages/now.md", old, new)
    _ok(build_site(site, options))
    html = {path for path in before if path.endswith(".html")}
    assert html <= _changed(before, _stats(out))
    assert _tree(out) == _cold(site, tmp_path, "nav")


def test_adding_and_deleting_pages_in_a_serve_session_equals_cold_builds(tmp_path: Path) -> None:
    site = _site(tmp_path, {k: v for k, v in FILES.items() if k != "pages/now.md"})
    out = tmp_path / "out"
    options = BuildOptions(output_dir=out, offline=True)
    builder = SiteBuilder(site)
    _ok(builder.build(options))
    added = site / "pages/now.md"
    added.write_text(NOW, encoding="utf-8")
    _ok(builder.build(options, changed={added.absolute()}))
    assert _nav((out / "index.html").read_text())[-2:] == ["About me", "Now"]
    assert _tree(out) == _cold(site, tmp_path, "added")
    edited = _edit(site, "pages/about.md", "I write about", "I mostly write about")
    _ok(builder.build(options, changed={edited}))
    assert _tree(out) == _cold(site, tmp_path, "edited")
    (site / "pages/about.md").unlink()
    _ok(builder.build(options, changed={(site / "pages/about.md").absolute()}))
    assert not (out / "about").exists()
    assert "About me" not in _nav((out / "index.html").read_text())
    assert _tree(out) == _cold(site, tmp_path, "deleted")


def test_the_watcher_and_the_no_change_check_see_pages(tmp_path: Path) -> None:
    site = _site(tmp_path, {k: v for k, v in FILES.items() if not k.startswith("pages/")})
    page = site / "pages" / "about.md"
    assert belongs_to_site(page, site)
    assert classify(page, site) is ChangeKind.CONTENT
    assert not belongs_to_site(site / "pages" / "notes.txt", site)

    def build() -> None:
        result = CliRunner().invoke(main, ["build", str(site)])
        assert result.exit_code == 0, result.output

    def manifest_key() -> tuple[int, int]:
        info = (site / manifest.MANIFEST).stat()
        return info.st_ino, info.st_mtime_ns

    time.sleep(0.05)
    build()
    if not (site / manifest.MANIFEST).is_file():  # a fresh checkout's __pycache__ was too new
        time.sleep(0.05)
        build()
    time.sleep(0.05)
    recorded = manifest_key()
    build()
    assert manifest_key() == recorded  # nothing changed: the fast path
    page.parent.mkdir()
    page.write_text(ABOUT, encoding="utf-8")
    time.sleep(0.05)
    build()
    assert manifest_key() != recorded
    assert "About me" in (site / "_site/about/index.html").read_text()
    recorded = manifest_key()
    time.sleep(0.05)
    _edit(site, "pages/about.md", "I write about", "Today I write about")
    time.sleep(0.05)
    build()
    assert manifest_key() != recorded
    assert "Today I write about" in (site / "_site/about/index.html").read_text()


# -- tamatar new page -----------------------------------------------------------------------


def test_new_page_writes_a_valid_page_and_never_overwrites(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {})
    runner = CliRunner()
    result = runner.invoke(main, ["new", "page", "About", "me", "--site", str(site)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(site / "pages/about-me.md")
    loaded = load_site(site)
    assert [d.format() for d in loaded.diagnostics] == []
    assert loaded.site is not None
    (page,) = loaded.site.pages
    assert (page.slug, page.title, page.nav) == ("about-me", "About me", True)
    text = (site / "pages/about-me.md").read_text()
    again = runner.invoke(main, ["new", "page", "About me", "--site", str(site)])
    assert again.exit_code == 1
    assert "pages/about-me.md already exists" in again.output
    assert (site / "pages/about-me.md").read_text() == text


def test_new_page_refuses_a_built_in_route(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {})
    result = CliRunner().invoke(main, ["new", "page", "Stats", "--site", str(site)])
    assert result.exit_code == 1
    assert "clash with tamatar's built-in `stats` route" in result.output
    assert not (site / "pages").exists()
