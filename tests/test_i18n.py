"""Translated themes: the catalogues are complete and sound, a German site is German, a
language without a catalogue is English with its own dates, a missing string falls back to
English, and a bad language is a warning."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from click.testing import CliRunner
from playwright.sync_api import Browser
from qa import axe, crawl, layout, vnu
from qa.tools import REPO_ROOT
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main
from tamatar_site.load.themes import shipped_themes
from tamatar_site.render.i18n import ENGLISH, Localizer

THEMES_DIR = REPO_ROOT / "themes"
CATALOGUE = THEMES_DIR / "locale" / "de" / "LC_MESSAGES" / "messages.po"
TEMPLATE = THEMES_DIR / "locale" / "messages.pot"
EXAMPLE_SITE = REPO_ROOT / "example-site"
PLACEHOLDER = re.compile(r"(%\(\w+\)[a-z])|\{(\w+)\}")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _extracted() -> set[str | tuple[str, str]]:
    """Every message the shipped themes' templates and the render code mark, as
    `pybabel extract -F themes/babel.cfg -k N_ ... themes src/tamatar_site/render` finds them."""
    with (THEMES_DIR / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: set[str | tuple[str, str]] = set()
    for root in (THEMES_DIR, REPO_ROOT / "src" / "tamatar_site" / "render"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(root), method_map, options_map, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def _catalogue(path: Path) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    with path.open("rb") as source:
        catalogue = read_po(source)
    entries: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else (message.id[0], message.id[1])
        value = message.string if isinstance(message.string, str) else tuple(message.string)
        entries[key] = "" if message.fuzzy else value
    return entries


def test_every_theme_string_is_translated_to_german() -> None:
    """A string added to a template (or marked in the render code) without a German
    translation fails here: run the extract and update commands of the README."""
    german = _catalogue(CATALOGUE)
    extracted = _extracted()
    assert len(extracted) > 200
    missing = sorted(str(m) for m in extracted if m not in german)
    untranslated = sorted(str(m) for m in extracted if m in german and not all(german[m]))
    assert missing == [], "not in the German catalogue:\n" + "\n".join(missing)
    assert untranslated == [], "no German translation:\n" + "\n".join(untranslated)


def test_the_template_catalogue_is_up_to_date() -> None:
    assert set(_catalogue(TEMPLATE)) == _extracted()


def test_translations_keep_the_placeholders() -> None:
    """A translation that drops or renames a `%(name)s` (or search.js's `{name}`), or
    changes its conversion, would fail or lie at build time. `ngettext` fills `%(num)s`
    with the count written for the language (`1,500`): `%(num)d` would fail on it."""

    def names(text: str) -> frozenset[str]:
        return frozenset(m.group(1) or m.group(2) for m in PLACEHOLDER.finditer(text))

    wrong = []
    for message, translation in _catalogue(CATALOGUE).items():
        sources = [message] if isinstance(message, str) else list(message)
        targets = [translation] if isinstance(translation, str) else list(translation)
        wrong += [
            f"{message!r} -> {target!r}"
            for target in targets
            if names(target) not in {names(source) for source in sources}
        ]
        wrong += [f"{message!r}: %(num)d" for text in sources if "%(num)d" in text]
    assert wrong == []


def test_dates_numbers_and_durations_follow_the_language() -> None:
    day = dt.date(2026, 11, 21)
    assert (ENGLISH.date(day), ENGLISH.date(day, "month")) == ("21 Nov 2026", "Nov 2026")
    assert (ENGLISH.number(1234), ENGLISH.minutes(95), ENGLISH.hours(1.5)) == (
        "1,234",
        "1 h 35 min",
        "1 h 30 min",
    )
    german = Localizer("de")  # Babel's formats, no catalogue: English words
    assert (german.date(day), german.date(day, "month")) == ("21. Nov. 2026", "Nov. 2026")
    assert german.number(1234) == "1.234"
    assert Localizer("en-US").date(day) == "Nov 21, 2026"
    assert Localizer("pt-BR").date(day, "month") == "nov. de 2026"
    assert Localizer("fr").date(day, "full") == "21 novembre 2026"
    assert Localizer("xx").date(day) == "21 Nov 2026"  # Babel knows no xx: English
    assert ENGLISH.gettext("") == ""  # not the catalogue's header


# --- built sites ------------------------------------------------------------------


def _example_site(tmp: Path, language: str, theme: str = "default") -> Path:
    site = tmp / f"example-{language}-{theme}"
    shutil.copytree(EXAMPLE_SITE, site, ignore=shutil.ignore_patterns("_site"))
    config = site / "tamatar.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\n  language: en\n" in text and "\n  theme: default\n" in text
    text = text.replace("\n  language: en\n", f"\n  language: {language}\n")
    config.write_text(text.replace("\n  theme: default\n", f"\n  theme: {theme}\n"))
    return site


def _build(site: Path, out: Path) -> str:
    args = ["build", str(site), "--offline", "-o", str(out)]
    # In a worker thread, like tests/test_qa_site.py: no running asyncio loop there even
    # once this module's browser is open.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(
            CliRunner().invoke, main, args, env={"SOURCE_DATE_EPOCH": FIXED_EPOCH}
        ).result()
    assert result.exit_code == 0, result.output
    return result.output


def _text(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module", params=shipped_themes())
def german_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp(f"de-{request.param}")
    out = tmp / "out"
    _build(_example_site(tmp, "de", request.param), out)
    return out


def test_a_german_site_is_german(german_site: Path) -> None:
    home = german_site / "index.html"
    html = home.read_text(encoding="utf-8")
    assert '<html lang="de">' in html
    assert "Zum Inhalt springen" in html and "Skip to content" not in html
    nav = re.search(r"<nav [^>]*>.*?</nav>", html, re.S)
    assert nav is not None
    for label in ("Einträge", "Projekte", "Tags", "Statistik"):
        assert f">{label}</a>" in nav.group(0)
    stats = _text(german_site / "stats" / "index.html")
    assert "Statistik" in stats and "Serien und Summen" in stats
    assert "Aktivität der letzten 365 Tage" in stats
    assert "Monat Einträge Aktive Tage" in stats  # the heatmap's table
    assert "Woche vom 14. Sept. 2026" in stats and "Week of" not in stats
    assert "22. Nov. 2026" in stats  # the build date, in Babel's German
    assert "Stats" not in stats.replace("Statistik", "")
    timeline = _text(german_site / "logs" / "index.html")
    assert re.search(r"\d+ Einträge, die neuesten zuerst", timeline), timeline[:600]
    month = _text(german_site / "logs" / "2026" / "09" / "index.html")
    assert "Einträge von September 2026" in month and "21. September" in month


def test_a_german_log_page(german_site: Path) -> None:
    page = german_site / "logs" / "2026" / "09" / "21" / "flake8-setup"
    text = _text(page / "index.html")
    assert "Lesezeit" in text and "min read" not in text
    assert "1 Std. 10 Min." in text
    html = (page / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-meta="kind:Eintrag"' in html
    assert 'aria-label="Einträge von 21. Sept. 2026"' in html


def test_german_goal_and_resource_pages_name_types_and_levels_in_german(
    german_site: Path,
) -> None:
    resource = _text(german_site / "resources" / "ddia" / "index.html")
    assert "Buch" in resource and "mittelstufe" in resource.lower()  # minimal: lower case
    assert " Book " not in resource and "intermediate" not in resource.lower()
    goal = _text(german_site / "goals" / "rust-fluency" / "index.html")
    assert "Kompetenzaufbau" in goal and "Skill development" not in goal


def test_german_heads_name_the_digest_feed_calendar_and_digests_in_german(
    german_site: Path,
) -> None:
    # What a page says of itself in its head: feed titles and meta descriptions.
    digest = (german_site / "digests" / "2026" / "w43" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<meta name="description" content="\d+ Einträge? und was daraus wurde\.">', digest
    )
    assert "what came of them" not in digest
    assert ': Wochenzusammenfassungen"' in digest and "weekly digests" not in digest
    goals = (german_site / "goals" / "index.html").read_text(encoding="utf-8")
    assert ' (Kalender)"' in goals and "(calendar)" not in goals


def test_german_badges_are_worded_in_german(german_site: Path) -> None:
    first = (german_site / "badges" / "first-log.svg").read_text(encoding="utf-8")
    assert ">Erster Eintrag</" in first and "First log" not in first
    assert re.search(r"<desc [^>]*>Erfolg „Erster Eintrag“, erreicht am \d+\. \w+\.? 2026", first)
    assert re.search(r">Erreicht am \d+\. ", first)
    thousand = (german_site / "badges" / "logs-1000.svg").read_text(encoding="utf-8")
    assert ">1.000</text>" in thousand and ">Einträge</text>" in thousand
    assert "noch nicht erreicht" in thousand and "not earned" not in thousand
    # The default theme's stats page draws the same medal in the page, worded the same.
    if german_site.parent.name.startswith("de-default"):
        stats = (german_site / "stats" / "index.html").read_text(encoding="utf-8")
        assert '<span class="medal-n">1.000</span><span class="medal-u">Einträge</span>' in stats


def test_the_german_search_page_passes_its_words_to_the_script(german_site: Path) -> None:
    html = (german_site / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-text-other="{count} Treffer für „{query}“"' in html
    assert 'data-text-none="Keine Treffer für „{query}“."' in html


def test_a_language_without_a_catalogue_is_english_with_its_own_dates(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(_example_site(tmp_path, "fr"), out)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert "Skip to content" in html and ">Logs</a>" in html
    stats = _text(out / "stats" / "index.html")
    assert "Computed at build time on 22 nov. 2026" in stats
    assert "Logs of septembre 2026" in _text(out / "logs" / "2026" / "09" / "index.html")


THEME_WITH_A_NEW_STRING = {
    "logs/2026/2026-11-20-hello.md": """\
        ---
        title: Hello
        date: 2026-11-20
        ---
        A log.
        """,
    "templates/logs.html": """\
        {% extends "base.html" %}
        {% block content %}<h1>{{ _("Logs") }}</h1><p>{{ _("A sentence no catalogue has") }}</p>
        <p>{{ ngettext("%(num)s thing", "%(num)s things", 1200) }}</p>{% endblock %}
        """,
}


def test_a_missing_translation_falls_back_to_english(tmp_path: Path) -> None:
    config = "site:\n  title: Test site\n  language: de\n"
    site = write_site(tmp_path / "site", THEME_WITH_A_NEW_STRING, config=config)
    out = tmp_path / "out"
    _build(site, out)
    page = (out / "logs" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Einträge</h1>" in page
    assert "<p>A sentence no catalogue has</p>" in page
    assert "<p>1.200 things</p>" in page  # English words, German number


def test_a_site_catalogue_adds_and_overrides_strings(tmp_path: Path) -> None:
    files = dict(THEME_WITH_A_NEW_STRING)
    files["locale/de/LC_MESSAGES/messages.po"] = """\
        msgid ""
        msgstr ""
        "Content-Type: text/plain; charset=utf-8\\n"
        "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

        msgid "Logs"
        msgstr "Tagebuch"

        msgid "A sentence no catalogue has"
        msgstr "Ein Satz aus dem Katalog der Website"
        """
    site = write_site(tmp_path / "site", files, config="site:\n  title: T\n  language: de\n")
    out = tmp_path / "out"
    _build(site, out)
    page = (out / "logs" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Tagebuch</h1>" in page
    assert "<p>Ein Satz aus dem Katalog der Website</p>" in page
    assert "Zum Inhalt springen" in page  # the rest still from the shipped catalogue
    # An edited catalogue is a changed template set: the pages are written again.
    catalogue = site / "locale" / "de" / "LC_MESSAGES" / "messages.po"
    catalogue.write_text(catalogue.read_text().replace("Tagebuch", "Logbuch"))
    _build(site, out)
    assert "<h1>Logbuch</h1>" in (out / "logs" / "index.html").read_text(encoding="utf-8")


def test_an_unknown_language_is_a_warning_and_english(tmp_path: Path) -> None:
    config = "site:\n  title: Test site\n  language: klingon-x\n"
    log = {"logs/2026/2026-11-20-hello.md": "---\ntitle: Hello\ndate: 2026-11-20\n---\nHi.\n"}
    site = write_site(tmp_path / "site", log, config=config)
    out = tmp_path / "out"
    output = _build(site, out)
    assert "tamatar.yaml:3:3: warning: `site.language`: unknown language `klingon-x`" in output
    assert "Traceback" not in output
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="klingon-x">' in html
    assert "Skip to content" in html and "22 Nov 2026" in _text(out / "stats" / "index.html")


def test_a_broken_site_catalogue_is_a_warning(tmp_path: Path) -> None:
    files = dict(THEME_WITH_A_NEW_STRING)
    files["locale/de/LC_MESSAGES/messages.po"] = b"\xff\xfe not a catalogue \x00"
    site = write_site(tmp_path / "site", files, config="site:\n  title: T\n  language: de\n")
    output = _build(site, tmp_path / "out")
    assert "locale/de/LC_MESSAGES/messages.po:1:1: warning: catalogue not used" in output
    page = (tmp_path / "out" / "logs" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Einträge</h1>" in page


# --- the German site passes the same checks as the English one (tests/test_qa_site.py) ---


def test_the_german_site_is_valid_html(german_site: Path, vnu_command: tuple[str, Path]) -> None:
    java, jar = vnu_command
    report = vnu.run_vnu(german_site, jar=jar, java=java)
    assert report.files_checked > 20
    assert report.errors == [], report.grouped()


GERMAN_PAGES = ("", "logs/", "logs/2026/09/", "stats/", "resources/", "goals/", "search/")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_german_site_has_no_accessibility_violations(
    german_site: Path, browser: Browser, axe_source: str, scheme: axe.ColorScheme
) -> None:
    failures: list[str] = []
    with crawl.serve_site(german_site, "/devlog/") as base_url:
        for path in GERMAN_PAGES:
            violations = axe.run_axe(browser, base_url + path, axe_source, scheme)
            failures += [f"{path} ({scheme}): {v.format()}" for v in violations]
        if scheme == "light":  # longer German words must not widen a phone's page
            overflowing = layout.sideways_overflow(browser, [base_url + p for p in GERMAN_PAGES])
            failures += [str(o) for o in overflowing]
    assert failures == [], "\n".join(failures)
