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

from .i18n import _

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
    """A "did you mean" hint naming the closest candidate, or None when none is close.

    A word that is part of exactly one candidate names it too: people shorten long names
    (福田区 for 福田区安全生产委员会), which are too far apart letter by letter."""
    options = list(candidates)
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not match and len(word) >= 2:
        match = [option for option in options if word in option]
    return _("did you mean `{name}`?").format(name=match[0]) if len(match) == 1 else None


def listed(names: Iterable[str]) -> str:
    """Names one after another, as a message lists them: ``a, b, c`` (``a、b、c``)."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    # The separator, as the translation puts it between two names.
    between = _("{earlier}, {next}").format(earlier="\0", next="\0").split("\0")[1]
    return between.join(names)


def alternatives(names: Sequence[str]) -> str:
    """Names of which any one will do: ``jpg or png``, ``docx, pdf or ofd`` (``jpg 或 png``,
    ``docx、pdf 或 ofd``)."""
    if len(names) < 2:
        return listed(names)
    return _("{names} or {last}").format(names=listed(names[:-1]), last=names[-1])


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
