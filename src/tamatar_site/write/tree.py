"""How a commit completes the new output tree: from scratch in the staging folder
(`NewTree`), or from the spare tree, the output before last (`SpareTree`), changing only
what differs from the output."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from tamatar_site.write.swap import remove_tree

# What identifies an entry: (device, inode, size, mtime in ns) for a file, the target for
# a symbolic link, nothing for a folder.
Identity = tuple[int, int, int, int] | str | None
Entries = dict[str, tuple[str, Identity]]


def parents(key: str) -> Iterator[str]:
    """`a`, `a/b` for `a/b/c`."""
    index = key.find("/")
    while index != -1:
        yield key[:index]
        index = key.find("/", index + 1)


def add_folders_of(key: str, folders: set[str]) -> None:
    """Add to `folders` the folders `key` is in (`a`, `a/b` for `a/b/c`); stops at the first
    one already there, whose own folders are then there too."""
    slash = key.rfind("/")
    while slash != -1:
        folder = key[:slash]
        if folder in folders:
            return
        folders.add(folder)
        slash = key.rfind("/", 0, slash)


def folders_of(keys: Iterable[str]) -> set[str]:
    """Every folder the keys are in."""
    folders: set[str] = set()
    for key in keys:
        add_folders_of(key, folders)
    return folders


def list_entries(root: Path) -> Entries:
    """Every entry under `root` by relative path, with its kind (as `marker.list_tree`:
    `d`, `f`, `l`, `o`) and identity. Links are not followed."""
    found: Entries = {}
    pending = [("", str(root))]
    while pending:
        relative, folder = pending.pop()
        try:
            listing = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in listing:
            key = f"{relative}/{entry.name}" if relative else entry.name
            try:
                if entry.is_symlink():
                    found[key] = ("l", os.readlink(entry.path))
                elif entry.is_dir(follow_symlinks=False):
                    found[key] = ("d", None)
                    pending.append((key, entry.path))
                else:
                    kind = "f" if entry.is_file(follow_symlinks=False) else "o"
                    stat = entry.stat(follow_symlinks=False)
                    found[key] = (kind, (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns))
            except FileNotFoundError:
                continue  # deleted while listed
    return found


class NewTree:
    """The new output completed in the staging folder, which holds the staged files."""

    def __init__(self, output: Path, new: Path, staged: Iterable[str]) -> None:
        # Paths as strings: pathlib would cost more than the system calls (one per file).
        self.output = f"{output}{os.sep}"
        self.root = new
        self.new = f"{new}{os.sep}"
        self.made = folders_of(staged)
        self.made.add("")

    def folder(self, key: str) -> None:
        """A folder of yours (it may stay empty)."""
        self._make_folder(key)

    def _make_folder(self, key: str) -> None:
        if key in self.made:
            return
        slash = key.rfind("/")
        if slash != -1:
            self._make_folder(key[:slash])
        with contextlib.suppress(FileExistsError):
            os.mkdir(self.new + key)
        self.made.add(key)

    def _parent(self, key: str) -> None:
        slash = key.rfind("/")
        if slash != -1:
            self._make_folder(key[:slash])

    def add_kept(self, key: str, kind: str | None) -> None:
        """A file the build keeps from the output: link it (keeping its inode and mtime);
        reached through a link (or a link itself), copy its bytes instead."""
        self._parent(key)
        source, target = self.output + key, self.new + key
        try:
            if kind == "f":
                try:
                    os.link(source, target, follow_symlinks=False)
                except OSError as error:
                    if error.errno in (errno.ENOENT, errno.EEXIST):
                        raise
                    shutil.copy2(source, target)
            else:
                shutil.copy2(source, target)
        except FileNotFoundError:
            pass  # deleted by hand since: it stays missing until a build writes it again

    def add_yours(self, key: str, kind: str) -> None:
        self._parent(key)
        source, target = self.output + key, self.new + key
        if kind == "l":
            os.symlink(os.readlink(source), target)
            return
        try:
            os.link(source, target, follow_symlinks=False)
        except FileNotFoundError:
            return  # deleted while the build ran
        except OSError:
            if kind == "f":
                shutil.copy2(source, target, follow_symlinks=False)

    def finish(self) -> Path:
        """The complete tree (files of the build and yours; not yet `.tamatar-output`)."""
        return self.root


class SpareTree(NewTree):
    """The new output completed in the spare tree: the output before last, whose unchanged
    files are hard links to the output's. Entries that are already what the new tree needs
    (the same file as the output's: device, inode, size and mtime) stay; the others are
    deleted, then made as `NewTree` makes them, and the staged files are moved in. Any state
    of the spare (a build killed while completing it) gives the right tree: nothing in it is
    trusted but the identity of its entries, and nothing is ever written into one of its
    files (they may be the output's): a changed file is always a new one."""

    def __init__(
        self, output: Path, output_entries: Entries, spare: Path, staging: Path, staged: list[str]
    ) -> None:
        super().__init__(output, spare, ())
        self._staging = f"{staging}{os.sep}"
        self._staged = staged
        self._output_entries = output_entries
        self._spare_entries = list_entries(spare)
        self._wanted_folders = folders_of(staged)
        self._kept: list[tuple[str, str | None]] = []
        self._yours: list[tuple[str, str]] = []
        self._same: set[str] = set()

    def folder(self, key: str) -> None:
        add_folders_of(f"{key}/", self._wanted_folders)

    def add_kept(self, key: str, kind: str | None) -> None:
        self._want(key, kind == "f")
        self._kept.append((key, kind))

    def add_yours(self, key: str, kind: str) -> None:
        self._want(key, True)
        self._yours.append((key, kind))

    def _want(self, key: str, linked: bool) -> None:
        add_folders_of(key, self._wanted_folders)
        mine = self._spare_entries.get(key)
        if linked and mine is not None and mine == self._output_entries.get(key):
            self._same.add(key)

    def finish(self) -> Path:
        self._delete_unwanted()
        self.made = {
            key
            for key, (kind, _) in self._spare_entries.items()
            if kind == "d" and key in self._wanted_folders
        }
        self.made.add("")
        for key in self._staged:
            self._parent(key)
            os.replace(self._staging + key, self.new + key)
        for key, kind in self._kept:
            if key not in self._same:
                super().add_kept(key, kind)
        for key, kind in self._yours:
            if key not in self._same:
                super().add_yours(key, kind)
        for key in sorted(self._wanted_folders - self.made):
            self._make_folder(key)  # your empty folders
        return self.root

    def _delete_unwanted(self) -> None:
        unwanted_folders = []
        for key, (kind, _) in self._spare_entries.items():
            if kind == "d":
                if key not in self._wanted_folders:
                    unwanted_folders.append(key)
            elif key not in self._same:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.new + key)
        for key in sorted(unwanted_folders, key=len, reverse=True):  # the deepest first
            try:
                os.rmdir(self.new + key)
            except FileNotFoundError:
                pass
            except OSError:
                remove_tree(Path(self.new + key))  # something appeared in it meanwhile
