"""What every command shares: consoles, the --format option, problems as a table or JSON,
and loading plugins and a campaign with their failures reported."""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..i18n import _, local_time, ngettext, speak
from ..loader import Loaded, load_campaign
from ..model import Campaign
from ..plugins import PluginHost, load_plugins
from ..problems import Problem, listed, sort_problems
from .exits import EXIT_PROBLEMS, HOST_KEY

if TYPE_CHECKING:
    # rich is imported when a table or styled text is printed, not at start-up.
    from rich.console import Console
    from rich.table import Table

    from ..submissions import Submission

MAX_ROWS = 200


class Format(enum.StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="table for people, json for machines.")
]
CampaignFile = Annotated[Path, typer.Argument(help="The campaign file.", show_default=False)]
EvidenceOption = Annotated[
    str | None,
    typer.Option(
        "--evidence",
        metavar="LOCATION",
        help="Where hand-ins' files are kept: a directory, or SCHEME://… of an evidence-store "
        "plugin (default: $CAMPAIGNKIT_EVIDENCE, else beside the ledger).",
        show_default=False,
    ),
]


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # Piped output is not wrapped at 80 columns: long Chinese names stay on one line.
    width = None if stream.isatty() else 200
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


def err(message: str) -> None:
    typer.echo(clean(message), err=True)


def say(message: str, color: str | None = None) -> None:
    """One line on stdout, in colour on a terminal."""
    typer.secho(clean(message), fg=color)


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """`text` fit for a terminal: a control character that came from a file (an ESC that
    would clear the screen, a CR that would overwrite the line) is shown as its code."""
    return CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def _encoder() -> Callable[[Any], str]:
    """One compact JSON encoder, built once: a simulation encodes 200,000 records."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return json.JSONEncoder(ensure_ascii=False, default=str).encode
    chunks = make(None, str, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(chunks(value, 0))


def print_json(data: Any) -> None:
    """JSON on stdout, for machines and for people reading it: objects indented, each item of
    a list on a line of its own.

    A list may be given as an iterator: its items are encoded and written one by one, so a
    national simulation's hundreds of thousands of records never exist all at once.
    """
    write = sys.stdout.write
    _write_json(data, write, _encoder(), "")
    write("\n")


def _write_json(
    value: Any, write: Callable[[str], object], encode: Callable[[Any], str], indent: str
) -> None:
    inner = indent + "  "
    if isinstance(value, Mapping) and value:
        write("{")
        separator = "\n"
        for key, item in value.items():
            write(f"{separator}{inner}{encode(str(key))}: ")
            _write_json(item, write, encode, inner)
            separator = ",\n"
        write(f"\n{indent}}}")
    elif isinstance(value, list | tuple | Iterator):
        write("[")
        first, rest = "\n" + inner, ",\n" + inner
        pending: list[str] = []
        for item in value:
            pending.append((rest if pending or not first else first) + encode(item))
            if len(pending) == 1000:  # a write per thousand records, not per record
                write("".join(pending))
                pending.clear()
                first = ""
        write("".join(pending))
        write("]" if first and not pending else f"\n{indent}]")
    else:
        write(encode(value))


def problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "path": problem.path,
        "line": problem.line,
        "message": problem.message,
        "hint": problem.hint,
        "severity": problem.severity,
        "code": problem.code,
        "file": problem.file,
        "column": problem.column,
        "subjects": list(problem.subjects),
    }


def problems_table(problems: Sequence[Problem]) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, pad_edge=False, expand=False)
    for column in (_("line"), _("severity"), _("key"), _("problem"), _("hint")):
        table.add_column(column, overflow="fold")
    severities = {"error": _("error"), "warning": _("warning")}
    for problem in problems[:MAX_ROWS]:
        style = "red" if problem.is_error else "yellow"
        where = f"{problem.line}:{problem.column}" if problem.column else str(problem.line or "")
        table.add_row(
            Text(where),
            Text(severities.get(problem.severity, problem.severity), style=style),
            Text(clean(problem.path) or _("(file)")),
            Text(clean(problem.message)),
            Text(clean(problem.hint or "")),
        )
    return table


def summary_line(problems: Sequence[Problem], source: str | None) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    parts = []
    if errors:
        parts.append(ngettext("{count} error", "{count} errors", errors).format(count=errors))
    if warnings:
        said = ngettext("{count} warning", "{count} warnings", warnings)
        parts.append(said.format(count=warnings))
    return _("{source}: {problems}").format(
        source=source or _("campaign"), problems=_(", ").join(parts)
    )


def print_problems(problems: Sequence[Problem], source: str | None, stderr: bool) -> None:
    ordered = sort_problems(problems)
    typer.echo(summary_line(ordered, source), err=stderr)
    console(stderr=stderr).print(problems_table(ordered))
    for problem in ordered[:MAX_ROWS]:
        if problem.snippet is not None and problem.column is not None:
            typer.echo(clean(caret(problem.snippet, problem.column, problem.line)), err=stderr)
    if len(ordered) > MAX_ROWS:
        more = _("… and {count} more; --format json lists them all")
        typer.echo(more.format(count=len(ordered) - MAX_ROWS), err=stderr)


def host_from(ctx: typer.Context | None) -> PluginHost:
    """The run's plugins, loaded once; any that failed to import is reported on stderr.

    Plugins disabled with ``campaignkit --disable`` are read from the root command's
    parameters, which are parsed before a subcommand is looked up.
    """
    if ctx is not None and HOST_KEY in ctx.meta:
        host: PluginHost = ctx.meta[HOST_KEY]
        return host
    given = ctx.find_root().obj if ctx is not None else None
    if ctx is not None and isinstance(given, dict) and given.get(HOST_KEY) is not None:
        # A host handed in by the caller (campaignkit.testing's run_cli), used as it is.
        ctx.meta[HOST_KEY] = given[HOST_KEY]
        return host_from(ctx)
    disabled = ctx.find_root().params.get("disable") or [] if ctx is not None else []
    # The command line keeps the list of installed plugins in a cache: it starts quicker.
    host = load_plugins(disabled=disabled, cache=True)
    for failure in host.failures:
        dist = f" ({failure.dist})" if failure.dist else ""
        err(
            f"warning: plugin `{failure.name}`{dist} failed to import and is skipped: "
            f"{failure.error}\n  set CAMPAIGNKIT_STRICT_PLUGINS=1 to make this an error"
        )
    if ctx is not None:
        ctx.meta[HOST_KEY] = host
    return host


def existing_ledger(path: Path, hint: str = "") -> Path:
    """`path`, if a ledger is there; otherwise say so (with `hint`) and exit 1."""
    try:
        found = path.is_file()
    except OSError as error:  # a folder on the way that this user may not enter
        said = _("error: the ledger {path} cannot be reached: {reason}")
        err(said.format(path=path, reason=error.strerror or error))
        raise typer.Exit(EXIT_PROBLEMS) from None
    if not found:
        if hint:
            err(_("error: there is no ledger at {path}; {hint}").format(path=path, hint=hint))
        else:
            err(_("error: there is no ledger at {path}").format(path=path))
        raise typer.Exit(EXIT_PROBLEMS)
    return path


def load_or_exit(path: Path, host: PluginHost, fmt: Format = Format.table) -> Campaign:
    """Load a campaign for a command that needs a valid one; on errors print them and exit 1.

    Warnings are printed on stderr and the command goes on.
    """
    loaded: Loaded = load_campaign(path, host=host)
    speak(loaded.language)
    if not loaded.ok or loaded.campaign is None:
        if fmt is Format.json:
            print_json([problem_json(p) for p in sort_problems(loaded.problems)])
        else:
            print_problems(loaded.problems, loaded.source, stderr=True)
        raise typer.Exit(EXIT_PROBLEMS)
    if loaded.problems:
        print_problems(loaded.problems, loaded.source, stderr=True)
    return loaded.campaign


def scenario_or_exit(path: Path, campaign: Campaign) -> list[Submission]:
    """The submissions of a scenario file (TOML or CSV); on problems print them and exit 1."""
    from ..synthetic import load_scenario

    submissions, problems = load_scenario(path, campaign)
    if problems:
        print_problems(problems, str(path), stderr=True)
        raise typer.Exit(EXIT_PROBLEMS)
    return submissions


def reached_no_one(campaign: Campaign, count: int, units: Sequence[str], shown: int = 5) -> str:
    """The line that says how many notices reached nobody, naming the first few units."""
    names = listed(campaign.units[u].name if u in campaign.units else u for u in units[:shown])
    if len(units) > shown:
        names = _("{names} and {count} more").format(names=names, count=len(units) - shown)
    said = ngettext(
        "{count} notice reached no one: no channel reaches {names}, nor any unit above them; "
        "give units `channels` (see docs/tutorial.md)",
        "{count} notices reached no one: no channel reaches {names}, nor any unit above them; "
        "give units `channels` (see docs/tutorial.md)",
        count,
    )
    return said.format(count=count, names=names)


def at_time(moment: dt.datetime, campaign: Campaign, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A moment as people read it, on the campaign's clock and naming its zone:
    ``2022-11-14 10:00 CST``; in Chinese ``2022-11-14 10:00（北京时间）``."""
    return local_time(moment, campaign.timezone, pattern)


def sizes(campaign: Campaign) -> dict[str, str]:
    """How many units, phases, activities and requirements a campaign has, in words, by the
    placeholders that say them: ``units="41 units"``, ``phases="2 phases"``…"""
    units, phases = len(campaign.units), len(campaign.phases)
    activities = len(campaign.activities)
    # As the file writes them: a weekly report is one requirement, however many weeks.
    requirements = len({r.series for r in campaign.requirements.values()})
    occurrences = len(campaign.requirements)
    said = ngettext("{count} requirement", "{count} requirements", requirements).format(
        count=requirements
    )
    if occurrences > requirements:
        said = ngettext(
            "{said} ({count} deadline)", "{said} ({count} deadlines)", occurrences
        ).format(said=said, count=occurrences)
    return {
        "units": ngettext("{count} unit", "{count} units", units).format(count=units),
        "phases": ngettext("{count} phase", "{count} phases", phases).format(count=phases),
        "activities": ngettext("{count} activity", "{count} activities", activities).format(
            count=activities
        ),
        "requirements": said,
    }


def days_words(count: int, unit: str = "d") -> str:
    """``3 days``, ``1 working day``: a delay as people read it."""
    if unit == "wd":
        return ngettext("{count} working day", "{count} working days", count).format(count=count)
    return ngettext("{count} day", "{count} days", count).format(count=count)


def appendable(path: Path | None, option: str = "--outbox") -> Path | None:
    """`path`, once it is known that lines can be appended to it (it is created if need
    be); a usage error naming the option otherwise, before anything is processed."""
    if path is None:
        return None
    import os

    try:
        os.close(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644))
    except OSError as error:
        said = _("cannot append to {path}: {reason}")
        raise typer.BadParameter(
            said.format(path=path, reason=error.strerror or error), param_hint=option
        ) from None
    return path


def caret(snippet: str, column: int, line: int | None) -> str:
    """The line, and a caret under the character at `column`, lined up on a terminal: a
    Chinese or full-width character takes two columns there."""
    import unicodedata

    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in snippet[: column - 1])
    return f"{line or ''}| {snippet}\n{' ' * len(str(line or ''))}| {' ' * width}^"


def deliverable_kinds() -> dict[str, str]:
    """Each kind of deliverable (and of evidence file) as people read it."""
    return {
        "document": _("document"),
        "spreadsheet": _("spreadsheet"),
        "video": _("video"),
        "photo": _("photo"),
        "other": _("other"),
        "figures": _("figures"),
    }
