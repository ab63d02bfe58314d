"""`tamatar build` with nothing to do: decided from file stats alone, before the build stack loads.

After a successful build the CLI saves a manifest (`.tamatar/cache/content/`
`build-manifest.marshal`): the build's options, tamatar's and Python's versions, the day the
build happened in the site's time zone (or SOURCE_DATE_EPOCH), as the instants it starts and
ends at, and the signature (size, mtime, ctime, inode) of every input file and folder, found
by one walk, and of every file the build wrote or kept in the output (by name: files nobody
wrote stay in the output, so a normal build would not touch them either). The next `tamatar
build` stats those paths again (standard library only, not even pathlib, dataclasses or
zoneinfo: their imports would cost as much as the stats; a folder's mtime moves when an entry
is added or removed, so no folder is listed); when everything matches it reports the last
build's counts and stops. Any doubt: a normal build.

Why stats are enough: a file's ctime is set by the kernel on every change (writes, renames,
`touch -r` putting an old mtime back), and cannot be set by users. The racy case, a file changed
again within the same timestamp tick as the stat that recorded it, is ruled out like git's racy
index: a clock file is written before the build (and again before the output files are
stat'ed); an input whose ctime is not older than that clock means no manifest is saved, and an
output file that recent is recorded with a digest of its bytes, checked by content next time.
Files on another device than the clock file get 2 s of margin (another file system may count
time more coarsely).

`tamatar serve` keeps one for its local URL (`serve/session_build.py`). Not used when the
build may ask GitHub (`github.user`, no `--offline`) unless its data came from a cache fresh
within `github.max_age`, and then until it is stale.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import TYPE_CHECKING, Any, NamedTuple

from tamatar_site import __version__
from tamatar_site.build.filestats import (
    BuildStamp,
    Packed,
    Scan,
    ScanError,
    Signature,
    pack,
    scan,
    scan_files,
    unchanged,
    unpack,
)
from tamatar_site.cachefile import read_versioned, write_versioned
from tamatar_site.layout import SOURCE_FOLDERS

if TYPE_CHECKING:
    from tamatar_site.build.pipeline import BuildResult

    PathText = str | os.PathLike[str]

__all__ = [
    "BuildRequest",
    "BuildStamp",
    "NoChange",
    "Recorded",
    "Scan",
    "ScanError",
    "check",
    "forget",
    "pack",
    "prepare",
    "read",
    "record",
    "scan",
    "scan_files",
    "unchanged",
]

# Paths in the site (strings: the check runs without pathlib).
MANIFEST = os.path.join(".tamatar", "cache", "content", "build-manifest.marshal")
CLOCK_FILE = os.path.join(".tamatar", "cache", "content", "build-clock")
FORMAT = 3
Recorded = dict[str, Any]  # a saved manifest, as `read` returns it
# Everything a build reads besides the theme: tamatar.yaml, content, site templates and static
# files, and the GitHub cache (read by --offline builds).
SITE_INPUTS = ("tamatar.yaml", *SOURCE_FOLDERS, ".tamatar/cache/github")
# Libraries whose upgrade can change the output (a new Pygments highlights differently).
RENDER_LIBRARIES = (
    "jinja2",
    "markupsafe",
    "markdown_it",
    "mdit_py_plugins",
    "pygments",
    "feedgen",
    "lxml",
    "pydantic",
    "yaml",
)


class BuildRequest(NamedTuple):
    """One `tamatar build` invocation: the site as given and the options that shape the output."""

    site: PathText
    output: PathText | None
    drafts: bool
    base_url: str | None
    offline: bool
    future: bool = False
    refresh: bool = False  # ask GitHub even when its cache is fresh: shapes no output

    def key(self) -> tuple[str, str | None, bool, str | None, bool, bool]:
        output = os.path.abspath(self.output) if self.output is not None else None
        site = os.path.abspath(self.site)
        return (site, output, self.drafts, self.base_url, self.offline, self.future)


class NoChange(NamedTuple):
    """The fast path's answer: the last build's output is current. Has the counts
    `progress.format_build_summary` prints, like a `BuildResult`."""

    unchanged: int  # the output files, all kept
    output: PathText  # the output folder, as given or from tamatar.yaml
    warnings: tuple[str, ...]  # the last build's warnings, printed again
    written: int = 0
    removed: int = 0
    seconds: float = 0.0
    github_fresh_until: float | None = None  # the last build's, when its GitHub data had one
    shown: str | None = None  # how the last build printed the output folder, if spelled alike

    def output_display(self) -> str:
        """The output folder as the normal build prints it."""
        if self.shown is not None:
            return self.shown
        from pathlib import Path  # only here: its import is a tenth of the check's time

        return str(Path(self.output))


def input_roots(site: PathText, theme_dir: str | None, extra_files: list[str]) -> list[str]:
    """Absolute paths of everything a build of `site` reads: the site's inputs, tamatar's own
    package (code and the default theme), the theme in use and `extra_files`."""
    site_abs = os.path.abspath(site)
    roots = [os.path.join(site_abs, name) for name in SITE_INPUTS]
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tamatar_site/
    roots.append(package)
    if theme_dir is not None and not os.path.abspath(theme_dir).startswith(package + os.sep):
        roots.append(os.path.abspath(theme_dir))
    roots.extend(os.path.abspath(path) for path in extra_files)
    return list(dict.fromkeys(roots))


def _library_files() -> list[str]:
    """The entry file of each render library (found without importing it)."""
    import importlib.util

    found: list[str] = []
    for name in RENDER_LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        found.append(spec.origin if spec is not None and spec.origin else f"<missing {name}>")
    return found


def _in_window(window: tuple[float, float]) -> bool:
    """Whether the build happens within `window` (`clock.build_now`'s moment: a valid
    SOURCE_DATE_EPOCH, else now)."""
    epoch = (_source_date_epoch() or "").strip()
    try:
        moment = float(int(epoch)) if epoch else time.time()
    except ValueError:
        moment = time.time()
    start, end = window
    return start <= moment < end


def _identity() -> tuple[int, str, str, str]:
    return (FORMAT, __version__, sys.version, sys.prefix)


def _source_date_epoch() -> str | None:
    return os.environ.get("SOURCE_DATE_EPOCH")


def read(request: BuildRequest) -> Recorded | None:
    """The manifest the last build saved, if any (for `check` and then `record`)."""
    if os.name != "posix":
        return None
    manifest = read_versioned(os.path.join(request.site, MANIFEST), _identity())
    return manifest if isinstance(manifest, dict) else None


def check(request: BuildRequest, recorded: Recorded | None) -> NoChange | None:
    """NoChange when the last build's manifest (`recorded`, as `read` returned it) still
    describes every input and output file; None when anything differs, cannot be read, or
    the fast path does not apply."""
    try:
        return _matches(request, recorded) if recorded is not None else None
    except Exception:  # a damaged or foreign manifest: build normally
        return None


def _matches(request: BuildRequest, manifest: dict[str, Any]) -> NoChange | None:
    if (until := manifest["github_fresh_until"]) and (request.refresh or time.time() >= until):
        return None
    if manifest["key"] != request.key() or manifest["source_date_epoch"] != _source_date_epoch():
        return None
    if not _in_window(manifest["day_window"]):
        return None
    if manifest["libraries"] != _library_files():
        return None
    if not unchanged(manifest["inputs"]) or not unchanged(manifest["output"]):
        return None
    for path, digest in manifest["digests"].items():
        if _digest(path) != digest:
            return None
    output = request.output
    if output is None:
        output = os.path.join(request.site, manifest["config_output_dir"])
    warnings = tuple(manifest["warnings"])
    shown = manifest["shown"]
    display = shown[1] if shown[0] == _spelling(request) else None
    return NoChange(manifest["files"], output, warnings, github_fresh_until=until, shown=display)


def _spelling(request: BuildRequest) -> list[str | None]:
    """The site and output folder as the command line gave them."""
    output = request.output
    return [os.fspath(request.site), None if output is None else os.fspath(output)]


def _digest(path: str) -> bytes:
    import hashlib

    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "blake2b").digest()


def prepare(request: BuildRequest, *, keep: bool = False) -> BuildStamp | None:
    """Before a normal build: forget the last manifest (it describes the state a failed or
    interrupted build may leave behind no longer), unless `keep` (a build that is expected
    to write nothing: `forget` it if it did), and write the clock file. None when the site
    is not one (no tamatar.yaml) or its cache folder cannot be written."""
    if os.name != "posix" or not os.path.isfile(os.path.join(request.site, "tamatar.yaml")):
        return None
    try:
        if not keep:
            forget(request.site)
        return _touch_clock(request.site)
    except OSError:
        return None


def forget(site: PathText) -> None:
    """Delete the site's manifest: the next build is a normal one."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(site, MANIFEST))


def _touch_clock(site: PathText) -> BuildStamp:
    path = os.path.join(site, CLOCK_FILE)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    started = time.time()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(descriptor, str(started).encode("ascii"))
    finally:
        os.close(descriptor)
    info = os.stat(path)
    return BuildStamp(info.st_ctime_ns, info.st_dev, started)


def record(
    request: BuildRequest,
    stamp: BuildStamp | None,
    result: BuildResult,
    previous: Recorded | None = None,
) -> bool:
    """After a successful build: save the manifest the next `check` compares with.
    `previous`: the manifest read before the build, whose signatures of the output files
    the build left where they were (`result.replaced`) are kept instead of stat'ing them.

    Saves nothing (returns False) when the build may ask GitHub, an input changed while the
    build ran, the day changed during it, it reports no output files (a successful build
    writes at least the home page), or anything cannot be read."""
    if stamp is None or result.output_dir is None or result.diagnostics.has_errors:
        return False
    if not result.outputs:  # never from build_site: the output's files are not known
        return False
    try:
        manifest = _manifest(request, stamp, result.output_dir, result, previous)
    except Exception:  # the manifest is an optimisation: it never fails a build
        return False
    if manifest is None:
        return False
    return write_versioned(os.path.join(request.site, MANIFEST), _identity(), manifest)


def _manifest(
    request: BuildRequest,
    stamp: BuildStamp,
    output_dir: PathText,
    result: BuildResult,
    previous: Recorded | None,
) -> Recorded | None:
    from pathlib import Path

    from tamatar_site.clock import day_window, wall_day
    from tamatar_site.load.themes import ThemeError, resolve_theme_dir, shipped_themes_dir

    config = result.config  # as the build loaded it: tamatar.yaml is not read again
    if config is None:
        return None
    # A site with GitHub data: only while the cache it was built from stays fresh.
    asks_github = config.github.user and not request.offline
    fresh_until = result.github_fresh_until if asks_github else None
    if asks_github and fresh_until is None:
        return None
    timezone = config.site.timezone
    window = day_window(timezone)
    if window is None or wall_day(timezone, stamp.started) != wall_day(timezone, time.time()):
        return None  # midnight passed during the build: which day did it use?
    try:
        theme_dir = str(resolve_theme_dir(config.site.theme, Path(request.site)))
    except ThemeError:
        return None
    avatar = config.profile.avatar
    extra = [os.path.join(request.site, avatar)] if avatar and "://" not in avatar else []
    extra.append(str(shipped_themes_dir() / "locale"))  # the shared catalogues (a checkout's)
    libraries = _library_files()
    inputs = scan(input_roots(request.site, theme_dir, extra) + libraries, stamp)
    if inputs.recent:
        return None  # changed while (or just before) the build read it
    # The build's own files, by name (no need to walk the output's folders). Those as recent
    # as the clock could change again unseen within the same tick: they are checked by
    # content next time.
    output_abs = os.path.abspath(output_dir)
    prefix = os.path.join(output_abs, "")  # with the separator, as os.path.join puts it
    files = [prefix + path for path in sorted(result.outputs)]
    packed_inputs = pack(inputs)
    kept, digests = _untouched_outputs(output_abs, result.replaced, previous, packed_inputs)
    output = scan_files(files, _touch_clock(request.site), kept)
    digests.update((path, _digest(path)) for path in output.recent)
    return {
        "key": request.key(),
        "source_date_epoch": _source_date_epoch(),
        "day_window": window,
        "libraries": libraries,
        "inputs": packed_inputs,
        "output": pack(output),
        "digests": {path: digests[path] for path in files if path in digests},
        "config_output_dir": config.site.output_dir,
        "shown": [_spelling(request), str(output_dir)],
        "files": result.written + result.unchanged,
        "warnings": [warning.format() for warning in result.diagnostics.warnings],
        "github_fresh_until": fresh_until,
    }


def _untouched_outputs(
    output_abs: str,
    replaced: frozenset[str] | None,
    previous: Recorded | None,
    inputs: Packed,
) -> tuple[dict[str, Signature], dict[str, bytes]]:
    """The signatures (and digests of racy ones) that `previous` recorded for the output
    files a build left where they were: every file but the `replaced` ones, when the build
    moved only those into the output (an edit written in place, or nothing changed).

    Taking them unchecked is safe: a file changed since `previous` recorded it has another
    ctime than recorded, so the next `check` finds it changed and builds normally. That
    build has the `inputs` `previous` recorded (it ran because an output file changed),
    and stats every file, so a changed file costs one normal build, not every one."""
    if replaced is None or previous is None or previous.get("inputs") == inputs:
        return {}, {}
    try:
        signatures = unpack(previous["output"])
        digests: dict[str, bytes] = dict(previous["digests"])
    except Exception:  # a damaged or foreign manifest: stat every file
        return {}, {}
    prefix = os.path.join(output_abs, "")  # with the separator, as os.path.join puts it
    for key in replaced:
        path = prefix + key
        signatures.pop(path, None)
        digests.pop(path, None)
    return signatures, digests
