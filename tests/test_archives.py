"""The date archives (`logs/YYYY/`, `logs/YYYY/MM/`, `logs/YYYY/MM/DD/`) and the feeds of
projects (`projects/<slug>/feed.xml`), in real builds: cold, incremental after an edit or
a deletion, and through serve's edit fast path."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner, Result
from qa.feeds import check_feed
from sitefiles import FIXED_EPOCH, write_site
from test_edits import PROJECT_LOG, _rebuild, _took_edit_path
from test_incremental import CONFIG as SESSION_CONFIG
from test_incremental import FILES as SESSION_FILES
from test_incremental import _edit, _ok

from tamatar_site.build.pipeline import BuildOptions, build_site
from tamatar_site.build.session import SiteBuilder
from tamatar_site.cli import main
from tamatar_site.load.themes import shipped_themes

CONFIG = """\
site:
  title: Archives
  base_url: https://example.org/dev/
  logs_per_page: 2
  theme: {theme}
"""


def _log(name: str, when: str, project: str | None = None) -> tuple[str, str]:
    about = f"project: {project}\n" if project else ""
    text = f"---\ntitle: Log {name}\ndate: {when}\n{about}---\nThe notes of {name}.\n"
    return f"logs/{when[:10]}-{name}.md", text


# Newest first. 2026-01 has four logs (two pages), 2026 five (three pages), 01-05 two.
LOGS = [
    _log("f", "2026-02-03", "alpha"),
    _log("e", "2026-01-28"),
    _log("d", "2026-01-20", "beta"),
    _log("c", "2026-01-05T18:00:00+00:00", "alpha"),
    _log("b", "2026-01-05T09:00:00+00:00", "alpha"),
    _log("a", "2025-12-30", "alpha"),
]
FILES = {
    **dict(LOGS),
    "projects/alpha.yaml": "name: Alpha\n",
    "projects/beta.yaml": "name: Beta\n",
    "projects/gamma.yaml": "name: Gamma\n",  # no logs: no feed
}
LOG_LINK = re.compile(r'href="/dev/(logs/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/)"')


def build(site: Path, out: Path) -> Result:
    result = CliRunner().invoke(
        main, ["build", str(site), "-o", str(out)], env={"SOURCE_DATE_EPOCH": FIXED_EPOCH}
    )
    assert result.exit_code == 0, result.output
    return result


def make_site(root: Path, theme: str = "default") -> Path:
    return write_site(root, FILES, config=CONFIG.format(theme=theme))


def page(out: Path, permalink: str) -> str:
    return (out / permalink / "index.html").read_text(encoding="utf-8")


def listed(out: Path, archive: str) -> list[str]:
    """The logs an archive lists, page after page, in order."""
    found: list[str] = []
    number = 1
    while True:
        permalink = archive if number == 1 else f"{archive}page/{number}/"
        if not (out / permalink / "index.html").is_file():
            return found
        found += dict.fromkeys(LOG_LINK.findall(page(out, permalink)))
        number += 1


def permalink(name: str) -> str:
    path, _ = next(item for item in LOGS if item[0].endswith(f"-{name}.md"))
    day = path.removeprefix("logs/")[:10].replace("-", "/")
    return f"logs/{day}/{name}/"


@pytest.mark.parametrize("theme", shipped_themes())
def test_every_prefix_of_every_permalink_is_a_page(tmp_path: Path, theme: str) -> None:
    out = tmp_path / "out"
    build(make_site(tmp_path / "site", theme), out)
    logs = LOG_LINK.findall(page(out, "logs/")) + LOG_LINK.findall(page(out, "logs/page/2/"))
    assert len(set(logs)) == 4  # two timeline pages of two
    for path, _ in LOGS:
        parts = permalink(path.removesuffix(".md").rsplit("-", 1)[1]).split("/")
        for end in range(1, len(parts)):
            prefix = "/".join(parts[:end]) + "/"
            assert (out / prefix / "index.html").is_file(), prefix

    # Month and day pages list exactly their logs, newest first, across their pages.
    assert listed(out, "logs/2026/01/") == [permalink(n) for n in "edcb"]
    assert listed(out, "logs/2026/01/05/") == [permalink(n) for n in "cb"]
    assert listed(out, "logs/2025/12/") == [permalink("a")]
    assert listed(out, "logs/2026/") == [permalink(n) for n in "fedcb"]
    # Paginated like the timeline: 2 a page.
    assert (out / "logs/2026/page/3/index.html").is_file()
    assert not (out / "logs/2026/page/4/index.html").exists()
    assert not (out / "logs/2026/01/page/3/index.html").exists()
    second = page(out, "logs/2026/01/page/2/")
    assert "Logs of January 2026, page 2 of 2" in second
    assert 'href="/dev/logs/2026/01/"' in second  # back to page 1

    # Reached from the log's date, the timeline and each other.
    log = page(out, permalink("d"))
    for archive in ("logs/2026/01/20/", "logs/2026/01/", "logs/2026/"):
        assert f'href="/dev/{archive}"' in log
    timeline = page(out, "logs/")
    assert 'href="/dev/logs/2026/"' in timeline and 'href="/dev/logs/2025/"' in timeline
    year = page(out, "logs/2026/")
    assert 'href="/dev/logs/2026/01/"' in year and 'href="/dev/logs/2026/02/"' in year
    assert 'href="/dev/logs/2025/"' in year  # the older year

    # In the sitemap.
    root = ET.fromstring((out / "sitemap.xml").read_bytes())
    locs = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for archive in ("logs/2026/", "logs/2026/page/2/", "logs/2026/01/", "logs/2026/01/05/"):
        assert f"https://example.org/dev/{archive}" in locs


def feed_links(out: Path, path: str) -> list[str]:
    return [entry.link for entry in feedparser.parse((out / path).read_bytes()).entries]


def feed_ids(out: Path, path: str) -> dict[str, str]:
    return {entry.link: entry.id for entry in feedparser.parse((out / path).read_bytes()).entries}


def test_a_project_feed_has_exactly_its_logs_with_stable_ids(tmp_path: Path) -> None:
    out = tmp_path / "out"
    site = make_site(tmp_path / "site")
    build(site, out)
    absolute = "https://example.org/dev/"
    assert feed_links(out, "projects/alpha/feed.xml") == [absolute + permalink(n) for n in "fcba"]
    assert feed_links(out, "projects/beta/feed.xml") == [absolute + permalink("d")]
    assert not (out / "projects/gamma/feed.xml").exists()
    for path in ("projects/alpha/feed.xml", "projects/beta/feed.xml"):
        assert check_feed(out / path, out).problems == []
    # The same ids as the site's feed: a reader subscribed to both sees one entry.
    ids = feed_ids(out, "projects/alpha/feed.xml")
    site_ids = feed_ids(out, "feed.xml")
    assert all(site_ids[link] == ids[link] for link in ids if link in site_ids)

    project = page(out, "projects/alpha/")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Logs about Alpha"'
        ' href="/dev/projects/alpha/feed.xml">'
    ) in project
    assert re.search(r'<a href="/dev/projects/alpha/feed.xml">[^<]+</a>', project)
    assert "projects/gamma/feed.xml" not in page(out, "projects/gamma/")

    # A new log of the project: the ids of the others stay.
    extra_path, extra = _log("g", "2026-02-10", "alpha")
    (site / extra_path).write_text(extra, encoding="utf-8")
    build(site, out)
    again = feed_ids(out, "projects/alpha/feed.xml")
    assert list(again) == [absolute + "logs/2026/02/10/g/"] + [
        absolute + permalink(n) for n in "fcba"
    ]
    assert {link: again[link] for link in ids} == ids


def test_a_deleted_log_leaves_its_archives_and_its_project_feed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    site = make_site(tmp_path / "site")
    build(site, out)
    (site / "logs/2026-02-03-f.md").unlink()  # the only log of February, project alpha
    (site / "logs/2026-01-28-e.md").unlink()  # the only log of its day
    build(site, out)
    assert not (out / "logs/2026/02").exists()
    assert not (out / "logs/2026/01/28").exists()
    assert not (out / "logs/2026/page/3").exists()  # 3 logs left in 2026: two pages
    assert listed(out, "logs/2026/") == [permalink(n) for n in "dcb"]
    assert listed(out, "logs/2026/01/") == [permalink(n) for n in "dcb"]
    absolute = "https://example.org/dev/"
    assert feed_links(out, "projects/alpha/feed.xml") == [absolute + permalink(n) for n in "cba"]
    assert 'href="/dev/logs/2026/02/"' not in page(out, "logs/2026/")

    (site / "logs/2026-01-20-d.md").unlink()  # beta's only log: its feed goes too
    build(site, out)
    assert not (out / "projects/beta/feed.xml").exists()
    assert "projects/beta/feed.xml" not in page(out, "projects/beta/")


def _archive_files(out: Path) -> dict[str, tuple[int, int]]:
    """Every archive page: (inode, mtime). The write stage keeps an unchanged file as it was."""
    found = {}
    for path in (out / "logs").rglob("index.html"):
        relative = path.relative_to(out).as_posix()
        if re.fullmatch(r"logs/\d{4}/(\d{2}/(\d{2}/)?)?(page/\d+/)?index.html", relative):
            stat = path.stat()
            found[relative] = (stat.st_ino, stat.st_mtime_ns)
    return found


def test_one_edit_rewrites_only_the_archive_pages_that_show_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    site = make_site(tmp_path / "site")
    options = BuildOptions(output_dir=tmp_path / "out", offline=True)
    _ok(build_site(site, options))
    before = _archive_files(tmp_path / "out")
    # d: on page 1 of January (e, d), page 1 of 2026 (f, e) is not it: page 2 (d, c).
    _edit(site, "logs/2026-01-20-d.md", "The notes of d.", "The notes of d, rewritten.")
    _ok(build_site(site, options))
    after = _archive_files(tmp_path / "out")
    assert set(after) == set(before)
    rewritten = {path for path in after if after[path] != before[path]}
    assert rewritten == {
        "logs/2026/page/2/index.html",
        "logs/2026/01/index.html",
        "logs/2026/01/20/index.html",
    }
    assert "The notes of d, rewritten." in page(tmp_path / "out", "logs/2026/01/20/")


def test_serve_edit_path_rewrites_the_archives_and_project_feed_of_an_edited_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    site = write_site(tmp_path / "site", SESSION_FILES, config=SESSION_CONFIG)
    options = BuildOptions(output_dir=tmp_path / "out", offline=True)
    builder = SiteBuilder(site)
    _ok(builder.build(options))
    # Day 20 (2026-10-21) is the newest log of project tamatar: in its feed.
    edited = _edit(site, PROJECT_LOG, "Notes of day 20.", "Notes of day twenty, in the archive.")
    result = _rebuild(builder, options, tmp_path, "archive", edited)  # equals a cold build
    assert _took_edit_path(result, 15), result
    out = tmp_path / "out"
    text = "Notes of day twenty, in the archive."
    assert text in page(out, "logs/2026/10/21/")
    assert text in "".join(
        page(out, p) for p in ("logs/2026/10/", "logs/2026/10/page/2/", "logs/2026/10/page/3/")
    )
    assert text in (out / "projects/tamatar/feed.xml").read_text(encoding="utf-8")
