"""Benchmark corpus: deterministic, realistic Markdown for synthetic daily logs.

Everything here draws from a caller-supplied `random.Random`, so a seed gives the same
text on every machine and Python version (only `random()`, `randint()`, `choice()`,
`sample()` and `shuffle()` are used; their sequences are stable across CPython 3.x).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

TAG_POOL: tuple[str, ...] = (
    "rust", "python", "go", "javascript", "typescript", "sql", "postgres", "sqlite",
    "redis", "kafka", "docker", "kubernetes", "linux", "networking", "security",
    "testing", "performance", "profiling", "compilers", "parsing", "databases",
    "distributed-systems", "concurrency", "async", "web", "css", "html", "accessibility",
    "devops", "ci", "git", "algorithms", "data-structures", "machine-learning",
    "observability", "api-design", "refactoring", "career", "reading", "learning",
)  # fmt: skip

LANGUAGES: tuple[str, ...] = ("python", "rust", "sql", "js", "go", "bash")

_NOUNS = (
    "parser", "lexer", "query planner", "index", "cache", "scheduler", "allocator",
    "borrow checker", "event loop", "worker pool", "connection pool", "migration",
    "test suite", "build script", "pipeline", "benchmark", "trace", "flame graph",
    "hash map", "b-tree", "bloom filter", "ring buffer", "state machine", "protocol",
    "handshake", "retry policy", "rate limiter", "feature flag", "config loader",
    "error type", "iterator", "closure", "trait object", "generic", "macro", "lifetime",
    "transaction", "lock", "deadlock", "race condition", "memory leak", "syscall",
    "socket", "buffer", "checksum", "schema", "endpoint", "middleware", "template",
)  # fmt: skip
_VERBS = (
    "refactored", "profiled", "rewrote", "debugged", "measured", "simplified", "tested",
    "benchmarked", "documented", "traced", "split", "merged", "replaced", "reviewed",
    "sketched", "ported", "fixed", "tuned", "inlined", "removed", "cached", "validated",
)  # fmt: skip
_ADJECTIVES = (
    "slow", "fast", "flaky", "subtle", "surprising", "tiny", "huge", "naive", "clever",
    "fragile", "robust", "lazy", "eager", "hot", "cold", "stale", "concurrent", "nested",
)  # fmt: skip
_FILLER = (
    "the", "a", "this", "that", "it", "then", "so", "because", "when", "after", "before",
    "while", "and", "but", "with", "without", "into", "from", "over", "under", "about",
    "today", "again", "finally", "still", "only", "really", "almost", "much", "more",
    "less", "every", "some", "all", "each", "which", "turned", "out", "made", "took",
    "found", "noticed", "learned", "tried", "wanted", "needed", "seems", "looks",
)  # fmt: skip
_TITLE_PATTERNS = (
    "{Verb} the {noun}",
    "Why the {noun} was {adj}",
    "A {adj} {noun}",
    "{Verb} a {adj} {noun}",
    "Notes on the {noun}",
    "The {noun} and the {noun2}",
    "Learning about the {noun}",
    "{Verb} the {noun2} again",
)
_EXTERNAL = (
    "https://doc.rust-lang.org/book/",
    "https://docs.python.org/3/library/asyncio.html",
    "https://www.postgresql.org/docs/current/using-explain.html",
    "https://go.dev/blog/pipelines",
    "https://developer.mozilla.org/en-US/docs/Web/JavaScript",
    "https://jvns.ca/",
    "https://www.sqlite.org/queryplanner.html",
)


@dataclass(frozen=True)
class LogRef:
    """What a log body needs to link to another log: its file name and title."""

    file_name: str
    title: str


def make_title(rng: random.Random) -> str:
    """A plausible log title, e.g. "Why the query planner was slow"."""
    pattern = rng.choice(_TITLE_PATTERNS)
    verb = rng.choice(_VERBS)
    return pattern.format(
        Verb=verb.capitalize(),
        noun=rng.choice(_NOUNS),
        noun2=rng.choice(_NOUNS),
        adj=rng.choice(_ADJECTIVES),
    )


def _sentence(rng: random.Random, words: int) -> str:
    parts: list[str] = []
    for _ in range(words):
        roll = rng.random()
        if roll < 0.55:
            parts.append(rng.choice(_FILLER))
        elif roll < 0.75:
            parts.append(rng.choice(_NOUNS))
        elif roll < 0.88:
            parts.append(rng.choice(_VERBS))
        elif roll < 0.94:
            parts.append(rng.choice(_ADJECTIVES))
        elif roll < 0.97:
            parts.append(f"`{rng.choice(_NOUNS).replace(' ', '_')}()`")
        else:
            parts.append(f"**{rng.choice(_ADJECTIVES)}**")
    text = " ".join(parts)
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", "!", "?"))


def _paragraph(rng: random.Random, words: int, links: Sequence[LogRef]) -> str:
    sentences: list[str] = []
    remaining = words
    while remaining > 0:
        n = min(remaining, rng.randint(6, 18))
        sentences.append(_sentence(rng, n))
        remaining -= n
    if links and rng.random() < 0.5:
        ref = rng.choice(links)
        sentences.insert(rng.randint(0, len(sentences)), f"Also [see]({ref.file_name}).")
    if rng.random() < 0.15:
        sentences.append(f"More in [the docs]({rng.choice(_EXTERNAL)}).")
    return " ".join(sentences)


def _bullet_list(rng: random.Random) -> tuple[str, int]:
    items = rng.randint(3, 6)
    style = rng.choice(("- ", "1. ", "- [ ] "))
    lines: list[str] = []
    words = 0
    for index in range(items):
        n = rng.randint(4, 10)
        words += n
        text = _sentence(rng, n)
        if style == "1. ":
            lines.append(f"{index + 1}. {text}")
        elif style == "- [ ] ":
            mark = "x" if rng.random() < 0.5 else " "
            lines.append(f"- [{mark}] {text}")
        else:
            lines.append(f"- {text}")
    return "\n".join(lines), words


def _table(rng: random.Random) -> tuple[str, int]:
    columns = rng.randint(3, 4)
    header = ["case", "before (ms)", "after (ms)", "notes"][:columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * columns]
    words = 0
    for _ in range(rng.randint(3, 7)):
        before = rng.randint(5, 900)
        cells = [rng.choice(_NOUNS), str(before), str(max(1, before - rng.randint(0, before)))]
        if columns == 4:
            cells.append(rng.choice(_ADJECTIVES))
        words += columns
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines), words


def _ident(rng: random.Random) -> str:
    return rng.choice(_NOUNS).replace(" ", "_").replace("-", "_")


_CodeLine = Callable[[random.Random], str]


def _fill(rng: random.Random, out: list[str], body: Sequence[_CodeLine], limit: int) -> None:
    """Append random body lines until `out` holds `limit` lines; `body[0]` must be one line."""
    count = sum(part.count("\n") + 1 for part in out)
    while count < limit:
        snippet = rng.choice(body)(rng)
        height = snippet.count("\n") + 1
        if count + height > limit:
            snippet, height = body[0](rng), 1
        out.append(snippet)
        count += height


def _python(rng: random.Random, lines: int) -> list[str]:
    body: list[_CodeLine] = [
        lambda r: f"    {_ident(r)} = {_ident(r)}.get({r.randint(0, 99)!r})",
        lambda r: f"    if {_ident(r)} is None:\n        return []",
        lambda r: f"    for item in {_ident(r)}:\n        total += len(item)",
        lambda r: f'    log.debug("{r.choice(_ADJECTIVES)} path: %s", {_ident(r)})',
        lambda r: f"    result.append({{'name': {_ident(r)!r}, 'size': {r.randint(1, 512)}}})",
    ]
    out = ["import logging", "", f"def load_{_ident(rng)}(path: str) -> list[dict]:"]
    out.append("    total = 0\n    result = []")
    _fill(rng, out, body, lines - 1)
    out.append("    return result")
    return out


def _rust(rng: random.Random, lines: int) -> list[str]:
    body: list[_CodeLine] = [
        lambda r: f"    let {_ident(r)} = input.len() * {r.randint(2, 64)};",
        lambda r: f"    if {_ident(r)}.is_empty() {{\n        return Err(Error::Empty);\n    }}",
        lambda r: f'    println!("{{}} items", {_ident(r)}.len());',
        lambda r: (
            "    for (i, b) in input.iter().enumerate() {\n"
            f"        acc ^= (*b as u64) << (i % {r.randint(8, 56)});\n    }}"
        ),
        lambda r: f"    let {_ident(r)}: Vec<u8> = Vec::with_capacity({r.randint(8, 4096)});",
    ]
    signature = f"fn {_ident(rng)}(input: &[u8]) -> Result<u64, Error> {{"
    out = ["use std::collections::HashMap;", "", signature]
    out.append("    let mut acc: u64 = 0;")
    _fill(rng, out, body, lines - 2)
    out += ["    Ok(acc)", "}"]
    return out


def _sql(rng: random.Random, lines: int) -> list[str]:
    table = _ident(rng) + "s"
    out = [f"CREATE TABLE {table} (", "    id BIGSERIAL PRIMARY KEY,"]
    out.append(f"    name TEXT NOT NULL,\n    size INTEGER DEFAULT {rng.randint(0, 9)}\n);")
    out.append(f"CREATE INDEX {table}_name_idx ON {table} (name);")
    while len("\n".join(out).splitlines()) < lines - 3:
        values = f"('{_ident(rng)}', {rng.randint(1, 999)})"
        out.append(f"INSERT INTO {table} (name, size) VALUES {values};")
    out += [
        f"SELECT name, count(*) AS n FROM {table}",
        f"WHERE size > {rng.randint(1, 500)} GROUP BY name",
        "ORDER BY n DESC LIMIT 10;",
    ]
    return out


def _js(rng: random.Random, lines: int) -> list[str]:
    body: list[_CodeLine] = [
        lambda r: f"  const {_ident(r)} = await fetch(`/api/{_ident(r)}?page=${{page}}`);",
        lambda r: f"  if (!{_ident(r)}) {{\n    return null;\n  }}",
        lambda r: f"  items.push({{ id: {r.randint(1, 999)}, label: '{r.choice(_ADJECTIVES)}' }});",
        lambda r: f"  console.log('{r.choice(_VERBS)}', items.length);",
    ]
    out = ["'use strict';", "", f"export async function {_ident(rng)}(page = 1) {{"]
    out.append("  const items = [];")
    _fill(rng, out, body, lines - 2)
    out += ["  return items;", "}"]
    return out


def _go(rng: random.Random, lines: int) -> list[str]:
    body: list[_CodeLine] = [
        lambda r: f"\t{_ident(r)} := make([]byte, {r.randint(8, 4096)})",
        lambda r: "\tif err != nil {\n\t\treturn 0, err\n\t}",
        lambda r: f'\tfmt.Printf("%d {r.choice(_NOUNS)}s\\n", n)',
        lambda r: f"\tfor i := 0; i < {r.randint(2, 100)}; i++ {{\n\t\tn += i\n\t}}",
    ]
    out = ["package main", "", 'import "fmt"', "", f"func {_ident(rng)}() (int, error) {{"]
    out.append("\tvar err error\n\tn := 0")
    _fill(rng, out, body, lines - 2)
    out += ["\treturn n, err", "}"]
    return out


def _bash(rng: random.Random, lines: int) -> list[str]:
    body: list[_CodeLine] = [
        lambda r: f'echo "{r.choice(_VERBS)} {r.choice(_NOUNS)}"',
        lambda r: f"cargo build --release -j {r.randint(1, 8)}",
        lambda r: f"grep -rn '{_ident(r)}' src/ | wc -l",
        lambda r: f'for f in logs/*.md; do\n  wc -w "$f"\ndone | sort -n | tail -{r.randint(3, 9)}',
        lambda r: f"export {_ident(r).upper()}={r.randint(0, 1)}",
    ]
    out = ["#!/usr/bin/env bash", "set -euo pipefail"]
    _fill(rng, out, body, lines)
    return out


_CODE = {"python": _python, "rust": _rust, "sql": _sql, "js": _js, "go": _go, "bash": _bash}


def code_block(rng: random.Random) -> str:
    """One fenced code block of 10-20 lines in one of `LANGUAGES`."""
    language = rng.choice(LANGUAGES)
    lines = rng.randint(10, 20)
    text = "\n".join(_CODE[language](rng, lines))
    return f"```{language}\n{text}\n```"


def make_body(rng: random.Random, links: Sequence[LogRef]) -> str:
    """A log body of 300-800 prose words with lists, maybe a table, one fenced block.

    Args:
        rng: the seeded generator.
        links: older logs this body may link to (`[see](YYYY-MM-DD-slug.md)`).
    """
    target = rng.randint(300, 800)
    has_table = rng.random() < 0.3
    blocks: list[str] = []
    words = 0
    first = rng.randint(40, 90)
    blocks.append(_paragraph(rng, first, links))
    words += first
    extras: list[str] = ["code", "list"]
    if has_table:
        extras.append("table")
    if rng.random() < 0.4:
        extras.append("list")
    if rng.random() < 0.3:
        extras.append("quote")
    rng.shuffle(extras)
    heading_used = False
    while words < target or extras:
        if extras and (words >= target or rng.random() < 0.35):
            kind = extras.pop()
            if kind == "code":
                blocks.append(code_block(rng))
            elif kind == "table":
                text, n = _table(rng)
                blocks.append(text)
                words += n
            elif kind == "list":
                text, n = _bullet_list(rng)
                blocks.append(text)
                words += n
            else:
                n = rng.randint(10, 25)
                blocks.append("> " + _sentence(rng, n))
                words += n
            continue
        if not heading_used or rng.random() < 0.2:
            heading_used = True
            blocks.append(f"## {make_title(rng)}")
        n = min(max(target - words, 20), rng.randint(40, 110))
        blocks.append(_paragraph(rng, n, links))
        words += n
    if rng.random() < 0.1:
        blocks[0] += "[^1]"
        blocks.append(f"[^1]: {_sentence(rng, 8)}")
    return "\n\n".join(blocks) + "\n"
