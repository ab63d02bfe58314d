"""Validate stage: `tamatar.yaml` -> SiteConfig, and the time zone to read dates in."""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tamatar_site.config import SiteConfig
from tamatar_site.diagnostics import Diagnostics
from tamatar_site.load import CONFIG_FILE, load_config_yaml
from tamatar_site.load.themes import ThemeError, resolve_theme_dir
from tamatar_site.load.yamlpos import ParsedYaml
from tamatar_site.validate.positions import report_validation_error
from tamatar_site.validate.references import tag_slug


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
        return None, _raw_timezone(data)
    _check_config_references(config, parsed, site_dir, diagnostics)
    return config, config.site.timezone


def _check_config_references(
    config: SiteConfig, parsed: ParsedYaml, site_dir: Path, diagnostics: Diagnostics
) -> None:
    """What the schema cannot see: tag keys must be tag slugs, a local avatar must exist,
    the theme must exist."""
    for key in config.tags:
        if tag_slug(key) != key:
            line, column = parsed.position(("tags", key))
            message = (
                f"tag `{key}` is written `{tag_slug(key)}` in tags and URLs; use that as the key"
            )
            diagnostics.error(CONFIG_FILE, line, column, message)
    avatar = config.profile.avatar
    if avatar and "://" not in avatar and not (site_dir / avatar).is_file():
        line, column = parsed.position(("profile", "avatar"))
        message = (
            f"`profile.avatar`: {avatar} does not exist "
            "(give a path from the site folder, such as static/avatar.png, or a URL)"
        )
        diagnostics.error(CONFIG_FILE, line, column, message)
    try:
        resolve_theme_dir(config.site.theme, site_dir)
    except ThemeError as error:
        line, column = parsed.position(("site", "theme"))
        diagnostics.error(CONFIG_FILE, line, column, str(error))


def _raw_timezone(data: Any) -> str:
    site = data.get("site") if isinstance(data, dict) else None
    zone = site.get("timezone") if isinstance(site, dict) else None
    try:
        zoneinfo.ZoneInfo(zone)  # type: ignore[arg-type]
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return "UTC"
    return str(zone)
