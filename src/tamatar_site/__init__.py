"""tamatar: a static-site generator for developer portfolios."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
