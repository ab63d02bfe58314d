"""Validate stage: slugs, tags, duplicate detection, cross references and dependency cycles."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence

from tamatar_site.diagnostics import did_you_mean
from tamatar_site.model import Tag, tag_slug

_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
_SPACES = re.compile(r"\s+")


def split_date_prefix(stem: str) -> tuple[str | None, str]:
    """`2026-11-21-lifetimes` -> ("2026-11-21", "lifetimes"); no prefix -> (None, stem)."""
    match = _DATE_PREFIX.match(stem)
    if match is None:
        return None, stem
    return match.group(1), match.group(2)


@functools.lru_cache(maxsize=4096)
def _shared_tag(slug: str, name: str) -> Tag:
    """One Tag object per (slug, name): equal tags of different builds are the same object,
    which makes comparing a log's tags with an earlier build's nearly free."""
    return Tag(slug=slug, name=name)


class TagRegistry:
    """Normalises tags site-wide and names each tag by the first display form seen.

    Logs are read last but name tags first: a form used in a log (the first log by path)
    wins over forms seen in goals and snippets, whose tags `rename` then updates.
    """

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self._named_by_log: set[str] = set()

    def tag(self, raw: str, *, from_log: bool = False) -> Tag | None:
        slug = tag_slug(raw)
        if not slug:
            return None
        name = self.names.get(slug)
        if name is None or (from_log and slug not in self._named_by_log):
            name = self.names[slug] = _SPACES.sub(" ", raw.strip())
        if from_log:
            self._named_by_log.add(slug)
        return _shared_tag(slug, name)

    def rename(self, tags: tuple[Tag, ...]) -> tuple[Tag, ...]:
        """The same tags carrying their final display names."""
        return tuple(Tag(slug=tag.slug, name=self.names[tag.slug]) for tag in tags)


class SlugIndex:
    """The slugs of one kind with the file that claimed each first."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.sources: dict[str, str] = {}

    def claim(self, slug: str, source: str) -> str | None:
        """Record `slug` for `source`; on a duplicate return an error message instead."""
        first = self.sources.setdefault(slug, source)
        if first == source:
            return None
        return f"duplicate {self.kind} slug `{slug}`: {first} uses it already"

    def unknown(self, slug: str) -> str | None:
        """None if `slug` exists, else a message with a suggestion."""
        if slug in self.sources:
            return None
        return f"unknown {self.kind} `{slug}`" + did_you_mean(slug, self.sources)


def check_dependency_cycles(
    depends_on: Mapping[str, Sequence[str]],
    report: Callable[[str, int, str], None],
) -> None:
    """Report every cycle in the goal graph once, at the edge that closes it.

    Args:
        depends_on: goal slug -> slugs it depends on (only known goals).
        report: called with (goal slug, index in its depends_on, message).
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for start in sorted(depends_on):
        if state.get(start):
            continue
        # iterative DFS: (node, next edge index); `path` mirrors the stack
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        state[start] = 1
        while stack:
            node, index = stack[-1]
            edges = depends_on.get(node, ())
            if index >= len(edges):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, index + 1)
            target = edges[index]
            if target not in depends_on:
                continue
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                report(node, index, "goal dependency cycle: " + " -> ".join(cycle))
            elif not state.get(target):
                state[target] = 1
                stack.append((target, 0))
                path.append(target)
