"""Write stage: build the whole new output beside the old one, then swap the two in one step.

Design (issues 3 and 16, "output discipline"):

1. The build renders every output file. A file whose bytes equal the file already in the
   output folder is not written again: the new tree gets a hard link to it, so it keeps its
   inode and mtime (rsync, `tamatar serve` and browsers see it unchanged).
2. Every new or changed file is written into a staging folder beside the output folder
   (same file system): `.<name>.tamatar-stage-<pid>/`. Nothing in the output changes while
   the build renders; if anything fails, the staging folder is deleted and the output is
   exactly as before.
3. The commit completes the staging folder into the whole new output: hard links to the
   unchanged files, the files you added by hand (anything the last build's list in
   `.tamatar-output` does not name, `.git` included), and that list for this build. Then
   one `renameat2(RENAME_EXCHANGE)` swaps the two folders, and the old tree is deleted
   (by a background thread in `tamatar serve`).
   Where the system has no such call, two renames do it (old -> `.<name>.tamatar-old-<pid>`,
   new -> output): a kill between them leaves no output folder, and the next build puts
   the old one back. A build that changed nothing swaps nothing.
4. Staging and old folders of builds that were killed (their pid is gone) are deleted by the
   next build. Nothing is ever written or deleted through a symbolic link in the output: the
   new tree is built from scratch, and the old one is deleted without following links.

A non-empty output folder is used only when an earlier build owns it: it holds
`.tamatar-output` (or the site's cache lists the files a build wrote there).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import json
import os
import shutil
import stat
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tamatar_site.confine import confined_files
from tamatar_site.diagnostics import Diagnostics

# The list of files the build wrote, at the top of the output: marks the folder as ours.
MARKER = ".tamatar-output"
_MARKER_HEADER = (
    "# Written by tamatar build: the files listed below are its output, replaced by the next\n"
    "# build. Any other file in this folder is yours: builds keep it.\n"
)
_STAGE = "tamatar-stage"
_OLD = "tamatar-old"
_LEGACY_STAGE = "staging"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(Exception):
    """The output folder cannot be used (it would destroy sources or unrelated files)."""


@dataclass(frozen=True)
class WriteResult:
    written: int  # files staged and moved into the output (new or changed bytes)
    unchanged: int  # files whose bytes were already in the output
    removed: int  # stale files deleted
    rendered: int = 0  # HTML pages whose template ran
    skipped: int = 0  # HTML pages not rendered: their inputs and output file were unchanged
    paths: frozenset[str] = frozenset()  # every output file (forward slashes)


def check_output_dir(site_dir: Path, output_dir: Path, protected: tuple[str, ...]) -> None:
    """Refuse an output folder that is the site, contains it, or lies in a source folder.

    Args:
        site_dir: the site folder.
        output_dir: where the build goes.
        protected: names of source folders under the site (logs, static, ...).

    Raises:
        OutputError: with a message that says what to do instead.
    """
    site = site_dir.resolve()
    out = output_dir.resolve()
    if out == site or site.is_relative_to(out):
        raise OutputError(
            f"refusing to write the site into {output_dir}: it is the site folder or contains "
            "it, and the build replaces the output folder whole; choose another folder with -o"
        )
    for name in protected:
        source = site / name
        if out == source or out.is_relative_to(source):
            raise OutputError(
                f"refusing to write the site into {output_dir}: it is inside the source folder "
                f"{name}/; choose another folder with -o"
            )
    if out.exists() and not out.is_dir():
        raise OutputError(f"the output {output_dir} exists and is not a folder")
    for ancestor in out.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise OutputError(f"the output {output_dir} is inside {ancestor}, a file")
            break


def _is_plain_relative(path: str) -> bool:
    """`a/b/index.html`: relative, forward slashes, no empty, `.` or `..` segments."""
    if not path or path[0] == "/" or "\\" in path or "\0" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def _output_key(path: str) -> str:
    """`path` as an output key (forward slashes); the common case skips PurePosixPath."""
    return path if _is_plain_relative(path) else _safe_relative(path).as_posix()


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ValueError(f"output path {path!r} must be relative and stay inside the output")
    return rel


def _parents(key: str) -> Iterator[str]:
    """`a`, `a/b` for `a/b/c`."""
    index = key.find("/")
    while index != -1:
        yield key[:index]
        index = key.find("/", index + 1)


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

    def _claim(self, path: str) -> tuple[str, Path]:
        key = _output_key(path)
        if key in self._paths:
            raise ValueError(f"two outputs for the same path {key!r}")
        if key == MARKER:
            raise ValueError(f"{MARKER} is tamatar's own list of output files")
        self._paths.add(key)
        return key, Path(self._output_prefix + key)

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

    def keep_unclaimed(self, keys: Iterable[str]) -> None:
        """Keep, as they are in the output, the files of `keys` nothing claimed (the files
        of the last build a partial rebuild did not touch)."""
        for key in keys:
            if key not in self._paths and key != MARKER:
                self._paths.add(key)
                self.unchanged += 1

    def adopt(self, key: str) -> None:
        """A claimed file was written to `staging_dir / key` (by a worker process)."""
        self._staged.append(key)
        self.written += 1

    def has(self, path: str) -> bool:
        return _output_key(path) in self._paths

    @property
    def paths(self) -> frozenset[str]:
        """Every output path of this build (forward slashes)."""
        return frozenset(self._paths)

    def commit(self, *, background: bool = False) -> None:
        """Complete the staging folder into the whole new output and swap it in."""
        output, new = self.output_dir, self.staging_dir
        marker = _marker_bytes(self._paths)
        if not os.path.lexists(output):
            (new / MARKER).write_bytes(marker)
            _test_pause()
            os.rename(new, output)
            return
        old = _list_tree(output)
        stale = [key for key in self._owned - self._paths if old.get(key, "d") != "d"]
        self.removed = len(stale)
        if not self._staged and not stale and _read_marker_bytes(output, old) == marker:
            _remove_tree(new)  # nothing to change: the output is this build's already
            return
        tree = _NewTree(output, new, self._staged)
        for key in sorted(self._paths.difference(self._staged)):
            tree.add_kept(key, old.get(key))
        self._add_yours(tree, old)
        (new / MARKER).write_bytes(marker)
        with contextlib.suppress(OSError):
            os.chmod(new, stat.S_IMODE(os.stat(output).st_mode))
        _swap(output, new, background=background)

    def commit_in_place(self) -> None:
        """Move the staged files into the output one by one instead of swapping the whole
        tree: for serve's edit path, which changes a handful of files of a big output (a
        tree swap costs about 0.1 s per 1,000 files). Each file is replaced by one rename,
        so no file is ever half written, but a reader may see some new files before the
        others. When files must be removed, or a folder on the way is a link or a file,
        this is a normal `commit` instead."""
        output, new = self.output_dir, self.staging_dir
        prefix = f"{output}{os.sep}"
        if not self._in_place_possible(prefix):
            self.commit(background=True)
            return
        _test_pause()
        for key in self._staged:
            slash = key.rfind("/")
            if slash != -1:
                os.makedirs(prefix + key[:slash], exist_ok=True)
            os.replace(f"{new}{os.sep}{key}", prefix + key)
        marker = _marker_bytes(self._paths)
        if _read_marker_bytes(output) != marker:
            (new / MARKER).write_bytes(marker)
            os.replace(new / MARKER, output / MARKER)
        _remove_tree(new)

    def _in_place_possible(self, prefix: str) -> bool:
        if not os.path.isdir(self.output_dir) or os.path.islink(self.output_dir):
            return False
        if any(os.path.lexists(prefix + key) for key in self._owned - self._paths):
            return False  # stale files to remove: the whole tree is swapped
        for key in self._staged:
            for parent in _parents(key):
                path = prefix + parent
                if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
                    return False
            target = prefix + key
            if os.path.islink(target) or os.path.isdir(target):
                return False
        return True

    def _add_yours(self, tree: _NewTree, old: dict[str, str]) -> None:
        """Carry over what no build wrote: the files you added, `.git`, your links."""
        owned_folders = {parent for key in self._owned for parent in _parents(key)}
        build_folders = {parent for key in self._paths for parent in _parents(key)}
        for key, kind in sorted(old.items()):
            if key in self._owned or key in self._paths or key == MARKER:
                continue
            if any(parent in self._paths for parent in _parents(key)):
                continue  # a file of this build is where this one's folder was
            if kind == "d":
                if key not in owned_folders:
                    tree.folder(key)
                continue
            if key in build_folders:
                continue  # this build's folder replaces it
            tree.add_yours(key, kind)


class _NewTree:
    """The new output as it is completed in the staging folder."""

    def __init__(self, output: Path, new: Path, staged: Iterable[str]) -> None:
        # Paths as strings: pathlib would cost more than the system calls (one per file).
        self.output = f"{output}{os.sep}"
        self.new = f"{new}{os.sep}"
        self.made = {parent for key in staged for parent in _parents(key)}
        self.made.add("")

    def folder(self, key: str) -> None:
        if key in self.made:
            return
        slash = key.rfind("/")
        if slash != -1:
            self.folder(key[:slash])
        with contextlib.suppress(FileExistsError):
            os.mkdir(self.new + key)
        self.made.add(key)

    def _parent(self, key: str) -> None:
        slash = key.rfind("/")
        if slash != -1:
            self.folder(key[:slash])

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


def _list_tree(root: Path) -> dict[str, str]:
    """Every entry under `root` by relative path: `d` folder, `f` regular file, `l` link,
    `o` anything else. Links are not followed."""
    found: dict[str, str] = {}
    pending = [("", str(root))]
    while pending:
        relative, folder = pending.pop()
        try:
            listing = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in listing:
            key = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_symlink():
                found[key] = "l"
            elif entry.is_dir(follow_symlinks=False):
                found[key] = "d"
                pending.append((key, entry.path))
            elif entry.is_file(follow_symlinks=False):
                found[key] = "f"
            else:
                found[key] = "o"
    return found


def _marker_bytes(paths: Iterable[str]) -> bytes:
    lines = [
        json.dumps(key) if "\n" in key or "\r" in key or key.startswith('"') else key
        for key in sorted(paths)
    ]
    return (_MARKER_HEADER + "".join(f"{line}\n" for line in lines)).encode(
        "utf-8", "surrogateescape"
    )


def _read_marker_bytes(output: Path, entries: dict[str, str] | None = None) -> bytes | None:
    if entries is not None and entries.get(MARKER) != "f":
        return None
    try:
        with open(output / MARKER, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _parse_marker(data: bytes) -> frozenset[str]:
    keys: set[str] = set()
    for line in data.decode("utf-8", "surrogateescape").split("\n"):
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            with contextlib.suppress(ValueError):
                line = str(json.loads(line))
        keys.add(line)
    return frozenset(keys)


def owned_files(output: Path, previous_files: Collection[str] | None) -> frozenset[str]:
    """The files an earlier build wrote into `output` (from its `.tamatar-output`, else from
    the site's cache, `previous_files`); empty for a missing or empty folder.

    Raises:
        OutputError: the folder holds files but no tamatar build owns it.
    """
    if not os.path.lexists(output):
        return frozenset()
    if not output.is_dir():
        raise OutputError(f"the output {output} exists and is not a folder")
    if os.path.isfile(output / MARKER) and not os.path.islink(output / MARKER):
        data = _read_marker_bytes(output)
        if data is not None:
            return _parse_marker(data)
    if previous_files:
        return frozenset(previous_files)  # built before `.tamatar-output` existed
    with os.scandir(output) as listing:
        if next(listing, None) is None:
            return frozenset()
    raise OutputError(
        f"{output} is not empty and was not written by tamatar (it has no {MARKER}); "
        "choose an empty folder with -o, or delete it"
    )


@functools.cache
def _renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False when the system or file system cannot.

    Raises:
        OSError: the exchange failed for another reason.
    """
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            return False
        raise OSError(code, os.strerror(code), str(second))
    return True


def _swap(output: Path, new: Path, *, background: bool) -> None:
    """Put the complete `new` tree at `output`; delete the old tree (in a thread of its own
    when `background`: `tamatar serve` reloads pages without waiting for that)."""
    _test_pause()
    old = output.parent / f".{output.name}.{_OLD}-{os.getpid()}"
    if exchange(new, output):
        _test_pause()
        if not background:
            _remove_tree(new)  # now the old tree
            return
        os.rename(new, old)
    else:
        os.rename(output, old)
        _test_pause()
        try:
            os.rename(new, output)
        except BaseException:
            os.rename(old, output)
            raise
    if background:
        thread = threading.Thread(target=_remove_tree, args=(old,), daemon=True)
        _removals.append(thread)
        thread.start()
    else:
        _remove_tree(old)


# Old trees this process is deleting in the background; joined before the next build.
_removals: list[threading.Thread] = []


def wait_for_removals() -> None:
    """Until the old trees deleted in the background are gone."""
    while _removals:
        _removals.pop().join()


def _test_pause() -> None:
    """A hook for the kill tests: stop inside the commit for a while."""
    pause = os.environ.get("TAMATAR_TEST_PAUSE_IN_COMMIT")
    if pause:
        sys.stderr.write("tamatar-test: in commit\n")
        sys.stderr.flush()
        time.sleep(float(pause))


def _remove_tree(path: Path) -> None:
    """Delete a staging or old tree, links not followed; a folder made read-only is made
    writable first. What cannot be deleted stays for the next build to try again."""

    def retry(function: Callable[..., object], failed: str, _info: object) -> None:
        parent = os.path.dirname(failed)
        with contextlib.suppress(OSError):
            if not os.path.islink(parent):
                os.chmod(parent, 0o700)
            function(failed)

    if os.path.islink(path) or os.path.isfile(path):
        with contextlib.suppress(OSError):
            os.unlink(path)
        return
    shutil.rmtree(path, onerror=retry)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def remove_stale_folders(output: Path) -> None:
    """Delete the staging and old folders that killed builds left beside `output`; when the
    output itself is missing (a kill between the two renames of `_swap`), put the old tree
    back."""
    prefix = f".{output.name}."
    try:
        names = os.listdir(output.parent)
    except OSError:
        return
    for name in sorted(names):
        if not name.startswith(prefix):
            continue
        kind, _, pid = name[len(prefix) :].rpartition("-")
        if kind not in (_STAGE, _OLD, _LEGACY_STAGE) or not pid.isdigit():
            continue
        if int(pid) != os.getpid() and _pid_alive(int(pid)):
            continue
        path = output.parent / name
        if kind == _OLD and not os.path.lexists(output):
            with contextlib.suppress(OSError):
                os.rename(path, output)
                continue
        _remove_tree(path)


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


def staging_folder(output_dir: Path) -> Path:
    """Where this process builds the next `output_dir` (`.<name>.tamatar-stage-<pid>/`)."""
    return output_dir.parent / f".{output_dir.name}.{_STAGE}-{os.getpid()}"


@contextlib.contextmanager
def staged_output(
    output_dir: Path,
    previous_files: Collection[str] | None = None,
    *,
    background: bool = False,
    in_place: bool = False,
) -> Iterator[Stage]:
    """Yield a `Stage`; on normal exit commit it into `output_dir`, on error discard it.

    `previous_files` are the output paths the previous build wrote, as the site's cache
    remembers them: an output folder from before `.tamatar-output` existed is owned by
    tamatar when they are known. `background`: delete the old tree in a thread (for a
    long-running process; the next `staged_output` waits for it). `in_place`: move the
    changed files in one by one (`Stage.commit_in_place`, serve's edit path).

    Raises:
        OutputError: the output folder is not tamatar's, or cannot be created.
        OSError: writing failed (no space left...); the output is as it was.
    """
    output_dir = output_dir.absolute()
    if output_dir.is_symlink() and output_dir.is_dir():
        output_dir = output_dir.resolve()  # swap the folder the link points to
    parent = output_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"cannot create the folder {parent} for the output: {error.strerror or error}"
        ) from None
    wait_for_removals()
    remove_stale_folders(output_dir)
    owned = owned_files(output_dir, previous_files)
    staging = staging_folder(output_dir)
    if os.path.lexists(staging):
        _remove_tree(staging)
    try:
        staging.mkdir()
    except OSError as error:
        raise OutputError(
            f"cannot write beside the output folder {output_dir}: {error.strerror or error}"
        ) from None
    stage = Stage(output_dir, staging, owned)
    try:
        yield stage
        if in_place:
            stage.commit_in_place()
        else:
            stage.commit(background=background)
    except BaseException:
        if os.path.lexists(staging):
            _remove_tree(staging)
        raise


def result_of(stage: Stage, *, rendered: int = 0, skipped: int = 0) -> WriteResult:
    """The counts of a committed stage (and of the pages rendered and skipped into it)."""
    return WriteResult(
        stage.written, stage.unchanged, stage.removed, rendered, skipped, stage.paths
    )


def copy_static(
    stage: Stage,
    site_static: Path,
    theme_static: Path,
    *,
    site_dir: Path | None = None,
    diagnostics: Diagnostics | None = None,
) -> None:
    """Copy the site's `static/` as is, then the theme's `static/` (a site file of the same
    path overrides the theme's). Generated files, staged before, win over both.

    Links are followed only while they stay inside the site folder (the theme's: inside
    the theme folder); such links and special files are skipped with a warning."""
    roots = (
        (site_static, site_dir if site_dir is not None else site_static.parent, "static"),
        (theme_static, theme_static.parent, str(theme_static)),
    )
    for root, boundary, label in roots:
        for relative, source in confined_files(root, boundary, label, diagnostics):
            if relative == MARKER:
                if diagnostics is not None:
                    message = f"{label}/{MARKER} is the name of tamatar's own list; not copied"
                    diagnostics.warning(f"{label}/{MARKER}", 1, 1, message)
                continue
            if not stage.has(relative):
                stage.copy_file(relative, source)
