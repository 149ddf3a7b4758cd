"""``campaignkit status FILE``: where every assignee stands, now or at a given moment."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from ..i18n import _, spoken
from ..ledger import open_ledger
from ..live import ledger_report
from ..notify import Notification
from ..problems import listed
from ..report import (
    STANDINGS,
    AssigneeStatus,
    ColumnValue,
    Report,
    kind_labels,
    standing_labels,
)
from ..reportjson import review_json
from ..reviews import Ack
from ..submissions import Review
from .ledger_target import existing_target, ledger_target
from .moments import moment
from .output import (
    CampaignFile,
    Format,
    FormatOption,
    at_time,
    clean,
    console,
    host_from,
    load_or_exit,
    print_json,
)

# The colours of the chase notices bureaus use: blue is in order, yellow a warning, red late.
STYLES = {
    "on_time": "white on blue",
    "late": "black on yellow",
    "pending": "yellow",
    "rejected": "white on red",
    "returned": "black on yellow",
    "missing": "white on red",
    "exempt": "dim",
}


def status(
    ctx: typer.Context,
    file: CampaignFile,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="The ledger, a file or a postgresql:// URL (default: beside the campaign file).",
        ),
    ] = None,
    at: Annotated[str | None, typer.Option("--at", help="Standings at this moment.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Show each assignee's standing per requirement, and the notices it was sent."""
    host = host_from(ctx)
    campaign = load_or_exit(file, host, fmt)
    ledger_path = existing_target(ledger_target(db, file), _("`campaignkit submit` starts one"))
    as_of = moment(at, campaign, option="--at") or dt.datetime.now(dt.UTC)
    with open_ledger(ledger_path) as ledger:
        report = ledger_report(campaign, host, ledger, as_of=as_of)
    if fmt is Format.json:
        print_json(status_json(report))
    else:
        _print(report)


def _notices(report: Report) -> dict[tuple[str | None, str], list[Notification]]:
    """Each unit's notices about each requirement, those it was sent and those about it, by
    (requirement, unit): made once, so that a national ledger's rows are not each matched
    against every notice."""
    found: dict[tuple[str | None, str], list[Notification]] = {}
    for note in report.notifications:
        found.setdefault((note.requirement, note.to), []).append(note)
        if note.about is not None and note.about != note.to:
            found.setdefault((note.requirement, note.about), []).append(note)
    return found


def status_json(report: Report) -> dict[str, Any]:
    notices = _notices(report)
    return {
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "requirements": [
            {
                "id": r.requirement.id,
                "name": r.requirement.name,
                "occurrence": r.requirement.occurrence,
                "due_at": r.due_at.isoformat(),
                "units": [
                    {
                        "unit": row.unit,
                        "name": row.name,
                        "status": row.standing,
                        "submitted_at": row.submitted_at.isoformat() if row.submitted_at else None,
                        "reasons": list(row.reasons),
                        "columns": dict(row.columns),
                        "review": review_json(row.review),
                        "extended_until": (
                            row.extended_until.isoformat() if row.extended_until else None
                        ),
                        "notifications": [
                            {
                                "key": n.key,
                                "signed_at": _signed(row.acks, n.key),
                                "at": n.at.isoformat(),
                                "kind": n.kind,
                                "to": n.to,
                                "state": report.states.get(n.key),
                                "error": report.errors.get(n.key),
                            }
                            for n in notices.get((r.requirement.id, row.unit), ())
                        ],
                    }
                    for row in r.rows
                ],
            }
            for r in report.requirements
        ],
    }


def _print(report: Report) -> None:
    out = console()
    campaign = report.campaign
    names = standing_labels(campaign, spoken())
    moment_ = at_time(report.as_of, campaign) if report.as_of else ""
    title = _("{requirement} — due {due} — {counts} — as of {moment}")
    # The plugins' columns, before the notices: those are the widest cells.
    headings: list[str | Text] = [Text(clean(c.heading(spoken()))) for c in report.columns]
    notices = _notices(report)
    for req in report.requirements:
        counts = _(", ").join(
            _("{standing} {count}").format(standing=names[s], count=req.count(s))
            for s in STANDINGS
            if req.count(s)
        )
        named = _("{name} ({id})").format(name=req.requirement.name, id=req.requirement.id)
        table = Table(
            title=title.format(
                requirement=named,
                due=f"{req.due_at:%Y-%m-%d %H:%M}",
                counts=counts,
                moment=moment_,
            ),
            title_justify="left",
        )
        for heading in [_("unit"), _("status"), _("submitted"), _("reasons"), *headings]:
            table.add_column(heading, overflow="fold")
        table.add_column(_("notices"), overflow="fold")
        for row in req.rows:
            table.add_row(
                Text(row.name),
                _standing_cell(names, row),
                f"{row.submitted_at:%Y-%m-%d %H:%M}" if row.submitted_at else "",
                Text(clean("\n".join([*row.reasons, *_review_lines(row.review)]))),
                *(Text(clean(_shown(row.column(column.name)))) for column in report.columns),
                _notice_cell(report, notices.get((req.requirement.id, row.unit), []), row.acks),
            )
        out.print(table)


def _standing_cell(names: dict[str, str], row: AssigneeStatus) -> Text:
    """The standing, coloured, and under it the day the unit's deadline was moved to."""
    cell = Text(f" {names[row.standing]} ", style=STYLES[row.standing])
    if row.extended_until is not None:
        cell.append("\n" + _("extended to {date}").format(date=row.extended_until.isoformat()))
    return cell


def _shown(value: ColumnValue) -> str:
    return "" if value is None else str(value)


def _signed(acks: tuple[Ack, ...], key: str) -> str | None:
    return next((a.at.isoformat() for a in acks if a.key == key), None)


def _review_lines(review: Review | None) -> list[str]:
    """The office's review of the hand-in, under its reasons: its state and comment."""
    if review is None:
        return []
    states = {
        "approved": _("approved by {reviewer}"),
        "has_issues": _("returned by {reviewer}"),
        "rejected": _("rejected by {reviewer}"),
    }
    said = states[review.state].format(reviewer=review.reviewer)
    if review.comment and review.state == "approved":  # else it is among the reasons
        said = _("{review}: {comment}").format(review=said, comment=review.comment)
    if review.resubmit_by is not None:
        said += _(" (again by {date})").format(date=review.resubmit_by.isoformat())
    return [said]


def _notice_cell(report: Report, notices: list[Any], acks: tuple[Ack, ...] = ()) -> str:
    """The notices of one unit: each kind with how many, then what did not reach it."""
    sent = Counter(n.kind for n in notices if report.states.get(n.key) != "skipped")
    states = Counter(report.states.get(n.key) for n in notices)
    dead = [n for n in notices if report.states.get(n.key) == "dead"]
    why = sorted({report.errors[n.key] for n in dead if n.key in report.errors})
    kinds = kind_labels(report.campaign, spoken())
    cell = listed(
        f"{kinds.get(kind, kind)} ×{n}" if n > 1 else kinds.get(kind, kind)
        for kind, n in sent.items()
    )
    if dead:
        said = _(" ({count} undeliverable: {errors})")
        cell += said.format(count=len(dead), errors=_("; ").join(why))
    if states["unreached"]:
        cell += _(" ({count} not reached)").format(count=states["unreached"])
    if states["skipped"]:
        cell += _(" ({count} skipped as stale)").format(count=states["skipped"])
    kind_of = {n.key: n.kind for n in notices}
    for ack in acks:  # who signed for which notice
        kind = kind_of.get(ack.key, "")
        when = at_time(ack.at, report.campaign)
        cell += "\n" + _("{kind} signed for {moment}").format(
            kind=kinds.get(kind, kind), moment=when
        )
    return cell
