"""The body-rendering stage: parallel workers, the content cache and late link resolution."""

from __future__ import annotations

import importlib.metadata
import threading
from pathlib import Path

import pytest

from tamatar_site.build import bodies
from tamatar_site.build.bodies import BodyCache, BodyJob, render_bodies
from tamatar_site.render.markdown import MarkdownRenderer

LOG_TEXT = """\
Read about [borrowing](2026-11-20-borrowck.md#rules) and [the book](https://doc.rust-lang.org/book/).

```rust
fn main() { println!("hi"); }
```
"""


def _resolver(table: dict[str, str]):  # type: ignore[no-untyped-def]
    def resolve(source: str, path: str) -> str | None:
        return table.get(path)

    return resolve


def _jobs(count: int) -> list[BodyJob]:
    return [
        BodyJob(f"logs/{i:05d}.md", f"# Day {i}\n\n{LOG_TEXT}\nNote {i % 7}.\n")
        for i in range(count)
    ]


def test_links_are_resolved_with_fragment_kept() -> None:
    rendered = render_bodies(
        [BodyJob("logs/a.md", LOG_TEXT)],
        unsafe_html=False,
        resolve_link=_resolver({"2026-11-20-borrowck.md": "/devlog/logs/2026/11/20/borrowck/"}),
        workers=1,
    )
    html = rendered["logs/a.md"].html
    assert 'href="/devlog/logs/2026/11/20/borrowck/#rules"' in html
    assert "__tamatar_link__" not in html
    assert 'href="https://doc.rust-lang.org/book/"' in html


def test_unresolved_link_is_kept_as_written() -> None:
    rendered = render_bodies(
        [BodyJob("logs/a.md", "[x](other%20file.md)")],
        unsafe_html=False,
        resolve_link=_resolver({}),
        workers=1,
    )
    assert 'href="other%20file.md"' in rendered["logs/a.md"].html


def test_matches_direct_rendering_apart_from_links() -> None:
    text = "## Title\n\nSome *text* and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    rendered = render_bodies(
        [BodyJob("x.md", text)], unsafe_html=False, resolve_link=_resolver({}), workers=1
    )
    assert rendered["x.md"].html == MarkdownRenderer().render(text).html


def test_parallel_equals_serial() -> None:
    jobs = _jobs(120)
    table = {"2026-11-20-borrowck.md": "/logs/2026/11/20/borrowck/"}
    serial = render_bodies(jobs, unsafe_html=False, resolve_link=_resolver(table), workers=1)
    parallel = render_bodies(jobs, unsafe_html=False, resolve_link=_resolver(table), workers=2)
    assert serial == parallel
    assert len(serial) == 120


def test_parallel_without_fork_while_a_thread_runs_equals_serial() -> None:
    # The dev server's builds run beside its threads: workers then start by forkserver.
    jobs = _jobs(60)
    serial = render_bodies(jobs, unsafe_html=False, resolve_link=_resolver({}), workers=1)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        parallel = render_bodies(jobs, unsafe_html=False, resolve_link=_resolver({}), workers=2)
    finally:
        release.set()
        other.join()
    assert parallel == serial
    assert "Day 59" in parallel["logs/00059.md"].html


def test_cache_is_reused_and_links_follow_the_new_table(tmp_path: Path) -> None:
    cache_file = tmp_path / "bodies.bin"
    jobs = _jobs(3)
    cache = BodyCache(cache_file)
    first = render_bodies(
        jobs,
        unsafe_html=False,
        resolve_link=_resolver({"2026-11-20-borrowck.md": "/old/"}),
        cache=cache,
        workers=1,
    )
    cache.save()
    assert cache_file.exists()
    assert 'href="/old/#rules"' in first["logs/00000.md"].html

    # A fresh cache object reads the file; a renamed link target needs no re-render.
    reloaded = BodyCache(cache_file)
    saved = cache_file.read_bytes()
    second = render_bodies(
        jobs,
        unsafe_html=False,
        resolve_link=_resolver({"2026-11-20-borrowck.md": "/new/"}),
        cache=reloaded,
        workers=1,
    )
    assert not reloaded._dirty  # nothing rendered, so nothing written again
    assert cache_file.read_bytes() == saved
    assert 'href="/new/#rules"' in second["logs/00000.md"].html


def test_unused_entries_are_dropped_on_save(tmp_path: Path) -> None:
    cache_file = tmp_path / "bodies.bin"
    cache = BodyCache(cache_file)
    render_bodies(_jobs(3), unsafe_html=False, resolve_link=_resolver({}), cache=cache, workers=1)
    cache.save()
    smaller = BodyCache(cache_file)
    render_bodies(_jobs(1), unsafe_html=False, resolve_link=_resolver({}), cache=smaller, workers=1)
    smaller.save()
    assert len(BodyCache(cache_file)._entries) == 1


def test_unsafe_html_is_part_of_the_key(tmp_path: Path) -> None:
    cache = BodyCache(tmp_path / "bodies.bin")
    job = [BodyJob("a.md", "<b>bold</b>")]
    safe = render_bodies(job, unsafe_html=False, resolve_link=_resolver({}), cache=cache, workers=1)
    raw = render_bodies(job, unsafe_html=True, resolve_link=_resolver({}), cache=cache, workers=1)
    assert "&lt;b&gt;" in safe["a.md"].html
    assert "<b>bold</b>" in raw["a.md"].html


def test_corrupt_cache_file_is_ignored(tmp_path: Path) -> None:
    cache_file = tmp_path / "bodies.bin"
    cache_file.write_bytes(b"\x00garbage\xff" * 10)
    cache = BodyCache(cache_file)
    rendered = render_bodies(
        _jobs(2), unsafe_html=False, resolve_link=_resolver({}), cache=cache, workers=1
    )
    assert len(rendered) == 2
    cache.save()
    assert len(BodyCache(cache_file)._entries) == 2


def test_the_markdown_library_versions_are_part_of_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("markdown-it-py", "mdit-py-plugins"):
        assert f"{name}={importlib.metadata.version(name)}" in bodies._MARKDOWN_VERSIONS
    cache_file = tmp_path / "bodies.bin"
    cache = BodyCache(cache_file)
    render_bodies(_jobs(1), unsafe_html=False, resolve_link=_resolver({}), cache=cache, workers=1)
    cache.save()
    before = set(BodyCache(cache_file)._entries)
    monkeypatch.setattr(bodies, "_MARKDOWN_VERSIONS", "markdown-it-py=99.0|mdit-py-plugins=9.9")
    upgraded = BodyCache(cache_file)
    render_bodies(
        _jobs(1), unsafe_html=False, resolve_link=_resolver({}), cache=upgraded, workers=1
    )
    upgraded.save()
    after = set(BodyCache(cache_file)._entries)
    assert len(after) == 1 and after.isdisjoint(before)  # re-rendered, the old entry dropped


def test_a_body_is_held_once_and_a_log_keeps_no_plain_text(tmp_path: Path) -> None:
    """The views take a body's HTML as it is (no copy per view), logs keep no plain text
    (their pages read the summary and word count), and a closed cache holds nothing but
    saved what the build used."""
    from tamatar_site.render.views.content import trusted_html

    cache = BodyCache(tmp_path / "bodies")
    rendered = render_bodies(
        [BodyJob("logs/a.md", LOG_TEXT, plain_text=False), BodyJob("projects/p.md", LOG_TEXT)],
        unsafe_html=False,
        resolve_link=_resolver({}),
        cache=cache,
        workers=1,
    )
    log, project = rendered["logs/a.md"], rendered["projects/p.md"]
    assert trusted_html(log.html) is log.html
    assert log.text == "" and "Read about" in project.text
    assert log.summary == project.summary and log.words == project.words > 0
    cache.close()
    saved = BodyCache(tmp_path / "bodies")._entries
    assert len(saved) == 1  # one text, so one entry
    assert all(cache.get(key) is None for key in saved)


def test_the_cache_file_in_parts_reads_back_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bodies, "_CACHE_PART", 2)  # five entries: three parts
    cache_file = tmp_path / "bodies"
    cache = BodyCache(cache_file)
    render_bodies(_jobs(5), unsafe_html=False, resolve_link=_resolver({}), cache=cache, workers=1)
    entries = BodyCache(cache_file)._entries
    assert len(entries) == 5
    data = cache_file.read_bytes()
    cache_file.write_bytes(data[: len(data) // 2])  # cut in the middle of a part
    assert BodyCache(cache_file)._entries == {}
    cache_file.write_bytes(data[:-2])  # the closing empty part is missing
    assert BodyCache(cache_file)._entries == {}


def test_a_body_is_pickled_with_its_html_as_str() -> None:
    """A session loads each body's HTML once (a `Markup` would be made from a `str` the
    unpickler keeps until the end of the load)."""
    import pickle

    from markupsafe import Markup

    from tamatar_site.render.markdown import RenderedBody

    body = RenderedBody(Markup("<p>x</p>"), "", "x", True, ("rust",), summary="x", words=1)
    again = pickle.loads(pickle.dumps(body, protocol=5))
    assert again == body and type(again.html) is str
