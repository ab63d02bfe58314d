"""Test helper: a built page as a small element tree, to find elements by id, class or
tag and read their text and links (the goal and resource page tests)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join("".join(parts).split())

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str = "", *, cls: str = "") -> list[Element]:
        return [
            e for e in self.iter() if (not tag or e.tag == tag) and (not cls or cls in e.classes)
        ]

    def find(self, tag: str = "", *, cls: str = "") -> Element:
        found = self.find_all(tag, cls=cls)
        assert found, f"no <{tag or '*'}> with class {cls!r}"
        return found[0]

    def section(self, heading_id: str) -> Element:
        """The `<section>` labelled by the heading with that id."""
        for e in self.find_all("section"):
            if e.attrs.get("aria-labelledby") == heading_id:
                return e
        raise AssertionError(f"no section labelled by #{heading_id}")

    def items(self) -> list[Element]:
        """The `<li>` children of this list."""
        return [c for c in self.children if isinstance(c, Element) and c.tag == "li"]

    def hrefs(self) -> list[str]:
        return [e.attrs["href"] for e in self.find_all("a") if "href" in e.attrs]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def page(out: Path, permalink: str) -> Element:
    """The `<main>` of the built page at `permalink` (`goals/a/`)."""
    return parse((out / permalink / "index.html").read_text(encoding="utf-8")).find("main")
