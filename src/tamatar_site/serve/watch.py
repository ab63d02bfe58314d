"""Watching a site for `tamatar serve`: which changes matter and what kind of change they are.

Like Lektor's watcher (a `watchfiles.DefaultFilter` subclass that ignores the output and cache
folders) and Zola's `ChangeKind` (temporary files dropped, one kind per batch of changes).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path

import watchfiles

from tamatar_site.load.themes import ThemeError, resolve_theme_dir

_STARTED_PROBE_MS = 200

# Files editors and tools write next to the real one while saving.
_TEMP_FILE = re.compile(
    r"""(
        ^\.\#.*            # emacs lock files
      | ^\#.*\#$           # emacs auto-save
      | ~$                 # vim/emacs backups
      | \.sw[a-p]$         # vim swap files
      | ^4913$             # vim's write test
      | \.(tmp|temp|bak|orig|part|crdownload)$
      | ___jb_(tmp|old)___$  # JetBrains safe write
      | ^\.goutputstream-  # gedit
      | ^\.DS_Store$
    )""",
    re.VERBOSE,
)


class ChangeKind(Enum):
    """What a changed path is, from cheapest to most expensive to rebuild."""

    STATIC = "static"
    TEMPLATE = "template"
    CONTENT = "content"
    CONFIG = "config"


def is_temporary_file(name: str) -> bool:
    """True for editor swap, backup and safe-write files, which never trigger a rebuild."""
    return bool(_TEMP_FILE.search(name))


class SiteFilter(watchfiles.DefaultFilter):
    """Ignore the output folder, `.tamatar/`, `.git` and friends, and editor temporary files."""

    def __init__(self, site_dir: Path, output_dir: Path) -> None:
        output = output_dir.resolve()
        self._ignored_roots = (str(output), str(site_dir.resolve() / ".tamatar"))
        # The build stages the output beside it and swaps folders: `._site.tamatar-stage-<pid>/`,
        # `._site.tamatar-old-<pid>/` (see write/swap.py). Without this, each build would trigger
        # the next.
        self._ignored_prefix = str(output.parent / f".{output.name}.")
        super().__init__()

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if path.startswith(self._ignored_prefix):
            return False
        for root in self._ignored_roots:
            if path == root or path.startswith(root + os.sep):
                return False
        if is_temporary_file(os.path.basename(path)):
            return False
        return super().__call__(change, path)


def watched_theme_dir(site_dir: Path, theme: str) -> Path | None:
    """The folder of the active theme, found as the build finds it; None for an unknown
    theme (the build reports it)."""
    try:
        return resolve_theme_dir(theme, site_dir)
    except ThemeError:
        return None


def classify(path: Path, site_dir: Path, theme_dir: Path | None = None) -> ChangeKind:
    """The kind of one changed path."""
    resolved = path.resolve()
    site = site_dir.resolve()
    if theme_dir is not None and (resolved == theme_dir or theme_dir in resolved.parents):
        parts = resolved.relative_to(theme_dir).parts
        return ChangeKind.STATIC if parts[:1] == ("static",) else ChangeKind.TEMPLATE
    try:
        parts = resolved.relative_to(site).parts
    except ValueError:
        return ChangeKind.CONTENT
    if parts == ("tamatar.yaml",):
        return ChangeKind.CONFIG
    if parts[:1] == ("static",):
        return ChangeKind.STATIC
    if parts[:1] in {("templates",), ("themes",), ("locale",)}:
        return ChangeKind.TEMPLATE
    return ChangeKind.CONTENT


def belongs_to_site(path: Path, site_dir: Path, theme_dir: Path | None = None) -> bool:
    """Whether a changed path is one of the site's files, worth naming in the rebuild line:
    tamatar.yaml, a content file (by its folder's extensions), anything under `static/`,
    `templates/`, `themes/` or the active theme. Not: editor and tool temporary files
    (`sed -i` writes `sedAbC123` beside the file), notes and other strays."""
    from tamatar_site.load.documents import CONFIG_FILE, KIND_EXTENSIONS

    resolved = path.resolve()
    if theme_dir is not None and (resolved == theme_dir or theme_dir in resolved.parents):
        return True
    try:
        parts = resolved.relative_to(site_dir.resolve()).parts
    except ValueError:
        return False
    if parts == (CONFIG_FILE,):
        return True
    if len(parts) < 2:
        return False
    if parts[0] in {"static", "templates", "themes", "locale"}:
        return True
    by_folder = {str(kind): extensions for kind, extensions in KIND_EXTENSIONS.items()}
    return resolved.suffix.lower() in by_folder.get(parts[0], ())


def classify_changes(
    paths: Iterable[Path], site_dir: Path, theme_dir: Path | None = None
) -> ChangeKind | None:
    """The most expensive kind among `paths` (config > content > template > static)."""
    order = list(ChangeKind)
    kinds = {classify(path, site_dir, theme_dir) for path in paths}
    return max(kinds, key=order.index) if kinds else None


def watch_site(
    site_dir: Path,
    output_dir: Path,
    *,
    theme_dir: Path | None = None,
    stop: threading.Event | None = None,
    on_started: Callable[[], None] | None = None,
    on_idle: Callable[[], None] | None = None,
    step_ms: int = 50,
    debounce_ms: int = 1600,
) -> Iterator[set[Path]]:
    """Yield each batch of changed paths under the site (and the theme), debounced.

    A batch is yielded once nothing changed for `step_ms`, or after `debounce_ms` of steady
    changes. `on_started` runs once the watches are in place, so a change made after it is
    never missed; `on_idle` runs each time nothing changed for a while (a fraction of a
    second). The generator ends when `stop` is set.

    The site's folders are watched, but not the output folder, `.tamatar/` or `.git`
    (tens of thousands of folders in a large site's output took seconds to watch). The
    site folder's own entries (tamatar.yaml, a new `static/`) are compared with a listing
    taken at each step; a folder added or replaced there is watched from then on.
    """
    site = site_dir.resolve()
    site_filter = SiteFilter(site_dir, output_dir)
    top = _TopLevel(site, site_filter)
    started = False
    pending: set[Path] = set()  # found just before the watches were set up again
    while True:
        roots = [*top.folders()]
        if theme_dir is not None and site not in theme_dir.parents and theme_dir != site:
            roots.append(theme_dir)
        # yield_on_timeout: watchfiles hands back an empty batch after `rust_timeout` ms
        # without changes; the first one tells that the watches are set up.
        for changes in watchfiles.watch(
            *roots,
            watch_filter=site_filter,
            stop_event=stop,
            step=step_ms,
            debounce=debounce_ms,
            rust_timeout=_STARTED_PROBE_MS,
            yield_on_timeout=True,
            raise_interrupt=True,
        ):
            if not started:
                started = True
                top.take()  # what changed before now is the first build's to see
                if on_started is not None:
                    on_started()
            changed = pending | {Path(path) for _change, path in changes}
            pending = set()
            entries, rewatch = top.changes()
            changed |= entries
            if rewatch:  # yielded once the new watches are in place: nothing is missed
                pending = changed
                break
            if changed:
                yield changed
            elif on_idle is not None:
                on_idle()
        else:
            return  # stopped


# A site folder entry as the listing compares it: a folder by its identity (what happens
# inside it is watched), a file by its signature.
_Entry = tuple[str, int, int] | tuple[str, int, int, int, int]


class _TopLevel:
    """The site folder's own entries, compared listing by listing."""

    def __init__(self, site: Path, site_filter: SiteFilter) -> None:
        self.site = site
        self.site_filter = site_filter  # the output folder, .tamatar, .git, editor files
        self.entries = self._listing()

    def _listing(self) -> dict[str, _Entry]:
        found: dict[str, _Entry] = {}
        try:
            listing = list(os.scandir(self.site))
        except OSError:
            return found
        for entry in listing:
            if not self.site_filter(watchfiles.Change.modified, entry.path):
                continue
            try:
                info = entry.stat()
            except OSError:
                continue
            if entry.is_dir():
                found[entry.name] = ("folder", info.st_dev, info.st_ino)
            else:
                signature = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
                found[entry.name] = ("file", *signature)
        return found

    def take(self) -> None:
        self.entries = self._listing()

    def folders(self) -> list[Path]:
        """The folders to watch: the site's, but the ignored ones (the site folder itself
        when it has none, so that a watch starts)."""
        return [self.site / name for name in _folders(self.entries)] or [self.site]

    def changes(self) -> tuple[set[Path], bool]:
        """The site folder's entries that changed since the last listing, and whether its
        folders did (came, went or were replaced: the watches must be set up again)."""
        listing, before = self._listing(), self.entries
        if listing == before:
            return set(), False
        self.entries = listing
        names = {
            name for name in listing.keys() | before.keys() if listing.get(name) != before.get(name)
        }
        return {self.site / name for name in names}, _folders(listing) != _folders(before)


def _folders(entries: dict[str, _Entry]) -> dict[str, _Entry]:
    return {name: entry for name, entry in entries.items() if entry[0] == "folder"}
