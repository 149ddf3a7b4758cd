"""What the portal's commands share about the command line: the formats, JSON, problems on
stderr, plain tables, and campaignkit's exit codes."""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from campaignkit import Campaign, Problem, host_from, load_campaign, speak

from . import _

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class Format(enum.StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[
    Format, typer.Option("--format", help="table for people, json for scripts.")
]


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def err(message: str) -> None:
    typer.echo(message, err=True)


def say_problems(problems: Sequence[Problem], options: dict[str, str]) -> None:
    """Each problem on stderr, naming the option (or argument) it is about, with its hint."""
    for problem in problems:
        option = options.get(problem.path, problem.path)
        err(_("error: {option}: {message}").format(option=option, message=problem.message))
        if problem.hint:
            err(f"  {problem.hint}")


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Columns as wide as their widest cell, two spaces apart."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in [header, *rows]:
        typer.echo("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def campaign_or_exit(ctx: typer.Context, file: Path) -> Campaign:
    """The campaign in `file`, loaded with the run's plugins, speaking its language from
    here on; its problems on stderr and exit 1 when it has errors."""
    loaded = load_campaign(file, host=host_from(ctx))
    speak(loaded.language)
    if not loaded.ok or loaded.campaign is None:
        for problem in loaded.problems:
            where = f"{loaded.source or file}:{problem.line}" if problem.line else str(file)
            err(f"{where}: {problem.severity}: {problem.message}")
        raise typer.Exit(EXIT_PROBLEMS)
    return loaded.campaign
