"""Tests for render/markdown_rules.py and markdown_footnotes.py: tamatar's markdown-it rules.

The security tests parse the output with html.parser and check every tag and attribute
against an allow-list, so a new way to smuggle markup through is caught whatever it
looks like.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tamatar_site.render.markdown import MarkdownRenderer

ALLOWED_TAGS = {
    "p", "em", "strong", "s", "code", "pre", "span", "a", "img", "br", "hr", "blockquote",
    "ul", "ol", "li", "label", "input", "table", "thead", "tbody", "tr", "th", "td",
    "div", "h2", "h3", "h4", "h5", "h6", "sup", "section",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "href", "src", "alt", "title", "rel", "loading", "class", "id", "aria-label",
    "aria-labelledby", "tabindex", "style", "start", "type", "disabled", "checked",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


def browser_scheme(url: str) -> str | None:
    """The scheme a browser reads from an attribute value (the WHATWG URL parser's rules)."""
    url = url.strip("".join(map(chr, range(33))))
    url = re.sub(r"[\t\n\r]", "", url)
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return match.group(1).lower() if match else None


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.elements.append(("<!--", {}))

    def handle_decl(self, decl: str) -> None:
        self.elements.append(("<!", {}))

    def handle_pi(self, data: str) -> None:
        self.elements.append(("<?", {}))

    def unknown_decl(self, data: str) -> None:
        self.elements.append(("<![", {}))


def assert_only_safe_markup(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.elements:
        assert tag in ALLOWED_TAGS, f"<{tag}> in {html!r}"
        assert set(attrs) <= ALLOWED_ATTRIBUTES, f"<{tag} {attrs}> in {html!r}"
        for name in ("href", "src"):
            url = attrs.get(name)
            if url is not None:
                scheme = browser_scheme(url)
                if name == "src" and scheme == "data":
                    assert url.startswith("data:image/png;"), url
                else:
                    assert scheme is None or scheme in SAFE_SCHEMES, f"{name}={url!r} in {html!r}"
        if "style" in attrs:
            assert re.fullmatch(r"text-align:(?:left|right|center)", attrs["style"] or "")


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


JAVASCRIPT_LINKS = [
    "[x](javascript:alert(1))",
    '[x](javascript:alert(1) "title")',
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1) )",
    "[x](JAVASCRIPT:alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](java%09script:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](\\javascript:alert(1))",
    "[x](javascript\\:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x][]\n\n[x]: javascript:alert(1)",
    "[x]\n\n[x]: javascript:alert(1) 'title'",
    "[x][r]\n\n[r]:\n  javascript:alert(1)",
    "<javascript:alert(1)>",
    "<jAvAsCrIpT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[*nested* `code`](javascript:alert(1))",
    "[![img](ok.png)](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "![x][r]\n\n[r]: javascript:alert(1)",
    "![x](JaVaScRiPt:alert(1) 'title')",
    "- [ ] [task](javascript:alert(1))",
    "| a |\n|---|\n| [x](javascript:alert(1)) |",
    "# [heading](javascript:alert(1))",
    "> [quote](javascript:alert(1))",
    "x[^1]\n\n[^1]: [note](javascript:alert(1))",
]


@pytest.mark.parametrize("source", JAVASCRIPT_LINKS)
def test_javascript_urls_never_become_links_in_any_link_form(
    renderer: MarkdownRenderer, source: str
) -> None:
    html = renderer.render(source + "\n", resolve_link=lambda path: f"/resolved/{path}").html
    assert_only_safe_markup(html)


def test_the_text_of_an_unsafe_link_stays(renderer: MarkdownRenderer) -> None:
    html = renderer.render("Click [*here*](javascript:alert(1)) now.\n").html
    assert html == "<p>Click <em>here</em> now.</p>\n"
    assert renderer.render("![a cat](javascript:x)\n").html == "<p>a cat</p>\n"


RAW_HTML = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "text <img src=x onerror=alert(1)> text",
    '<a href="javascript:alert(1)">x</a>',
    "<div onclick=alert(1)>\n\n*markdown inside*\n\n</div>",
    "<style>body{display:none}</style>",
    "<iframe src=//evil.example></iframe>",
    "<!-- a comment --> text",
    "<!-- a comment -->",
    "<?php echo 1; ?>",
    "<!DOCTYPE html>",
    "<![CDATA[ x ]]>",
    "<textarea>\n</textarea><script>alert(1)</script>",
    "<svg><script>alert(1)</script></svg>",
    "# Title <script>alert(1)</script>",
    "| <b>a</b> |\n|---|\n| <script>x</script> |",
    "- <b>item</b>\n- <div>block</div>",
    "> <script>alert(1)</script>",
    "x[^1]\n\n[^1]: <script>alert(1)</script>",
    "![<img src=x onerror=alert(1)>](ok.png)",
    "[<script>alert(1)</script>](https://example.com)",
    "`<script>` and ``<b>``",
]


@pytest.mark.parametrize("source", RAW_HTML)
def test_raw_html_is_always_escaped_without_unsafe_html(
    renderer: MarkdownRenderer, source: str
) -> None:
    html = renderer.render(source + "\n").html
    assert_only_safe_markup(html)
    for tag in ("<script", "<img src=x", "<style", "<iframe", "<svg", "<textarea", "<!--", "<?"):
        assert tag not in html.lower(), html


def test_an_escaped_html_block_is_a_paragraph_of_text(renderer: MarkdownRenderer) -> None:
    rendered = renderer.render("<div class=note>\n  *not emphasis*\n</div>\n\nafter\n")
    assert rendered.html == (
        "<p>&lt;div class=note&gt;\n*not emphasis*\n&lt;/div&gt;</p>\n<p>after</p>\n"
    )
    assert rendered.text == "<div class=note> *not emphasis* </div>\nafter"


def test_blank_lines_in_an_escaped_html_block_separate_paragraphs(
    renderer: MarkdownRenderer,
) -> None:
    rendered = renderer.render("<!-- one\n\n  two\n-->\n- item\n")
    assert rendered.html == ("<p>&lt;!-- one</p>\n<p>two\n--&gt;</p>\n<ul>\n<li>item</li>\n</ul>\n")
    assert rendered.text == "<!-- one\ntwo -->\nitem"


def test_unsafe_html_passes_blocks_and_inline_html_as_written() -> None:
    rendered = MarkdownRenderer(unsafe_html=True).render(
        "<details>\n<summary>More</summary>\n\n*inside*\n\n</details>\n\nA <kbd>K</kbd>.\n"
    )
    assert rendered.html == (
        "<details>\n<summary>More</summary>\n<p><em>inside</em></p>\n</details>\n"
        "<p>A <kbd>K</kbd>.</p>\n"
    )
    assert rendered.text == "inside\nA K."  # raw HTML is not text


ATTRIBUTE_BREAKERS = [
    '[x](/a "\\" onmouseover=alert(1) x=\\"")',
    '[x](</a" onmouseover="alert(1)>)',
    '![" onerror=alert(1) x="](ok.png)',
    '![x](ok.png "\\" onerror=alert(1) \\"")',
    '# Say "hi" onmouseover=alert(1)',
    '```rust" onmouseover="alert(1)\nfn f() {}\n```',
    '```"><script>alert(1)</script>\ncode\n```',
    '[x](https://example.com/?q="><script>alert(1)</script>)',
]


@pytest.mark.parametrize("source", ATTRIBUTE_BREAKERS)
def test_quotes_never_break_out_of_an_attribute(renderer: MarkdownRenderer, source: str) -> None:
    html = renderer.render(source + "\n").html
    assert_only_safe_markup(html)  # onmouseover/onerror would be disallowed attributes
    assert "<script" not in html


def test_unsafe_html_still_filters_markdown_links() -> None:
    html = MarkdownRenderer(unsafe_html=True).render("[x](javascript:alert(1)) <jAvAscript:x>\n")
    assert html.html == "<p>x jAvAscript:x</p>\n"


def test_ipv6_hosts_keep_their_brackets_and_broken_ones_stay_text(
    renderer: MarkdownRenderer,
) -> None:
    html = renderer.render("[a](http://[::1]:8000/x[1]) [b](http://[1.2.3]/) ![c](//[z/)\n").html
    assert html == (
        '<p><a href="http://[::1]:8000/x%5B1%5D" rel="noopener noreferrer">a</a> b '
        '<img src="//%5Bz/" alt="c" loading="lazy"></p>\n'
    )


# --- markup -----------------------------------------------------------------------------------


def test_email_autolinks_become_mailto_links(renderer: MarkdownRenderer) -> None:
    html = renderer.render("<ana@example.com>\n").html
    assert html == '<p><a href="mailto:ana@example.com">ana@example.com</a></p>\n'


def test_urls_are_percent_encoded_and_the_resolver_gets_them_decoded(
    renderer: MarkdownRenderer,
) -> None:
    asked: list[str] = []

    def resolve(path: str) -> str | None:
        asked.append(path)
        return None

    html = renderer.render("[a](<my notes.md#Größe>) [b](100%.md)\n", resolve_link=resolve).html
    assert '<a href="my%20notes.md#Gr%C3%B6%C3%9Fe">a</a>' in html
    assert '<a href="100%25.md">b</a>' in html
    assert asked == ["my notes.md", "100%.md"]


def test_link_titles_and_ordered_list_starts(renderer: MarkdownRenderer) -> None:
    html = renderer.render('3. [a](/x "The <x> title")\n4. b\n').html
    assert html == (
        '<ol start="3">\n<li><a href="/x" title="The &lt;x&gt; title">a</a></li>\n'
        "<li>b</li>\n</ol>\n"
    )


def test_links_inside_an_image_description_are_alt_text(renderer: MarkdownRenderer) -> None:
    asked: list[str] = []
    html = renderer.render(
        "![see [the log](log.md) `now`](pic.png)\n", resolve_link=lambda p: asked.append(p)
    ).html
    assert html == '<p><img src="pic.png" alt="see the log now" loading="lazy"></p>\n'
    assert asked == ["pic.png"]


def test_unreferenced_footnotes_and_undefined_references(renderer: MarkdownRenderer) -> None:
    rendered = renderer.render("a[^missing] b[^2]\n\n[^1]: never used\n\n[^2]: used\n")
    assert rendered.html.startswith(
        '<p>a[^missing] b<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup></p>\n'
    )
    assert "never used" not in rendered.html
    assert '<li id="fn1" class="footnote-item"><p>used <a href="#fnref1"' in rendered.html
    assert rendered.text == "a[^missing] b\nused"


def test_the_first_definition_of_a_footnote_label_counts(renderer: MarkdownRenderer) -> None:
    rendered = renderer.render("x[^1]\n\n[^1]: first\n\n[^1]: second\n")
    assert '<li id="fn1" class="footnote-item"><p>first <a href="#fnref1"' in rendered.html
    assert "second" not in rendered.html
    assert rendered.text == "x\nfirst"


def test_a_footnote_ending_in_code_gets_its_back_link_after_the_code(
    renderer: MarkdownRenderer,
) -> None:
    html = renderer.render("x[^1]\n\n[^1]: See:\n\n    ```\n    code\n    ```\n").html
    assert (
        '<pre class="highlight" tabindex="0"><code>code\n</code></pre>\n'
        ' <a href="#fnref1" class="footnote-backref" aria-label="Back to reference 1">'
        "\u21a9\ufe0e</a></li>\n" in html
    )


def test_headings_in_lists_and_quotes_are_numbered_too(renderer: MarkdownRenderer) -> None:
    html = renderer.render("# Intro\n\n> ## Quoted\n\n- ### Listed\n").html
    assert re.findall(r'<h(\d) id="([^"]+)"', html) == [
        ("2", "intro"),
        ("3", "quoted"),
        ("4", "listed"),
    ]
    assert '<li>\n<div class="heading"><h4 id="listed">' in html


def test_task_list_marks_only_its_own_list(renderer: MarkdownRenderer) -> None:
    html = renderer.render("- plain\n\n---\n\n1. [x] done\n2. [ ] todo\n").html
    assert html.startswith("<ul>\n<li>plain</li>\n</ul>\n<hr>\n")
    assert html.count("contains-task-list") == 1
    assert '<ol class="contains-task-list">' in html
    assert html.count('<li class="task-list-item"><label><input') == 2


def test_single_tilde_strikethrough_as_in_gfm(renderer: MarkdownRenderer) -> None:
    assert renderer.render("~gone~ and ~~gone~~\n").html == "<p><s>gone</s> and <s>gone</s></p>\n"


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("1~2~3 days", "<p>1~2~3 days</p>\n"),  # a single tilde inside a word is text, as `_`
        ("~5 min~ish", "<p>~5 min~ish</p>\n"),
        ("a~~b~~c", "<p>a<s>b</s>c</p>\n"),  # a pair may split a word, as `*`
        ("~a~b x~~y~~z", "<p>~a~b x<s>y</s>z</p>\n"),  # a lone `~` never closes a `~~`
        ("x ~~~a~~~", "<p>x ~~~a~~~</p>\n"),
        ("(~a~) **~b~**", "<p>(<s>a</s>) <strong><s>b</s></strong></p>\n"),
    ],
)
def test_tilde_rules(renderer: MarkdownRenderer, source: str, html: str) -> None:
    assert renderer.render(source + "\n").html == html


def test_a_task_marker_alone_or_before_a_line_break_is_a_task(renderer: MarkdownRenderer) -> None:
    box = (
        '<input class="task-list-item-checkbox" checked="checked" disabled="disabled"'
        ' type="checkbox">'
    )
    html = renderer.render("- [x]\n  on the next line\n- [x]\n").html
    assert html == (
        '<ul class="contains-task-list">\n'
        f'<li class="task-list-item"><label>{box} on the next line</label></li>\n'
        f'<li class="task-list-item"><label>{box} </label></li>\n</ul>\n'
    )


def test_a_block_after_a_tight_item_text_starts_on_a_new_line(renderer: MarkdownRenderer) -> None:
    html = renderer.render("- item\n  ```\n  code\n  ```\n- b\n  <!-- c -->\n- c\n  ## H\n").html
    assert '<li>item\n<pre class="highlight"' in html
    assert "<li>b\n<p>&lt;!-- c --&gt;</p>\n</li>" in html
    assert '<li>c\n<div class="heading"><h2 id="h">' in html


def test_a_footnote_definition_ends_a_quote_or_list_before_it(renderer: MarkdownRenderer) -> None:
    rendered = renderer.render("x[^1]\n\n> quote\n[^1]: note\n\n- item\n[^2]: other\n")
    assert (
        "<blockquote>\n<p>quote</p>\n</blockquote>\n<ul>\n<li>item</li>\n</ul>\n" in rendered.html
    )
    assert '<li id="fn1" class="footnote-item"><p>note <a' in rendered.html
    assert "other" not in rendered.html


def test_inline_footnotes_are_not_parsed(renderer: MarkdownRenderer) -> None:
    assert renderer.render("a ^[not a note]\n").html == "<p>a ^[not a note]</p>\n"


def test_an_autolink_shows_its_url_as_written(renderer: MarkdownRenderer) -> None:
    html = renderer.render("<https://example.com/a%20b>\n").html
    assert html == (
        '<p><a href="https://example.com/a%20b" rel="noopener noreferrer">https://example.com/a%20b</a></p>\n'
    )


def test_one_parser_per_process() -> None:
    from tamatar_site.render.markdown import renderer as markdown

    MarkdownRenderer().render("a\n")
    first = markdown.parser()
    MarkdownRenderer(unsafe_html=True, top_heading_level=3).render("<b>a</b>\n")
    assert markdown.parser() is first


# --- the real checker -----------------------------------------------------------------------

EVERY_CONSTRUCT = """\
# Title with `code` & <b>html</b>

Text with a footnote[^a], twice[^a], an <ana@example.com> mail link, ~struck~ words,
[a titled link](https://example.com "Example") and a hard\\
break. ![A titled dot](data:image/png;base64,iVBORw0KGgo= "Dot")

<div class="raw">A raw block</div>

<!-- a comment

over blank lines -->

3. [x] ordered task
4. [ ] another
   - nested item

     with a second paragraph

> ## Quoted heading
>
> | left | centre | right |
> |:-----|:------:|------:|
> | a    | b      | c     |

- tight item
  ```python
  print("code in an item")
  ```

---

[^a]: A note with a list:

    - one
    - two
"""


@pytest.mark.browser
def test_every_construct_passes_the_nu_html_checker(
    tmp_path: Path, vnu_command: tuple[str, Path]
) -> None:
    from qa.vnu import run_vnu

    java, jar = vnu_command
    bodies = [
        MarkdownRenderer().render(EVERY_CONSTRUCT, id_prefix="a-").html,
        MarkdownRenderer(unsafe_html=True).render(EVERY_CONSTRUCT, id_prefix="b-").html,
    ]
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Every construct</title></head><body><main><h1>Every construct</h1>\n"
        f"{''.join(bodies)}</main></body></html>\n"
    )
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    report = run_vnu(tmp_path, jar=jar, java=java)
    assert report.files_checked == 1
    assert [m.format() for m in report.errors] == []


def test_one_space_after_a_task_box_however_many_were_typed(renderer: MarkdownRenderer) -> None:
    html = renderer.render("- [ ]  two\n- [ ]\ttab\n").html
    assert html.count('type="checkbox"> two</label>') == 1
    assert html.count('type="checkbox"> tab</label>') == 1


def test_a_long_task_list_marks_every_item_and_only_its_list(renderer: MarkdownRenderer) -> None:
    html = renderer.render("- [ ] a\n" * 2000 + "\n1. b\n").html
    assert html.count('<li class="task-list-item"><label><input') == 2000
    assert html.count("contains-task-list") == 1
    assert html.endswith("<ol>\n<li>b</li>\n</ol>\n")


def test_repeated_headings_number_their_ids_around_taken_ones(renderer: MarkdownRenderer) -> None:
    html = renderer.render("## Notes\n## Notes 1\n## Notes\n" + "## Notes\n" * 300).html
    ids = re.findall(r'<h2 id="([^"]+)"', html)
    assert ids[:4] == ["notes", "notes-1", "notes-2", "notes-3"]
    assert ids[-1] == "notes-302"
    assert len(set(ids)) == len(ids) == 303
