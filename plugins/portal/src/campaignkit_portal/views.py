"""Rendering the pages: Jinja2 templates from this package, autoescaping always on, in the
campaign's language; an `ApiError` a page meets is shown as a page, not as JSON."""

from __future__ import annotations

import functools
import html
from collections.abc import Awaitable, Callable
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import Scope, Send

from campaignkit import kind_labels, local_time, standing_labels

from .app_state import portal_of
from .replies import ApiError
from .words import words


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("campaignkit_portal", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def root(request: Request) -> str:
    """The prefix the portal is served under (``--root-path``), for the pages' links."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def render(template: str, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    portal = portal_of(request)
    token = request.scope.get("csrftoken")
    zone = portal.campaign.campaign.timezone
    text = (
        environment()
        .get_template(template)
        .render(
            t=words(),
            standings=standing_labels(portal.campaign),
            kinds=kind_labels(portal.campaign),
            campaign=portal.campaign,
            lang=portal.language,
            root=root(request),
            csrftoken=token() if token is not None else "",
            when=lambda at: local_time(at, zone, "%Y-%m-%d %H:%M:%S") if at else "",
            **context,
        )
    )
    return HTMLResponse(text, status_code=status)


def go(request: Request, path: str) -> RedirectResponse:
    """See `path` next (303: the browser GETs it)."""
    return RedirectResponse(root(request) + path, status_code=303)


Page = Callable[[Request], Awaitable[Response]]


def page(handler: Page) -> Page:
    """A page's handler, whose refusals (`ApiError`) are shown as a page in the campaign's
    language with their status."""

    @functools.wraps(handler)
    async def shown(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as error:
            return render("error.html", request, error.status, error=error)

    return shown


async def csrf_refused(scope: Scope, send: Send, _reason: object) -> None:
    """asgi-csrf's answer to a POST without a valid token: 403, in the campaign's language."""
    message = html.escape(words()["csrf"])
    body = f"<!doctype html><meta charset=utf-8><title>403</title><p>{message}</p>"
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"text/html; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode("utf-8")})
