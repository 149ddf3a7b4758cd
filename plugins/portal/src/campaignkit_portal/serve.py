"""``campaignkit serve FILE --db LEDGER``: run the portal, uvicorn serving the Starlette app."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from campaignkit import (
    LedgerError,
    StoreRefused,
    host_from,
    ledger_location,
    open_ledger,
    open_store,
)

from . import _
from .app import DB_ENV, FILE_ENV
from .output import EXIT_PROBLEMS, EXIT_USAGE, campaign_or_exit, err
from .sessions import session_secret

TRUSTED_PROXY = "127.0.0.1"
"""The one address whose X-Forwarded-* headers are believed: a reverse proxy on this machine."""


def serve(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The campaign file.")],
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="The ledger, a file or a postgresql:// URL (default: $CAMPAIGNKIT_DB, else"
            " beside the campaign file).",
        ),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes.")] = 1,
    root_path: Annotated[
        str,
        typer.Option("--root-path", help="The prefix a reverse proxy serves the portal under."),
    ] = "",
) -> None:
    """Run the hand-in portal: its JSON API under /api/v1, with the campaign's ledger.

    It listens on 127.0.0.1 unless --host says otherwise; behind a reverse proxy on the same
    machine, give the proxy's prefix with --root-path. Exit 1 when the campaign has problems.
    """
    campaign_or_exit(ctx, file)  # its problems stop here, before a worker starts
    ledger = ledger_location(db, file)
    assert ledger is not None  # beside the campaign file, at least
    try:  # the evidence store CAMPAIGNKIT_EVIDENCE names, as each worker will open it
        open_store(host_from(ctx), ledger)
    except StoreRefused as refused:
        err(_("error: {message}").format(message=refused))
        raise typer.Exit(EXIT_USAGE) from None
    try:  # a server that cannot be reached stops here; a new ledger is made once
        open_ledger(ledger).close()
    except LedgerError as error:
        err(_("error: {message}").format(message=error))
        raise typer.Exit(EXIT_PROBLEMS) from None
    if workers < 1 or not 0 < port < 65536:
        err(_("error: --port is 1 to 65535, and --workers 1 or more"))
        raise typer.Exit(EXIT_USAGE)
    if session_secret() is None:
        if workers > 1:
            err(_("error: with --workers above 1, set CAMPAIGNKIT_PORTAL_SECRET"))
            raise typer.Exit(EXIT_USAGE)
        err(_("CAMPAIGNKIT_PORTAL_SECRET is not set: sessions end when the portal restarts"))
    import uvicorn

    from .logs import log_config

    # Each worker builds its own app from these: a worker may be a process of its own.
    os.environ[FILE_ENV] = str(file.resolve())
    os.environ[DB_ENV] = ledger if isinstance(ledger, str) else str(ledger.resolve())
    uvicorn.run(
        "campaignkit_portal.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        root_path=root_path,
        proxy_headers=True,
        forwarded_allow_ips=TRUSTED_PROXY,
        log_config=log_config(),
        server_header=False,
    )
