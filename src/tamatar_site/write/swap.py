"""Whole folders: swap the new output with the old one in one rename, delete the old tree
(in the background for `tamatar serve`), clean up after builds that were killed."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

_STAGE = "tamatar-stage"
_OLD = "tamatar-old"
_SPARE = "tamatar-spare"
_LEGACY_STAGE = "staging"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def staging_folder(output_dir: Path) -> Path:
    """Where this process builds the next `output_dir` (`.<name>.tamatar-stage-<pid>/`)."""
    return output_dir.parent / f".{output_dir.name}.{_STAGE}-{os.getpid()}"


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


def spare_folder(output: Path) -> Path:
    """Where the output before last is kept (`.<name>.tamatar-spare/`), for the next commit
    to make its tree from (`write/tree.py`)."""
    return output.parent / f".{output.name}.{_SPARE}"


def claim_spare(output: Path) -> Path | None:
    """Take the spare tree for this process (renamed `.<name>.tamatar-spare-<pid>/`: a
    build running at the same time makes its tree from scratch); None when there is none."""
    spare = spare_folder(output)
    if os.path.islink(spare) or not os.path.isdir(spare):
        return None
    claimed = output.parent / f"{spare.name}-{os.getpid()}"
    try:
        os.rename(spare, claimed)
    except OSError:
        return None
    return claimed


def release_spare(claimed: Path, output: Path) -> None:
    """Give back a claimed spare tree that was not swapped in (whatever state it is in: the
    next commit checks every entry); deleted when another spare took its place."""
    if not _keep_as_spare(claimed, output):
        remove_tree(claimed)


def _keep_as_spare(tree: Path, output: Path) -> bool:
    try:
        os.rename(tree, spare_folder(output))  # fails when a spare is there already
    except OSError:
        return False
    return True


def swap_in(
    output: Path, new: Path, *, background: bool, detach: bool = False, keep_old: bool = False
) -> None:
    """Put the complete `new` tree at `output`; keep the old tree as the spare when
    `keep_old` (and no other spare is there), else delete it (in a thread of its own when
    `background`: `tamatar serve` reloads pages without waiting for that; in a process of
    its own when `detach`: `tamatar build` of a large site returns at once)."""
    pause_for_kill_test()
    old = output.parent / f".{output.name}.{_OLD}-{os.getpid()}"
    if exchange(new, output):
        pause_for_kill_test()
        if keep_old and _keep_as_spare(new, output):  # `new` is the old tree now
            return
        if not background and not detach:
            remove_tree(new)
            return
        os.rename(new, old)
    else:
        os.rename(output, old)
        pause_for_kill_test()
        try:
            os.rename(new, output)
        except BaseException:
            os.rename(old, output)
            raise
        if keep_old and _keep_as_spare(old, output):
            return
    if background:
        thread = threading.Thread(target=remove_tree, args=(old,), daemon=True)
        _removals.append(thread)
        thread.start()
    elif detach:
        remove_tree_detached(old)
    else:
        remove_tree(old)


# The detached deleter first renames the tree after its own pid: while it runs, the next
# build sees a live owner and leaves the tree alone; if it is killed, the next build
# deletes what is left (`remove_stale_folders`).
_DETACHED_DELETE = """
import os, shutil, sys
path = sys.argv[1]
mine = path.rpartition("-")[0] + "-" + str(os.getpid())
try:
    os.rename(path, mine)
except OSError:
    mine = path
shutil.rmtree(mine, ignore_errors=True)
"""


def remove_tree_detached(path: Path) -> None:
    """Delete `path` (named `...-<pid>`) in a process that outlives this one."""
    delete = _DETACHED_DELETE
    quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
    try:  # no Popen: nothing here waits for it, it ends on its own
        os.posix_spawn(
            sys.executable,
            [sys.executable, "-c", delete, str(path)],
            os.environ,
            file_actions=quiet,
            setsid=True,
        )
    except OSError:
        remove_tree(path)


# Old trees this process is deleting in the background; joined before the next build.
_removals: list[threading.Thread] = []


def wait_for_removals() -> None:
    """Until the old trees deleted in the background are gone."""
    while _removals:
        _removals.pop().join()


def pause_for_kill_test() -> None:
    """A hook for the kill tests: stop inside the commit for a while."""
    pause = os.environ.get("TAMATAR_TEST_PAUSE_IN_COMMIT")
    if pause:
        sys.stderr.write("tamatar-test: in commit\n")
        sys.stderr.flush()
        time.sleep(float(pause))


def remove_tree(path: Path) -> None:
    """Delete a staging or old tree, links not followed; a folder made read-only is made
    writable first. What cannot be deleted stays for the next build to try again."""

    def retry(function: Callable[..., object], failed: str, info: object) -> None:
        error = info[1] if isinstance(info, tuple) else info
        if isinstance(error, FileNotFoundError):
            return  # deleted meanwhile, by another process deleting the same tree
        with contextlib.suppress(OSError):
            if function in (os.open, os.scandir, os.lstat):  # a folder that cannot be read
                os.chmod(failed, 0o700)  # once readable, the same rules delete what it holds
                shutil.rmtree(failed, onerror=retry)
                return
            parent = os.path.dirname(failed)
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
    output itself is missing (a kill between the two renames of `swap_in`), put the old tree
    back. A spare tree a killed build had claimed is the spare again."""
    prefix = f".{output.name}."
    try:
        names = os.listdir(output.parent)
    except OSError:
        return
    for name in sorted(names):
        if not name.startswith(prefix):
            continue
        kind, _, pid = name[len(prefix) :].rpartition("-")
        if kind not in (_STAGE, _OLD, _SPARE, _LEGACY_STAGE) or not pid.isdigit():
            continue
        if int(pid) != os.getpid() and _pid_alive(int(pid)):
            continue
        path = output.parent / name
        if kind == _OLD and not os.path.lexists(output):
            with contextlib.suppress(OSError):
                os.rename(path, output)
                continue
        if kind == _SPARE:
            release_spare(path, output)
            continue
        remove_tree(path)
