"""The rules of a figures deliverable: read by campaignkit's own parser, never by `eval`."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaignkit import Problem, Rule, holds, parse_rule
from campaignkit.expressions import MAX_DEPTH, MAX_RULE_LENGTH

FIXED = settings(derandomize=True, deadline=None, max_examples=300)


def rule(text: str) -> Rule:
    parsed = parse_rule(text)
    assert isinstance(parsed, Rule), parsed
    return parsed


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("hazards-fixed <= hazards-found", {"hazards-fixed": 10, "hazards-found": 12}, True),
        ("hazards-fixed <= hazards-found", {"hazards-fixed": 13, "hazards-found": 12}, False),
        ("a-b == 3", {"a-b": 3}, True),  # a dash inside an id is part of it
        ("a - b == 3", {"a": 5, "b": 2}, True),  # with spaces, it subtracts
        ("a -b == 3", {"a": 5, "b": 2}, True),
        ("a >= 10 * (b + 1)", {"a": 30, "b": 2}, True),
        ("a / b > 0.5", {"a": 1, "b": 3}, False),
        ("0.1 + 0.2 == 0.3", {}, True),  # exact, not floating point
        ("-a < 0", {"a": 1}, True),
        ("a != 2 * 2", {"a": 4}, False),
        ("a / b > 1", {"a": 1, "b": 0}, None),  # dividing by zero: not applied
        ("a <= b", {"a": 1}, None),  # a figure left out: not applied
    ],
)
def test_rules_compare_figures(text: str, values: dict[str, int], expected: bool | None) -> None:
    assert holds(rule(text), {k: Fraction(v) for k, v in values.items()}) is expected


def test_a_rule_names_its_fields_once_in_order() -> None:
    assert rule("b + a <= b * 2").names == ("b", "a")


@pytest.mark.parametrize(
    ("text", "at", "words"),
    [
        ("", 1, "the rule is empty"),
        ("a <= (", 7, "a field id or a number is expected, found the end of the rule"),
        ("a + b", 6, "a comparison is expected"),
        ("a <= b <= c", 8, "the rule should end here, found `<=`"),
        ("a <= (b", 8, "`)` is expected"),
        ("a <= b; import os", 7, "`;` is not allowed here"),
        ("__import__('os') == 1", 12, "`'` is not allowed here"),
        ("open(a) == 1", 5, "a comparison is expected: <, <=, >, >=, == or !=, found `(`"),
        ("a == 'x'", 6, "`'` is not allowed here"),
        ("a = b", 3, "`=` is not allowed here"),
        ("a- <= b", 4, "a field id or a number is expected, found `<=`"),
    ],
)
def test_what_cannot_be_read_says_at_which_character(text: str, at: int, words: str) -> None:
    problem = parse_rule(text, "requirements.r.deliverables[0].checks[0]")
    assert isinstance(problem, Problem)
    assert problem.path == "requirements.r.deliverables[0].checks[0]"
    assert problem.code == "bad-rule"
    assert f"at character {at}: " in problem.message
    assert words in problem.message


def test_a_rule_is_bounded_in_length_and_depth() -> None:
    long = parse_rule("a <= " + " + ".join(["b"] * 100))
    assert isinstance(long, Problem)
    assert f"longer than {MAX_RULE_LENGTH} characters" in long.message
    deep = parse_rule("a <= " + "(" * (MAX_DEPTH + 1) + "b" + ")" * (MAX_DEPTH + 1))
    assert isinstance(deep, Problem)
    assert f"nested more than {MAX_DEPTH} deep" in deep.message
    signs = parse_rule("a <= " + "-" * 100 + "b")
    assert isinstance(signs, Problem)


@FIXED
@given(st.text(max_size=250))
def test_any_text_is_a_rule_or_a_problem_and_never_raises(text: str) -> None:
    found = parse_rule(text)
    assert isinstance(found, Rule | Problem)
    if isinstance(found, Rule):
        assert holds(found, {name: Fraction(1) for name in found.names}) in (True, False, None)


@FIXED
@given(
    st.integers(-(10**6), 10**6),
    st.integers(-(10**6), 10**6),
    st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
)
def test_comparisons_agree_with_python(a: int, b: int, op: str) -> None:
    expected = {
        "<": a < b,
        "<=": a <= b,
        ">": a > b,
        ">=": a >= b,
        "==": a == b,
        "!=": a != b,
    }[op]
    assert holds(rule(f"left-side {op} right-side"), {"left-side": a, "right-side": b}) is expected
