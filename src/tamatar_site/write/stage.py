"""The new output built file by file beside the old one (`Stage`), and the commit that
completes it into a whole tree (`write/tree.py`) and swaps it in."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Collection, Iterable
from pathlib import Path, PurePosixPath

from tamatar_site.write.marker import (
    MARKER,
    list_tree,
    marker_bytes,
    read_marker_bytes,
    remember_listed,
)
from tamatar_site.write.swap import (
    claim_spare,
    pause_for_kill_test,
    release_spare,
    remove_tree,
    swap_in,
)
from tamatar_site.write.tree import NewTree, SpareTree, folders_of, list_entries, parents

# An old output tree of this many entries (files and folders) or more is kept beside the
# output as the spare tree the next commit completes its tree from: making every folder and
# link again costs about 0.1 s per 1,000 files, deleting the old tree as much. When a spare
# cannot be kept, such a tree is deleted by a detached process after the swap.
LARGE_TREE_ENTRIES = 4000


def _is_plain_relative(path: str) -> bool:
    """`a/b/index.html`: relative, forward slashes, no empty, `.` or `..` segments."""
    if not path or path[0] == "/" or "\\" in path or "\0" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


# What a set of keys joined with NUL holds if one of them is not `_is_plain_relative`:
# a NUL or a backslash in a key shows in the count or the text, a leading `/` or an empty,
# `.` or `..` segment as one of these between separators.
_NOT_PLAIN = (
    *("\\", "\0/", "/\0", "//", "\0\0", "/./", "/../", "\0./", "\0../"),
    *("/.\0", "/..\0", "\0.\0", "\0..\0"),
)


def _all_plain_relative(keys: Collection[str]) -> bool:
    """Whether every one of `keys` is `_is_plain_relative`, in one pass over their text."""
    text = "\0" + "\0".join(keys) + "\0"
    if text.count("\0") != len(keys) + 1:
        return False
    return not any(bad in text for bad in _NOT_PLAIN)


def _output_key(path: str) -> str:
    """`path` as an output key (forward slashes); the common case skips PurePosixPath."""
    return path if _is_plain_relative(path) else _safe_relative(path).as_posix()


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ValueError(f"output path {path!r} must be relative and stay inside the output")
    return rel


class Stage:
    """The files of one build: unchanged ones noted, changed ones staged; see `staged_output`."""

    def __init__(
        self, output_dir: Path, staging_dir: Path, owned: Collection[str] = frozenset()
    ) -> None:
        self.output_dir = output_dir
        self.staging_dir = staging_dir
        self._output_prefix = f"{output_dir}{os.sep}"
        self._owned = frozenset(owned)  # the files the last build wrote
        self.written = 0
        self.unchanged = 0
        self.removed = 0
        self._paths: set[str] = set()
        self._staged: list[str] = []
        self._made_dirs: set[Path] = set()
        # After a commit that left every other file of the output where it was: the files
        # it moved in. None: the output was made or swapped (any file may be a new one).
        self.replaced: frozenset[str] | None = None
        self._committed: frozenset[str] | None = None  # `paths`, once committed in place

    def _claim(self, path: str) -> tuple[str, Path]:
        key = self._claim_key(path)
        return key, Path(self._output_prefix + key)

    def _claim_key(self, path: str) -> str:
        key = _output_key(path)
        if key in self._paths:
            raise ValueError(f"two outputs for the same path {key!r}")
        if key == MARKER:
            raise ValueError(f"{MARKER} is tamatar's own list of output files")
        self._paths.add(key)
        return key

    def _staging_target(self, key: str) -> Path:
        target = self.staging_dir / key
        parent = target.parent
        if parent not in self._made_dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(parent)
        self._staged.append(key)
        self.written += 1
        return target

    def write_bytes(self, path: str, data: bytes) -> None:
        """Stage `data` at the site-relative `path` (forward slashes), unless unchanged."""
        key, previous = self._claim(path)
        if _same_bytes(previous, data):
            self.unchanged += 1
            return
        self._staging_target(key).write_bytes(data)

    def write_text(self, path: str, text: str) -> None:
        self.write_bytes(path, text.encode("utf-8"))

    def copy_file(self, path: str, source: Path) -> None:
        """Stage a copy of `source` (a static file) at `path`, unless unchanged."""
        key, previous = self._claim(path)
        if _same_file_content(previous, source):
            self.unchanged += 1
            return
        shutil.copyfile(source, self._staging_target(key))

    def claim(self, path: str) -> tuple[str, Path]:
        """Reserve `path` for a file staged by other code (`adopt`) or kept (`keep`);
        returns its key and where it lives in the output."""
        return self._claim(path)

    def keep(self, key: str) -> None:
        """A claimed file is unchanged: the output keeps its current file."""
        self.unchanged += 1

    def claim_kept(self, keys: Collection[str]) -> None:
        """Claim the distinct output `keys` (as a memo records them) for the files the
        output has there, unchanged: `claim` and `keep` without a `Path`, for thousands of
        files at once."""
        if _all_plain_relative(keys) and MARKER not in keys and self._paths.isdisjoint(keys):
            self._paths.update(keys)
        else:
            for key in keys:
                self._claim_key(key)  # raises for the first key that is bad or claimed
        self.unchanged += len(keys)

    def keep_unclaimed(self, keys: Iterable[str]) -> None:
        """Keep, as they are in the output, the files of `keys` nothing claimed (the files
        of the last build a partial rebuild did not touch)."""
        kept = set(keys).difference(self._paths)
        kept.discard(MARKER)
        self._paths.update(kept)
        self.unchanged += len(kept)

    def adopt(self, key: str) -> None:
        """A claimed file was written to `staging_dir / key` (by a worker process)."""
        self._staged.append(key)
        self.written += 1

    def has(self, path: str) -> bool:
        return _output_key(path) in self._paths

    @property
    def paths(self) -> frozenset[str]:
        """Every output path of this build (forward slashes)."""
        committed = self._committed
        return committed if committed is not None else frozenset(self._paths)

    def commit(self, *, background: bool = False) -> None:
        """Complete the staging folder (or the spare tree) into the whole new output and
        swap it in."""
        output = self.output_dir
        if not os.path.lexists(output):
            (self.staging_dir / MARKER).write_bytes(marker_bytes(self._paths))
            pause_for_kill_test()
            os.rename(self.staging_dir, output)
            return
        spare = claim_spare(output)
        try:
            self._commit_tree(spare, background)
        except BaseException:
            if spare is not None and os.path.lexists(spare):
                release_spare(spare, output)
            raise

    def _commit_tree(self, spare: Path | None, background: bool) -> None:
        output, new = self.output_dir, self.staging_dir
        marker = marker_bytes(self._paths)
        if spare is None:
            old = list_tree(output)
        else:
            entries = list_entries(output)
            old = {key: kind for key, (kind, _) in entries.items()}
        stale = [key for key in self._owned - self._paths if old.get(key, "d") != "d"]
        self.removed = len(stale)
        if not self._staged and not stale and read_marker_bytes(output, old) == marker:
            remove_tree(new)  # nothing to change: the output is this build's already
            if spare is not None:
                release_spare(spare, output)
            self.replaced = frozenset()
            return
        tree = (
            NewTree(output, new, self._staged)
            if spare is None
            else SpareTree(output, entries, spare, new, self._staged)
        )
        for key in sorted(self._paths.difference(self._staged)):
            tree.add_kept(key, old.get(key))
        self._add_yours(tree, old)
        root = tree.finish()
        (root / MARKER).write_bytes(marker)
        with contextlib.suppress(OSError):
            os.chmod(root, stat.S_IMODE(os.stat(output).st_mode))
        large = len(old) >= LARGE_TREE_ENTRIES
        swap_in(output, root, background=background, detach=large, keep_old=large)
        if root != new:
            remove_tree(new)  # the folders the staged files were moved out of

    def commit_in_place(self) -> None:
        """Move the staged files into the output one by one instead of swapping the whole
        tree: for serve's edit path, which changes a handful of files of a big output (a
        tree swap costs about 0.1 s per 1,000 files). Each file is replaced by one rename,
        so no file is ever half written, but a reader may see some new files before the
        others. Files of the last build this one did not make are deleted (and folders they
        leave empty) before the list of the build's files is rewritten, so a stop in
        between never makes them look like yours. When a folder on the way is a link or a
        file, this is a normal `commit` instead."""
        output, new = self.output_dir, self.staging_dir
        prefix = f"{output}{os.sep}"
        stale = [key for key in self._owned - self._paths if os.path.lexists(prefix + key)]
        if not self._in_place_possible(prefix, stale):
            self.commit(background=True)
            return
        pause_for_kill_test()
        for key in self._staged:
            slash = key.rfind("/")
            if slash != -1:
                os.makedirs(prefix + key[:slash], exist_ok=True)
            os.replace(f"{new}{os.sep}{key}", prefix + key)
        self._remove_in_place(prefix, stale)
        self.replaced = frozenset(self._staged)
        # The list already there is kept when this build made the same files as the last:
        # listing 50,000 files again costs more than an edit of text.
        listed = output / MARKER
        paths = self._committed = frozenset(self._paths)
        if paths != self._owned or listed.is_symlink() or read_marker_bytes(output) is None:
            (new / MARKER).write_bytes(marker_bytes(paths))
            os.replace(new / MARKER, listed)
            remember_listed(listed, paths)
        remove_tree(new)

    def _in_place_possible(self, prefix: str, stale: list[str]) -> bool:
        if not os.path.isdir(self.output_dir) or os.path.islink(self.output_dir):
            return False
        if any(os.path.isdir(prefix + key) or os.path.islink(prefix + key) for key in stale):
            return False  # a folder or link where a file of the last build was: swap
        for key in self._staged:
            for parent in parents(key):
                path = prefix + parent
                if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
                    return False
            target = prefix + key
            if os.path.islink(target) or os.path.isdir(target):
                return False
        return True

    def _remove_in_place(self, prefix: str, stale: list[str]) -> None:
        for key in stale:
            os.unlink(prefix + key)
        self.removed = len(stale)
        emptied = folders_of(stale)
        for folder in sorted(emptied, key=len, reverse=True):  # the deepest first
            with contextlib.suppress(OSError):  # not empty: files of this build or yours
                os.rmdir(prefix + folder)

    def _add_yours(self, tree: NewTree, old: dict[str, str]) -> None:
        """Carry over what no build wrote: the files you added, `.git`, your links."""
        yours = sorted(
            (key, kind)
            for key, kind in old.items()
            if key not in self._owned and key not in self._paths and key != MARKER
        )
        owned_folders, build_folders = folders_of(self._owned), folders_of(self._paths)
        for key, kind in yours:
            if any(parent in self._paths for parent in parents(key)):
                continue  # a file of this build is where this one's folder was
            if kind == "d":
                if key not in owned_folders:
                    tree.folder(key)
                continue
            if key in build_folders:
                continue  # this build's folder replaces it
            tree.add_yours(key, kind)


def _same_bytes(previous: Path, data: bytes) -> bool:
    try:
        if previous.stat().st_size != len(data):
            return False
        return previous.read_bytes() == data
    except OSError:
        return False


def _same_file_content(previous: Path, source: Path) -> bool:
    try:
        if previous.stat().st_size != source.stat().st_size:
            return False
        with previous.open("rb") as old, source.open("rb") as new:
            while True:
                chunk = old.read(1 << 16)
                if chunk != new.read(1 << 16):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False
