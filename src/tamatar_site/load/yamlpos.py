"""Load stage: parse YAML into plain values while keeping node positions for diagnostics.

The text is composed into a node graph (with libyaml when present), then turned into Python
values by a small walker that also enforces limits: aliases can make a tiny file expand into
billions of nodes (the "billion laughs"), so the walker counts every node it produces and stops
at `MAX_NODES`; nesting deeper than `MAX_DEPTH` (or a recursive alias) stops it too. Positions
are looked up lazily from the kept root node, only when a diagnostic needs one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

try:  # libyaml is 3-4x faster; fall back to the pure-Python parser where it is missing
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_NODES = 200_000
MAX_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "binary")
)
_CONSTRUCTOR = SafeConstructor()
_INT = "tag:yaml.org,2002:int"
_DECIMAL = frozenset("0123456789_")

Loc = Sequence[str | int]


@dataclass(frozen=True)
class YamlIssue:
    """A problem found while parsing, at a 1-based line and column of the file."""

    line: int
    column: int
    message: str


@dataclass
class ParsedYaml:
    """Parsed YAML: the value (None after a syntax error), its root node and the problems."""

    data: Any
    root: Node | None
    line_offset: int = 0
    issues: list[YamlIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    def position(self, loc: Loc) -> tuple[int, int]:
        """1-based (line, column) of the deepest node along `loc` (keys and list indexes).

        A mapping member points at its key, a list item at the item; the walk stops at the
        first step that does not exist (a missing key points at its parent).
        """
        node = self.root
        if node is None:
            return self.line_offset + 1, 1
        line, column = node.start_mark.line, node.start_mark.column
        for step in loc:
            if isinstance(node, MappingNode) and isinstance(step, str):
                for key_node, value_node in reversed(node.value):
                    if isinstance(key_node, ScalarNode) and key_node.value == step:
                        line, column = key_node.start_mark.line, key_node.start_mark.column
                        node = value_node
                        break
                else:
                    break
            elif isinstance(node, SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    break
                node = node.value[step]
                line, column = node.start_mark.line, node.start_mark.column
            else:
                break
        return line + 1 + self.line_offset, column + 1

    def value_position(self, loc: Loc) -> tuple[int, int]:
        """Like `position`, but a mapping member points at its value instead of its key."""
        node = self.root
        for step in loc:
            child: Node | None = None
            if isinstance(node, MappingNode) and isinstance(step, str):
                for key_node, value_node in reversed(node.value):
                    if isinstance(key_node, ScalarNode) and key_node.value == step:
                        child = value_node
                        break
            elif isinstance(node, SequenceNode) and isinstance(step, int):
                child = node.value[step] if 0 <= step < len(node.value) else None
            if child is None:
                return self.position(loc)
            node = child
        if node is None:
            return self.line_offset + 1, 1
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1


class _LimitExceeded(Exception):
    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


def parse_yaml(text: str, *, line_offset: int = 0) -> ParsedYaml:
    """Parse one YAML document; never raises for bad input.

    Args:
        text: the YAML source.
        line_offset: lines before `text` in its file (front matter starts after `---`).
    """
    result = ParsedYaml(data=None, root=None, line_offset=line_offset)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError) as exc:
        # libyaml (from PyYAML 6.0.4) has its own nesting cap and the pure-Python composer
        # recurses once per level: either can fail before our walker sees the depth, so the
        # tokens are scanned again to report tamatar's limit at the node that exceeds it.
        deep = _too_deep_at(text) if _about_nesting(exc) else None
        if deep is not None:
            line, column = deep
            message = f"YAML nesting is deeper than {MAX_DEPTH} levels"
            result.issues.append(YamlIssue(line + 1 + line_offset, column + 1, message))
            return result
        if isinstance(exc, yaml.MarkedYAMLError):
            return _syntax_error(result, exc, line_offset)
        if isinstance(exc, ReaderError):
            return _bad_character(result, exc, text, line_offset)
        return _unreadable(result, exc, line_offset)
    except (MemoryError, ValueError) as exc:
        return _unreadable(result, exc, line_offset)
    if root is None:
        return result
    result.root = root
    walker = _Walker(result)
    try:
        result.data = walker.build(root, 0)
    except _LimitExceeded as exc:
        result.data = None
        mark = exc.node.start_mark
        result.issues.append(YamlIssue(mark.line + 1 + line_offset, mark.column + 1, exc.message))
    return result


def _syntax_error(result: ParsedYaml, exc: yaml.MarkedYAMLError, line_offset: int) -> ParsedYaml:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line, mark.column) if mark is not None else (0, 0)
    message = f"invalid YAML: {exc.problem or exc.context or 'unreadable input'}"
    start = exc.context_mark
    if exc.problem and exc.context and start is not None:
        # "while parsing a flow sequence": say where the unfinished thing began
        where = f"line {start.line + 1 + line_offset}, column {start.column + 1}"
        message += f" ({exc.context} from {where})"
    result.issues.append(YamlIssue(line + 1 + line_offset, column + 1, message))
    return result


def _bad_character(result: ParsedYaml, exc: ReaderError, text: str, line_offset: int) -> ParsedYaml:
    """A control character: its own position, in a one-line message (PyYAML's has two)."""
    position = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, position)
    column = position - (text.rfind("\n", 0, position) + 1)
    character = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "?")
    message = f"invalid YAML: {exc.reason}: U+{character:04X}"
    result.issues.append(YamlIssue(line + 1 + line_offset, column + 1, message))
    return result


def _unreadable(result: ParsedYaml, exc: BaseException, line_offset: int) -> ParsedYaml:
    first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    result.issues.append(YamlIssue(line_offset + 1, 1, f"invalid YAML: {first_line}"))
    return result


def _about_nesting(exc: BaseException) -> bool:
    if isinstance(exc, RecursionError):
        return True
    words = str(getattr(exc, "problem", None) or exc).lower()
    return "nesting" in words or "depth" in words


_OPENING = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSING = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _too_deep_at(text: str) -> tuple[int, int] | None:
    """0-based (line, column) of the first collection nested deeper than `MAX_DEPTH`, or None.

    Uses the pure-Python scanner, which has no nesting cap of its own and does not recurse;
    it is slow (about 20 s a MB), so it runs only after PyYAML stopped on nesting, and it
    stops at the first collection too deep.
    """
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, _OPENING):
                depth += 1
                # the walker counts the root collection as depth 0
                if depth - 1 > MAX_DEPTH:
                    return token.start_mark.line, token.start_mark.column
            elif isinstance(token, _CLOSING):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


class _Walker:
    """Turns a node graph into plain values, counting nodes so aliases cannot explode."""

    def __init__(self, result: ParsedYaml) -> None:
        self.result = result
        self.count = 0
        # aliased nodes sit where their anchor is, so a limit hit is reported at the
        # top-level key whose value grew too large instead
        self.top_key: Node | None = None

    def issue(self, node: Node, message: str) -> None:
        mark = node.start_mark
        offset = self.result.line_offset
        self.result.issues.append(YamlIssue(mark.line + 1 + offset, mark.column + 1, message))

    def build(self, node: Node, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            message = (
                f"YAML document is too large: more than {MAX_NODES} values (too many aliases?)"
            )
            raise _LimitExceeded(self.top_key or node, message)
        if depth > MAX_DEPTH:
            raise _LimitExceeded(node, f"YAML nesting is deeper than {MAX_DEPTH} levels")
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self.issue(node, f"unsupported YAML tag `{node.tag}`")
            return [self.build(item, depth + 1) for item in node.value]
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                self.issue(node, f"unsupported YAML tag `{node.tag}`")
            return self.mapping(node, depth)
        return None  # pragma: no cover - compose yields only the three node kinds

    def scalar(self, node: ScalarNode) -> Any:
        if node.tag == _STR:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self.issue(node, f"unsupported YAML tag `{node.tag}`")
            return node.value
        try:
            value = _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        except (ValueError, OverflowError, TypeError, yaml.YAMLError) as exc:
            what = "date" if node.tag.endswith("timestamp") else "value"
            self.issue(node, f"`{_short(node.value)}` is not a valid {what}: {exc}")
            return node.value
        if node.tag == _INT and not _is_decimal(node.value):
            # YAML 1.1 reads 0x5, 017, 0b101 and 1:30 as numbers; nobody means that here
            self.issue(
                node,
                f"`{_short(node.value)}` is read as the number {value}: write numbers in "
                "decimal, or put text in quotes",
            )
        return value

    def mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        values: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            if not isinstance(key_node, ScalarNode):
                self.issue(key_node, "a key must be a plain word, not a list or mapping")
                continue
            key = key_node.value
            if key in values:
                self.issue(
                    key_node, f"duplicate key `{key}` (first given on line {first_line[key]})"
                )
            else:
                first_line[key] = key_node.start_mark.line + 1 + self.result.line_offset
            if depth == 0:
                self.top_key = key_node
            values[key] = self.build(value_node, depth + 1)
        for merge in merges:  # `<<: *defaults` - explicit keys win over merged ones
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for source in sources:
                merged = self.build(source, depth + 1)
                if not isinstance(merged, dict):
                    self.issue(source, "`<<` merges only mappings")
                    continue
                for key, value in merged.items():
                    values.setdefault(key, value)
        return values


def _is_decimal(text: str) -> bool:
    """`5`, `-12`, `1_000`: not 0x5, 017 (octal), 0b101 or 1:30 (base 60)."""
    digits = text[1:] if text[:1] in "+-" else text
    return (
        bool(digits)
        and set(digits) <= _DECIMAL
        and digits[0] != "_"
        and (digits == "0" or digits[0] != "0")
    )


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
