"""The dev server: `serve_site` (build, serve, watch, reload) and its parts."""

from __future__ import annotations

from tamatar_site.serve.app import (
    LocalBuild,
    ServeSettings,
    read_settings,
    serve_site,
    session_builder,
)
from tamatar_site.serve.server import Builder, BuildOutcome, LiveReloadServer, PortInUseError
from tamatar_site.serve.watch import ChangeKind, SiteFilter, classify_changes

__all__ = [
    "BuildOutcome",
    "Builder",
    "ChangeKind",
    "LiveReloadServer",
    "LocalBuild",
    "PortInUseError",
    "ServeSettings",
    "SiteFilter",
    "classify_changes",
    "read_settings",
    "serve_site",
    "session_builder",
]
