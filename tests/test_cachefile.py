"""The one way caches reach the disk: versioned, atomic, and never fatal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tamatar_site.cachefile import (
    read_versioned,
    read_versioned_parts,
    write_atomic,
    write_atomic_with,
    write_versioned,
    write_versioned_parts,
)


def test_a_payload_reads_back_under_its_version_only(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "cache.marshal"
    assert write_versioned(path, ("format", 3), {"key": (b"\x00", 1, "text")})
    assert read_versioned(path, ("format", 3)) == {"key": (b"\x00", 1, "text")}
    assert read_versioned(path, ("format", 4)) is None
    assert os.listdir(path.parent) == ["cache.marshal"]  # no temporary file left behind


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\xff" * 40])
def test_a_damaged_file_reads_as_nothing(tmp_path: Path, damage: bytes) -> None:
    path = tmp_path / "cache.marshal"
    path.write_bytes(damage)
    assert read_versioned(path, 1) is None
    assert read_versioned(tmp_path / "missing", 1) is None


def test_a_file_of_another_shape_reads_as_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cache.marshal"
    assert write_atomic(path, __import__("marshal").dumps([1, 2, 3]))
    assert read_versioned(path, 1) is None


def test_a_failed_rename_leaves_no_temporary_file(tmp_path: Path) -> None:
    folder_in_the_way = tmp_path / "cache.marshal"
    (folder_in_the_way / "inside").mkdir(parents=True)
    assert not write_versioned(folder_in_the_way, 1, "new")
    assert sorted(os.listdir(tmp_path)) == ["cache.marshal"]
    assert os.listdir(folder_in_the_way) == ["inside"]


def test_a_failed_write_into_a_file_in_the_way_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    assert not write_atomic(blocker / "cache.marshal", b"data")
    assert blocker.read_text() == "a file where the cache folder should be"


def test_an_unmarshallable_payload_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "cache.marshal"
    assert not write_versioned(path, 1, object())
    assert not path.exists()


def test_a_streamed_write_replaces_the_file_whole_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "state.pickle"
    assert write_atomic_with(path, lambda handle: handle.write(b"first"))
    assert path.read_bytes() == b"first"

    def half_then_fail(handle: object) -> None:
        handle.write(b"half")  # type: ignore[attr-defined]
        raise TypeError("cannot pickle this")

    with pytest.raises(TypeError):
        write_atomic_with(path, half_then_fail)
    assert path.read_bytes() == b"first"
    assert os.listdir(tmp_path) == ["state.pickle"]  # the temporary file is gone
    (tmp_path / "blocked").write_bytes(b"")  # a file where the folder should be
    assert not write_atomic_with(tmp_path / "blocked" / "x", lambda handle: handle.write(b"x"))


def test_a_mapping_in_parts_reads_back_under_its_version_only(tmp_path: Path) -> None:
    import marshal

    path = tmp_path / "bodies.marshal"
    entries = {bytes([i]): ("html", i) for i in range(5)}
    assert write_versioned_parts(path, ("format", 4), entries, 2)
    assert read_versioned_parts(path, ("format", 4)) == entries
    assert read_versioned_parts(path, ("format", 5)) is None
    with open(path, "rb") as handle:  # the version, three parts of at most two, the end
        stored = [marshal.load(handle) for _ in range(5)]
        assert handle.read() == b""
    assert stored[0] == ("format", 4) and [len(part) for part in stored[1:]] == [2, 2, 1, 0]
    data = path.read_bytes()
    path.write_bytes(data[:-2])  # the closing empty part is missing
    assert read_versioned_parts(path, ("format", 4)) is None
    assert not write_versioned_parts(path, 1, {b"x": object()}, 2)
    assert read_versioned_parts(path, 1) is None and os.listdir(tmp_path) == ["bodies.marshal"]
