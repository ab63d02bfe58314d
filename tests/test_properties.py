"""Property tests (hypothesis): any input gives a site or diagnostics, safe HTML, sane slugs
and consistent streaks and stats.

The number of examples comes from the hypothesis profile (`HYPOTHESIS_PROFILE`, see
conftest.py): `ci` keeps each test to a few seconds, `long` runs thousands of examples.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import string
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from htmlcheck import html_problems
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import BaseModel
from sitefiles import FIXED_EPOCH, write_site

from tamatar_site.cli import main
from tamatar_site.compute.heatmap import compute_heatmap
from tamatar_site.compute.stats import compute_stats
from tamatar_site.compute.streaks import compute_streaks
from tamatar_site.config import SiteConfig
from tamatar_site.model import Log, Tag, tag_slug
from tamatar_site.render.markdown import MarkdownRenderer, slugify
from tamatar_site.validate.references import TagRegistry
from tamatar_site.validate.schemas import (
    GoalSchema,
    LogSchema,
    PathSchema,
    ProjectSchema,
    ResourceSchema,
    SnippetSchema,
)
from tamatar_site.validate.site import load_site

# --- inputs ---------------------------------------------------------------------------------

HOSTILE_STRINGS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% raw %}",
    "\u202eevil\u202c",
    "\u200b",
    "../../etc/passwd",
    "..",
    "",
    " ",
    "9999-12-31",
    "0000-00-00",
    "2026-02-30",
    "1e309",
    ".nan",
    "~",
    "*anchor",
    "&anchor x",
    "!!python/object/apply:os.system ['true']",
    "https://example.com/x?a=1&b=<2>",
    "x" * 3000,
]

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from(HOSTILE_STRINGS),
    st.text(max_size=30),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.text(max_size=10), inner, max_size=5),
    ),
    max_leaves=20,
)


def _model_keys(schema: type[BaseModel]) -> list[str]:
    return [*schema.model_fields, "unknown_key", "title "]


def documents(schema: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Mappings with the schema's keys (and some unknown ones) and values of any type."""
    return st.dictionaries(st.sampled_from(_model_keys(schema)), VALUES, max_size=12)


def dump(document: object) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def text_or_bytes(structured: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Structured YAML, any text, or any bytes: what a content file may hold."""
    return st.one_of(
        structured.map(lambda text: text.encode("utf-8")),
        st.text(max_size=300).map(lambda text: text.encode("utf-8")),
        st.binary(max_size=300),
    )


def front_matter(schema: type[BaseModel]) -> st.SearchStrategy[str]:
    return st.tuples(documents(schema), st.text(max_size=200)).map(
        lambda pair: f"---\n{dump(pair[0])}---\n{pair[1]}"
    )


# A site with one valid file of each kind; a test replaces one of them.
BASE_FILES: dict[str, str] = {
    "logs/2026-11-20-first.md": "---\ntitle: First\ntags: [rust]\nproject: demo\n---\nHello.\n",
    "projects/demo.yaml": "name: Demo\ndescription: A demo.\nstatus: active\n",
    "resources/book.yaml": "title: A book\nurl: https://example.com/book\ntype: book\n",
    "goals/learn.yaml": "title: Learn\nstatus: active\n",
    "paths/storage.yaml": "title: Storage\nsteps:\n  - title: Read\n    resource: book\n",
    "snippets/retry.md": "---\ntitle: Retry\nlanguage: python\n---\n```python\npass\n```\n",
}
KIND_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "logs": ("logs/2026-11-21-fuzzed.md", LogSchema),
    "projects": ("projects/fuzzed.yaml", ProjectSchema),
    "resources": ("resources/fuzzed.yaml", ResourceSchema),
    "goals": ("goals/fuzzed.yaml", GoalSchema),
    "paths": ("paths/fuzzed.yaml", PathSchema),
    "snippets": ("snippets/fuzzed.md", SnippetSchema),
}
_SECTION_MODELS: dict[str, type[BaseModel]] = {
    name: field.annotation  # type: ignore[misc]
    for name, field in SiteConfig.model_fields.items()
    if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
}
CONFIGS = st.dictionaries(
    st.sampled_from([*SiteConfig.model_fields, "unknown"]),
    st.one_of(
        VALUES,
        st.sampled_from(sorted(_SECTION_MODELS)).flatmap(
            lambda name: documents(_SECTION_MODELS[name])
        ),
    ),
    max_size=8,
).map(lambda document: {"site": {"title": "T"}, **document})


def kind_inputs(kind: str) -> st.SearchStrategy[bytes]:
    schema = KIND_FILES[kind][1]
    if kind in ("logs", "snippets"):
        return text_or_bytes(front_matter(schema))
    return text_or_bytes(documents(schema).map(dump))


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("props") / "site", BASE_FILES)


def _load_with(site_dir: Path, relative: str, data: bytes) -> None:
    """Load the base site with `relative` holding `data`: a site, or diagnostics with
    positions inside the site; never an exception."""
    target = site_dir / relative
    target.write_bytes(data)
    try:
        loaded = load_site(site_dir)
    finally:
        target.unlink()
    assert (loaded.site is None) == loaded.diagnostics.has_errors
    for item in loaded.diagnostics.items:
        assert item.line >= 1 and item.column >= 1
        assert item.message.strip() and "\n" not in item.message
        assert not item.path.startswith("/")


def test_the_base_site_is_valid(site_dir: Path) -> None:
    loaded = load_site(site_dir)
    assert loaded.site is not None, [str(d) for d in loaded.diagnostics.items]


@pytest.mark.parametrize("kind", sorted(KIND_FILES))
def test_any_content_file_gives_a_site_or_diagnostics(site_dir: Path, kind: str) -> None:
    @given(kind_inputs(kind))
    def run(data: bytes) -> None:
        _load_with(site_dir, KIND_FILES[kind][0], data)

    run()


@given(st.one_of(CONFIGS.map(dump).map(str.encode), st.binary(max_size=300)))
@example(b"site:\n  title: T\n  timezone: 1e309\n")
@example(b"site:\n  title: T\nprofile:\n  avatar: javascript:alert(1)\n")
def test_any_config_gives_a_site_or_diagnostics(site_dir: Path, data: bytes) -> None:
    config = site_dir / "tamatar.yaml"
    original = config.read_bytes()
    config.write_bytes(data)
    try:
        loaded = load_site(site_dir)
    finally:
        config.write_bytes(original)
    assert (loaded.config is None) or isinstance(loaded.config, SiteConfig)
    for item in loaded.diagnostics.items:
        assert item.line >= 1 and item.column >= 1


@given(st.sampled_from(sorted(KIND_FILES)).flatmap(lambda k: st.tuples(st.just(k), kind_inputs(k))))
def test_check_cli_reports_without_a_traceback(site_dir: Path, case: tuple[str, bytes]) -> None:
    kind, data = case
    target = site_dir / KIND_FILES[kind][0]
    target.write_bytes(data)
    try:
        result = CliRunner().invoke(main, ["check", str(site_dir)])
    finally:
        target.unlink()
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for line in result.stdout.splitlines():
        assert re.match(r"^[^:]+:\d+:\d+: (error|warning): ", line), line


# --- Markdown ---------------------------------------------------------------------------------

MARKDOWN_PIECES = [
    "[", "]", "(", ")", "](", "![", "<", ">", "`", "```", "*", "_", "~", "~~", "#", "## ",
    "\n", "\n\n", "    ", "|", "| --- |", "- ", "1. ", "> ", "- [ ] ", "- [x] ", "[^1]",
    "[^1]: ", "&", "&amp;", "&#106;", "&#x6A;", "\"", "'", "=", " ", "\t", "\\",
    "javascript:", "JAVASCRIPT:", "java&#x09;script:", "vbscript:", "data:text/html,",
    "data:image/png;base64,AAAA", "https://example.com/", "mailto:a@b.c", "<script>",
    "</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:x\">", "onclick=",
    "<svg onload=alert(1)>", "<!--", "-->", "<![CDATA[", "{{ x }}", "{% x %}",
    "<https://example.com>", "<javascript:alert(1)>", "[x]: javascript:alert(1)\n",
    "[x]", "[x][]", "\u202e", "\u200b", "\x00",
]  # fmt: skip
MARKDOWN = st.one_of(
    st.lists(st.one_of(st.sampled_from(MARKDOWN_PIECES), st.text(max_size=4)), max_size=40).map(
        "".join
    ),
    st.text(max_size=200),
)
_RENDERER = MarkdownRenderer()


def _resolve(href: str) -> str:
    return "/site/" + href


@given(MARKDOWN)
@example("[a](java\tscript:alert(1))")
@example("[a](&#106;avascript:alert(1))")
@example("![a](data:text/html;base64,PHNjcmlwdD4=)")
@example("<javascript:alert(1)>")
@example("[x]\n\n[x]: <vbscript:msgbox(1)>")
@example('<a href="x" onclick="y">z</a>')
@example("# a\n\n[^1]\n\n[^1]: <script>alert(1)</script>")
def test_markdown_gives_balanced_html_without_script_vectors(text: str) -> None:
    rendered = _RENDERER.render(text, resolve_link=_resolve, id_prefix="doc-")
    assert html_problems(rendered.html) == []
    assert "\x00" not in rendered.html


@given(MARKDOWN)
def test_unsafe_html_output_is_still_text_for_markdown_without_tags(text: str) -> None:
    """With `unsafe_html` on, Markdown without `<` renders exactly as with it off."""
    text = text.replace("<", "")
    safe = _RENDERER.render(text).html
    assert MarkdownRenderer(unsafe_html=True).render(text).html == safe


# --- slugs ------------------------------------------------------------------------------------

_URL_UNSAFE = re.compile(r"[\s\"'<>`#%?/\\&{}|^\[\]\x00-\x1f\x7f]")


@given(st.text(max_size=60))
@example("..")
@example("İstanbul")
@example("ﬁ ß ǅ")
@example("\u202e\u200b")
def test_heading_slugs_are_idempotent_url_safe_and_never_empty(text: str) -> None:
    slug = slugify(text)
    assert slug and slug not in (".", "..")
    assert slugify(slug) == slug
    assert not _URL_UNSAFE.search(slug), slug
    assert not slug.startswith("-") and not slug.endswith("-")


@given(st.text(max_size=60))
@example("..")
@example("C#")
@example("C++")
@example("İ")
@example("\u202e")
def test_tag_slugs_are_idempotent_url_safe_and_never_empty(name: str) -> None:
    slug = tag_slug(name)
    assert tag_slug(slug) == slug
    assert not _URL_UNSAFE.search(slug), slug
    assert "." not in slug
    tag = TagRegistry().tag(name)
    if tag is not None:  # a name without letters or digits is no tag (validation says so)
        assert tag.slug == slug and slug
    else:
        assert slug == ""


# --- streaks, stats, heatmap ------------------------------------------------------------------

ZONE = zoneinfo.ZoneInfo("UTC")
TODAY = dt.date(2026, 11, 22)
ALL_TAGS = [Tag(slug, slug.upper()) for slug in string.ascii_lowercase[:6]]


def _log(index: int, day: dt.date, tags: tuple[Tag, ...], focus: int | None) -> Log:
    return Log(
        source=f"logs/{index}.md",
        slug=f"l{index}",
        title="t",
        date=day,
        timestamp=dt.datetime(day.year, day.month, day.day, 9, tzinfo=ZONE),
        body="one two three",
        body_line=1,
        tags=tags,
        focus_minutes=focus,
    )


LOGS = st.lists(
    st.tuples(
        st.dates(min_value=TODAY - dt.timedelta(days=800), max_value=TODAY + dt.timedelta(days=5)),
        st.lists(st.sampled_from(ALL_TAGS), max_size=3, unique=True).map(tuple),
        st.one_of(st.none(), st.integers(min_value=0, max_value=600)),
    ),
    max_size=60,
).map(lambda rows: [_log(i, day, tags, focus) for i, (day, tags, focus) in enumerate(rows)])


@given(LOGS, st.randoms(use_true_random=False))
def test_streaks_are_consistent_and_independent_of_order(
    logs: list[Log], shuffle: random.Random
) -> None:
    stats = compute_streaks(logs, TODAY)
    shuffled = list(logs)
    shuffle.shuffle(shuffled)
    assert compute_streaks(shuffled, TODAY) == stats
    active = {log.date for log in logs if log.date <= TODAY}
    assert stats.active_days == len(active)
    assert stats.current.length <= stats.longest.length <= stats.active_days
    if stats.current.length:
        assert stats.current.end in (TODAY, TODAY - dt.timedelta(days=1))
    for streak in (stats.current, stats.longest):
        if streak.length:
            assert streak.start is not None and streak.end is not None
            assert (streak.end - streak.start).days + 1 == streak.length
            days = {streak.start + dt.timedelta(days=n) for n in range(streak.length)}
            assert days <= active


@given(LOGS, st.randoms(use_true_random=False))
def test_stats_and_heatmap_totals_agree_and_ignore_order(
    logs: list[Log], shuffle: random.Random
) -> None:
    stats = compute_stats(logs, TODAY)
    heatmap = compute_heatmap(logs, TODAY)
    shuffled = list(logs)
    shuffle.shuffle(shuffled)
    assert compute_stats(shuffled, TODAY) == stats
    assert compute_heatmap(shuffled, TODAY) == heatmap

    assert stats.totals.logs == len(logs)
    assert sum(week.logs for week in stats.weeks) == len(logs)
    assert sum(month.logs for month in stats.months) == len(logs)
    focus = sum(log.focus_minutes or 0 for log in logs)
    assert stats.totals.focus_minutes == focus == sum(w.focus_minutes for w in stats.weeks)
    assert stats.totals.tags == len({tag.slug for log in logs for tag in log.tags})

    window = [log for log in logs if TODAY - dt.timedelta(days=364) <= log.date <= TODAY]
    cells = heatmap.cells
    assert len(cells) == 365 and cells[-1].date == TODAY
    assert heatmap.total_logs == len(window) == sum(cell.logs for cell in cells)
    assert heatmap.total == sum(cell.count for cell in cells)
    assert heatmap.active_days == len({log.date for log in window})
    assert all(0 <= cell.level <= 4 for cell in cells)
    assert all((cell.level == 0) == (cell.count == 0) for cell in cells)


# --- regressions found by the tests above -------------------------------------------------


def test_control_character_in_yaml_is_a_one_line_diagnostic_at_its_place(tmp_path: Path) -> None:
    """PyYAML's reader error spans two lines (`in "<unicode string>", position 8`)."""
    site = write_site(tmp_path / "site", {**BASE_FILES, "goals/bad.yaml": "a: 1\ntitle: x\x01\n"})
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "goals/bad.yaml:2:9: error: invalid YAML: control characters are not allowed: U+0001"
    ]


def test_values_and_file_names_with_line_breaks_stay_on_one_diagnostic_line(
    tmp_path: Path,
) -> None:
    files = {**BASE_FILES, "projects/x.yaml": "name: X\nstatus: '\n\n  a\u202eb'\n"}
    site = write_site(tmp_path / "site", files)
    (site / "projects" / "bad\nname.yaml").write_text("name: Y\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines
    assert all(re.match(r"^projects/[^:]+:\d+:\d+: error: ", line) for line in lines), lines
    assert any("bad\\nname.yaml" in line for line in lines), lines
    assert any("\\na\\u202eb" in line for line in lines), lines
