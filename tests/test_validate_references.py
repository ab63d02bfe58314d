"""Slugs, tags and the dependency graph helpers."""

from __future__ import annotations

import pytest

from tamatar_site.model import tag_slug
from tamatar_site.validate.references import (
    SlugIndex,
    TagRegistry,
    check_dependency_cycles,
    split_date_prefix,
)


@pytest.mark.parametrize(
    "raw, slug",
    [
        ("Rust", "rust"),
        (" rust ", "rust"),
        ("Machine Learning", "machine-learning"),
        ("machine_learning", "machine-learning"),
        ("C++", "c-plus-plus"),
        ("C#", "c-sharp"),
        ("node.js", "node-js"),
        ("日本語", "日本語"),
        ("!!!", ""),
        ("", ""),
    ],
)
def test_tag_slug(raw: str, slug: str) -> None:
    assert tag_slug(raw) == slug


def test_tag_registry_keeps_the_first_form_and_prefers_logs() -> None:
    registry = TagRegistry()
    from_goal = registry.tag("rust")
    assert from_goal is not None and from_goal.name == "rust"
    assert registry.tag("Rust", from_log=True) == registry.tag("RUST", from_log=True)
    assert registry.names == {"rust": "Rust"}
    assert registry.rename((from_goal,))[0].name == "Rust"
    assert registry.tag("  ") is None


def test_split_date_prefix() -> None:
    assert split_date_prefix("2026-11-21-lifetimes") == ("2026-11-21", "lifetimes")
    assert split_date_prefix("2026-11-21") == (None, "2026-11-21")
    assert split_date_prefix("notes") == (None, "notes")


def test_slug_index() -> None:
    index = SlugIndex("project")
    assert index.claim("kv", "projects/kv.yaml") is None
    assert index.claim("kv", "projects/kv.yaml") is None  # the same file again is fine
    assert index.claim("kv", "projects/kv.yml") == (
        "duplicate project slug `kv`: projects/kv.yaml uses it already"
    )
    assert index.unknown("kv") is None
    assert index.unknown("kvs") == "unknown project `kvs` (did you mean `kv`?)"


def _cycles(graph: dict[str, list[str]]) -> list[tuple[str, int, str]]:
    found: list[tuple[str, int, str]] = []
    check_dependency_cycles(graph, lambda slug, i, message: found.append((slug, i, message)))
    return found


def test_no_cycles_in_a_dag() -> None:
    assert _cycles({"a": ["b", "c"], "b": ["c"], "c": [], "d": ["a", "zzz"]}) == []


def test_each_cycle_reported_once_at_the_closing_edge() -> None:
    graph = {"a": ["b"], "b": ["c"], "c": ["a"], "x": ["x"], "p": ["q"], "q": ["p", "a"]}
    assert _cycles(graph) == [
        ("c", 0, "goal dependency cycle: a -> b -> c -> a"),
        ("q", 0, "goal dependency cycle: p -> q -> p"),
        ("x", 0, "goal dependency cycle: x -> x"),
    ]


def test_long_chains_do_not_recurse() -> None:
    graph = {f"g{i}": [f"g{i + 1}"] for i in range(50_000)}
    graph["g50000"] = ["g0"]
    [(slug, index, message)] = _cycles(graph)
    assert (slug, index) == ("g50000", 0)
    assert message.startswith("goal dependency cycle: g0 -> g1 -> ")
