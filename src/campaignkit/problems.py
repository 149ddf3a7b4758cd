"""Problems: what is wrong with a campaign or a submission, as values.

A `Problem` names the key path (``requirements.summary.deliverables[1].min_width``), the line
of the file where that key stands when it can be found, a message and, where one helps, a
hint such as "did you mean `assignees`?". Problems travel as values until the command line,
which turns them into a table and an exit code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

Severity = Literal["error", "warning"]


@attrs.frozen
class Problem:
    """One thing wrong with an input, located by its key path."""

    path: str
    """Key path such as ``phases.month.end`` or ``deliverables[0]``; ``""`` for the file."""
    message: str
    hint: str | None = None
    line: int | None = None
    severity: Severity = "error"
    code: str = "invalid"
    """A stable, machine-readable name for the kind of problem, such as ``unknown-key``."""
    file: str | None = None
    subjects: tuple[str, ...] = ()
    """The ids a problem is about, when it is about many at once (every unit that no
    channel reaches): the message counts them, ``--format json`` lists them."""
    column: int | None = None
    """The column of the character at fault, counting from 1, when it is known (a TOML
    syntax error)."""
    snippet: str | None = None
    """The line of the file at fault, to show with a caret under `column`."""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean" hint naming the closest candidate, or None when none is close."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean `{match[0]}`?" if match else None


def join_path(*parts: str | int) -> str:
    """Join key path parts: names with dots, indices in brackets (``a.b[0].c``)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part != "":
            out = f"{out}.{part}" if out else part
    return out


def sort_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Errors before warnings, then in file order; problems without a line keep their order."""
    big = 1 << 62
    return sorted(
        problems,
        key=lambda p: (p.file or "", p.severity != "error", p.line or big),
    )
