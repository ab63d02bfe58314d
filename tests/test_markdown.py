"""Tests for render/markdown.py and render/highlight.py: safe, valid, accessible HTML."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tamatar_site.render.markdown import (
    MarkdownRenderer,
    is_safe_url,
    slugify,
    strip_heading_anchors,
)
from tamatar_site.render.markdown.highlight import contrast_ratio, highlight_css

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


def html_of(renderer: MarkdownRenderer, source: str) -> str:
    return renderer.render(textwrap.dedent(source)).html


# --- GFM features --------------------------------------------------------------------------


def test_table_with_alignment(renderer: MarkdownRenderer) -> None:
    html = html_of(
        renderer,
        """\
        | crate | stars |
        |-------|------:|
        | serde | 9000  |
        """,
    )
    assert "<table>" in html
    assert "<th>crate</th>" in html
    assert '<th style="text-align:right">stars</th>' in html
    assert '<td style="text-align:right">9000</td>' in html


def test_strikethrough(renderer: MarkdownRenderer) -> None:
    assert "<s>wrong</s>" in html_of(renderer, "~~wrong~~ right")


def test_a_short_code_phrase_is_kept_on_one_line(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, "`cargo build --release`, `Vec<u8>` and `" + "x " * 20 + "`")
    assert '<code class="nowrap">cargo build --release</code>' in html
    assert "<code>Vec&lt;u8&gt;</code>" in html  # one word: nothing to break
    assert "<code>" + "x " * 20 + "</code>" in html  # longer than a phone's line: may wrap


def test_task_list_checkboxes_are_disabled_and_labelled(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, "- [ ] write tests\n- [x] ship it\n")
    assert '<ul class="contains-task-list">' in html
    assert html.count('disabled="disabled"') == 2
    assert html.count('checked="checked"') == 1
    # the item text labels the checkbox (axe: form elements must have labels)
    assert (
        '<label><input class="task-list-item-checkbox" disabled="disabled" type="checkbox">'
        " write tests</label>" in html
    )


def test_footnotes_have_a_named_section_and_labelled_back_links(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, "Claim.[^src]\n\n[^src]: The source.\n")
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>' in html
    assert '<section class="footnotes" aria-labelledby="footnotes">' in html
    assert '<h2 id="footnotes" class="footnotes-title">Footnotes</h2>' in html
    assert '<li id="fn1" class="footnote-item"><p>The source. <a href="#fnref1"' in html
    assert 'aria-label="Back to reference 1"' in html


def test_a_footnote_referenced_twice_has_two_distinct_back_links(
    renderer: MarkdownRenderer,
) -> None:
    html = html_of(renderer, "a[^n] b[^n]\n\n[^n]: note\n")
    assert '<a href="#fn1" id="fnref1:1">[1:1]</a>' in html
    assert '<a href="#fnref1" class="footnote-backref" aria-label="Back to reference 1">' in html
    assert (
        '<a href="#fnref1:1" class="footnote-backref" aria-label="Back to reference 1 (2)">' in html
    )


def test_id_prefix_keeps_documents_on_one_page_apart(renderer: MarkdownRenderer) -> None:
    source = "## Notes\n\nSee[^1].\n\n[^1]: here\n"
    html = renderer.render(source, id_prefix="goal-rust-").html
    ids = re.findall(r' id="([^"]+)"', html)
    assert ids == ["goal-rust-notes", "fnref-goal-rust-1", "goal-rust-footnotes", "fn-goal-rust-1"]
    assert '<a class="anchor" href="#goal-rust-notes"' in html
    assert '<a href="#fn-goal-rust-1" id="fnref-goal-rust-1">[1]</a>' in html
    assert 'aria-labelledby="goal-rust-footnotes"' in html
    assert '<a href="#fnref-goal-rust-1" class="footnote-backref"' in html
    other = renderer.render(source, id_prefix="goal-go-").html
    assert not set(ids) & set(re.findall(r' id="([^"]+)"', other))


def test_commonmark_basics(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, "Some *em* and **strong** and `code`.\n\n> quote\n")
    assert "<p>Some <em>em</em> and <strong>strong</strong> and <code>code</code>.</p>" in html
    assert "<blockquote>\n<p>quote</p>\n</blockquote>" in html


# --- headings -----------------------------------------------------------------------------


def test_heading_ids_are_slugs_and_unique(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, "## Intro\n\ntext\n\n## Intro\n\n## Intro\n")
    assert re.findall(r'<h2 id="([^"]+)"', html) == ["intro", "intro-1", "intro-2"]


def test_heading_anchor_link_markup(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, "# Why `Rc<T>` & *friends*?\n")
    assert html == (
        '<div class="heading"><h2 id="why-rct-friends">Why <code>Rc&lt;T&gt;</code> &amp; '
        '<em>friends</em>?</h2><a class="anchor" href="#why-rct-friends" '
        'aria-label="Link to section: Why Rc&lt;T&gt; &amp; friends?">#</a></div>\n'
    )


def test_heading_ids_avoid_page_and_footnote_ids(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, "## Main\n\n## Footnotes\n\n## fn1\n")
    assert re.findall(r'<h2 id="([^"]+)"', html) == ["main-1", "footnotes-1", "fn1-1"]


def test_heading_ids_restart_for_each_document(renderer: MarkdownRenderer) -> None:
    assert 'id="intro"' in html_of(renderer, "## Intro\n")
    assert 'id="intro"' in html_of(renderer, "## Intro\n")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hello, World!", "hello-world"),
        ("  spaces   and--dashes ", "spaces-and-dashes"),
        ("snake_case_name", "snake-case-name"),
        ("Ünïcödé straße", "ünïcödé-straße"),
        ("日本語 ノート", "日本語-ノート"),
        ("!!!", "section"),
        ("", "section"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(
    ("source", "levels"),
    [
        ("# a\n## b\n### c\n", [2, 3, 4]),
        ("## a\n### b\n## c\n", [2, 3, 2]),  # a log that starts at ##
        ("# a\n### b\n", [2, 3]),  # skipped level closed up
        ("## a\n#### b\n## c\n#### d\n", [2, 3, 2, 3]),
        ("### a\n# b\n## c\n", [2, 2, 3]),
        ("# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6\n", [2, 3, 4, 5, 6, 6]),
    ],
)
def test_heading_levels_start_at_h2_and_never_skip(
    renderer: MarkdownRenderer, source: str, levels: list[int]
) -> None:
    html = html_of(renderer, source)
    assert [int(n) for n in re.findall(r"<h(\d) id=", html)] == levels
    assert [int(n) for n in re.findall(r"</h(\d)>", html)] == levels


def test_top_heading_level_option() -> None:
    html = MarkdownRenderer(top_heading_level=1).render("# a\n### b\n").html
    assert [int(n) for n in re.findall(r"<h(\d) id=", html)] == [1, 2]
    with pytest.raises(ValueError, match="top_heading_level must be 1 to 6"):
        MarkdownRenderer(top_heading_level=7)


# --- code ---------------------------------------------------------------------------------


def test_fenced_code_is_highlighted_with_classes(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, '```rust\nfn main() { println!("<hi>"); } // done\n```\n')
    assert html.startswith('<pre class="highlight" tabindex="0"><code class="language-rust">')
    assert '<span class="k">fn</span>' in html
    assert '<span class="c1">// done</span>' in html
    assert "&lt;hi&gt;" in html
    assert "style=" not in html


def test_unknown_language_is_escaped_plainly(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, "```klingon\n<script>alert(1)</script>\n```\n")
    assert html == (
        '<pre class="highlight" tabindex="0"><code>'
        "&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n"
    )


def test_fence_without_language_and_indented_code(renderer: MarkdownRenderer) -> None:
    assert html_of(renderer, "```\na < b\n```\n") == (
        '<pre class="highlight" tabindex="0"><code>a &lt; b\n</code></pre>\n'
    )
    assert renderer.render("    x = 1 & 2\n").html == (
        '<pre class="highlight" tabindex="0"><code>x = 1 &amp; 2\n</code></pre>\n'
    )


@pytest.mark.parametrize("info", ["rust,ignore", "Rust", "rust {linenos=true}", "  rust  "])
def test_language_is_the_first_word_of_the_info_string(
    renderer: MarkdownRenderer, info: str
) -> None:
    html = html_of(renderer, f"```{info}\nlet x = 1;\n```\n")
    assert '<code class="language-rust"><span class="kd">let</span>' in html


def test_same_code_renders_the_same_from_the_cache(renderer: MarkdownRenderer) -> None:
    source = "```python\ndef f(x):\n    return x * 2  # twice\n```\n"
    first = html_of(renderer, source)
    assert html_of(renderer, source) == first
    assert html_of(MarkdownRenderer(), source) == first
    # a different language for the same code is a different cache entry
    assert html_of(renderer, source.replace("python", "text")) != first


def _palettes(css: str) -> tuple[str, str]:
    light, dark = css.split("@media (prefers-color-scheme: dark) {")
    return light, dark


def _declared(block: str) -> list[tuple[str, dict[str, str]]]:
    rules = []
    for selector, body in re.findall(r"([.\w -]+?) \{ ([^}]*) \}", block):
        decls = dict(
            (p.strip(), v.strip()) for p, v in (d.split(":") for d in body.split(";") if d.strip())
        )
        rules.append((selector.strip(), decls))
    return rules


def test_highlight_css_has_a_light_and_a_dark_palette() -> None:
    light, dark = _palettes(highlight_css())
    light_rules = dict(_declared(light))
    dark_rules = dict(_declared(dark))
    assert light_rules[".highlight"] == {"color": "#1f2328", "background-color": "#f8f8f8"}
    assert dark_rules[".highlight"] == {"color": "#e6edf3", "background-color": "#0d1117"}
    assert light_rules[".highlight .k"]["font-weight"] == "bold"
    # keywords are bold in the light palette only: the dark one resets it
    assert dark_rules[".highlight .k"]["font-weight"] == "normal"
    assert set(light_rules) - {".highlight code"} <= set(dark_rules) | {".highlight .w"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_token_colour_meets_wcag_aa(scheme: str) -> None:
    light, dark = _palettes(highlight_css())
    rules = _declared(light if scheme == "light" else dark)
    background = dict(rules)[".highlight"]["background-color"]
    checked = 0
    for selector, decls in rules:
        color = decls.get("color")
        if color is None or color == "inherit":
            continue
        ratio = contrast_ratio(color, decls.get("background-color", background))
        assert ratio >= 4.5, f"{scheme} {selector}: {color} has contrast {ratio:.2f}"
        checked += 1
    assert checked > 40


# --- raw HTML and unsafe links ------------------------------------------------------------


def test_raw_html_is_escaped_by_default(renderer: MarkdownRenderer) -> None:
    html = html_of(
        renderer, "<div onclick=x()>block</div>\n\nInline <b>bold</b> <img src=x onerror=y>\n"
    )
    assert "<div" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;div onclick=x()&gt;block&lt;/div&gt;" in html
    assert "Inline &lt;b&gt;bold&lt;/b&gt;" in html


def test_raw_html_passes_with_unsafe_html() -> None:
    html = (
        MarkdownRenderer(unsafe_html=True).render("<aside>note</aside>\n\nA <kbd>Ctrl</kbd>\n").html
    )
    assert "<aside>note</aside>" in html
    assert "A <kbd>Ctrl</kbd>" in html


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](data:image/png;base64,AAAA)",  # a data: image is fine as an image, not as a link
        "[x](file:///etc/passwd)",
        "[x](<java\tscript:alert(1)>)",
        "[x](&#106;avascript:alert(1))",
        "[x](javascript&colon;alert(1))",
        "<javascript:alert(1)>",
        "<JAVASCRIPT:alert(1)>",
        "[x][evil]\n\n[evil]: javascript:alert(1)",
        "[evil]\n\n[evil]: <vbscript:x>",
        "[x](ftp://example.com/file)",
    ],
)
def test_unsafe_schemes_never_become_links(renderer: MarkdownRenderer, source: str) -> None:
    html = html_of(renderer, source + "\n")
    assert "<a" not in html, html
    assert "href" not in html


def test_unsafe_image_sources_are_not_images(renderer: MarkdownRenderer) -> None:
    assert "<img" not in html_of(renderer, "![x](javascript:alert(1))\n")
    assert "<img" not in html_of(renderer, "![x](data:image/svg+xml;base64,PHN2Zz4=)\n")
    html = html_of(renderer, "![dot](data:image/png;base64,iVBORw0KGgo=)\n")
    assert '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot" loading="lazy">' in html


@pytest.mark.parametrize(
    ("url", "image", "safe"),
    [
        ("https://example.com", False, True),
        ("HTTP://EXAMPLE.COM", False, True),
        ("mailto:a@example.com", False, True),
        ("tel:+123", False, True),
        ("../x.md#frag", False, True),
        ("#frag", False, True),
        ("?q=1", False, True),
        (" javascript:x", False, False),
        ("\x01javascript:x", False, False),
        ("java\nscript:x", False, False),
        ("java%0Ascript:x", False, False),
        ("notes%20on%20rust.md", False, True),
        ("data:image/png;base64,AA", True, True),
        ("data:image/png;base64,AA", False, False),
        ("data:image/svg+xml,<svg/>", True, False),
        ("blob:https://example.com/x", False, False),
    ],
)
def test_is_safe_url(url: str, image: bool, safe: bool) -> None:
    assert is_safe_url(url, image=image) is safe


def test_safe_links_stay_links(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, "[mail](mailto:a@example.com) <https://example.com/a> [top](#top)\n")
    assert '<a href="mailto:a@example.com">mail</a>' in html
    rel = 'rel="noopener noreferrer"'
    assert f'<a href="https://example.com/a" {rel}>https://example.com/a</a>' in html
    assert '<a href="#top">top</a>' in html


def test_external_links_get_noopener(renderer: MarkdownRenderer) -> None:
    html = html_of(
        renderer,
        "[a](https://docs.rs/serde) [b](http://127.0.0.1:8000/x) [c](notes.md) [d](/abs/) "
        "[e](//cdn.example.com/x)\n",
    )
    assert '<a href="//cdn.example.com/x" rel="noopener noreferrer">e</a>' in html
    assert '<a href="https://docs.rs/serde" rel="noopener noreferrer">a</a>' in html
    assert '<a href="http://127.0.0.1:8000/x" rel="noopener noreferrer">b</a>' in html
    assert '<a href="notes.md">c</a>' in html
    assert '<a href="/abs/">d</a>' in html


# --- relative links -------------------------------------------------------------------------


def test_relative_links_go_through_the_resolver_and_keep_the_fragment(
    renderer: MarkdownRenderer,
) -> None:
    asked: list[str] = []

    def resolve(path: str) -> str | None:
        asked.append(path)
        return {
            "2026-11-20-borrowck.md": "/logs/2026/11/20/borrowck/",
            "../2025/my notes.md": "/logs/2025/01/02/my-notes/",
        }.get(path)

    source = (
        "[a](2026-11-20-borrowck.md) [b](../2025/my%20notes.md#the-end) "
        "[c](2026-11-20-borrowck.md?x=1#y) [d](missing.md#frag) [e](#local) "
        "[f](https://example.com/2026-11-20-borrowck.md) ![g](2026-11-20-borrowck.md)\n"
    )
    html = renderer.render(source, resolve_link=resolve).html
    assert '<a href="/logs/2026/11/20/borrowck/">a</a>' in html
    assert '<a href="/logs/2025/01/02/my-notes/#the-end">b</a>' in html
    assert '<a href="/logs/2026/11/20/borrowck/?x=1#y">c</a>' in html
    assert '<a href="missing.md#frag">d</a>' in html
    assert '<a href="#local">e</a>' in html
    assert '<img src="/logs/2026/11/20/borrowck/" alt="g" loading="lazy">' in html
    assert asked == [
        "2026-11-20-borrowck.md",
        "../2025/my notes.md",
        "2026-11-20-borrowck.md",
        "missing.md",
        "2026-11-20-borrowck.md",
    ]


def test_reference_links_are_resolved_too(renderer: MarkdownRenderer) -> None:
    html = renderer.render(
        "See [the log][l].\n\n[l]: 2026-11-20-borrowck.md#part-2\n",
        resolve_link=lambda path: "/logs/b/" if path.endswith(".md") else None,
    ).html
    assert '<a href="/logs/b/#part-2">the log</a>' in html


# --- plain text, determinism ----------------------------------------------------------------


def test_plain_text_for_summaries(renderer: MarkdownRenderer) -> None:
    rendered = renderer.render(
        textwrap.dedent(
            """\
            # Lifetimes *finally*

            The `'a` annotation   means [this](https://example.com) &amp; more.

            ```rust
            fn hidden() {}
            ```

            - one
            - two <b>x</b>
            """
        )
    )
    assert "hidden" in rendered.html  # the code block is on the page, only not in the text
    assert rendered.text == (
        "Lifetimes finally\nThe 'a annotation means this & more.\none\ntwo <b>x</b>"
    )


def test_strip_heading_anchors_for_feeds(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, "## One\n\ntext [#](#x)\n\n### Two\n")
    assert strip_heading_anchors(html) == (
        '<div class="heading"><h2 id="one">One</h2></div>\n'
        '<p>text <a href="#x">#</a></p>\n'
        '<div class="heading"><h3 id="two">Two</h3></div>\n'
    )


def test_rendering_is_deterministic() -> None:
    source = "# T\n\n- [ ] a\n\nx[^1]\n\n[^1]: n\n\n```go\nfunc f() {}\n```\n"
    assert MarkdownRenderer().render(source) == MarkdownRenderer().render(source)


# --- the real checkers --------------------------------------------------------------------------

KITCHEN_SINK = """\
# Lifetimes finally clicked

Today I read [the book](https://doc.rust-lang.org/book/) and [yesterday's log](prev.md).
A ~~mistake~~ fix, `inline code`, and a footnote.[^why]

## Intro

| crate | stars |
|-------|------:|
| serde | 9000  |

- [ ] write tests
- [x] ship it

### Code

```rust
// Borrowing: a comment in a code block
fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {
    if x.len() > y.len() { x } else { y }
}
```

```python
@cache
def f(x: int) -> str:  # a comment
    return f"{x!r} and \\n"  # noqa
```

```diff
- old line
+ new line
```

```klingon
<unknown>
```

## Intro

![A dot](data:image/png;base64,iVBORw0KGgo=)

[^why]: Because lifetimes are generic parameters.
"""


def _page(body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Markdown check</title><style>{highlight_css()}"
        "body{font-family:sans-serif;color:#1a1a1a;background:#fff;max-width:60rem;margin:auto}"
        "a{color:#0645ad} @media (prefers-color-scheme: dark){body{color:#eee;background:#111}"
        "a{color:#8ab4f8}} pre{overflow-x:auto}</style></head>"
        f"<body><main><h1>Lifetimes</h1>\n{body}</main></body></html>\n"
    )


@pytest.mark.browser
def test_output_passes_the_nu_html_checker(tmp_path: Path, vnu_command: tuple[str, Path]) -> None:
    from qa.vnu import run_vnu

    java, jar = vnu_command
    renderer = MarkdownRenderer()
    html = renderer.render(KITCHEN_SINK, resolve_link=lambda p: "/logs/prev/").html
    (tmp_path / "page.html").write_text(_page(html), encoding="utf-8")
    # two documents on one page, kept apart by their id prefixes
    both = "".join(renderer.render(KITCHEN_SINK, id_prefix=p).html for p in ("a-", "b-"))
    (tmp_path / "two.html").write_text(_page(both), encoding="utf-8")
    report = run_vnu(tmp_path, jar=jar, java=java)
    assert report.files_checked == 2
    assert [m.format() for m in report.errors] == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_output_passes_axe(tmp_path: Path, browser: Browser, axe_source: str, scheme: str) -> None:
    from qa.axe import run_axe

    html = MarkdownRenderer().render(KITCHEN_SINK, resolve_link=lambda p: "/logs/prev/").html
    page = tmp_path / "page.html"
    page.write_text(_page(html), encoding="utf-8")
    violations = run_axe(browser, page.as_uri(), axe_source, scheme)  # type: ignore[arg-type]
    assert [v.format() for v in violations] == []
