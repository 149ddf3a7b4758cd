"""The portal as an ASGI app: a Starlette app factory over one campaign and its ledger.

The JSON API is mounted at ``/api/v1`` (`api.py`); the pages (a unit's, `unit_pages.py`; the
staff's, `staff_pages.py`) beside it, with cookie sessions and CSRF tokens (`sessions.py`),
sharing the `Portal` state and the same library calls. Every response says
``X-Content-Type-Options: nosniff`` and a Content-Security-Policy that allows no script and
only the portal's own stylesheet, and no response sends a referrer, so a unit's link never
leaks through one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from campaignkit import (
    LedgerPool,
    PluginHost,
    ledger_location,
    load_campaign,
    load_plugins,
    open_store,
    writing,
)

from . import _
from .api import ROUTES
from .app_state import Portal
from .replies import ApiError
from .sessions import Sessions, new_secret, session_secret
from .staff_pages import ROUTES as STAFF_ROUTES
from .throttle import Throttle
from .unit_pages import ROUTES as UNIT_ROUTES
from .views import csrf_refused

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        b"base-uri 'none'",
    ),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]
FILE_ENV = "CAMPAIGNKIT_PORTAL_FILE"
DB_ENV = "CAMPAIGNKIT_PORTAL_DB"
"""Where `serve` tells its workers the campaign and the ledger are (`app_from_env`)."""


class Guarded:
    """Every response with the security headers, and each request in the campaign's
    language (the messages of its errors)."""

    def __init__(self, app: ASGIApp, language: str) -> None:
        self.app = app
        self.language = language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _value in SECURITY_HEADERS}
                headers = [h for h in message.get("headers", []) if h[0].lower() not in names]
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        with writing(self.language):
            await self.app(scope, receive, guarded_send)


STYLESHEET = Path(__file__).parent / "templates" / "portal.css"


async def stylesheet(request: Request) -> Response:
    return Response(STYLESHEET.read_bytes(), media_type="text/css")


async def _refused(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    return error.response()


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code == 405:
        message = _("this address does not take that method")
        return ApiError(405, "method-not-allowed", message).response()
    message = _("there is nothing at this address")
    return ApiError(error.status_code, "not-found", message).response()


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    """The ledger's pool opens with the worker, so that a server that cannot be reached
    stops it at start rather than failing its first request; it closes with it."""
    portal: Portal = app.state.portal
    await portal.call(lambda portal, ledger: None)
    yield
    await run_in_threadpool(portal.ledgers.close)


def create_app(
    campaign_file: Path,
    db: str | Path,
    *,
    host: PluginHost | None = None,
    secret: str | None = None,
    clock: Callable[[], dt.datetime] | None = None,
) -> Starlette:
    """The portal of the campaign in `campaign_file`, keeping what happens in the ledger
    `db`, and its files in the evidence store ``CAMPAIGNKIT_EVIDENCE`` names (by default
    the directory beside the ledger). `host` is the plugin host (the installed
    plugins by default); `secret` signs the pages' sessions (by default
    ``CAMPAIGNKIT_PORTAL_SECRET``, else one made for this process); `clock` is the staff
    sign-in's rate limit's. Raises `CampaignInvalid` for a campaign with errors, and
    `StoreRefused` for an evidence store it cannot open."""
    host = host if host is not None else load_plugins()
    campaign = load_campaign(Path(campaign_file), host=host).unwrap()
    host.configure(campaign.plugins, campaign)
    ledger = ledger_location(db)  # a path, or a database's URL
    assert ledger is not None
    portal = Portal(campaign, host, LedgerPool(ledger), open_store(host, ledger))
    app = Starlette(
        routes=[
            Mount("/api/v1", routes=ROUTES),
            *UNIT_ROUTES,
            *STAFF_ROUTES,
            Route("/static/portal.css", stylesheet),
        ],
        exception_handlers={ApiError: _refused, HTTPException: _http_error},
        lifespan=_lifespan,
    )
    app.state.portal = portal
    app.state.throttle = Throttle(clock) if clock is not None else Throttle()
    secret = secret or session_secret() or new_secret()
    # Added last, outermost: every answer, the CSRF check's 403 too, is guarded.
    app.add_middleware(Sessions, secret=secret, refused=csrf_refused)
    app.add_middleware(Guarded, language=portal.language)
    return app


def app_from_env() -> Starlette:
    """The app `serve` runs in each worker: the campaign and ledger from the environment."""
    return create_app(Path(os.environ[FILE_ENV]), os.environ[DB_ENV])
