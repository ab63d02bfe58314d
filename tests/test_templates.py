"""The Jinja environment: url() and the base path, filters, overrides, autoescaping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tamatar_site.render.i18n import ENGLISH
from tamatar_site.render.templates import (
    make_abs_url,
    make_environment,
    make_url,
)


def test_url_prefixes_the_base_path_once() -> None:
    url = make_url("/repo/")
    assert url("") == "/repo/"
    assert url("logs/") == "/repo/logs/"
    assert url("/logs/") == "/repo/logs/"
    assert url("https://example.com/x") == "https://example.com/x"
    assert make_url("/")("feed.xml") == "/feed.xml"
    assert make_url("/repo")("a") == "/repo/a"


def test_abs_url() -> None:
    abs_url = make_abs_url("https://asha.github.io/devlog/")
    assert abs_url("logs/") == "https://asha.github.io/devlog/logs/"
    assert abs_url("") == "https://asha.github.io/devlog/"


def test_filters() -> None:
    assert ENGLISH.date(dt.date(2026, 2, 9)) == "9 Feb 2026"
    assert ENGLISH.date(dt.date(2026, 2, 9), "month") == "Feb 2026"
    assert ENGLISH.date(None) == ""
    assert ENGLISH.minutes(95) == "1 h 35 min"
    assert ENGLISH.minutes(120) == "2 h"
    assert ENGLISH.minutes(5) == "5 min"
    assert ENGLISH.minutes(None) == ""
    assert ENGLISH.plural(1, "log") == "1 log"
    assert ENGLISH.plural(1200, "entry", "entries") == "1,200 entries"


def test_site_templates_override_theme_templates(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "a.html").write_text("theme a {{ url('x/') }}")
    (theme / "templates" / "b.html").write_text("theme b")
    overrides = tmp_path / "site-templates"
    overrides.mkdir()
    (overrides / "a.html").write_text("site a {{ value }}")
    env = make_environment(theme, overrides, base_path="/r/", base_url="https://h/r/")
    assert env.get_template("a.html").render(value="<b>") == "site a &lt;b&gt;"
    assert env.get_template("b.html").render() == "theme b"
    no_overrides = make_environment(theme, None, base_path="/r/", base_url="https://h/r/")
    assert no_overrides.get_template("a.html").render() == "theme a /r/x/"
