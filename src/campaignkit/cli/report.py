"""``campaignkit report FILE --format NAME``: who is late, what happens next, in any format."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated, BinaryIO

import attrs
import typer

from ..i18n import _
from ..ledger import ENVIRONMENT, open_ledger
from ..live import ledger_report
from ..pluginerrors import PluginHookError, blaming
from ..problems import did_you_mean
from ..records import ReportRefused
from ..simulation import rehearsal_report
from .exits import EXIT_PROBLEMS
from .ledger_target import existing_target, ledger_target
from .moments import moment
from .output import (
    CampaignFile,
    host_from,
    load_or_exit,
    print_problems,
    scenario_or_exit,
)

if TYPE_CHECKING:
    from ..report import Report


def report(
    ctx: typer.Context,
    file: CampaignFile,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="md, json, csv, or a plugin's format.")
    ] = "md",
    written_to: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Write to this file; or, for a format with pages (html), into this folder "
            "(ending with /): one page per branch.",
        ),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Only what this unit must attend and hand in.")
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Report from this ledger (a file or a URL).")
    ] = None,
    simulated: Annotated[
        bool, typer.Option("--simulate", help="Report on a simulation instead of a ledger.")
    ] = False,
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario", help="Simulate with the submissions of this scenario file (TOML or CSV)."
        ),
    ] = None,
    compliance: Annotated[
        float | None,
        typer.Option("--compliance", min=0.0, max=1.0, help="With --simulate (default 1)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="With --simulate.")] = 0,
    at: Annotated[
        str | None,
        typer.Option(
            "--at", help="Standings at this moment (default: now, or a whole simulation)."
        ),
    ] = None,
    ids: Annotated[
        bool,
        typer.Option("--ids", help="For programs: CSV with ids, English headers and ISO times."),
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="JSON on standard output, for a format that has a JSON form."),
    ] = False,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            help="The document number (发文字号) a document prints (default: the campaign's).",
        ),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option(
            "--depth",
            min=1,
            help="Grids show the first N levels below the issuer, with counts for what lies "
            "below (html, md, xlsx).",
        ),
    ] = None,
) -> None:
    """Write a report of the campaign: standings per unit, roll-ups, the notifications sent."""
    # Taken as text: a Path would drop the trailing slash that names a folder.
    output = Path(written_to) if written_to is not None else None
    folder = written_to is not None and (
        written_to.endswith(("/", os.sep)) or Path(written_to).is_dir()
    )
    if scenario is not None and compliance is not None:
        raise typer.BadParameter(
            "give --scenario or --compliance, not both", param_hint="--scenario"
        )
    if scenario is not None and db is not None:
        raise typer.BadParameter("give --scenario or --db, not both", param_hint="--scenario")
    simulated = simulated or scenario is not None
    if db is None and not simulated:
        db = os.environ.get(ENVIRONMENT) or None
    if simulated == (db is not None):
        raise typer.BadParameter("give either --db PATH or --simulate", param_hint="--db")
    host = host_from(ctx)
    formats = host.report_formats()
    if fmt not in formats:
        hint = did_you_mean(fmt, formats) or f"installed formats: {', '.join(formats)}"
        raise typer.BadParameter(f"no report format `{fmt}`; {hint}", param_hint="--format")
    chosen = formats[fmt].record
    if as_json and ".json" not in chosen.variants:
        said = f"format `{fmt}` has no JSON form; `--format json` writes the report as JSON"
        raise typer.BadParameter(said, param_hint="--json")
    if folder and as_json:
        raise typer.BadParameter("give --json or a folder, not both", param_hint="--output")
    if folder and chosen.pages is None:
        said = f"format `{fmt}` writes one file; give --output a file's name, not a folder"
        raise typer.BadParameter(said, param_hint="--output")
    campaign = load_or_exit(file, host)
    if unit is not None and unit not in campaign.units:
        hint = did_you_mean(unit, campaign.units) or _("`campaignkit show FILE` lists the units")
        said = _("no unit `{unit}` in this campaign; {hint}")
        raise typer.BadParameter(said.format(unit=unit, hint=hint), param_hint="--unit")
    as_of = moment(at, campaign, option="--at")
    if db is None:  # and so --simulate, as checked first
        submissions = scenario_or_exit(scenario, campaign) if scenario is not None else None
        built = rehearsal_report(
            campaign,
            host,
            submissions=submissions,
            compliance=1.0 if compliance is None else compliance,
            seed=seed,
            as_of=as_of,
            unit=unit,
        )
    else:
        with open_ledger(existing_target(ledger_target(db))) as ledger:
            built = ledger_report(
                campaign, host, ledger, as_of=as_of or dt.datetime.now(dt.UTC), unit=unit
            )
    built = attrs.evolve(built, machine=ids, reference=reference, depth=depth)
    if folder and output is not None and chosen.pages is not None:
        try:
            _write_pages(chosen.pages, built, output, formats[fmt].plugin)
        except ReportRefused as refused:
            print_problems(refused.problems, str(file), stderr=True)
            raise typer.Exit(EXIT_PROBLEMS) from None
        return
    # A format with variants follows the output's suffix; --json asks for its JSON form.
    suffix = ".json" if as_json else (output.suffix.lower() if output is not None else "")
    variant = chosen.variants.get(suffix)
    write = chosen.write if variant is None else None
    render = variant or chosen.render

    def whole(report: Report, out: BinaryIO) -> None:
        rendered = render(report)
        out.write(rendered.encode("utf-8") if isinstance(rendered, str) else rendered)

    try:
        with written(output) as out, blaming(formats[fmt].plugin, "campaignkit_report_formats"):
            (write or whole)(built, out)
    except ReportRefused as refused:
        print_problems(refused.problems, str(file), stderr=True)
        raise typer.Exit(EXIT_PROBLEMS) from None
    except PluginHookError as failed:
        if isinstance(failed.error, BrokenPipeError):
            raise failed.error from None  # the reader went away: no plugin's fault
        raise


@contextlib.contextmanager
def written(output: Path | None) -> Iterator[BinaryIO]:
    """Where a report is written: standard output, or a new file beside `output` that
    takes its place once the block ends without an error, so that a report that fails
    half-way leaves no partial file (and an earlier report stays as it was)."""
    if output is None:
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    if output.exists() and not output.is_file():  # /dev/stdout, a named pipe
        with output.open("wb") as out:
            yield out
        return
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        with partial.open("xb") as out:
            yield out
        if output.exists():  # the report keeps the file's permissions
            partial.chmod(stat.S_IMODE(output.stat().st_mode))
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)


def _write_pages(
    pages: Callable[[Report], Iterable[tuple[str, bytes]]], built: Report, folder: Path, plugin: str
) -> None:
    """Write each page a format's `pages` yields for `built` into `folder`, as it comes: a
    national campaign's thousands of pages are never held at once. A name that would leave
    the folder is the plugin's fault."""
    with blaming(plugin, "campaignkit_report_formats"):
        made = iter(pages(built))
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        with blaming(plugin, "campaignkit_report_formats"):
            page = next(made, None)
            if page is None:
                return
            name, data = page
            parts = PurePosixPath(name).parts
            if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
                raise ValueError(f"page {name!r} is not a relative name inside the folder")
        path = folder.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
