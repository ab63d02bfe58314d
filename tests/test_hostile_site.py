"""A hostile site: every field of every file kind carries injection, built by the real CLI.

Every text field holds HTML and attribute breakers (`<script>`, `"><img onerror=…>`),
Jinja syntax and a marker naming the field; Markdown fields add `javascript:` links and
raw HTML; URL fields carry quotes and angle brackets; one log is very long, one deeply
nested, one has many milestones and steps. The output is then parsed, never searched as
text: HTML with lxml.html, feeds and the sitemap with lxml.etree and feedparser, JSON with
json, SVG with lxml.etree. No `<script>`, no `on*` attribute, no `javascript:` URL may
appear, and each injected string must be shown as text.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import pytest
from click.testing import CliRunner
from htmlcheck import URL_ATTRIBUTES, is_dangerous_url
from sitefiles import FIXED_EPOCH

from tamatar_site.cli import main

# What a URL may not hold unencoded (RFC 3986); a quote in an href is invalid HTML.
URL_ILLEGAL = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')


def payload(field: str) -> str:
    """What a hostile author writes into `field`: breakers, Jinja, and the field's marker."""
    return (
        f"<script>alert('{field}')</script> \"><img src=x onerror=alert(1)> "
        f"{{{{ config.items() }}}} {{% if 1 %}}jinja{{% endif %}} ' & field:{field}"
    )


HOSTILE_URL = "https://example.com/a?b=\"><script>alert(1)</script>&c='onmouseover=alert(1)"
# config URLs are parsed strictly (no `"` or `<`); a quote and an encoded one still fit
STRICT_URL = "https://example.com/a?b='onmouseover=alert(1)&c=%22%3E"
MARKDOWN_EXTRA = (
    "\n\n[click](javascript:alert(1)) [v](vbscript:msgbox(1)) [d](data:text/html,<b>x</b>) "
    "<javascript:alert(2)> ![i](javascript:alert(3)) [x][ref]\n\n"
    "[ref]: jAvAsCrIpT:alert(4)\n\n"
    '<div onclick="alert(5)">raw block</div>\n\n'
    '<a href="javascript:alert(6)">raw inline</a> <iframe src=x></iframe>\n\n'
    "bidi: \u202eevil\u202c and zero\u200bwidth\n"
)
FIELDS: list[str] = []


def p(field: str) -> str:
    """The payload of `field`, remembered so the test can look for it in the output."""
    FIELDS.append(field)
    return payload(field)


def tag(field: str) -> str:
    """A hostile tag within the 50-character limit: `<script>{{x}}"'&field:log.tags`."""
    FIELDS.append(field)
    return json.dumps(tag_payload(field))


def tag_payload(field: str) -> str:
    return f"<script>{{{{x}}}}\"'&field:{field}"


def q(field: str) -> str:
    """`p(field)` as a double-quoted YAML string."""
    return json.dumps(p(field))


def md(field: str) -> str:
    """A Markdown field: the payload as its first paragraph, then script links and raw HTML."""
    return json.dumps(p(field) + MARKDOWN_EXTRA)


def hostile_files() -> dict[str, str]:
    long_body = ("A long line of text. " * 40 + "\n\n") * 300  # about 250 KB
    deep_body = "> " * 40 + "deep quote\n\n" + "".join("  " * i + "- item\n" for i in range(40))
    milestones = "".join(f"  - {{title: {q(f'project.milestones[{i}]')}}}\n" for i in range(3))
    many = "".join(f"  - {{title: m{i}, done: {str(i % 2 == 0).lower()}}}\n" for i in range(200))
    return {
        "tamatar.yaml": (
            "site:\n"
            f"  title: {q('site.title')}\n"
            f"  description: {q('site.description')}\n"
            "  timezone: UTC\n"
            "profile:\n"
            f"  name: {q('profile.name')}\n"
            f"  bio: {md('profile.bio')}\n"
            f"  location: {q('profile.location')}\n"
            f"  skills: [{q('profile.skills')}]\n"
            f"  links:\n    - {{label: {q('profile.links.label')}, "
            f"url: {json.dumps(STRICT_URL)}}}\n"
            "feeds:\n  formats: [atom, rss, json]\n  per_tag: true\n"
            "tags:\n"
            f"  rust: {{color: '#dea584', description: {q('tags.description')}}}\n"
            "following:\n"
            f"  - {{name: {q('following.name')}, url: {json.dumps(STRICT_URL)}, "
            f"feed: {json.dumps(STRICT_URL)}}}\n"
        ),
        "logs/2026-11-20-hostile.md": (
            "---\n"
            f"title: {q('log.title')}\n"
            f"tags: [rust, {tag('log.tags')}]\n"
            "project: evil\n"
            "resources: [evil]\n"
            "mood: 5\nproductivity: 5\nfocus_minutes: 60\n"
            "---\n" + json.loads(md("log.body"))
        ),
        "logs/2026-11-19-long.md": "---\ntitle: Long\n---\n" + long_body,
        "logs/2026-11-18-deep.md": "---\ntitle: Deep\n---\n" + deep_body,
        "projects/evil.yaml": (
            f"name: {q('project.name')}\n"
            f"description: {md('project.description')}\n"
            f"tech_stack: [{q('project.tech_stack')}]\n"
            "start_date: 2026-01-01\n"
            f"live_url: {json.dumps(HOSTILE_URL)}\n"
            "featured: true\n"
            f"milestones:\n{milestones}"
        ),
        "projects/many.yaml": f"name: Many milestones\nmilestones:\n{many}",
        "resources/evil.yaml": (
            f"title: {q('resource.title')}\n"
            f"url: {json.dumps(HOSTILE_URL)}\n"
            f"categories: [{q('resource.categories')}]\n"
            "type: book\nstatus: done\nrating: 4\n"
            f"review: {md('resource.review')}\n"
        ),
        "goals/evil.yaml": (
            f"title: {q('goal.title')}\n"
            f"description: {md('goal.description')}\n"
            f"tags: [{tag('goal.tags')}]\n"
            f"milestones:\n  - {{title: {q('goal.milestones')}, done: true}}\n"
        ),
        "paths/evil.yaml": (
            f"title: {q('path.title')}\n"
            f"description: {md('path.description')}\n"
            f"prerequisites: [{q('path.prerequisites')}]\n"
            f"outcomes: [{q('path.outcomes')}]\n"
            f"steps:\n  - {{title: {q('path.steps')}, resource: evil}}\n"
            + "".join(f'  - {{title: "s{i}"}}\n' for i in range(199))
        ),
        "snippets/evil.md": (
            "---\n"
            f"title: {q('snippet.title')}\n"
            f"language: {q('snippet.language')}\n"
            f"tags: [{tag('snippet.tags')}]\n"
            f"description: {q('snippet.description')}\n"
            "---\n"
            "```python\nprint('</code></pre><script>alert(1)</script>')\n```\n"
            + json.loads(md("snippet.body"))
        ),
    }


@pytest.fixture(scope="module")
def hostile_output(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    FIELDS.clear()
    site = tmp_path_factory.mktemp("hostile") / "site"
    for relative, text in hostile_files().items():
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    output = site / "_site"
    result = CliRunner().invoke(
        main,
        ["build", str(site), "--offline", "-o", str(output)],
        env={"SOURCE_DATE_EPOCH": FIXED_EPOCH},
    )
    assert result.exit_code == 0, result.output
    yield output
    shutil.rmtree(site)


def _html_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def _is_the_themes_search(element: lxml.html.HtmlElement, local: str) -> bool:
    """The shipped themes' search form (to the site's own search page) and the search
    page's one script (the site's own file, no inline code): the only forms and scripts."""
    if local == "form":
        action = element.get("action", "")
        return (
            element.get("role") == "search"
            and action.startswith("/")
            and (action.endswith("/search/") and element.get("method") == "get")
        )
    if local == "script":
        src = element.get("src", "")
        return src.startswith("/") and src.endswith("/assets/search.js") and not element.text
    return False


def _check_element_tree(root: lxml.html.HtmlElement, where: str) -> None:
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        local = tag.rsplit("}", 1)[-1].lower()
        if not _is_the_themes_search(element, local):
            assert local not in ("script", "iframe", "object", "embed", "base", "form"), where
        for name, value in element.attrib.items():
            name = name.rsplit("}", 1)[-1].lower()
            assert not name.startswith("on"), (where, local, name, value)
            if name in URL_ATTRIBUTES:
                image = local == "img" and name == "src"
                assert not is_dangerous_url(value, image=image), (where, local, name, value)
                if name != "srcset":
                    assert not URL_ILLEGAL.search(value), (where, local, name, value)


def test_no_script_vector_in_any_page(hostile_output: Path) -> None:
    pages = _html_files(hostile_output)
    assert len(pages) > 20
    for page in pages:
        _check_element_tree(lxml.html.parse(str(page)).getroot(), str(page))


def test_every_injected_string_is_shown_as_text(hostile_output: Path) -> None:
    roots = [lxml.html.parse(str(page)).getroot() for page in _html_files(hostile_output)]
    shown = "\n".join(root.text_content() for root in roots)
    # site.description is only meta data: <meta name="description" content="...">
    shown += "\n".join(v for root in roots for v in root.xpath("//meta/@content"))
    assert FIELDS, "the site was written"
    missing = [
        field
        for field in FIELDS
        if (tag_payload(field) if field.endswith(".tags") else payload(field)) not in shown
    ]
    assert missing == []  # also: the Jinja syntax in them was not evaluated


def test_markdown_script_links_stay_text(hostile_output: Path) -> None:
    log = hostile_output / "logs/2026/11/20/hostile/index.html"
    root = lxml.html.parse(str(log)).getroot()
    text = root.text_content()
    for shown in (
        "javascript:alert(2)",
        '<div onclick="alert(5)">raw block</div>',
        "bidi: \u202eevil\u202c and zero\u200bwidth",
    ):
        assert shown in text
    # a link with a script URL keeps its text and loses the link
    assert "click" in text and root.xpath("//a[normalize-space(.)='click']") == []
    hrefs = [a.get("href", "") for a in root.iter("a")]
    assert not [href for href in hrefs if is_dangerous_url(href)]


def test_feeds_sitemap_and_svg_parse_and_carry_no_script(hostile_output: Path) -> None:
    xml_files = sorted(
        path
        for path in hostile_output.rglob("*")
        if path.suffix in (".xml", ".svg", ".opml") and path.is_file()
    )
    assert any(path.name == "sitemap.xml" for path in xml_files)
    titles: list[str] = []
    for path in xml_files:
        tree = lxml.etree.parse(str(path), lxml.etree.XMLParser(resolve_entities=False))
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            local = lxml.etree.QName(element).localname.lower()
            assert local not in ("script", "foreignobject"), path
            assert not any(
                lxml.etree.QName(name).localname.lower().startswith("on") for name in element.attrib
            ), path
            if local in ("title",) and element.text:
                titles.append(element.text)
        if path.suffix == ".xml" and path.name != "sitemap.xml":
            parsed = feedparser.parse(path.read_bytes())
            assert not parsed.bozo, (path, parsed.get("bozo_exception"))
            for entry in parsed.entries:
                for content in entry.get("content", []):
                    fragment = lxml.html.fragment_fromstring(content.value, create_parent="div")
                    _check_element_tree(fragment, f"{path}: {entry.get('title')}")
    assert payload("log.title") in titles


def test_json_output_parses_and_keeps_strings_as_data(hostile_output: Path) -> None:
    documents = sorted(hostile_output.rglob("*.json"))
    assert documents
    strings: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for path in documents:
        data = json.loads(path.read_text(encoding="utf-8"))
        walk(data)
        if path.name == "feed.json":
            for item in data["items"]:
                if "content_html" in item:
                    fragment = lxml.html.fragment_fromstring(
                        item["content_html"], create_parent="div"
                    )
                    _check_element_tree(fragment, str(path))
    assert payload("log.title") in strings
    assert payload("project.name") in strings


@pytest.mark.browser
def test_hostile_site_passes_the_nu_html_checker(
    hostile_output: Path, vnu_command: tuple[str, Path]
) -> None:
    from qa.vnu import run_vnu

    java, jar = vnu_command
    report = run_vnu(hostile_output, jar=jar, java=java)
    assert report.files_checked > 20
    assert [message.format() for message in report.errors] == []
