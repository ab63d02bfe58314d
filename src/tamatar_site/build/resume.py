"""What `tamatar build` keeps of its session for the next `tamatar build` of the site.

`tamatar serve` writes an edit of log text only in a fraction of a second because its
session remembers the last build (`build/session.py`, `build/edits.py`). `tamatar build`
saves that session after each successful build (`save_builder`) and the next build resumes
it (`resume_builder`), so the same edit is written the same way from the command line:
only the files whose size or times changed are read, only the pages the edit changes are
rendered, and they are moved into the output one by one (`Stage.commit_in_place`).
Anything else is the normal build, with the records of the unchanged files kept.

A state is resumed only while the site's page memo is the file it was saved with (so
deleting `.tamatar/cache` makes the next build cold), and its last build only while the
output's list of files (`.tamatar-output`) and every page and document the memo names
(size and mtime) are as it left them; otherwise the records of the unchanged files are
resumed and the build takes the full path. (The static files, templates, configuration,
GitHub data and day are compared by the edit path itself: `LastBuild.same_setting`.)

The state is a pickle, and reading a pickle can run code: it is kept in the user's cache
folder (`$XDG_CACHE_HOME/tamatar/sessions/`, one file per site folder, like the compiled
templates beside it), never in the site, so a state committed to a site's repository is
never read. States of sites not built for `STATE_DAYS` days are deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tamatar_site.build.confined_templates import site_environment
from tamatar_site.build.edits import LastBuild
from tamatar_site.build.memo import OutputMemo, intact, load_memo
from tamatar_site.build.pipeline import PAGE_MEMO
from tamatar_site.build.session import SiteBuilder
from tamatar_site.cachefile import user_cache_dir, write_atomic
from tamatar_site.codeversion import code_signature
from tamatar_site.load.themes import ThemeError, resolve_theme_dir
from tamatar_site.render.pages.routes import SiteRoutes
from tamatar_site.validate.loader import ContentLoader
from tamatar_site.write import MARKER, StaticStamp

__all__ = ["has_saved_session", "resume_builder", "save_builder", "state_file"]

_FORMAT = 1
STATE_DAYS = 30

FileStamp = tuple[int, int, int] | None  # size, mtime, inode; None: missing


@dataclass(frozen=True)
class _SavedLast:
    """A `LastBuild` without its template environment, which is made again on resume."""

    routes: SiteRoutes
    template_set: bytes
    output_dir: str
    static: StaticStamp | None
    marker: FileStamp  # the output's `.tamatar-output` when the state was saved


@dataclass(frozen=True)
class _State:
    loader: ContentLoader
    last: _SavedLast | None


def has_saved_session(site_dir: Path) -> bool:
    """Whether a saved session will be resumed (cheap: reads the state's header only)."""
    try:
        with open(state_file(site_dir), "rb") as handle:
            return _header_matches(handle, site_dir)
    except Exception:  # missing or damaged
        return False


def state_file(site_dir: Path) -> Path:
    """Where the session of the site in `site_dir` is kept."""
    name = hashlib.blake2b(str(site_dir.absolute()).encode(), digest_size=16).hexdigest()
    return user_cache_dir() / "sessions" / f"{name}.pickle"


def resume_builder(site_dir: Path) -> SiteBuilder:
    """The session the last `tamatar build` of `site_dir` saved, as far as it still holds
    (see the module docstring); else a new one. Never raises for a bad state file."""
    state = _read_state(site_dir)
    if state is None:
        return SiteBuilder(site_dir, long_lived=False)
    state.loader.site_dir = site_dir
    resumed = _resume_last(site_dir, state.last) if state.last is not None else None
    last, memo = resumed or (None, None)
    return SiteBuilder(site_dir, long_lived=False, loader=state.loader, last=last, memo=memo)


def save_builder(builder: SiteBuilder) -> None:
    """Save `builder`'s page memo, record cache and session for the next `tamatar build`.
    Never fails the build: a state that cannot be written is simply not there next time."""
    builder.save_state()
    site_dir = builder.site_dir
    target = state_file(site_dir)
    last = builder.last
    saved_last = None
    if last is not None:
        marker = _stamp(Path(last.output_dir) / MARKER)
        saved_last = _SavedLast(
            last.routes, last.template_set, last.output_dir, last.static, marker
        )
    state = _State(builder.loader, saved_last)
    try:
        # The header first: a state for other code or another page memo is never unpickled.
        header = _header(site_dir)
        data = None if header is None else pickle.dumps(header) + pickle.dumps(state, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        data = None  # a value that cannot be pickled is a bug upstream; resume nothing
    if data is None or not write_atomic(target, data):
        with contextlib.suppress(OSError):
            os.unlink(target)
    _delete_old_states(target.parent)


def _resume_last(site_dir: Path, saved: _SavedLast) -> tuple[LastBuild, OutputMemo] | None:
    """The saved last build, with its environment made again, and the page memo, when the
    output is as that build left them; else None."""
    output = Path(saved.output_dir)
    if _stamp(output / MARKER) != saved.marker:
        return None
    memo = load_memo(site_dir / PAGE_MEMO, output)  # empty when it is of another output
    prefix = f"{output}{os.sep}"
    if not memo.pages or not all(intact(prefix + key, page) for key, page in memo.pages.items()):
        return None
    config = saved.routes.inputs.config
    try:
        theme_dir = resolve_theme_dir(config.site.theme, site_dir)
    except ThemeError:
        return None
    env = site_environment(site_dir, theme_dir, config, saved.routes.inputs.localizer, None)
    last = LastBuild(saved.routes, env, saved.template_set, saved.output_dir, saved.static)
    return last, memo


def _stamp(path: Path) -> FileStamp:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino


def _read_state(site_dir: Path) -> _State | None:
    try:
        with open(state_file(site_dir), "rb") as handle:
            if not _header_matches(handle, site_dir):
                return None
            state = pickle.load(handle)
    except Exception:  # missing or damaged: build without it
        return None
    return state if isinstance(state, _State) else None


def _header_matches(handle: BinaryIO, site_dir: Path) -> bool:
    """Whether the state in `handle` was saved for this code, site and page memo (only its
    header is read, so the state itself is never unpickled when it was not)."""
    header = _header(site_dir)
    return header is not None and bool(pickle.load(handle) == header)


def _header(site_dir: Path) -> tuple[object, ...] | None:
    """What a state is valid for: this format, Python, tamatar code, site folder and page
    memo file; None without a page memo (the site's cache was deleted: the build is cold)."""
    memo = _stamp(site_dir / PAGE_MEMO)
    if memo is None:
        return None
    identity = (_FORMAT, sys.version, sys.prefix, code_signature())
    return (*identity, str(site_dir.absolute()), memo)


def _delete_old_states(folder: Path) -> None:
    cutoff = time.time() - STATE_DAYS * 86400
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.name.endswith(".pickle") and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
