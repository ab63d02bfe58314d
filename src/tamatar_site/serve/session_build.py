"""The real build of `tamatar serve`: one build session per site, that starts at once when the
output is current and leaves its state on disk for the next start.

A session keeps its last build in memory (`build/session.py`). When the server has been
idle for a moment after a build, `persist()` writes what a later process needs to start
where this one stopped: the page memo and record cache, and a no-change manifest for the
server's own URL (`build/manifest.py`). The next `tamatar serve` of an unchanged site then
serves as soon as the manifest's stats match (`quick_start`), and makes its session warm
afterwards with a build that writes nothing.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tamatar_site.serve.server import BuildOutcome

if TYPE_CHECKING:
    from tamatar_site.build.manifest import BuildRequest, BuildStamp
    from tamatar_site.build.pipeline import BuildResult
    from tamatar_site.build.session import SiteBuilder
    from tamatar_site.serve.app import LocalBuild


@dataclass(frozen=True)
class _Unsaved:
    """A successful build whose state is not on disk yet."""

    builder: SiteBuilder
    request: BuildRequest  # as a `tamatar serve` with the same options would ask
    stamp: BuildStamp | None
    result: BuildResult


class SessionBuild:
    """Builds for one `tamatar serve` (a `SiteBuildFunction`), with `quick_start` and
    `persist` for the server loop."""

    def __init__(self) -> None:
        self._builders: dict[Path, SiteBuilder] = {}
        self._unsaved: _Unsaved | None = None
        # The first build's options: later builds run offline, but the state they leave
        # is for the next `tamatar serve` with the options the user gave.
        self._first: LocalBuild | None = None
        self._fresh_until: float | None = None  # of the first build's GitHub data

    def quick_start(self, request: LocalBuild) -> BuildOutcome | None:
        """The first build's outcome without building, when the output is the one the last
        session (or build) with these options left and no input changed since; else None."""
        from tamatar_site.build import manifest
        from tamatar_site.progress import format_build_summary

        started = time.perf_counter()
        self._first = request
        manifest_request = self._manifest_request(request)
        kept = manifest.check(manifest_request, manifest.read(manifest_request))
        if kept is None:
            return None
        self._fresh_until = kept.github_fresh_until
        kept = kept._replace(seconds=time.perf_counter() - started)
        summary = with_warning_count(format_build_summary(kept), kept.warnings)
        return BuildOutcome(summary=summary, warnings=kept.warnings, changed_output=False)

    def __call__(self, request: LocalBuild) -> BuildOutcome:
        from tamatar_site.build import manifest
        from tamatar_site.build.pipeline import BuildError, BuildOptions
        from tamatar_site.build.session import SiteBuilder

        if self._first is None:
            self._first = request
        builder = self._builders.get(request.site_dir)
        if builder is None:  # not setdefault(): making one reads the record cache
            builder = self._builders[request.site_dir] = SiteBuilder(request.site_dir)
        manifest_request = self._manifest_request(request)
        # The manifest a quick start matched stays while the warming build writes nothing,
        # so stopping the server before its state is saved keeps the next start quick.
        warming = request.warming
        stamp = manifest.prepare(manifest_request, keep=warming)
        self._unsaved = None
        options = BuildOptions(
            drafts=request.drafts,
            future=request.future,
            base_url=request.base_url,
            offline=request.offline,
            refresh=request.refresh,
        )
        try:
            result = builder.build(options, changed=request.changed)
        except BuildError as error:
            manifest.forget(request.site_dir)
            return BuildOutcome(errors=(f"error: {error}",))
        if warming and (result.written or result.removed or result.diagnostics.has_errors):
            manifest.forget(request.site_dir)
        if request is self._first:
            self._fresh_until = result.github_fresh_until
        if not result.diagnostics.has_errors:
            self._unsaved = _Unsaved(builder, manifest_request, stamp, result)
        return outcome_of(result)

    def persist(self) -> None:
        """Write the last build's state for the next process (see the module docstring)."""
        from tamatar_site.build import manifest

        unsaved, self._unsaved = self._unsaved, None
        if unsaved is None:
            return
        unsaved.builder.save_state()
        # The GitHub data later builds read offline is the first build's, fresh as long.
        result = dataclasses.replace(unsaved.result, github_fresh_until=self._fresh_until)
        manifest.record(unsaved.request, unsaved.stamp, result)

    def _manifest_request(self, request: LocalBuild) -> BuildRequest:
        from tamatar_site.build.manifest import BuildRequest

        first = self._first or request
        return BuildRequest(
            request.site_dir,
            None,
            request.drafts,
            request.base_url,
            first.offline,
            request.future,
            first.refresh,
        )


def outcome_of(result: BuildResult) -> BuildOutcome:
    """What the server shows and prints of a build."""
    from tamatar_site.progress import format_build_summary

    errors = tuple(d.format() for d in result.diagnostics.errors)
    warnings = tuple(d.format() for d in result.diagnostics.warnings)
    summary = with_warning_count(format_build_summary(result), warnings)
    changed = bool(result.written or result.removed)
    return BuildOutcome(errors=errors, summary=summary, warnings=warnings, changed_output=changed)


def with_warning_count(summary: str, warnings: tuple[str, ...]) -> str:
    if not warnings:
        return summary
    return f"{summary} ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})"
