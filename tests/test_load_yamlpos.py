"""parse_yaml: values, node positions, limits against alias bombs and deep nesting."""

from __future__ import annotations

import datetime as dt

from tamatar_site.load import MAX_DEPTH, parse_yaml


def test_values_are_plain_python() -> None:
    parsed = parse_yaml(
        "title: Hi\nmood: 7\nok: true\nnothing: ~\nday: 2026-11-21\n"
        "when: 2026-11-21 10:30:00+05:30\ntags: [a, b]\n"
    )
    assert parsed.ok
    assert parsed.data == {
        "title": "Hi",
        "mood": 7,
        "ok": True,
        "nothing": None,
        "day": dt.date(2026, 11, 21),
        "when": dt.datetime(2026, 11, 21, 5, 0, tzinfo=dt.UTC),
        "tags": ["a", "b"],
    }


def test_keys_stay_text_even_when_they_look_like_other_types() -> None:
    assert parse_yaml("yes: 1\n2026-01-01: x\n").data == {"yes": 1, "2026-01-01": "x"}


def test_position_points_at_keys_and_list_items() -> None:
    parsed = parse_yaml("title: A\nsteps:\n  - title: one\n  - title: two\n    done: yes\n")
    assert parsed.position(("title",)) == (1, 1)
    assert parsed.position(("steps",)) == (2, 1)
    assert parsed.position(("steps", 1)) == (4, 5)
    assert parsed.position(("steps", 1, "done")) == (5, 5)


def test_position_of_something_missing_is_its_parent() -> None:
    parsed = parse_yaml("title: A\nsteps:\n  - title: one\n")
    assert parsed.position(("steps", 0, "resource")) == (3, 5)
    assert parsed.position(("steps", 7)) == (2, 1)
    assert parsed.position(("nope",)) == (1, 1)


def test_value_position_points_at_the_value() -> None:
    parsed = parse_yaml("date:   2026-13-01\n")
    assert parsed.value_position(("date",)) == (1, 9)


def test_line_offset_shifts_every_position() -> None:
    parsed = parse_yaml("title: A\nmood: x\n", line_offset=1)
    assert parsed.position(("mood",)) == (3, 1)
    broken = parse_yaml("title: [a\n", line_offset=1)
    assert broken.issues[0].line == 3


def test_syntax_error_uses_the_problem_mark() -> None:
    parsed = parse_yaml("a: 1\nb: : 2\n")
    assert parsed.data is None
    assert [(i.line, i.column) for i in parsed.issues] == [(2, 4)]
    assert parsed.issues[0].message.startswith("invalid YAML: mapping values are not allowed")


def test_two_documents_are_an_error() -> None:
    parsed = parse_yaml("a: 1\n---\nb: 2\n")
    assert parsed.data is None
    assert "expected a single document" in parsed.issues[0].message


def test_merge_keys_are_supported_and_explicit_keys_win() -> None:
    parsed = parse_yaml("base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n")
    assert parsed.ok
    assert parsed.data["thing"] == {"x": 1, "y": 3}


def test_duplicate_keys_are_reported_and_the_last_value_kept() -> None:
    parsed = parse_yaml("a: 1\nb: 2\na: 3\n")
    assert parsed.data == {"a": 3, "b": 2}
    assert [(i.line, i.column, i.message) for i in parsed.issues] == [
        (3, 1, "duplicate key `a` (first given on line 1)")
    ]


def test_billion_laughs_is_stopped_quickly() -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for name, previous in zip("bcdefghij", "abcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    parsed = parse_yaml("\n".join(lines) + "\n")
    assert parsed.data is None
    [issue] = parsed.issues
    assert (
        issue.message == "YAML document is too large: more than 200000 values (too many aliases?)"
    )
    assert (issue.line, issue.column) == (6, 1)  # `f`: 10^6 values


def test_recursive_alias_is_stopped() -> None:
    parsed = parse_yaml("a: &x [1, *x]\n")
    assert parsed.data is None
    assert parsed.issues[0].message == f"YAML nesting is deeper than {MAX_DEPTH} levels"


def test_deep_nesting_is_stopped() -> None:
    # 3,000 levels: past libyaml's own cap of 1,000 (PyYAML 6.0.4 and newer), which must not
    # be what the user sees
    parsed = parse_yaml("a: " + "[" * 3000 + "]" * 3000 + "\n")
    assert parsed.data is None
    assert [(i.line, i.column, i.message) for i in parsed.issues] == [
        (1, 4 + MAX_DEPTH, f"YAML nesting is deeper than {MAX_DEPTH} levels")
    ]


def test_deep_block_nesting_is_stopped_at_the_first_level_too_deep() -> None:
    def nested(levels: int) -> str:
        return "a:\n" + "".join("  " * level + "- \n" for level in range(1, levels))

    # 100 levels: composed, the walker stops it; 1,500: libyaml's cap fires first, and the
    # user still gets the same line at the same place
    shallow, deep = parse_yaml(nested(100), line_offset=1), parse_yaml(nested(1500), line_offset=1)
    assert deep.data is None
    assert [(i.line, i.column, i.message) for i in deep.issues] == [
        (3 + MAX_DEPTH, 2 * MAX_DEPTH + 3, f"YAML nesting is deeper than {MAX_DEPTH} levels")
    ]
    assert deep.issues == shallow.issues


def test_syntax_errors_keep_pyyamls_description() -> None:
    parsed = parse_yaml("a: [1, 2\nb: 3\n")
    assert parsed.data is None
    assert parsed.issues[0].message.startswith("invalid YAML: ")


def test_unknown_tags_are_not_executed() -> None:
    parsed = parse_yaml("a: !!python/object/apply:os.system [echo hi]\n")
    assert parsed.issues[0].message.startswith("unsupported YAML tag")


def test_huge_integers_do_not_crash() -> None:
    parsed = parse_yaml("a: " + "9" * 5000 + "\n")
    assert parsed.issues[0].message.startswith("`99999")


def test_empty_document_has_no_data_and_no_issue() -> None:
    parsed = parse_yaml("# only a comment\n")
    assert parsed.data is None
    assert parsed.ok
    assert parsed.position(("title",)) == (1, 1)
