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

Saving the whole session costs more than the edit it follows (1 s of pickling at 10,000
logs), so after a build whose content differs from the saved one's only in the text of
logs, only those logs and their rendered bodies are saved, in a journal beside the state
(`_Journal`); resuming applies them to the saved build as the edit path does
(`edits.edited_routes`). The loader is left as saved: it reads those files again. A build
that changed anything else, or more than `JOURNAL_LOGS` logs, saves the whole session
again.

The state is a pickle, and reading a pickle can run code: it is kept in the user's cache
folder (`$XDG_CACHE_HOME/tamatar/sessions/`, one file per site folder, like the compiled
templates beside it), never in the site, so a state committed to a site's repository is
never read. States (and journals) of sites not built for `STATE_DAYS` days are deleted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tamatar_site.build.bodies import RenderedBody
from tamatar_site.build.confined_templates import site_environment
from tamatar_site.build.edits import LastBuild, edited_logs, edited_routes
from tamatar_site.build.memo import OutputMemo, all_intact, load_memo
from tamatar_site.build.pipeline import PAGE_MEMO
from tamatar_site.build.session import SiteBuilder
from tamatar_site.cachefile import user_cache_dir, write_atomic_with
from tamatar_site.codeversion import code_signature
from tamatar_site.load.themes import ThemeError, resolve_theme_dir
from tamatar_site.model import Log
from tamatar_site.render.pages.routes import SiteRoutes
from tamatar_site.validate.loader import ContentLoader
from tamatar_site.write import MARKER, StaticStamp

__all__ = ["has_saved_session", "journal_file", "resume_builder", "save_builder", "state_file"]

_FORMAT = 2
STATE_DAYS = 30
JOURNAL_LOGS = 256  # more edited logs than this: the whole session is saved again

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


@dataclass(frozen=True)
class _Journal:
    """The text edits since the state was saved: the logs at these positions of its site
    were replaced by these (same front matter, other text), rendered as `bodies`."""

    logs: tuple[tuple[int, Log], ...]
    bodies: dict[str, RenderedBody]
    marker: FileStamp  # the output's `.tamatar-output` when the journal was saved


@dataclass(frozen=True)
class _Saved:
    """What `resume_builder` resumed, for `save_builder`: the state's token, and its last
    build as saved (before the journal), against which later edits are journalled."""

    token: bytes
    last: LastBuild | None


def has_saved_session(site_dir: Path) -> bool:
    """Whether a saved session will be resumed (cheap: reads the headers only)."""
    return _open_state(site_dir) is not None


def state_file(site_dir: Path) -> Path:
    """Where the session of the site in `site_dir` is kept."""
    name = hashlib.blake2b(str(site_dir.absolute()).encode(), digest_size=16).hexdigest()
    return user_cache_dir() / "sessions" / f"{name}.pickle"


def journal_file(site_dir: Path) -> Path:
    """Where the text edits since the session of `site_dir` was saved are kept."""
    return state_file(site_dir).with_suffix(".journal")


def resume_builder(site_dir: Path) -> SiteBuilder:
    """The session the last `tamatar build` of `site_dir` saved, as far as it still holds
    (see the module docstring); else a new one. Never raises for a bad state file."""
    read = _read_state(site_dir)
    if read is None:
        return SiteBuilder(site_dir, long_lived=False)
    token, state, journal = read
    state.loader.site_dir = site_dir
    resumed = _resume_last(site_dir, state.last, journal) if state.last is not None else None
    saved_last, last, memo = resumed or (None, None, None)
    builder = SiteBuilder(site_dir, long_lived=False, loader=state.loader, last=last, memo=memo)
    builder.resumed = _Saved(token, saved_last)
    return builder


def save_builder(builder: SiteBuilder) -> None:
    """Save `builder`'s page memo, record cache and session for the next `tamatar build`:
    a journal of its text edits when it resumed a state they apply to, else the whole
    session. Never fails the build: a state that cannot be written is not there next time."""
    builder.save_state()
    site_dir = builder.site_dir
    memo = _stamp(site_dir / PAGE_MEMO)
    if memo is None:
        _delete(state_file(site_dir), journal_file(site_dir))
        return
    resumed = builder.resumed
    if isinstance(resumed, _Saved) and _save_journal(builder, resumed, memo):
        return
    _save_state(builder, memo)
    _delete_old_states(state_file(site_dir).parent)


def _save_state(builder: SiteBuilder, memo: FileStamp) -> None:
    site_dir = builder.site_dir
    target = state_file(site_dir)
    _delete(journal_file(site_dir))  # it belongs to the state replaced here
    last = builder.last
    saved_last = None
    if last is not None:
        marker = _stamp(Path(last.output_dir) / MARKER)
        saved_last = _SavedLast(
            last.routes, last.template_set, last.output_dir, last.static, marker
        )
    token = os.urandom(16)
    header = (*_identity(site_dir), token, memo)
    # The header first: a state for other code or another page memo is never unpickled.
    if not _write_pickled(target, header, _State(builder.loader, saved_last)):
        _delete(target)
        return
    builder.resumed = _Saved(token, last)


def _save_journal(builder: SiteBuilder, resumed: _Saved, memo: FileStamp) -> bool:
    """Journal the builder's last build as text edits of the resumed one; False (nothing
    written) when it is not that, or they are too many."""
    base, last = resumed.last, builder.last
    if base is None or last is None:
        return False
    inputs = last.routes.inputs
    if not base.same_setting(
        inputs.config,
        last.template_set,
        last.static,
        inputs.site_view.today,
        inputs.github,
        last.output_dir,
    ):
        return False
    edited = edited_logs(base, inputs.site)
    if edited is None or len(edited) > JOURNAL_LOGS:
        return False
    logs = inputs.site.logs
    journal = _Journal(
        tuple((index, logs[index]) for index in edited),
        {logs[index].source: inputs.bodies[logs[index].source] for index in edited},
        _stamp(Path(last.output_dir) / MARKER),
    )
    target = journal_file(builder.site_dir)
    header = (*_identity(builder.site_dir), resumed.token, memo)
    if not _write_pickled(target, header, journal):
        _delete(target)
        return False
    return True


def _write_pickled(target: Path, header: tuple[object, ...], value: object) -> bool:
    """Write the pickles of `header` and `value` to `target`, streamed (a 100,000-log
    session is gigabytes: never held as bytes beside the objects it is made of)."""

    def dump(handle: BinaryIO) -> None:
        pickle.dump(header, handle)
        pickle.dump(value, handle, protocol=5)

    try:
        return write_atomic_with(target, dump)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return False  # a value that cannot be pickled is a bug upstream; resume nothing


def _resume_last(
    site_dir: Path, saved: _SavedLast, journal: _Journal | None
) -> tuple[LastBuild, LastBuild, OutputMemo] | None:
    """The saved last build (its environment made again), that build with the journal's
    edits, and the page memo, when the output is as the journal or state left them;
    else None."""
    output = Path(saved.output_dir)
    marker = journal.marker if journal is not None else saved.marker
    if _stamp(output / MARKER) != marker:
        return None
    memo = load_memo(site_dir / PAGE_MEMO, output)  # empty when it is of another output
    if not memo.pages or not all_intact(output, memo.pages):
        return None
    config = saved.routes.inputs.config
    try:
        theme_dir = resolve_theme_dir(config.site.theme, site_dir)
    except ThemeError:
        return None
    env = site_environment(site_dir, theme_dir, config, saved.routes.inputs.localizer, None)
    base = LastBuild(saved.routes, env, saved.template_set, saved.output_dir, saved.static)
    if journal is None or not journal.logs:
        return base, base, memo
    site = saved.routes.inputs.site
    logs = list(site.logs)
    for index, log in journal.logs:
        if not (0 <= index < len(logs) and logs[index].source == log.source):
            return None  # not a journal of this state's site
        logs[index] = log
    edited = [index for index, _ in journal.logs]
    routes = edited_routes(
        saved.routes, dataclasses.replace(site, logs=tuple(logs)), edited, journal.bodies
    )
    return base, dataclasses.replace(base, routes=routes), memo


def _stamp(path: Path) -> FileStamp:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino


def _read_state(site_dir: Path) -> tuple[bytes, _State, _Journal | None] | None:
    opened = _open_state(site_dir)
    if opened is None:
        return None
    token, journal_valid = opened
    try:
        with open(state_file(site_dir), "rb") as handle:
            pickle.load(handle)  # the header, checked by _open_state
            state = pickle.load(handle)
        journal = None
        if journal_valid:
            with open(journal_file(site_dir), "rb") as handle:
                pickle.load(handle)
                journal = pickle.load(handle)
    except Exception:  # missing or damaged: build without it
        return None
    if not isinstance(state, _State) or not isinstance(journal, _Journal | None):
        return None
    return token, state, journal


def _open_state(site_dir: Path) -> tuple[bytes, bool] | None:
    """The token of the state saved for this code and site, and whether its journal is
    valid, when the state or its journal was saved with the current page memo; else None.
    Only headers are read, so no state is unpickled that was not saved for this."""
    memo = _stamp(site_dir / PAGE_MEMO)
    if memo is None:  # the site's cache was deleted: the build is cold
        return None
    identity = _identity(site_dir)
    state_header = _header(state_file(site_dir))
    if state_header is None or state_header[:-2] != identity:
        return None
    token, state_memo = state_header[-2:]
    if not isinstance(token, bytes):
        return None
    if _header(journal_file(site_dir)) == (*identity, token, memo):
        return token, True
    return (token, False) if state_memo == memo else None


def _header(path: Path) -> tuple[object, ...] | None:
    try:
        with open(path, "rb") as handle:
            header = pickle.load(handle)
    except Exception:  # missing or damaged
        return None
    return header if isinstance(header, tuple) and len(header) > 2 else None


def _identity(site_dir: Path) -> tuple[object, ...]:
    """What a state is valid for: this format, Python, tamatar code and site folder."""
    return (_FORMAT, sys.version, sys.prefix, code_signature(), str(site_dir.absolute()))


def _delete(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _delete_old_states(folder: Path) -> None:
    cutoff = time.time() - STATE_DAYS * 86400
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.name.endswith((".pickle", ".journal")) and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
