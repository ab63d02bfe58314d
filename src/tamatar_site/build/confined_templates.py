"""The site's `templates/` without the files a build must not read (links out of the site)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2

from tamatar_site.config import SiteConfig
from tamatar_site.confine import confined_files
from tamatar_site.diagnostics import Diagnostic, Diagnostics
from tamatar_site.render.i18n import Localizer
from tamatar_site.render.templates import make_environment


class ConfinedLoader(jinja2.BaseLoader):
    """Serves only the `allowed` names of `inner`; any other name is not found here (the
    theme's file of that name is used instead)."""

    def __init__(self, inner: jinja2.BaseLoader, allowed: frozenset[str]) -> None:
        self.inner = inner
        self.allowed = allowed

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template not in self.allowed:
            raise jinja2.TemplateNotFound(template)
        return self.inner.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return sorted(self.allowed)


def confine_site_templates(
    env: jinja2.Environment, site_dir: Path, diagnostics: Diagnostics | None
) -> None:
    """Hide from `env` the site templates that are links out of the site folder or special
    files; each gets a warning. Nothing changes when there are none."""
    folder = site_dir / "templates"
    found = Diagnostics()
    allowed = frozenset(rel for rel, _ in confined_files(folder, site_dir, "templates", found))
    if not found.items:
        return
    if diagnostics is not None:
        diagnostics.extend(found.items)
    loader = env.loader
    if not isinstance(loader, jinja2.ChoiceLoader) or not loader.loaders:
        return
    first = loader.loaders[0]
    if isinstance(first, jinja2.FileSystemLoader) and first.searchpath == [str(folder)]:
        loader.loaders = [ConfinedLoader(first, allowed), *loader.loaders[1:]]


def site_environment(
    site_dir: Path,
    theme_dir: Path,
    config: SiteConfig,
    localizer: Localizer,
    diagnostics: Diagnostics | None,
) -> jinja2.Environment:
    """The templates a build of `site_dir` renders with: the site's `templates/` (confined)
    over the theme's, in `localizer`'s language."""
    env = make_environment(
        theme_dir,
        site_dir / "templates",
        base_path=config.base_path,
        base_url=str(config.site.base_url),
        localizer=localizer,
    )
    confine_site_templates(env, site_dir, diagnostics)
    return env


def template_diagnostic(error: jinja2.TemplateError, site_dir: Path) -> Diagnostic:
    """A diagnostic at the template file and line where rendering failed."""
    filename: str | None = getattr(error, "filename", None)
    line: int | None = getattr(error, "lineno", None)
    if filename is None:
        # Runtime errors (undefined names...) carry no position; jinja's rewritten
        # traceback frames do.
        tb = error.__traceback__
        while tb is not None:
            frame_file = tb.tb_frame.f_code.co_filename
            if frame_file.endswith((".html", ".xml", ".txt", ".j2")):
                filename, line = frame_file, tb.tb_lineno
            tb = tb.tb_next
    path = Path(filename) if filename else Path("templates")
    if path.is_absolute():
        site = site_dir.resolve()
        path = path.relative_to(site) if path.resolve().is_relative_to(site) else path
    message = f"template error: {error.message or type(error).__name__}"
    return Diagnostic(path.as_posix(), line or 1, 1, "error", message)
