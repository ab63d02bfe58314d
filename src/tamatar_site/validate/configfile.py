"""Validate stage: `tamatar.yaml` -> SiteConfig, and the time zone to read dates in."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tamatar_site.config import SiteConfig, babel_locale
from tamatar_site.diagnostics import Diagnostics
from tamatar_site.load import CONFIG_FILE, load_config_yaml
from tamatar_site.load.themes import ThemeError, resolve_theme_dir
from tamatar_site.load.yamlpos import ParsedYaml
from tamatar_site.model import tag_slug
from tamatar_site.validate.positions import report_validation_error


def load_config(site_dir: Path, diagnostics: Diagnostics) -> tuple[SiteConfig | None, str]:
    """The config (or None) and the time zone to read dates in, even from a broken config."""
    parsed = load_config_yaml(site_dir, diagnostics)
    if parsed is None or (parsed.data is None and parsed.issues):
        return None, "UTC"
    data = {} if parsed.data is None else parsed.data
    try:
        config = SiteConfig.model_validate(data)
    except ValidationError as error:
        report_validation_error(error, SiteConfig, parsed, CONFIG_FILE, diagnostics)
        failed = [tuple(detail["loc"]) for detail in error.errors(include_url=False)]
        _check_config_references(data, failed, parsed, site_dir, diagnostics)
        return None, _raw_timezone(data)
    _check_config_references(data, [], parsed, site_dir, diagnostics)
    return config, config.site.timezone


def _check_config_references(
    data: Any,
    failed: list[tuple[str | int, ...]],
    parsed: ParsedYaml,
    site_dir: Path,
    diagnostics: Diagnostics,
) -> None:
    """What the schema cannot see: tag keys must be tag slugs, a local avatar must exist,
    the theme must be there. Checked on the raw values whose keys validated (`failed`
    holds the places of the schema's errors), so a broken config reports these too."""

    def valid(*loc: str) -> Any:
        if any(loc[: len(bad)] == bad[: len(loc)] for bad in failed):
            return None
        value = data
        for step in loc:
            value = value.get(step) if isinstance(value, dict) else None
        return value

    def error(loc: tuple[str | int, ...], message: str) -> None:
        line, column = parsed.position(loc)
        diagnostics.error(CONFIG_FILE, line, column, message)

    tags = valid("tags")
    for key in tags if isinstance(tags, dict) else ():
        if isinstance(key, str) and tag_slug(key) != key:
            error(
                ("tags", key),
                f"tag `{key}` is written `{tag_slug(key)}` in tags and URLs; use that as the key",
            )
    _check_custom_achievements(valid("achievements", "custom"), error)
    avatar = valid("profile", "avatar")
    if isinstance(avatar, str) and avatar.strip():
        avatar = avatar.strip()
        if "://" not in avatar and not (site_dir / avatar).is_file():
            error(
                ("profile", "avatar"),
                f"`profile.avatar`: {avatar} does not exist "
                "(give a path from the site folder, such as static/avatar.png, or a URL)",
            )
    language = valid("site", "language")
    if isinstance(language, str) and babel_locale(language) is None:
        line, column = parsed.position(("site", "language"))
        diagnostics.warning(
            CONFIG_FILE,
            line,
            column,
            f"`site.language`: unknown language `{language}`; the themes are shown in English "
            "(use a BCP 47 tag such as en, de or pt-BR)",
        )
    theme = valid("site", "theme")
    if isinstance(theme, str):
        try:
            resolve_theme_dir(theme, site_dir)  # the build's own resolver
        except ThemeError as problem:
            error(("site", "theme"), str(problem))


def _check_custom_achievements(
    custom: Any, error: Callable[[tuple[str | int, ...], str], None]
) -> None:
    """Each custom achievement has its own id, and a tag as tags and URLs write it."""
    seen: set[str] = set()
    for index, rule in enumerate(custom if isinstance(custom, list) else ()):
        if not isinstance(rule, dict):
            continue
        rule_id, tag = rule.get("id"), rule.get("tag")
        if isinstance(rule_id, str) and rule_id in seen:
            error(
                ("achievements", "custom", index, "id"),
                f"achievement `{rule_id}` is already defined above; give each custom rule "
                "its own id",
            )
        seen.add(str(rule_id))
        if isinstance(tag, str) and tag_slug(tag) != tag:
            error(
                ("achievements", "custom", index, "tag"),
                f"tag `{tag}` is written `{tag_slug(tag)}` in tags and URLs; use that in `tag`",
            )


def _raw_timezone(data: Any) -> str:
    site = data.get("site") if isinstance(data, dict) else None
    zone = site.get("timezone") if isinstance(site, dict) else None
    try:
        zoneinfo.ZoneInfo(zone)  # type: ignore[arg-type]
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return "UTC"
    return str(zone)
