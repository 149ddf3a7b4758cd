"""``campaignkit new PATH``: next year's campaign from this year's, or a starter file.

``--from FILE [--year N]`` moves every literal date of FILE to year N (next year by default),
keeps date expressions, comments and layout, and puts what to review at the top of the new
file. ``--template city|district`` writes a commented starter file that validates.
"""

from __future__ import annotations

import enum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.table import Table
from rich.text import Text

from ..dates import RestDays
from ..i18n import _, ngettext, speak
from ..loader import Loaded, load_campaign
from ..newyear import NewYear, ShiftError, next_year
from ..newyear_review import SCHEMA_DIRECTIVE, ReviewItem, calendar_item, expression_review
from ..plugins import PluginHost
from ..problems import sort_problems
from ..tomlfile import read_text
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


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        _fail(f"cannot write {path}: {error.strerror or error}")


def _from_template(ctx: typer.Context, path: Path, template: Template, fmt: Format) -> None:
    text = (resources.files("campaignkit") / "templates" / f"{template}.toml").read_text(
        encoding="utf-8"
    )
    _write(path, text)
    loaded = load_campaign(path, host=host_from(ctx))
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
        _schema_hint(path, text)
    raise typer.Exit(EXIT_OK if loaded.ok else EXIT_PROBLEMS)


def _from_last_year(
    ctx: typer.Context, path: Path, source: Path, year: int | None, fmt: Format
) -> None:
    from tomlkit.exceptions import ParseError

    text, problem = read_text(source)
    if problem is not None:
        _fail(problem.message)
    host = host_from(ctx)
    rest = RestDays(host.workdays(_timezone(text, source, host)))
    move = (source.resolve().parent, path.resolve().parent)
    try:
        plan = next_year(text, year, source_name=source.name, rest_days=rest, move=move)
    except ParseError as error:
        _fail(f"{source} is not valid TOML: {error}; `campaignkit validate {source}` says more")
    except ShiftError as error:
        _fail(f"cannot shift {source}: {error}")
    if plan.years == 0:
        raise typer.BadParameter(
            f"{source} is already a {plan.year} campaign; give the year of the new plan",
            param_hint="--year",
        )
    written, review = plan.render()
    _write(path, written)
    loaded = load_campaign(path, host=host)
    if loaded.campaign is not None and plan.expressions:
        unknown = set(rest.unknown_years)
        extra = expression_review(plan.expressions, loaded.campaign, rest)
        if rest.unknown_years != unknown:
            extra.append(calendar_item(rest))
        if extra:
            written, review = plan.render(extra)
            _write(path, written)
    speak(loaded.language)
    if fmt is Format.json:
        _print_json(path, loaded, plan=plan, review=review)
    else:
        _print_problems(loaded)
        _print_summary(path, plan, review, loaded.ok)
        _schema_hint(path, written)
    raise typer.Exit(EXIT_OK if loaded.ok else EXIT_PROBLEMS)


def _timezone(text: str, source: Path, host: PluginHost) -> str:
    """The source campaign's time zone, which picks the working-day calendar."""
    import tomli

    try:
        raw = tomli.loads(text)
    except tomli.TOMLDecodeError:
        return "UTC"  # reported when the file is shifted
    campaign = raw.get("campaign")
    timezone = campaign.get("timezone") if isinstance(campaign, dict) else None
    if isinstance(timezone, str):
        return timezone
    if "extends" in raw:  # it may come from the parent
        loaded = load_campaign(source, host=host)
        if loaded.campaign is not None:
            return loaded.campaign.timezone
    return "UTC"


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
