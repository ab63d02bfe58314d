"""Site search (issue 12): the Pagefind index a build writes under `pagefind/`, the search
page and box, `search: false`, and the index after edits, deletions and no-change builds.

The index is read back from Pagefind's own files: each page's fragment
(`pagefind/fragment/*.pf_fragment`, gzip of a `pagefind_dcd` signature and JSON) holds its
URL, metadata and indexed text. After edits the index is a base (`pagefind/`) and a delta
(`pagefind/delta/`) with the ids of the base's superseded pages
(`pagefind/delta/superseded.json`); `searchable` reads them as the search page does. A
real query in a browser is in test_search_browser.py.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
import searchindex
from click.testing import CliRunner, Result
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.build import search
from tamatar_site.cli import main

CONFIG = """\
site:
  title: Searchable
  base_url: https://example.org/devlog/
"""

LOG_A = "logs/2026-11-01-parsers.md"
LOG_B = "logs/2026-11-02-lifetimes.md"
FILES = {
    LOG_A: "---\ntitle: Parsers\ndate: 2026-11-01\ntags: [rust]\n---\nWrote a "
    "recursive descent parser; the word zanzibarite appears only here.\n",
    LOG_B: "---\ntitle: Lifetimes\ndate: 2026-11-02\ntags: [rust]\n---\nBorrowing rules "
    "finally clicked.\n",
    "projects/lens.yaml": "name: Lens\ndescription: A query *lens* for quokkanomics.\n",
    "resources/book.yaml": "title: The Book\nurl: https://example.org/book\ntype: book\n"
    "review: Explains ownership with marsupialia.\n",
    "goals/ship.yaml": "title: Ship the parser\ndescription: Release wombatry v1.\n",
    "paths/learn.yaml": "title: Learn Rust\nsteps:\n  - {title: Read, resource: book}\n",
    "snippets/hello.md": "---\ntitle: Hello\nlanguage: go\n---\n```go\nplatypodes()\n```\n",
}
PAGE_A = "/logs/2026/11/01/parsers/"
PAGE_B = "/logs/2026/11/02/lifetimes/"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


def build(site: Path, out: Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(
        main, ["build", str(site), "-o", str(out), "--offline", "-q"], env=env
    )


def built(site: Path, out: Path) -> None:
    result = build(site, out)
    assert result.exit_code == 0, result.output


def fragments(out: Path, folder: str = "pagefind") -> dict[str, dict[str, object]]:
    """Each page's fragment in the bundle at `folder`, by its URL (with its `id`)."""
    found: dict[str, dict[str, object]] = {}
    for path in sorted((out / folder / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        found[fragment["url"]] = {**fragment, "id": path.name.removesuffix(".pf_fragment")}
    return found


def superseded(out: Path) -> dict[str, object]:
    data = json.loads((out / "pagefind/delta/superseded.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def searchable(out: Path) -> dict[str, dict[str, object]]:
    """What the search page finds: the base's pages but the dropped ids, then the delta's."""
    listing = superseded(out)
    drop = set(listing["drop"])  # type: ignore[arg-type]
    found = {url: f for url, f in fragments(out).items() if f["id"] not in drop}
    assert listing["merge"] == (out / "pagefind/delta/pagefind-entry.json").is_file()
    if listing["merge"]:
        found.update(fragments(out, "pagefind/delta"))
    return found


def text_and_meta(out: Path) -> dict[str, tuple[object, object, object]]:
    return {url: (f["content"], f["meta"], f["filters"]) for url, f in searchable(out).items()}


def words_of(out: Path, url: str) -> str:
    return str(searchable(out)[url]["content"])


def entry(out: Path) -> dict[str, object]:
    data = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def page_count(out: Path) -> int:
    languages = entry(out)["languages"]
    assert isinstance(languages, dict)
    return int(languages["en"]["page_count"])


def bundle(out: Path) -> dict[str, bytes]:
    folder = out / "pagefind"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def inodes(out: Path) -> dict[str, int]:
    folder = out / "pagefind"
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()
    }


def cold_build(site: Path, tmp_path: Path, name: str) -> Path:
    """The output of a cold build of `site` (no caches, empty output)."""
    copy = tmp_path / f"cold-{name}"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".tamatar"))
    built(copy, tmp_path / f"cold-{name}-out")
    return tmp_path / f"cold-{name}-out"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", FILES, config=CONFIG)


def test_the_index_holds_the_content_pages_and_not_the_lists(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    built(site, out)
    for name in ("pagefind.js", "pagefind-entry.json", "pagefind-worker.js"):
        assert (out / "pagefind" / name).is_file(), name
    assert list((out / "pagefind").glob("wasm.*.pagefind"))
    indexed = fragments(out)
    assert superseded(out) == {"version": 1, "merge": False, "drop": []}
    assert set(indexed) == {
        PAGE_A,
        PAGE_B,
        "/projects/lens/",
        "/resources/book/",
        "/goals/ship/",
        "/paths/learn/",
        "/snippets/hello/",
    }
    assert page_count(out) == 7
    log = indexed[PAGE_A]
    assert log["meta"] == {"title": "Parsers", "kind": "Log", "date": "1 Nov 2026"}
    assert "zanzibarite" in str(log["content"])
    assert "quokkanomics" in words_of(out, "/projects/lens/")
    assert "marsupialia" in words_of(out, "/resources/book/")
    assert "wombatry" in words_of(out, "/goals/ship/")
    assert "platypodes" in words_of(out, "/snippets/hello/")
    # The related logs' titles and the eyebrow link are not part of a log's text.
    assert "Lifetimes" not in str(log["content"])


def test_the_search_page_the_box_and_the_policy(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    built(site, out)
    search = (out / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind="/devlog/pagefind/pagefind.js"' in search
    assert 'data-base="/devlog/"' in search
    assert '<script type="module" src="/devlog/assets/search.js"></script>' in search
    assert '<label for="search-q">' in search
    # Without JavaScript the page still leads on: to the tags and the timeline.
    assert 'href="/devlog/tags/"' in search and 'href="/devlog/logs/"' in search
    assert (out / "assets" / "search.js").is_file()
    log = (out / PAGE_A.strip("/") / "index.html").read_text(encoding="utf-8")
    box = re.search(r'<form class="site-search" role="search"[^>]*>', log)
    assert box is not None and 'action="/devlog/search/"' in box.group(0)
    assert '<label class="visually-hidden" for="site-search-q">Search this site</label>' in log
    assert 'name="q"' in log
    # Only the search page may compile WebAssembly (Pagefind); every policy stays strict.
    assert "script-src 'self' 'wasm-unsafe-eval';" in search
    assert "wasm-unsafe-eval" not in log
    assert "unsafe-inline'; script-src 'self';" in log
    assert "search/" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_search_false_writes_no_index_page_or_box(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    built(site, out)
    assert (out / "pagefind").is_dir()
    (site / "tamatar.yaml").write_text(CONFIG + "search: false\n", encoding="utf-8")
    built(site, out)
    assert not (out / "pagefind").exists()
    assert not (out / "search").exists()
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'role="search"' not in html and "wasm-unsafe-eval" not in html, page


def test_an_edited_log_is_found_by_its_new_words(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    built(site, out)
    log = site / LOG_A
    log.write_text(log.read_text(encoding="utf-8").replace("zanzibarite", "axolotlism"))
    before = bundle(out)
    built(site, out)
    assert "axolotlism" in words_of(out, PAGE_A)
    assert not any("zanzibarite" in str(f["content"]) for f in searchable(out).values())
    # Only the edited page was indexed again, into the delta; the base was kept as it was.
    assert fragments(out, "pagefind/delta").keys() == {PAGE_A}
    assert superseded(out)["drop"] == [fragments(out)[PAGE_A]["id"]]

    def base(files: dict[str, bytes]) -> dict[str, bytes]:
        return {k: v for k, v in files.items() if not k.startswith("delta/")}

    assert base(bundle(out)) == base(before)
    # What a visitor can find is what a cold build's index holds.
    cold = cold_build(site, tmp_path, "edited")
    assert text_and_meta(out) == text_and_meta(cold)
    assert superseded(cold) == {"version": 1, "merge": False, "drop": []}


def test_a_deleted_log_is_gone_from_the_index(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    built(site, out)
    (site / LOG_A).unlink()
    built(site, out)
    assert PAGE_A not in searchable(out)
    assert PAGE_B in searchable(out)
    assert superseded(out)["drop"] == [fragments(out)[PAGE_A]["id"]]
    # Log B's page changed (its link to A is gone) but not its text: the same id in both,
    # which the search page shows once.
    assert fragments(out, "pagefind/delta")[PAGE_B]["id"] == fragments(out)[PAGE_B]["id"]
    cold = cold_build(site, tmp_path, "deleted")
    assert text_and_meta(out) == text_and_meta(cold)
    assert page_count(cold) == 6


def test_the_base_is_made_again_when_many_pages_changed(tmp_path: Path) -> None:
    logs = {
        f"logs/2026-10-{day:02d}-day.md": f"---\ntitle: Day {day}\n---\nNotes of day {day}.\n"
        for day in range(1, 21)
    }
    site = write_site(tmp_path / "site", logs, config=CONFIG)
    out = tmp_path / "out"
    built(site, out)
    for day in range(1, 17):  # 16 pages: the delta's limit
        log = site / f"logs/2026-10-{day:02d}-day.md"
        log.write_text(log.read_text(encoding="utf-8").replace("Notes", "Remarks"))
    built(site, out)
    assert len(fragments(out, "pagefind/delta")) == 16
    assert len(superseded(out)["drop"]) == 16  # type: ignore[arg-type]
    assert page_count(out) == 20  # the base, unchanged
    log = site / "logs/2026-10-17-day.md"
    log.write_text(log.read_text(encoding="utf-8").replace("Notes", "Remarks"))
    built(site, out)  # 17 changed pages: one base of all, no delta
    assert superseded(out) == {"version": 1, "merge": False, "drop": []}
    assert not (out / "pagefind/delta/fragment").exists()
    assert text_and_meta(out) == text_and_meta(cold_build(site, tmp_path, "many"))
    assert sum("Remarks" in str(f["content"]) for f in searchable(out).values()) == 17


def test_pagefind_runs_only_when_an_indexed_page_changed(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    built(site, out)
    before = inodes(out)
    # A binary that does not exist: any build that runs Pagefind fails.
    no_pagefind = {"PAGEFIND_BINARY_PATH": str(tmp_path / "no-such-pagefind")}
    assert build(site, out, no_pagefind).exit_code == 0  # nothing changed
    # A tag's description shows on its tag page only, which is not indexed.
    (site / "tamatar.yaml").write_text(
        CONFIG + "tags:\n  rust: {description: Systems programming}\n", encoding="utf-8"
    )
    result = build(site, out, no_pagefind)
    assert result.exit_code == 0, result.output
    assert "Systems programming" in (out / "tags/rust/index.html").read_text(encoding="utf-8")
    assert inodes(out) == before  # the bundle was kept, file by file
    # An edited log needs Pagefind: the build fails and leaves the output as it was.
    (site / LOG_B).write_text(
        (site / LOG_B).read_text(encoding="utf-8").replace("clicked", "stuck")
    )
    failed = build(site, out, no_pagefind)
    assert failed.exit_code == 1
    assert "the Pagefind binary is missing" in failed.output
    assert "search: false" in failed.output
    assert "Traceback" not in failed.output
    assert inodes(out) == before
    assert "clicked" in words_of(out, PAGE_B)
    built(site, out)
    assert "stuck" in words_of(out, PAGE_B)


def test_a_base_made_in_parts_finds_what_one_pagefind_run_finds(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large site's base index is made in parts, one Pagefind run each (here of two
    pages), so that Pagefind never holds more than a part in memory."""
    one_run = cold_build(site, tmp_path, "one-run")
    monkeypatch.setattr(search, "PART_PAGES", 2)
    out = tmp_path / "out"
    built(site, out)
    parts = json.loads((out / "pagefind/parts.json").read_text(encoding="utf-8"))["parts"]
    assert len(parts) == (page_count(one_run) + 1) // 2 - 1
    assert page_count(out) == 2  # the bundle's own part
    assert sum(len(fragments(out, f"pagefind/{part}")) for part in parts) == (
        page_count(one_run) - 2
    )

    def found(folder: Path) -> dict[str, object]:
        index = folder / "pagefind"
        files = {
            f"pagefind/{p.relative_to(index).as_posix()}": p.read_bytes()
            for p in index.rglob("*")
            if p.is_file()
        }
        return searchindex.searchable(files)

    assert found(out) == found(one_run)
    # An edited log: its entry in whichever part is dropped, its new text in the delta.
    log = site / LOG_B
    log.write_text(log.read_text(encoding="utf-8").replace("clicked", "snapped"))
    in_base = {
        url: fragment["id"]
        for folder in ("pagefind", *(f"pagefind/{part}" for part in parts))
        for url, fragment in fragments(out, folder).items()
    }
    built(site, out)
    assert superseded(out)["merge"] is True
    assert superseded(out)["drop"] == [in_base[PAGE_B]]
    assert found(out) == found(cold_build(site, tmp_path, "edited"))
