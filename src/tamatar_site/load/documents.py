"""Load stage: walk a site's content folders and read files as checked UTF-8 text.

Nothing here raises for bad input: unreadable files, binary data, invalid UTF-8, oversized
files, symbolic-link loops and folders where files belong all become diagnostics. A symbolic
link that leads outside the site folder is never followed (a warning says so).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tamatar_site.confine import inside
from tamatar_site.diagnostics import Diagnostics
from tamatar_site.load.yamlpos import ParsedYaml, parse_yaml

Kind = Literal["logs", "projects", "resources", "goals", "paths", "snippets", "pages"]

CONFIG_FILE = "tamatar.yaml"
MAX_FILE_BYTES = 10 * 1024 * 1024
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # not on Windows, where pipes are no files anyway
_MAX_DIR_DEPTH = 32
_MARKDOWN = (".md", ".markdown")
_YAML = (".yaml", ".yml")
# In processing order: logs come last so their references can be checked as they stream by.
KIND_EXTENSIONS: dict[Kind, tuple[str, ...]] = {
    "projects": _YAML,
    "resources": _YAML,
    "goals": _YAML,
    "paths": _YAML,
    "snippets": _MARKDOWN,
    "pages": _MARKDOWN,
    "logs": _MARKDOWN,
}


FileSignature = tuple[int, int, int, int]
"""(size, mtime_ns, ctime_ns, inode) of a file: when it is unchanged, so is the file."""


@dataclass(frozen=True)
class FileBytes:
    """A file's bytes and the signature it had when they were read."""

    data: bytes
    signature: FileSignature


def signature_of(info: os.stat_result) -> FileSignature:
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def read_bytes(site_dir: Path, relative: str, diagnostics: Diagnostics) -> FileBytes | None:
    """Read a regular file of at most MAX_FILE_BYTES, or add an error and return None."""
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer; regular files ignore it
        descriptor = os.open(os.path.join(site_dir, relative), os.O_RDONLY | _NONBLOCK)
    except IsADirectoryError:
        diagnostics.error(relative, 1, 1, "this is a folder, but a file was expected here")
        return None
    except OSError as exc:
        diagnostics.error(relative, 1, 1, f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            diagnostics.error(relative, 1, 1, "this is a folder, but a file was expected here")
            return None
        if not stat.S_ISREG(info.st_mode):
            diagnostics.error(relative, 1, 1, "this is not a regular file (a pipe or device?)")
            return None
        if info.st_size > MAX_FILE_BYTES:
            diagnostics.error(relative, 1, 1, _too_large(info.st_size))
            return None
        data = _read_up_to(descriptor, MAX_FILE_BYTES + 1, info.st_size)
    except OSError as exc:
        diagnostics.error(relative, 1, 1, f"cannot read the file: {exc.strerror or exc}")
        return None
    finally:
        os.close(descriptor)
    if len(data) > MAX_FILE_BYTES:
        diagnostics.error(relative, 1, 1, _too_large(len(data)))
        return None
    return FileBytes(data, signature_of(info))


def _read_up_to(descriptor: int, limit: int, expected: int) -> bytes:
    """At most `limit` bytes until end of file; a short read of a regular file is its end."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        wanted = min(limit - size, max(expected + 1 - size, 1 << 16))
        chunk = os.read(descriptor, wanted)
        chunks.append(chunk)
        size += len(chunk)
        if len(chunk) < wanted:
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def decode_text(relative: str, data: bytes, diagnostics: Diagnostics) -> str | None:
    """The UTF-8 text of a file's bytes without a byte order mark, or an error and None."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(data, nul)
        diagnostics.error(relative, line, column, "binary file: expected UTF-8 text")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        message = f"invalid UTF-8 (byte 0x{data[exc.start]:02x}): save the file as UTF-8"
        diagnostics.error(relative, line, column, message)
        return None
    return text[1:] if text.startswith("\ufeff") else text


def read_text(site_dir: Path, relative: str, diagnostics: Diagnostics) -> str | None:
    """Read a UTF-8 text file of at most MAX_FILE_BYTES, or add an error and return None."""
    read = read_bytes(site_dir, relative, diagnostics)
    return None if read is None else decode_text(relative, read.data, diagnostics)


def load_config_yaml(site_dir: Path, diagnostics: Diagnostics) -> ParsedYaml | None:
    """Read and parse `tamatar.yaml`; None (with an error) when it is missing or unreadable."""
    config_path = site_dir / CONFIG_FILE
    if not config_path.exists() and not config_path.is_symlink():
        message = (
            f"{CONFIG_FILE} not found in `{site_dir}`: every site needs one "
            "(`tamatar init` creates a site)"
        )
        diagnostics.error(CONFIG_FILE, 1, 1, message)
        return None
    text = read_text(site_dir, CONFIG_FILE, diagnostics)
    if text is None:
        return None
    parsed = parse_yaml(text)
    _report_yaml_issues(CONFIG_FILE, parsed, diagnostics)
    return parsed


@dataclass(frozen=True)
class ContentPath:
    """One content file found by the walk."""

    kind: Kind
    path: str  # relative to the site, forward slashes
    stem: str  # file name without its extension


@dataclass(frozen=True)
class ContentWalk:
    """Every content file in processing order; `links` when a symbolic link was followed."""

    files: list[ContentPath]
    links: bool


def walk_content(site_dir: Path, diagnostics: Diagnostics) -> ContentWalk:
    """Find every content file, in a stable order (kind, then path); problems are errors."""
    files: list[ContentPath] = []
    links: list[bool] = []
    site_real = os.path.realpath(site_dir)
    for kind, extensions in KIND_EXTENSIONS.items():
        folder = site_dir / kind
        if folder.is_symlink():
            links.append(True)
            if _leaves_site(str(folder), site_real, kind, diagnostics):
                continue
        if not folder.exists() and not folder.is_symlink():
            continue
        if not folder.is_dir():
            diagnostics.error(kind, 1, 1, f"`{kind}` must be a folder of {extensions[0]} files")
            continue
        for relative, stem in _walk(site_dir, kind, extensions, diagnostics, links):
            files.append(ContentPath(kind, relative, stem))
    return ContentWalk(files, bool(links))


def _leaves_site(path: str, site_real: str, relative: str, diagnostics: Diagnostics) -> bool:
    """Whether the link at `path` leads outside the site folder (then a warning is added)."""
    if inside(os.path.realpath(path), site_real):
        return False
    message = f"{relative} is a symbolic link to a file outside the site folder; not read"
    diagnostics.warning(relative, 1, 1, message)
    return True


def _report_yaml_issues(relative: str, parsed: ParsedYaml, diagnostics: Diagnostics) -> None:
    for issue in parsed.issues:
        diagnostics.error(relative, issue.line, issue.column, issue.message)


def _walk(
    site_dir: Path,
    kind: str,
    extensions: tuple[str, ...],
    diagnostics: Diagnostics,
    links: list[bool],
) -> list[tuple[str, str]]:
    """(relative path, stem) of every content file under `kind`, sorted, links followed once."""
    found: list[tuple[str, str]] = []
    site_real = os.path.realpath(site_dir)
    seen_dirs: set[tuple[int, int]] = set()
    pending: list[tuple[str, int]] = [(kind, 0)]
    while pending:
        relative_dir, depth = pending.pop()
        try:
            info = os.stat(site_dir / relative_dir)
            if (info.st_dev, info.st_ino) in seen_dirs:
                continue  # a symbolic link back into a folder already read
            seen_dirs.add((info.st_dev, info.st_ino))
            with os.scandir(site_dir / relative_dir) as entries:
                names = sorted((entry.name, entry) for entry in entries)
        except OSError as exc:
            diagnostics.error(relative_dir, 1, 1, f"cannot read the folder: {exc.strerror or exc}")
            continue
        for name, entry in names:
            if name.startswith("."):
                continue
            relative = f"{relative_dir}/{name}"
            is_content = name.lower().endswith(extensions)
            if entry.is_symlink():
                links.append(True)
                if _leaves_site(entry.path, site_real, relative, diagnostics):
                    continue
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir and not is_content:
                if depth >= _MAX_DIR_DEPTH:
                    diagnostics.error(relative, 1, 1, "folders are nested too deeply")
                else:
                    pending.append((relative, depth + 1))
            elif is_content and is_dir:
                diagnostics.error(relative, 1, 1, "this is a folder, but a file was expected here")
            elif is_content and is_file:
                found.append((relative, name[: name.rfind(".")]))
            elif is_content and entry.is_symlink():
                message = "cannot read the file: broken symbolic link or link loop"
                diagnostics.error(relative, 1, 1, message)
            elif is_content:
                diagnostics.error(relative, 1, 1, "this is not a regular file (a pipe or device?)")
    found.sort()
    return found


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _too_large(size: int) -> str:
    limit = MAX_FILE_BYTES // (1024 * 1024)
    return f"file is too large: {size:,} bytes, more than the limit of {limit} MB"
