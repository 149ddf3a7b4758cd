"""``campaignkit new PATH``: next year's campaign from this year's, or a starter file.

``--from FILE [--year N]`` moves every literal date of FILE to year N (next year by default),
keeps date expressions, comments and layout, and puts what to review at the top of the new
file. ``--template city|district`` writes a commented starter file that validates.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.table import Table
from rich.text import Text

from ..i18n import _, ngettext, speak
from ..loader import Loaded
from ..newcampaign import CannotStart, SameYear, new_from_last_year, new_from_template
from ..newyear import NewYear
from ..newyear_review import SCHEMA_DIRECTIVE, ReviewItem
from ..problems import sort_problems
from .exits import EXIT_OK, EXIT_PROBLEMS
from .output import (
    Format,
    FormatOption,
    console,
    err,
    host_from,
    print_json,
    print_problems,
    problem_json,
    sizes,
)


class Template(enum.StrEnum):
    city = "city"
    district = "district"


def new(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help="The campaign file to write.", show_default=False)
    ],
    source: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="FILE",
            help="This year's campaign: write next year's from it.",
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar="N",
            min=1,
            max=9999,
            help="With --from: the year the new plan is issued in (default: the next one).",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Template | None,
        typer.Option("--template", "-t", help="Start from a template.", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite PATH if it exists.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Write a new campaign: next year's from this year's (--from), or from a template."""
    if (source is None) == (template is None):
        raise typer.BadParameter("give either --from FILE or --template NAME", param_hint="--from")
    if year is not None and source is None:
        raise typer.BadParameter("--year goes with --from FILE", param_hint="--year")
    if path.is_dir():
        _fail(f"{path} is a folder; give the name of the campaign file to write")
    if path.exists() and not force:
        _fail(f"{path} exists; choose another name, or pass --force to overwrite it")
    if template is not None:  # and so no --from, as checked first
        _from_template(ctx, path, template, fmt)
    elif source is not None:
        if source.exists() and path.exists() and source.resolve() == path.resolve():
            _fail(f"{path} is the --from file itself; write next year's plan to a new file")
        _from_last_year(ctx, path, source, year, fmt)


def _fail(message: str) -> NoReturn:
    err(f"error: {message}")
    raise typer.Exit(EXIT_PROBLEMS)


def _from_template(ctx: typer.Context, path: Path, template: Template, fmt: Format) -> None:
    try:
        started = new_from_template(str(template), path, host_from(ctx))
    except CannotStart as error:
        _fail(str(error))
    loaded = started.loaded
    speak(loaded.language)
    if fmt is Format.json:
        _print_json(path, loaded, template=str(template))
    else:
        _print_problems(loaded)
        if loaded.ok and loaded.campaign is not None:
            said = _(
                "✓ wrote {path} from the {template} template: "
                "{units}, {phases}, {activities}, {requirements}"
            )
            sized = sizes(loaded.campaign)
            console().print(Text(said.format(path=path, template=template, **sized), style="green"))
            said = _(
                "Next: change its ids, names and dates, then run `campaignkit validate {path}`."
            )
            console().print(Text(said.format(path=path)))
        _schema_hint(path, started.text)
    raise typer.Exit(EXIT_OK if loaded.ok else EXIT_PROBLEMS)


def _from_last_year(
    ctx: typer.Context, path: Path, source: Path, year: int | None, fmt: Format
) -> None:
    try:
        started = new_from_last_year(source, path, host_from(ctx), year)
    except SameYear as error:
        raise typer.BadParameter(str(error), param_hint="--year") from None
    except CannotStart as error:
        _fail(str(error))
    loaded, plan = started.loaded, started.plan
    assert plan is not None  # next year's plan always has one
    speak(loaded.language)
    if fmt is Format.json:
        _print_json(path, loaded, plan=plan, review=started.review)
    else:
        _print_problems(loaded)
        _print_summary(path, plan, started.review, loaded.ok)
        _schema_hint(path, started.text)
    raise typer.Exit(EXIT_OK if loaded.ok else EXIT_PROBLEMS)


def _print_problems(loaded: Loaded) -> None:
    if loaded.problems:
        print_problems(sort_problems(loaded.problems), loaded.source, stderr=True)


def _print_json(
    path: Path,
    loaded: Loaded,
    *,
    plan: NewYear | None = None,
    review: tuple[ReviewItem, ...] = (),
    template: str | None = None,
) -> None:
    data: dict[str, Any] = {
        "path": str(path),
        "ok": loaded.ok,
        "template": template,
        "from": plan.source_name if plan else None,
        "year": plan.year if plan else None,
        "shifted": len(plan.shifted) if plan else 0,
        "expressions": dict(plan.expressions) if plan else {},
        "changed": [
            {"path": c.path, "old": c.old, "new": c.new} for c in (plan.changed if plan else ())
        ],
        "review": [item.as_json() for item in review],
        "problems": [problem_json(p) for p in sort_problems(loaded.problems)],
    }
    print_json(data)


def _print_summary(path: Path, plan: NewYear, review: tuple[ReviewItem, ...], ok: bool) -> None:
    out = console()
    years = plan.years
    by = ngettext("{count} year", "{count} years", abs(years)).format(
        count=f"{'+' if years > 0 else ''}{years}"
    )
    kept = len(plan.expressions)
    summary = ngettext(
        "wrote {path}: {shifted} dates moved to {year} ({by}), {kept} date expression kept",
        "wrote {path}: {shifted} dates moved to {year} ({by}), {kept} date expressions kept",
        kept,
    ).format(path=path, shifted=len(plan.shifted), year=plan.year, by=by, kept=kept)
    out.print(Text(("✓ " if ok else "") + summary, style="green" if ok else "red"))
    for change in plan.changed:
        said = _("changed {path}: {old} → {new}")
        out.print(Text(said.format(path=change.path, old=change.old, new=change.new)))
    table = Table(
        title=_("Review before issuing (also at the top of the file)"), title_justify="left"
    )
    for column in (_("check"), _("key"), _("detail")):
        table.add_column(column, overflow="fold")
    for item in review:
        table.add_row(Text(item.kind), Text(item.path or ""), Text(item.message))
    out.print(table)


def _schema_hint(path: Path, text: str) -> None:
    """Say how to get editor completion when the file names a schema that is not there."""
    first = text.split("\n", 1)[0]
    if not first.startswith(SCHEMA_DIRECTIVE):
        return
    schema = first[len(SCHEMA_DIRECTIVE) :].strip()
    if "://" in schema or (path.parent / schema).exists():
        return
    target = path.parent / schema
    said = _("For completion in your editor: campaignkit schema -o {path}")
    console().print(Text(said.format(path=target.as_posix())))
