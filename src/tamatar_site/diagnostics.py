"""Diagnostics: the one record type for problems in user content, and helpers to make them."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at a 1-based line and column of a file relative to the site."""

    path: str
    line: int
    column: int
    severity: Severity
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def to_json(self) -> dict[str, str | int]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class Diagnostics:
    """Collects diagnostics from every stage; stages add to it instead of raising."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int, column: int, message: str) -> None:
        self.items.append(
            Diagnostic(_one_line(path), max(line, 1), max(column, 1), "error", _one_line(message))
        )

    def warning(self, path: str, line: int, column: int, message: str) -> None:
        message = _one_line(message)
        self.items.append(
            Diagnostic(_one_line(path), max(line, 1), max(column, 1), "warning", message)
        )

    def strict(self) -> Diagnostics:
        """The same diagnostics with every warning made an error (`--strict`)."""
        return Diagnostics([replace(d, severity="error") for d in self.items])

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        """Unique diagnostics ordered by path, line, column, then errors before warnings."""
        unique = set(self.items)
        return sorted(unique, key=lambda d: (d.path, d.line, d.column, d.severity, d.message))

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(set(self.items))


def _one_line(message: str) -> str:
    """`message` (or a file name) with control and invisible characters (a newline in a
    quoted value, U+202E) written as escapes, so that every diagnostic stays one line."""
    if message.isprintable():
        return message
    return "".join(
        character if character.isprintable() else repr(character)[1:-1] for character in message
    )


def format_text(diagnostics: Sequence[Diagnostic]) -> str:
    return "\n".join(d.format() for d in diagnostics)


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diagnostics], indent=2)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ' (did you mean `x`?)' for the closest candidate, or ''."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean `{matches[0]}`?)" if matches else ""
