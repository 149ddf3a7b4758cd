"""The portal as an ASGI app: a Starlette app factory over one campaign and its ledger.

The JSON API is mounted at ``/api/v1`` (`api.py`); the pages (``/u/{token}``, the staff's
sign-in) will be mounted beside it, sharing the `Portal` state and `auth.py`. Every response
says ``X-Content-Type-Options: nosniff`` and a Content-Security-Policy that allows no inline
script, and no response sends a referrer, so a unit's link never leaks through one.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from campaignkit import PluginHost, load_campaign, load_plugins, writing

from . import _
from .api import ROUTES
from .app_state import Portal
from .replies import ApiError

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'"),
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


def create_app(campaign_file: Path, db: Path, *, host: PluginHost | None = None) -> Starlette:
    """The portal of the campaign in `campaign_file`, keeping what happens in the ledger
    `db` (and its evidence store beside it). `host` is the plugin host (the installed
    plugins by default). Raises `CampaignInvalid` for a campaign with errors."""
    host = host if host is not None else load_plugins()
    campaign = load_campaign(Path(campaign_file), host=host).unwrap()
    host.configure(campaign.plugins, campaign)
    portal = Portal(campaign, host, Path(db))
    app = Starlette(
        routes=[Mount("/api/v1", routes=ROUTES)],
        exception_handlers={ApiError: _refused, HTTPException: _http_error},
    )
    app.state.portal = portal
    app.add_middleware(Guarded, language=portal.language)
    return app


def app_from_env() -> Starlette:
    """The app `serve` runs in each worker: the campaign and ledger from the environment."""
    return create_app(Path(os.environ[FILE_ENV]), Path(os.environ[DB_ENV]))
