"""The page memo file (`build/memo.py`): what is saved is loaded, and a file that is
damaged, of another format or of another output is an empty memo (the build renders every
page), never an error."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from tamatar_site.build import filestats
from tamatar_site.build import memo as memo_module
from tamatar_site.build.memo import OutputMemo, PageRecord, load_memo, save_memo


def _memo(output: Path) -> OutputMemo:
    digest = bytes(range(16))
    return OutputMemo(
        str(output.absolute()),
        pages={
            "index.html": PageRecord(b"f" * 16, 120, 1_700_000_000_123_456_789, digest),
            "logs/2026/10/24/day-23/index.html": PageRecord(b"", 0, 0, b""),
            "feed.xml": PageRecord(b"\0" * 16, 2**40, -1, digest[::-1]),
            "ünïcode/😀.html": PageRecord(b"x", 1, 2, b"y" * 300),
        },
        rendered=("index.html",),
        files=frozenset({"index.html", "feed.xml", "style.css", "ünïcode/😀.html"}),
        site_fingerprint=b"site",
        search_pages={"index.html": digest},
        search_fragments={"/": "en_1"},
        searchable=frozenset({"index.html"}),
    )


def test_a_saved_memo_is_loaded_as_it_was(tmp_path: Path) -> None:
    saved = _memo(tmp_path / "out")
    path = tmp_path / "pages.marshal"
    save_memo(path, saved)
    loaded = load_memo(path, tmp_path / "out")
    assert loaded == OutputMemo(**{**saved.__dict__, "rendered": ()})  # `rendered` is not kept
    empty = OutputMemo(str((tmp_path / "out").absolute()))
    save_memo(path, empty)
    assert load_memo(path, tmp_path / "out") == empty


def test_another_output_folder_gets_an_empty_memo(tmp_path: Path) -> None:
    path = tmp_path / "pages.marshal"
    save_memo(path, _memo(tmp_path / "out"))
    assert load_memo(path, tmp_path / "other").pages == {}


@pytest.mark.parametrize("cut", [1, 7, 100, 400])
def test_a_damaged_memo_is_an_empty_one(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "pages.marshal"
    save_memo(path, _memo(tmp_path / "out"))
    path.write_bytes(path.read_bytes()[:-cut])
    assert load_memo(path, tmp_path / "out") == OutputMemo(str((tmp_path / "out").absolute()))


def test_a_memo_with_inconsistent_parts_is_an_empty_one(tmp_path: Path) -> None:
    path = tmp_path / "pages.marshal"
    save_memo(path, _memo(tmp_path / "out"))
    version, data = marshal.loads(path.read_bytes())
    keys, *rest = data[1]
    damaged = ((keys + "\0extra", *rest), (keys, *rest[:-1], rest[-1][:-8]), ("only",), (7, *rest))
    for packed in damaged:
        path.write_bytes(marshal.dumps((version, (data[0], packed, *data[2:]))))
        assert load_memo(path, tmp_path / "out").pages == {}
    path.write_bytes(marshal.dumps((memo_module._MEMO_FORMAT - 1, data)))
    assert load_memo(path, tmp_path / "out").pages == {}


@pytest.mark.parametrize("change", [None, "size of the first", "mtime of the last", "deleted"])
def test_pages_are_intact_only_when_every_file_has_its_recorded_size_and_mtime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str | None
) -> None:
    """Past a few thousand pages the stats are split with a forked process (as on a 2-core
    machine with no other thread): a change in either half is seen."""
    output = tmp_path / "out"
    (output / "logs").mkdir(parents=True)
    pages = {}
    for number in range(filestats._SPLIT_FROM + 100):
        key = f"logs/{number}.html"
        (output / key).write_bytes(b"x" * (number % 7))
        info = (output / key).stat()
        pages[key] = PageRecord(b"f", info.st_size, info.st_mtime_ns, b"d")
    forks: list[int] = []
    fork = os.fork
    monkeypatch.setattr(filestats, "_may_fork", lambda: True)
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or fork())
    keys = list(pages)
    if change == "size of the first":  # the first half is this process's
        (output / keys[1]).write_bytes(b"changed")
    elif change == "mtime of the last":  # the second half is the child's
        record = pages[keys[-1]]
        os.utime(output / keys[-1], ns=(record.mtime_ns, record.mtime_ns + 1))
    elif change == "deleted":
        (output / keys[len(keys) // 2]).unlink()
    assert memo_module.all_intact(output, pages) is (change is None)
    assert forks == [1]
    assert memo_module.all_intact(output, dict(list(pages.items())[:10])) is (
        change in (None, "mtime of the last", "deleted")
    )
