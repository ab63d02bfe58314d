"""ContentLoader: the persistent record cache and in-memory reloads give what a fresh load gives."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.validate import load_site
from tamatar_site.validate.loader import ContentLoader, LoadedSite
from tamatar_site.validate.record_cache import RecordCache

CONFIG = "site:\n  title: T\n  timezone: Asia/Kolkata\ntags:\n  rust: {color: '#123456'}\n"

# Every kind of file, with per-file mistakes (schema, YAML, front matter, file names, bytes)
# and site-wide ones (duplicates, references, cycles, future dates, tags).
MISTAKES: dict[str, str | bytes] = {
    "logs/2026/2026-11-21-a.md": (
        "---\ntitle: A\ntags: [Rust, '', '!!', rust, C++]\nproject: nope\n"
        "resources: [rust-bok, book]\n---\nSee [h](../sub/2026-01-06-h.md).\n"
    ),
    "logs/2026/b.md": "---\ntitle: B\ndate: 2026-11-21\nslug: a\n---\n\n",
    "logs/2026/c.md": "---\ntitle: C\ndate: 2030-01-01 10:00+05:30\n---\nx\n",
    "logs/2026/2026-13-45-d.md": "---\ntitle: D\n---\nx\n",
    "logs/2026/no-date.md": "---\ntitle: E\n---\nx\n",
    "logs/2026/2026-01-01-e.md": "---\ntitel: E\ndate: 2026-01-01\nmood: 11\n---\nx\n",
    "logs/2026/2026-01-02-f.md": "no front matter\n",
    "logs/2026/2026-01-03-g.md": "---\ntitle: [unclosed\n---\nx\n",
    "logs/sub/2026-01-04-Bad_Slug.md": "---\ntitle: G\ndate: 2026-01-04T10:00:00\n---\nx\n",
    "logs/sub/2026-01-05-bin.md": b"\xff\xfe binary",
    "logs/sub/2026-01-06-h.md": (
        "---\ntitle: H\ndate: 2026-01-06T23:30:00Z\ncommits: [abcdef1]\ntags: rust\n---\nh\n"
    ),
    "projects/p.yaml": (
        "name: P\nstart_date: 2026-02-01\nend_date: 2026-01-01\n"
        "milestones:\n  - {title: M, done: true, date: 2026-01-01}\n"
    ),
    "projects/Q_bad.yaml": "name: Q\nstatus: bogus\n",
    "resources/book.yaml": "title: Book\nurl: https://x.org\nadded: 2026-01-01\nrating: 4\n",
    "resources/broken.yaml": "title: [x\n",
    "resources/p.yaml": "name: P\n",
    "goals/g1.yaml": "title: G1\ndepends_on: [g2, nope]\ntags: [Python, rust]\n",
    "goals/g2.yaml": "title: G2\ndepends_on: [g1]\nmilestones:\n  - title: m\n",
    "paths/p1.yaml": (
        "title: P1\nsteps:\n  - {title: s, resource: book}\n  - {title: t, resource: bok}\n"
    ),
    "snippets/s.md": "---\ntitle: S\ntags: [python]\ndate: 2026-01-01\n---\nno code\n",
    "snippets/s2.md": "---\ntitle: S2\nlanguage: go\n---\n```go\nx\n```\n",
}
# The same kinds of files, valid (warnings only), so a Site is built.
VALID: dict[str, str | bytes] = {
    "logs/2026/2026-11-21-a.md": (
        "---\ntitle: A\ntags: [Rust, '', rust, C++]\nproject: p\nresources: [book]\n---\nBody\n"
    ),
    "logs/2026/c.md": "---\ntitle: C\ndate: 2030-01-01 10:00+05:30\n---\nx\n",
    "logs/sub/2026-01-06-h.md": (
        "---\ntitle: H\ndate: 2026-01-06T23:30:00Z\ncommits: [abcdef1]\ntags: rust\n---\nh\n"
    ),
    "logs/sub/2026-01-07-d.md": "---\ntitle: D\ndraft: true\ntags: [go]\n---\nd\n",
    "projects/p.yaml": "name: P\nmilestones:\n  - {title: M, done: true, date: 2026-01-01}\n",
    "resources/book.yaml": "title: Book\nurl: https://x.org\nadded: 2026-01-01\nrating: 4\n",
    "goals/g1.yaml": "title: G1\ndepends_on: [g2]\ntags: [Python, rust]\n",
    "goals/g2.yaml": "title: G2\nmilestones:\n  - title: m\n",
    "paths/p1.yaml": "title: P1\nestimated_hours: 2.5\nsteps:\n  - {title: s, resource: book}\n",
    "snippets/s.md": "---\ntitle: S\ntags: [python]\ndate: 2026-01-01\n---\nno code\n",
}


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def _lines(loaded: LoadedSite) -> list[str]:
    return [d.format() for d in loaded.diagnostics.sorted()]


def _age(site_dir: Path) -> None:
    """Make every file look old, so the loader trusts unchanged signatures."""
    for path in site_dir.rglob("*"):
        os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))


@pytest.mark.parametrize("files", [MISTAKES, VALID], ids=["mistakes", "valid"])
def test_cached_records_give_the_same_diagnostics_and_site(
    tmp_path: Path, files: dict[str, str | bytes]
) -> None:
    site_dir = write_site(tmp_path / "site", files, config=CONFIG)
    cache_file = tmp_path / "records.marshal"
    fresh = load_site(site_dir)
    assert _lines(fresh)

    filling = ContentLoader(site_dir, cache_file=cache_file)
    first = filling.load()
    binary = sum(1 for content in files.values() if isinstance(content, bytes))
    assert filling.stats.parsed == filling.stats.read - binary  # never parsed
    assert cache_file.is_file()

    reading = ContentLoader(site_dir, cache_file=cache_file)
    cached = reading.load()
    assert reading.stats.parsed == 0
    for loaded in (first, cached):
        assert _lines(loaded) == _lines(fresh)
        assert loaded.site == fresh.site
        assert loaded.config == fresh.config
    for drafts in (True, False):
        with_drafts = ContentLoader(site_dir, cache_file=cache_file).load(include_drafts=drafts)
        assert with_drafts.site == load_site(site_dir, include_drafts=drafts).site


def test_valid_site_from_the_cache_keeps_dates_tags_and_bodies(tmp_path: Path) -> None:
    site_dir = write_site(tmp_path / "site", VALID, config=CONFIG)
    cache_file = tmp_path / "records.marshal"
    ContentLoader(site_dir, cache_file=cache_file).load()
    site = ContentLoader(site_dir, cache_file=cache_file).load().site
    assert site is not None
    by_source = {log.source: log for log in site.logs}
    h = by_source["logs/sub/2026-01-06-h.md"]
    assert h.timestamp.isoformat() == "2026-01-07T05:00:00+05:30"
    assert h.commits == ("abcdef1",)
    assert (h.body, h.body_line) == ("h\n", 7)
    assert [t.name for t in by_source["logs/2026/2026-11-21-a.md"].tags] == ["Rust", "C++"]
    assert site.projects[0].milestones[0].date is not None
    assert site.paths[0].estimated_hours == 2.5
    assert [t.name for t in site.goals[0].tags] == ["Python", "Rust"]


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not marshal at all \x00\xff",
        marshal.dumps(("another format", {})),
        marshal.dumps([1, 2, 3]),
    ],
    ids=["empty", "garbage", "foreign", "wrong-shape"],
)
def test_a_corrupt_cache_file_is_ignored_and_replaced(tmp_path: Path, damage: bytes) -> None:
    site_dir = write_site(tmp_path / "site", VALID, config=CONFIG)
    cache_file = tmp_path / "records.marshal"
    cache_file.write_bytes(damage)
    loader = ContentLoader(site_dir, cache_file=cache_file)
    loaded = loader.load()
    assert _lines(loaded) == _lines(load_site(site_dir))
    assert loader.stats.parsed == len(VALID)
    again = ContentLoader(site_dir, cache_file=cache_file)
    again.load()
    assert again.stats.parsed == 0


def test_a_truncated_cache_file_or_damaged_entry_is_parsed_again(tmp_path: Path) -> None:
    site_dir = write_site(tmp_path / "site", VALID, config=CONFIG)
    cache_file = tmp_path / "records.marshal"
    ContentLoader(site_dir, cache_file=cache_file).load()
    data = cache_file.read_bytes()
    cache_file.write_bytes(data[: len(data) // 2])
    loader = ContentLoader(site_dir, cache_file=cache_file)
    assert _lines(loader.load()) == _lines(load_site(site_dir))
    assert loader.stats.parsed == len(VALID)

    fingerprint, entries = marshal.loads(cache_file.read_bytes())
    digest, _ = entries["logs/2026/c.md"]
    entries["logs/2026/c.md"] = (digest, ("logs", "logs/2026/c.md", "c", (), None))
    cache_file.write_bytes(marshal.dumps((fingerprint, entries)))
    loader = ContentLoader(site_dir, cache_file=cache_file)
    assert _lines(loader.load()) == _lines(load_site(site_dir))
    assert loader.stats.parsed == 1


def test_an_edited_file_is_parsed_again_and_the_others_come_from_the_cache(
    tmp_path: Path,
) -> None:
    site_dir = write_site(tmp_path / "site", VALID, config=CONFIG)
    cache_file = tmp_path / "records.marshal"
    ContentLoader(site_dir, cache_file=cache_file).load()
    (site_dir / "logs/2026/c.md").write_text("---\ntitle: C2\n---\nx\n", encoding="utf-8")
    (site_dir / "snippets/s.md").unlink()
    loader = ContentLoader(site_dir, cache_file=cache_file)
    loaded = loader.load()
    assert loader.stats.parsed == 1
    assert _lines(loaded) == _lines(load_site(site_dir))
    missing = "logs/2026/c.md:1:1: error: missing required key `date` (or start the file name"
    assert any(line.startswith(missing) for line in _lines(loaded))
    assert "snippets/s.md" not in RecordCache(cache_file).entries


def test_one_loader_rereads_only_what_changed(tmp_path: Path) -> None:
    site_dir = write_site(tmp_path / "site", VALID, config=CONFIG)
    _age(site_dir)
    loader = ContentLoader(site_dir)
    loader.load()
    assert loader.stats.read == len(VALID)

    assert loader.load().site == load_site(site_dir).site
    assert (loader.stats.read, loader.stats.walked) == (0, True)

    edited = site_dir / "logs/2026/c.md"
    edited.write_text("---\ntitle: C edited\ndate: 2026-02-02\n---\ny\n", encoding="utf-8")
    loaded = loader.load()
    assert loader.stats.read == 1
    assert loaded.site == load_site(site_dir).site
    assert _lines(loaded) == _lines(load_site(site_dir))


def test_watcher_paths_replace_the_walk(tmp_path: Path) -> None:
    site_dir = write_site(tmp_path / "site", VALID, config=CONFIG)
    _age(site_dir)
    loader = ContentLoader(site_dir)
    loader.load()
    root = site_dir.absolute()

    edited = root / "logs/2026/c.md"
    edited.write_text("---\ntitle: C edited\ndate: 2026-02-02\n---\ny\n", encoding="utf-8")
    loaded = loader.load(changed=[edited, root / "static/x.css", root / "tamatar.yaml"])
    assert (loader.stats.read, loader.stats.walked) == (1, False)
    assert loaded.site == load_site(site_dir).site

    added = root / "logs/2026/2026-03-03-new.md"
    added.write_text("---\ntitle: New\ntags: [Rust]\n---\nnew\n", encoding="utf-8")
    (root / "goals/g2.yaml").unlink()
    loaded = loader.load(changed=[added, root / "goals/g2.yaml"])
    assert (loader.stats.read, loader.stats.walked) == (1, False)
    assert _lines(loaded) == _lines(load_site(site_dir))
    assert "unknown goal `g2`" in " ".join(_lines(loaded))
    assert loaded.site == load_site(site_dir).site

    folder = root / "logs/2027"
    folder.mkdir()
    (folder / "2027-01-01-later.md").write_text("---\ntitle: L\n---\nl\n", encoding="utf-8")
    loaded = loader.load(changed=[folder])
    assert loader.stats.walked
    assert _lines(loaded) == _lines(load_site(site_dir))


def test_a_file_that_could_not_be_read_is_reported_on_every_load(tmp_path: Path) -> None:
    site_dir = write_site(tmp_path / "site", {**VALID, "logs/bin.md": b"\x00"}, config=CONFIG)
    loader = ContentLoader(site_dir)
    for changed in (None, [], [site_dir.absolute() / "logs/2026/c.md"]):
        loaded = loader.load(changed=changed)
        assert "logs/bin.md:1:1: error: binary file: expected UTF-8 text" in _lines(loaded)


def test_a_long_session_saves_the_cache_rarely_and_nothing_is_lost(tmp_path: Path) -> None:
    site_dir = write_site(tmp_path / "site", VALID, config=CONFIG)
    cache_file = tmp_path / "records.marshal"
    session = ContentLoader(site_dir, cache_file=cache_file, save_after=3)
    session.load()
    saved = cache_file.stat().st_mtime_ns
    edited = site_dir / "logs/2026/c.md"
    for number in range(2):
        edited.write_text(f"---\ntitle: C{number}\ndate: 2026-02-02\n---\ny\n", encoding="utf-8")
        session.load(changed=[edited.absolute()])
    assert cache_file.stat().st_mtime_ns == saved  # two new records: not written yet

    fresh = ContentLoader(site_dir, cache_file=cache_file)
    assert fresh.load().site == load_site(site_dir).site
    assert fresh.stats.parsed == 1  # only the edited file


CLEAN: dict[str, str | bytes] = {
    "logs/2026/2026-11-01-a.md": "---\ntitle: A\ntags: [Rust, go]\nproject: p\n---\nBody A\n",
    "logs/2026/2026-11-02-b.md": "---\ntitle: B\ndraft: true\n---\nBody B\n",
    "logs/2026/2026-11-03-c.md": "---\ntitle: C\ntags: [rust]\n---\nBody C\n",
    "projects/p.yaml": "name: P\n",
}


@pytest.mark.parametrize("watched", [True, False], ids=["watcher-paths", "full-walk"])
def test_new_bodies_alone_patch_the_last_site_and_anything_else_assembles_again(
    tmp_path: Path, watched: bool
) -> None:
    """With the paths a watcher saw (serve) or after a walk of every folder (a resumed
    `tamatar build`)."""
    site_dir = write_site(tmp_path / "site", CLEAN, config=CONFIG)
    root = site_dir.absolute()
    loader = ContentLoader(site_dir)
    previous = loader.load().site
    assert previous is not None

    def load(relative: str, text: str) -> LoadedSite:
        (root / relative).write_text(text, encoding="utf-8")
        loaded = loader.load(changed=[root / relative] if watched else None)
        fresh = load_site(site_dir)
        assert loaded.site == fresh.site
        assert _lines(loaded) == _lines(fresh)
        return loaded

    # A body: the last site with that log's new body (its other parts are the same objects).
    patched = load("logs/2026/2026-11-01-a.md", CLEAN["logs/2026/2026-11-01-a.md"] + "More.\n")
    assert patched.site is not None and patched.site.projects is previous.projects
    assert loader.stats.parsed == 1
    # A draft's body: nothing the site shows changes.
    draft = load("logs/2026/2026-11-02-b.md", "---\ntitle: B\ndraft: true\n---\nBody B, more\n")
    assert draft.site is not None and draft.site.logs == patched.site.logs
    # Front matter: the whole site is assembled again.
    title = load("logs/2026/2026-11-03-c.md", "---\ntitle: C again\ntags: [rust]\n---\nBody C\n")
    assert title.site is not None and title.site.projects is not patched.site.projects
    # A warning now: reported, and reported again after a body edit (not patched away).
    warned = "---\ntitle: C again\ntags: [rust, '']\n---\nBody C\n"
    assert "empty tag" in " ".join(_lines(load("logs/2026/2026-11-03-c.md", warned)))
    again = load("logs/2026/2026-11-03-c.md", warned + "More.\n")
    assert "empty tag" in " ".join(_lines(again))
    # Clean again, then a new file: assembled again, never patched.
    clean = load("logs/2026/2026-11-03-c.md", CLEAN["logs/2026/2026-11-03-c.md"])
    assert clean.site is not None
    added = load("logs/2026/2026-11-04-d.md", "---\ntitle: D\n---\nBody D\n")
    assert added.site is not None and added.site.projects is not clean.site.projects
    assert len(added.site.logs) == len(clean.site.logs) + 1
