"""``campaignkit invite FILE``: issue, or revoke, each unit's secret link to the portal."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Annotated

import typer

from campaignkit import (
    AccessRefused,
    Campaign,
    InvitationSent,
    IssuedToken,
    due_at,
    host_from,
    issue_unit_tokens,
    ledger_target,
    local_time,
    open_ledger,
    revoke_unit_tokens,
    send_invitations,
)

from . import _
from .output import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    Format,
    FormatOption,
    campaign_or_exit,
    err,
    print_json,
    print_table,
    say_problems,
)

OPTIONS = {"unit": "--unit", "expires": "--expires"}


def invite(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The campaign file.")],
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="The portal's address, such as https://portal.example."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="The ledger, a file or a postgresql:// URL (default: $CAMPAIGNKIT_DB, else"
            " beside the campaign file).",
        ),
    ] = None,
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help="A unit, by id; repeat for several.")
    ] = None,
    all_units: Annotated[bool, typer.Option("--all", help="Every unit of the campaign.")] = False,
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Revoke the units' links instead.")
    ] = False,
    expires: Annotated[
        str | None,
        typer.Option(
            "--expires",
            help="When the links expire: a date (its end, in the campaign's time zone) or a"
            " moment (default: when the campaign closes).",
        ),
    ] = None,
    send: Annotated[
        bool,
        typer.Option("--send", help="Also send each unit its link now, through its own channels."),
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Issue each unit a secret link to the portal, or revoke it.

    A link replaces the unit's earlier one. The token in it is shown this once: the ledger
    keeps only its digest. Exit 0 when done, 1 when the campaign has problems, 2 for a slip
    such as an unknown unit: then nothing is issued or revoked. With --send, exit 1 when a
    unit's link reached none of its channels (the links are issued all the same).
    """
    if bool(unit) == all_units:
        err(_("error: name the units with --unit, or give --all"))
        raise typer.Exit(EXIT_USAGE)
    if not revoke and not base_url:
        err(_("error: --base-url is needed to make the links"))
        raise typer.Exit(EXIT_USAGE)
    if base_url and not base_url.startswith(("https://", "http://")):
        err(_("error: --base-url: `{url}` should start with https://").format(url=base_url))
        raise typer.Exit(EXIT_USAGE)
    campaign = campaign_or_exit(ctx, file)
    units = list(campaign.units) if all_units else list(unit or [])
    until = _moment(expires, campaign) if expires is not None else None
    now = dt.datetime.now(dt.UTC)
    with open_ledger(ledger_target(db, file)) as ledger:
        try:
            if revoke:
                revoked = revoke_unit_tokens(campaign, ledger, units, now=now)
            else:
                issued = issue_unit_tokens(campaign, ledger, units, expires=until, now=now)
                assert base_url is not None
                sent = (
                    send_invitations(campaign, host_from(ctx), ledger, issued, base_url, now=now)
                    if send
                    else None
                )
        except AccessRefused as refused:
            say_problems(refused.problems, OPTIONS)
            slip = any(p.path == "unit" for p in refused.problems) or expires is not None
            raise typer.Exit(EXIT_USAGE if slip else EXIT_PROBLEMS) from None
    if revoke:
        _print_revoked(campaign, revoked, fmt)
    else:
        assert base_url is not None
        _print_issued(campaign, issued, base_url, fmt, sent)
        if sent is not None and not all(s.reached for s in sent):
            raise typer.Exit(EXIT_PROBLEMS)
    raise typer.Exit(EXIT_OK)


def _moment(text: str, campaign: Campaign) -> dt.datetime:
    """A date means the end of that day; a moment without a zone is the campaign's time."""
    try:
        if len(text) == 10:
            return due_at(campaign, dt.date.fromisoformat(text))
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        message = _("error: --expires: `{value}` is not a date or a moment, such as {example}")
        err(message.format(value=text, example="2020-06-30 or 2020-06-30T18:00"))
        raise typer.Exit(EXIT_USAGE) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(campaign.timezone))
    return moment


def _print_issued(
    campaign: Campaign,
    issued: list[IssuedToken],
    base_url: str,
    fmt: Format,
    sent: list[InvitationSent] | None,
) -> None:
    by_unit = {s.unit: s for s in sent or ()}
    if fmt is Format.json:
        print_json(
            [
                {"unit": t.unit, "name": t.name, "url": t.url(base_url), "token": t.token}
                | (
                    {"sent": list(by_unit[t.unit].channels), "errors": list(by_unit[t.unit].errors)}
                    if t.unit in by_unit
                    else {}
                )
                for t in issued
            ]
        )
        return
    header = [_("unit"), _("name"), _("link")] + ([_("sent through")] if sent is not None else [])
    rows = [
        [t.unit, t.name, t.url(base_url)]
        + ([", ".join(by_unit[t.unit].channels) or _("no channel")] if sent is not None else [])
        for t in issued
    ]
    print_table(header, rows)
    for done in sent or ():
        for error in done.errors:
            err(_("  {unit}: not sent through {error}").format(unit=done.unit, error=error))
    if issued:
        expiry = local_time(issued[0].expires_at, campaign.timezone, "%Y-%m-%d %H:%M:%S")
        err(_("The links expire at {moment}; each is shown this once.").format(moment=expiry))


def _print_revoked(campaign: Campaign, revoked: dict[str, int], fmt: Format) -> None:
    if fmt is Format.json:
        print_json(
            [
                {"unit": unit, "name": campaign.units[unit].name, "revoked": count}
                for unit, count in revoked.items()
            ]
        )
        return
    print_table(
        [_("unit"), _("name"), _("links revoked")],
        [[unit, campaign.units[unit].name, str(count)] for unit, count in revoked.items()],
    )
