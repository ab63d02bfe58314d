"""Reading a site's files: walking folders, and every kind of unreadable file as a diagnostic."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

from sitefiles import write_site

from tamatar_site.diagnostics import Diagnostics
from tamatar_site.load import MAX_FILE_BYTES, load_config_yaml, read_text
from tamatar_site.load.documents import walk_content
from tamatar_site.validate.record_cache import decode_record, encode_record
from tamatar_site.validate.record_parser import parse_file
from tamatar_site.validate.records import LogInput

LOG = "---\ntitle: A\n---\nBody\n"


def _load(site: Path) -> tuple[list[tuple[str, str, str]], list[str]]:
    diagnostics = Diagnostics()
    walk = walk_content(site, diagnostics)
    return [(f.kind, f.path, f.stem) for f in walk.files], [d.format() for d in diagnostics]


def test_walks_every_kind_at_any_depth_in_a_stable_order(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "logs/2026/11/2026-11-02-b.md": LOG,
            "logs/2026-11-01-a.markdown": LOG,
            "projects/p.yaml": "name: P\n",
            "resources/r.yml": "title: R\n",
            "goals/g.yaml": "title: G\n",
            "paths/x.yaml": "title: X\n",
            "snippets/s.md": LOG,
        },
    )
    documents, diagnostics = _load(site)
    assert diagnostics == []
    assert documents == [
        ("projects", "projects/p.yaml", "p"),
        ("resources", "resources/r.yml", "r"),
        ("goals", "goals/g.yaml", "g"),
        ("paths", "paths/x.yaml", "x"),
        ("snippets", "snippets/s.md", "s"),
        ("logs", "logs/2026-11-01-a.markdown", "2026-11-01-a"),
        ("logs", "logs/2026/11/2026-11-02-b.md", "2026-11-02-b"),
    ]


def test_hidden_files_and_other_extensions_are_ignored(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "logs/.2026-11-01-a.md.swp": "junk",
            "logs/.drafts/2026-11-01-b.md": LOG,
            "logs/diagram.png": b"\x89PNG\x00",
            "logs/notes.txt": "x",
            "projects/README.md": "# projects\n",
        },
    )
    assert _load(site) == ([], [])


def test_front_matter_positions_are_file_lines() -> None:
    text = "---\ntitle: A\nmood: 3\n---\n\nBody\n"
    record = parse_file("logs", "logs/2026-11-01-a.md", "2026-11-01-a", text)
    assert isinstance(record.item, LogInput)
    assert text[record.body_offset :] == "\nBody\n"
    assert record.item.body_line == 5
    bad = parse_file("logs", "logs/2026-11-01-a.md", "2026-11-01-a", text.replace("3", "many"))
    assert [d.format() for d in bad.diagnostics] == [
        "logs/2026-11-01-a.md:3:1: error: `mood` must be a whole number (got `many`)"
    ]


def test_files_with_the_same_layout_share_their_position_tuples() -> None:
    """Every log has the same few location keys and positions: each distinct one is one
    object across files (from the parser and from the record cache), not a copy per file."""
    text = "---\ntitle: {}\nproject: tamatar\ntags: [rust, go]\n---\n\nBody\n"
    first = parse_file("logs", "logs/2026-11-01-a.md", "2026-11-01-a", text.format("A"))
    second = parse_file("logs", "logs/2026-11-02-b.md", "2026-11-02-b", text.format("B"))
    cached = decode_record(marshal.loads(marshal.dumps(encode_record(first))))
    assert first.positions == second.positions == cached.positions
    assert first.positions[("tags", 1)] == (4, 14)
    for record in (second, cached):
        for (key, at), (same_key, same_at) in zip(
            first.positions.items(), record.positions.items(), strict=True
        ):
            assert key is same_key and at is same_at


def test_missing_folders_are_fine_but_a_file_instead_of_a_folder_is_not(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"logs": "not a folder"})
    assert _load(site) == ([], ["logs:1:1: error: `logs` must be a folder of .md files"])


def test_folder_with_a_content_name(tmp_path: Path) -> None:
    site = write_site(tmp_path, {})
    (site / "projects" / "p.yaml").mkdir(parents=True)
    assert _load(site)[1] == [
        "projects/p.yaml:1:1: error: this is a folder, but a file was expected here"
    ]


def test_symlink_loops_and_broken_links(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"logs/2026-11-01-a.md": LOG})
    logs = site / "logs"
    (logs / "again").symlink_to(logs)  # a folder loop
    (logs / "2026-11-02-b.md").symlink_to("2026-11-02-b.md")  # a file loop
    (logs / "2026-11-03-c.md").symlink_to("missing.md")
    documents, diagnostics = _load(site)
    assert [path for _, path, _ in documents] == ["logs/2026-11-01-a.md"]
    assert diagnostics == [
        "logs/2026-11-02-b.md:1:1: error: cannot read the file: broken symbolic link or link loop",
        "logs/2026-11-03-c.md:1:1: error: cannot read the file: broken symbolic link or link loop",
    ]


def test_read_text_rejects_binary_invalid_utf8_and_huge_files(tmp_path: Path) -> None:
    (tmp_path / "bin").write_bytes(b"abc\ndef\x00")
    (tmp_path / "latin").write_bytes(b"ok\nna\xefve\n")
    with open(tmp_path / "huge", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    (tmp_path / "bom").write_bytes(b"\xef\xbb\xbftitle: x\n")
    diagnostics = Diagnostics()
    assert read_text(tmp_path, "bin", diagnostics) is None
    assert read_text(tmp_path, "latin", diagnostics) is None
    assert read_text(tmp_path, "huge", diagnostics) is None
    assert read_text(tmp_path, "bom", diagnostics) == "title: x\n"
    assert read_text(tmp_path, "missing", diagnostics) is None
    assert [d.format() for d in diagnostics] == [
        "bin:2:4: error: binary file: expected UTF-8 text",
        "huge:1:1: error: file is too large: 10,485,761 bytes, more than the limit of 10 MB",
        "latin:2:3: error: invalid UTF-8 (byte 0xef): save the file as UTF-8",
        "missing:1:1: error: cannot read the file: No such file or directory",
    ]


def test_config_missing_or_a_folder(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    assert load_config_yaml(tmp_path, diagnostics) is None
    (tmp_path / "tamatar.yaml").mkdir()
    assert load_config_yaml(tmp_path, diagnostics) is None
    assert [d.format() for d in diagnostics] == [
        "tamatar.yaml:1:1: error: tamatar.yaml not found in "
        f"`{tmp_path}`: every site needs one (`tamatar init` creates a site)",
        "tamatar.yaml:1:1: error: this is a folder, but a file was expected here",
    ]


def test_named_pipes_are_not_waited_for(tmp_path: Path) -> None:
    site = write_site(tmp_path, {})
    (site / "logs").mkdir()
    os.mkfifo(site / "logs" / "2026-11-01-pipe.md")
    os.remove(site / "tamatar.yaml")
    os.mkfifo(site / "tamatar.yaml")
    diagnostics = Diagnostics()
    assert load_config_yaml(site, diagnostics) is None
    assert walk_content(site, diagnostics).files == []
    assert [d.format() for d in diagnostics] == [
        "logs/2026-11-01-pipe.md:1:1: error: this is not a regular file (a pipe or device?)",
        "tamatar.yaml:1:1: error: this is not a regular file (a pipe or device?)",
    ]


def test_every_content_folder_has_its_kind_of_file() -> None:
    from tamatar_site.layout import CONTENT_FOLDERS
    from tamatar_site.load.documents import KIND_EXTENSIONS

    assert sorted(KIND_EXTENSIONS) == sorted(CONTENT_FOLDERS)
