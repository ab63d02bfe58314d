"""tamatar: a static-site generator for developer portfolios."""

from __future__ import annotations

# The one place the version is set: the package metadata (pyproject's `[tool.hatch.version]`),
# `tamatar --version`, the workflow `tamatar init` writes and the release tag all follow it.
__version__ = "0.1.0"

__all__ = ["__version__"]
