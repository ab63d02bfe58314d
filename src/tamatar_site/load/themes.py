"""Which folder `site.theme` names (the one resolver of build, serve and check).

`site.theme: NAME` is the site's `themes/NAME/` first, then a theme tamatar ships; any other
value is a folder relative to the site (or absolute). A theme folder has `templates/` and
optionally `static/`. An installed wheel ships the themes as `tamatar_site/themes/`; a
checkout (an editable install) has them in `themes/` at the repository's top.
"""

from __future__ import annotations

import difflib
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_CHECKOUT_THEMES = _PACKAGE.parent.parent / "themes"


class ThemeError(Exception):
    """The configured theme does not exist."""


def shipped_themes_dir() -> Path:
    """The folder of the themes tamatar ships: inside the installed package, else the
    checkout's top-level `themes/`. (An old checkout may keep an empty package folder.)"""
    packaged = _PACKAGE / "themes"
    return packaged if any(packaged.glob("*/templates")) else _CHECKOUT_THEMES


def shipped_themes() -> list[str]:
    """The names of the shipped themes, sorted."""
    root = shipped_themes_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "templates").is_dir())


def site_themes(site_dir: Path) -> list[str]:
    """The names of the themes under the site's own `themes/`, sorted."""
    root = site_dir / "themes"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "templates").is_dir())


def resolve_theme_dir(theme: str, site_dir: Path) -> Path:
    """The absolute folder of `theme` for the site in `site_dir`.

    Raises:
        ThemeError: no such theme; the message lists the known ones and a close match.
    """
    candidates: list[Path] = []
    if theme and "/" not in theme and "\\" not in theme and theme not in (".", ".."):
        candidates += [site_dir / "themes" / theme, shipped_themes_dir() / theme]
    candidates.append(site_dir / theme)
    for candidate in candidates:
        if (candidate / "templates").is_dir():
            return candidate.resolve()
    raise ThemeError(unknown_theme_message(theme, site_dir))


def unknown_theme_message(theme: str, site_dir: Path) -> str:
    """`unknown theme "x": ...`, naming the themes there are and the closest one."""
    names = list(dict.fromkeys(site_themes(site_dir) + shipped_themes()))
    message = (
        f'unknown theme "{theme}": not a folder of the site\'s themes/, not a shipped theme '
        f"({', '.join(shipped_themes()) or 'none found'}) and not a folder with templates/"
    )
    close = difflib.get_close_matches(theme, names, n=1)
    if close:
        message += f'; did you mean "{close[0]}"?'
    return message


# The templates a build renders pages with (render/pages/routes.py, render/learning.py); a theme
# provides each, or the site's templates/ does. Partials are the theme's own business.
PAGE_TEMPLATES = (
    "404.html", "following.html", "goal.html", "goals.html", "index.html", "log.html",
    "logs.html", "page.html", "path.html", "paths.html", "project.html", "projects.html",
    "resource.html", "resources.html", "search.html", "snippet.html", "snippets.html",
    "stats.html", "tag.html", "tags.html",
)  # fmt: skip
