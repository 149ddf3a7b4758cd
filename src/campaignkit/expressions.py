"""The rules a figures deliverable's ``checks`` state, such as ``hazards-fixed <= hazards-found``.

A small parser and evaluator that campaignkit owns: no `eval`, no Python syntax tree. A rule
is one comparison (``<``, ``<=``, ``>``, ``>=``, ``==``, ``!=``) between two sums of field
ids and numbers, with ``+``, ``-``, ``*``, ``/`` and parentheses::

    hazards-fixed <= hazards-found
    people-trained >= 10 * (staff + 1)
    hazards-found - hazards-fixed <= 5

A field id holds dashes, so ``a-b`` is the id ``a-b``: subtraction is written with a space
before the minus (``a - b``, or ``a -b``). Ids start with a letter, so ``2`` is a number.
Arithmetic is exact (fractions): ``0.1 + 0.2 == 0.3`` holds. A rule is at most
`MAX_RULE_LENGTH` characters and nests at most `MAX_DEPTH` parentheses, so a hostile file
cannot make parsing costly. What cannot be read is a `Problem` saying at which character.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, Literal

import attrs

from .i18n import _
from .problems import Problem

MAX_RULE_LENGTH = 200
"""The longest rule, in characters."""
MAX_DEPTH = 16
"""The deepest nesting of parentheses and signs in a rule."""

Number = int | Fraction
"""A value in a rule: whole numbers stay integers (cheap), others are exact fractions."""

Comparison = Literal["<", "<=", ">", ">=", "==", "!="]
COMPARISONS: tuple[Comparison, ...] = ("<=", ">=", "==", "!=", "<", ">")

# One token at a time; a name is letters, digits and `_` in parts joined by single dashes.
_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)"
    r"|(?P<op><=|>=|==|!=|<|>|[-+*/()])"
)

Term = tuple[Any, ...]
"""A term of a rule: ``("number", Fraction)``, ``("name", id)``, ``("neg", term)``, or
``(op, term, term)`` for an op of ``+ - * /``."""


@attrs.frozen
class Rule:
    """A parsed rule: `left` `op` `right`, and the field ids it names (`names`), in order."""

    text: str
    left: Term
    op: Comparison
    right: Term
    names: tuple[str, ...]


@attrs.frozen
class _Token:
    kind: Literal["number", "name", "op", "end"]
    text: str
    at: int
    """Where it starts in the rule, counting characters from 1."""


class _Unreadable(Exception):
    def __init__(self, at: int, reason: str) -> None:
        super().__init__(reason)
        self.at = at
        self.reason = reason


def parse_rule(text: str, path: str = "") -> Rule | Problem:
    """`text` as a `Rule`, or the `Problem` at `path` saying where and why it cannot be read."""
    try:
        if len(text) > MAX_RULE_LENGTH:
            reason = _("it is longer than {most} characters").format(most=MAX_RULE_LENGTH)
            raise _Unreadable(MAX_RULE_LENGTH + 1, reason)
        return _Parser(text, _tokens(text)).rule()
    except _Unreadable as error:
        return Problem(
            path,
            _("the rule `{rule}` cannot be read at character {at}: {reason}").format(
                rule=text if len(text) <= 60 else text[:57] + "...",
                at=error.at,
                reason=error.reason,
            ),
            _(
                "write a comparison between field ids and numbers, such as "
                "`hazards-fixed <= hazards-found`; subtract with spaces: `a - b`"
            ),
            code="bad-rule",
        )


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    at = 0
    while at < len(text):
        found = _TOKEN.match(text, at)
        if found is None:
            reason = _("`{character}` is not allowed here").format(character=text[at])
            raise _Unreadable(at + 1, reason)
        kind = found.lastgroup
        if kind != "space":
            out.append(_Token(kind, found.group(), at + 1))  # type: ignore[arg-type]
        at = found.end()
    out.append(_Token("end", "", len(text) + 1))
    return out


class _Parser:
    """Recursive descent: rule := sum COMPARISON sum; sum := product (("+"|"-") product)*;
    product := unary (("*"|"/") unary)*; unary := "-" unary | NUMBER | NAME | "(" sum ")"."""

    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.names: list[str] = []

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def rule(self) -> Rule:
        if self.peek().kind == "end":
            raise _Unreadable(1, _("the rule is empty"))
        left = self.sum()
        token = self.peek()
        if token.kind != "op" or token.text not in COMPARISONS:
            raise _Unreadable(
                token.at, _("a comparison is expected: <, <=, >, >=, == or !=") + self.found(token)
            )
        op: Comparison = self.take().text  # type: ignore[assignment]
        right = self.sum()
        if self.peek().kind != "end":
            token = self.peek()
            raise _Unreadable(token.at, _("the rule should end here") + self.found(token))
        return Rule(self.text, left, op, right, tuple(dict.fromkeys(self.names)))

    def sum(self) -> Term:
        term = self.product()
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take().text
            term = (op, term, self.product())
        return term

    def product(self) -> Term:
        term = self.unary()
        while self.peek().kind == "op" and self.peek().text in "*/":
            op = self.take().text
            term = (op, term, self.unary())
        return term

    def unary(self) -> Term:
        token = self.take()
        if token.kind == "number":
            number = int(token.text) if token.text.isdigit() else Fraction(token.text)
            return ("number", number)
        if token.kind == "name":
            self.names.append(token.text)
            return ("name", token.text)
        if token.text in ("-", "("):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Unreadable(
                    token.at, _("nested more than {most} deep").format(most=MAX_DEPTH)
                )
            if token.text == "-":
                term: Term = ("neg", self.unary())
            else:
                term = self.sum()
                closing = self.take()
                if closing.text != ")":
                    raise _Unreadable(closing.at, _("`)` is expected") + self.found(closing))
            self.depth -= 1
            return term
        raise _Unreadable(token.at, _("a field id or a number is expected") + self.found(token))

    @staticmethod
    def found(token: _Token) -> str:
        if token.kind == "end":
            return _(", found the end of the rule")
        return _(", found `{token}`").format(token=token.text)


def value_of(term: Term, values: Mapping[str, Number]) -> Number | None:
    """What `term` comes to with the fields' `values`; None when a field it names has no
    value, or it divides by zero."""
    kind = term[0]
    if kind == "number":
        number: Number = term[1]
        return number
    if kind == "name":
        return values.get(term[1])
    if kind == "neg":
        inner = value_of(term[1], values)
        return None if inner is None else -inner
    left = value_of(term[1], values)
    right = value_of(term[2], values)
    if left is None or right is None:
        return None
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    return None if right == 0 else Fraction(left) / right  # exact, never a float


def holds(rule: Rule, values: Mapping[str, Number]) -> bool | None:
    """Whether `rule` holds for the fields' `values`; None when it cannot be worked out (a
    field it names was left empty, or it divides by zero): such a rule is not applied."""
    left, right = value_of(rule.left, values), value_of(rule.right, values)
    if left is None or right is None:
        return None
    return _COMPARE[rule.op](left, right)


_COMPARE: Mapping[str, Callable[[Number, Number], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
