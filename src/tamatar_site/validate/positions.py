"""Validate stage: turn pydantic validation errors into positioned, readable diagnostics."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from tamatar_site.diagnostics import Diagnostics, did_you_mean
from tamatar_site.load.yamlpos import ParsedYaml
from tamatar_site.validate.schemas import field_names_at


def report_validation_error(
    error: ValidationError,
    schema: type[BaseModel],
    parsed: ParsedYaml,
    path: str,
    diagnostics: Diagnostics,
) -> None:
    """Add one diagnostic per pydantic error, placed at the key (or list item) it concerns;
    a document with no nodes at all (an empty front matter) is pointed at at its line 1."""
    # a value the YAML walker already rejected (a bad date, say) is reported only once
    rejected = {(issue.line, issue.column) for issue in parsed.issues}
    details = error.errors(include_url=False)
    # a misspelt key (`titel`) also makes the key it was meant to be (`title`) missing:
    # one mistake, one diagnostic
    meant = {
        (*detail["loc"][:-1], suggestion)
        for detail in details
        if detail["type"] == "extra_forbidden"
        for suggestion in close_keys(str(detail["loc"][-1]), schema, tuple(detail["loc"][:-1]))
    }
    for detail in details:
        loc = tuple(detail["loc"])
        if rejected and parsed.value_position(loc) in rejected:
            continue
        if detail["type"] == "missing" and loc in meant:
            continue
        line, column = (1, 1) if parsed.root is None else parsed.position(loc)
        diagnostics.error(path, line, column, describe_error(detail, schema))


def close_keys(key: str, schema: type[BaseModel], parent: tuple[str | int, ...]) -> list[str]:
    """The allowed key at `parent` that `key` is probably a misspelling of, if any."""
    return difflib.get_close_matches(key, field_names_at(schema, parent), n=1, cutoff=0.6)


def describe_error(detail: ErrorDetails, schema: type[BaseModel]) -> str:
    """One sentence for one pydantic error, naming the key as the user wrote it."""
    loc = tuple(detail["loc"])
    kind = detail["type"]
    value = detail.get("input")
    context: Mapping[str, Any] = detail.get("ctx") or {}
    name = _dotted(loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        where = f" in `{_dotted(loc[:-1])}`" if len(loc) > 1 else ""
        return f"unknown key `{key}`{where}" + did_you_mean(key, field_names_at(schema, loc[:-1]))
    if kind == "missing":
        where = f" in `{_dotted(loc[:-1])}`" if len(loc) > 1 else ""
        return f"missing required key `{loc[-1]}`{where}"
    subject = f"`{name}`" if name else "the file"
    got = f" (got {_show(value)})"
    if kind == "value_error":
        reason = str(context.get("error", detail["msg"]))
        if reason.startswith(("must ", "is ", "contains ")):
            return f"{subject} {reason}"
        return f"{subject}: {reason}"
    if kind in ("less_than_equal", "less_than"):
        return f"{subject} must be at most {_bound(context.get('le', context.get('lt')))}{got}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{subject} must be at least {_bound(context.get('ge', context.get('gt')))}{got}"
    if kind == "multiple_of":
        return f"{subject} must be a multiple of {_bound(context.get('multiple_of'))}{got}"
    if kind == "literal_error":
        expected = str(context.get("expected", "")).replace("'", "")
        hint = did_you_mean(str(value), expected.replace(" or ", ", ").split(", "))
        return f"{subject} must be one of {expected}{got}{hint}"
    if kind == "string_too_long":
        length = len(value) if isinstance(value, str) else "too many"
        return (
            f"{subject} is {length} characters long; the limit is "
            f"{context.get('max_length')} (see Limits in the README)"
        )
    if kind == "too_long":
        limit = context.get("max_length")
        return (
            f"{subject} has {context.get('actual_length')} items; the limit is {limit} "
            "(see Limits in the README)"
        )
    if kind.startswith("int_"):
        return f"{subject} must be a whole number{got}"
    if kind.startswith("float_"):
        return f"{subject} must be a number{got}"
    if kind.startswith("bool_"):
        return f"{subject} must be true or false{got}"
    if kind.startswith("string_"):
        quote = "; put it in quotes to make it text" if isinstance(value, int | float) else ""
        return f"{subject} must be text{got}{quote}"
    if kind in ("list_type", "tuple_type"):
        return f"{subject} must be a list{got}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        if not name:
            return "the file must be a YAML mapping of keys to values" + got
        return f"{subject} must be a mapping of keys to values{got}"
    if kind.startswith("url_"):
        return f"{subject} is not a valid URL: {detail['msg'].lower()}{got}"
    message = detail["msg"]
    return f"{subject}: {message[:1].lower()}{message[1:]}{got}"


def _dotted(loc: tuple[str | int, ...]) -> str:
    text = ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
        elif "[" in step or "(" in step:
            continue  # pydantic's name for a union member, not a key the user wrote
        else:
            text += f".{step}" if text else step
    return text


def _show(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return f"`{value if len(value) <= 40 else value[:39] + '…'}`"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"`{type(value).__name__}`"


def _bound(value: object) -> object:
    """A schema's limit as written: `5`, not the `5.0` of a float field."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
