"""The Jinja environment (theme templates, site overrides, filters, `url()`).

A site's `templates/` folder overrides the theme file by file through a `ChoiceLoader`
(`load/themes.py` finds the theme's folder).
Autoescaping is on for every template: titles, tags and remote text can never inject
markup; only values marked safe in `views/` (rendered Markdown, our SVGs) pass raw.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.bccache

from tamatar_site.cachefile import user_cache_dir
from tamatar_site.render.i18n import ENGLISH, Localizer, install_localizer


def make_url(base_path: str) -> Callable[[str], str]:
    """`url("logs/")` -> `/repo/logs/`: the one helper every internal link goes through."""
    prefix = base_path if base_path.endswith("/") else base_path + "/"

    def url(path: str = "") -> str:
        if "://" in path or path.startswith(("mailto:", "//")):
            return path
        return prefix + path.lstrip("/")

    return url


def make_abs_url(base_url: str) -> Callable[[str], str]:
    """`abs_url("logs/")` -> `https://host/repo/logs/`, for feeds and sitemaps."""
    return AbsoluteUrl(base_url if base_url.endswith("/") else base_url + "/")


@dataclass(frozen=True)
class AbsoluteUrl:
    """`make_abs_url`'s function: a value, so that a build's inputs can be pickled
    (`build/resume.py`)."""

    prefix: str  # ends with "/"

    def __call__(self, path: str = "") -> str:
        if "://" in path:
            return path
        return self.prefix + path.lstrip("/")


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(color: str) -> tuple[float, float, float] | None:
    value = color.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    try:
        return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)
    except ValueError:
        return None


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two `#rrggbb` colours (1 when either is not one)."""
    a, b = _rgb(first), _rgb(second)
    if a is None or b is None or len(first.strip().lstrip("#")) not in (3, 6):
        return 1.0
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(color: str, background: str, ratio: float = 3.0) -> str:
    """`color`, or the nearest colour towards white (dark `background`) or black (light)
    that reaches `ratio` against it: WCAG's 3:1 for graphics such as language swatches."""
    rgb, back = _rgb(color), _rgb(background)
    if rgb is None or back is None or contrast_ratio(color, background) >= ratio:
        return color
    target = 1.0 if _luminance(back) < 0.18 else 0.0
    for step in range(1, 21):
        mix = step / 20
        mixed = tuple(round(255 * (c + (target - c) * mix)) for c in rgb)
        candidate = "#" + "".join(f"{c:02x}" for c in mixed)
        if contrast_ratio(candidate, background) >= ratio:
            return candidate
    return "#ffffff" if target else "#000000"


class RenderMemo:
    """Template fragments kept for one build (the `memo` global): a macro whose output is a
    function of its arguments renders once and reuses the HTML, keyed by the macro's name
    and its (hashable, immutable) arguments."""

    def __init__(self) -> None:
        self._fragments: dict[tuple[object, ...], object] = {}

    def get(self, *key: object) -> object | None:
        """The fragment kept under `key`, or None."""
        return self._fragments.get(key)

    def put(self, fragment: object, *key: object) -> object:
        """Keep `fragment` under `key`; returns it, to be written out."""
        self._fragments[key] = fragment
        return fragment


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates, keyed by template name, file and a hash of its source (Jinja's
    own scheme), so a changed template is compiled again. A cache folder that cannot be
    read or written is no cache: the build compiles as if it were empty."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_cache_dir() -> Path:
    """Where compiled templates are kept, for every site and theme of this user (each entry
    is keyed by the template's absolute file name and source, so sites sharing a theme
    share its entries). `$XDG_CACHE_HOME/tamatar/` (else `~/.cache/tamatar/`)."""
    return user_cache_dir() / f"jinja-{jinja2.__version__}"


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    directory = bytecode_cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _BytecodeCache(str(directory))


def make_environment(
    theme_dir: Path,
    site_templates: Path | None,
    *,
    base_path: str,
    base_url: str,
    localizer: Localizer = ENGLISH,
) -> jinja2.Environment:
    """Compile-once environment: site `templates/` first, then the theme's `templates/`;
    the strings, dates and numbers of `localizer`'s language."""
    loaders: list[jinja2.BaseLoader] = []
    if site_templates is not None and site_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(site_templates)))
    loaders.append(jinja2.FileSystemLoader(str(theme_dir / "templates")))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=_bytecode_cache(),
        extensions=["jinja2.ext.i18n"],
    )
    # Every string a theme shows goes through `_()` / `ngettext()`; dates, numbers and
    # durations through the filters of the site's language (render/i18n.py).
    install_localizer(env, localizer)
    env.globals["url"] = make_url(base_path)
    env.globals["abs_url"] = make_abs_url(base_url)
    env.globals["memo"] = RenderMemo()
    env.filters["readable_on"] = readable_on
    return env


def compile_templates(env: jinja2.Environment) -> None:
    """Compile (or load from the bytecode cache) every template of `env` now. A build does
    this while worker processes render Markdown, so that the page workers it forks later
    inherit them compiled. A template that does not compile is left for the page that uses
    it to report."""
    for name in env.list_templates(extensions=("html", "xml", "txt")):
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)
