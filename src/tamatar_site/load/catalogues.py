"""The message catalogues of a theme and a site, for `site.language`.

Three `locale/` folders, each in gettext's layout (`locale/<lang>/LC_MESSAGES/messages.po`),
are read in this order, a later entry winning: the catalogue the shipped themes share
(`themes/locale/`), the theme's own `locale/`, the site's `locale/` (strings of its own
templates, or wording it prefers). The `.po` files are compiled in memory with Babel when a
build starts: no generated `.mo` file is kept beside them to go stale.

`pt-BR` looks for `pt_BR/`, then `pt/`. No catalogue at all means English: every template
string is written in English, and gettext returns it as it is.
"""

from __future__ import annotations

import io
from pathlib import Path

import babel
from babel.messages import mofile, pofile
from babel.support import Translations

from tamatar_site.diagnostics import Diagnostics
from tamatar_site.load.themes import shipped_themes_dir

__all__ = ["CATALOGUE_DOMAIN", "catalogue_dirs", "catalogue_paths", "load_translations"]

CATALOGUE_DOMAIN = "messages"


def catalogue_dirs(theme_dir: Path, site_dir: Path) -> tuple[Path, ...]:
    """The `locale/` folders a build reads, lowest priority first: the shipped themes'
    shared one, the theme's, the site's."""
    shared = shipped_themes_dir() / "locale"
    return tuple(dict.fromkeys((shared, theme_dir / "locale", site_dir / "locale")))


def _folder_names(locale: babel.Locale) -> list[str]:
    names = [str(locale)]
    if locale.territory or locale.script:
        names.append(locale.language)
    return names


def catalogue_paths(locale_dir: Path, locale: babel.Locale) -> list[Path]:
    """The `.po` files under `locale_dir` for `locale`, most general first (`pt`, `pt_BR`)."""
    candidates = (
        locale_dir / name / "LC_MESSAGES" / f"{CATALOGUE_DOMAIN}.po"
        for name in reversed(_folder_names(locale))
    )
    return [path for path in candidates if path.is_file()]


def _compile(path: Path, locale: babel.Locale) -> Translations:
    with path.open("rb") as source:
        catalogue = pofile.read_po(source, locale=locale, domain=CATALOGUE_DOMAIN)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalogue)  # untranslated and fuzzy entries are left out
    buffer.seek(0)
    return Translations(fp=buffer, domain=CATALOGUE_DOMAIN)


def load_translations(
    locale_dirs: tuple[Path, ...],
    locale: babel.Locale,
    *,
    site_dir: Path,
    diagnostics: Diagnostics | None = None,
) -> Translations | None:
    """Every catalogue for `locale` under `locale_dirs`, merged (later entries win), or None
    when there is none. A catalogue that cannot be read is left out with a warning."""
    merged: Translations | None = None
    for locale_dir in locale_dirs:
        for path in catalogue_paths(locale_dir, locale):
            try:
                translations = _compile(path, locale)
            except (OSError, ValueError, UnicodeDecodeError, pofile.PoFileError) as problem:
                if diagnostics is not None:
                    where = path.relative_to(site_dir) if path.is_relative_to(site_dir) else path
                    message = f"catalogue not used, it cannot be read: {problem}"
                    diagnostics.warning(str(where), 1, 1, message)
                continue
            if merged is None:
                merged = translations
            else:
                merged.merge(translations)
    return merged
