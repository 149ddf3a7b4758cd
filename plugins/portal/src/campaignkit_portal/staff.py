"""``campaignkit staff``: the office's staff, who review hand-ins in the portal — add them
with a password, give their scripts a bearer token, list them."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated

import typer

from campaignkit import (
    AccessRefused,
    add_staff,
    existing_target,
    issue_staff_token,
    ledger_target,
    open_ledger,
    revoke_staff_tokens,
)

from . import _
from .output import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    Format,
    FormatOption,
    err,
    print_json,
    print_table,
    say_problems,
)
from .passwords import hash_password

app = typer.Typer(
    help="The office's staff: add them, their tokens for scripts, list them.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

LedgerOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="The ledger, a file or a postgresql:// URL (default: $CAMPAIGNKIT_DB)."
    ),
]
OPTIONS = {"name": "NAME", "password": "--password-stdin"}


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="The member of staff's name, to sign in with.")],
    db: LedgerOption,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a member of staff. The ledger keeps the password's argon2 hash, never the password.

    Exit 0 when added, 1 when the name is taken or the password empty.
    """
    if not password_stdin:
        err(_("error: give the password on standard input, with --password-stdin"))
        raise typer.Exit(EXIT_USAGE)
    # One line: what `echo secret |` or a password manager writes.
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        err(_("error: --password-stdin: the password is empty"))
        raise typer.Exit(EXIT_PROBLEMS)
    with open_ledger(ledger_target(db)) as ledger:
        try:
            add_staff(ledger, name, hash_password(password), now=dt.datetime.now(dt.UTC))
        except AccessRefused as refused:
            say_problems(refused.problems, OPTIONS)
            raise typer.Exit(EXIT_PROBLEMS) from None
    typer.echo(_("Added {name}.").format(name=name.strip()))
    raise typer.Exit(EXIT_OK)


@app.command()
def token(
    name: Annotated[str, typer.Argument(help="The member of staff.")],
    db: LedgerOption,
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Revoke every token of theirs instead.")
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Print a bearer token for a member of staff's scripts, shown this once.

    The ledger keeps only its digest. It lasts until revoked (--revoke revokes all of theirs).

    Exit 0 when done, 1 for a name that is not on the staff.
    """
    now = dt.datetime.now(dt.UTC)
    with open_ledger(existing_target(ledger_target(db))) as ledger:
        try:
            if revoke:
                count = revoke_staff_tokens(ledger, name, now=now)
            else:
                issued = issue_staff_token(ledger, name, now=now)
        except AccessRefused as refused:
            say_problems(refused.problems, OPTIONS)
            raise typer.Exit(EXIT_PROBLEMS) from None
    if revoke:
        if fmt is Format.json:
            print_json({"name": name, "revoked": count})
        else:
            typer.echo(_("Tokens revoked: {count}").format(count=count))
    elif fmt is Format.json:
        print_json({"name": issued.name, "token": issued.token})
    else:
        typer.echo(issued.token)
    raise typer.Exit(EXIT_OK)


@app.command("list")
def list_staff(db: LedgerOption, fmt: FormatOption = Format.table) -> None:
    """List the members of staff, by name, with when each was added (UTC)."""
    with open_ledger(existing_target(ledger_target(db))) as ledger:
        members = ledger.staff_members()
    if fmt is Format.json:
        print_json(
            [
                {"name": m.name, "created_at": m.created_at.isoformat(timespec="seconds")}
                for m in members
            ]
        )
    else:
        rows = [[m.name, m.created_at.strftime("%Y-%m-%d %H:%M:%S")] for m in members]
        print_table([_("name"), _("added (UTC)")], rows)
    raise typer.Exit(EXIT_OK)
