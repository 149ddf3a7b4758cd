"""The pages' cookie sessions and their CSRF protection.

A session is Starlette's signed cookie (itsdangerous), ``HttpOnly`` and ``SameSite=Lax``,
``Secure`` when the request came over https (the proxy's ``X-Forwarded-Proto``). Every POST
outside the JSON API carries a CSRF token (asgi-csrf: a signed cookie, and the same token in
the form's first field, ``csrftoken``), or is refused with 403. The API signs in with a
bearer token and no cookie, so it needs none.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from typing import Any

from asgi_csrf import asgi_csrf  # type: ignore[import-untyped]
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

SECRET_ENV = "CAMPAIGNKIT_PORTAL_SECRET"
"""The secret sessions and CSRF tokens are signed with, from the operator's environment."""
SESSION_COOKIE = "campaignkit_portal"
CSRF_FIELD = "csrftoken"
"""The form field (the first of a form) that carries the CSRF token."""
SESSION_HOURS = 12


def session_secret() -> str | None:
    """The operator's secret, or None when `SECRET_ENV` is not set."""
    return os.environ.get(SECRET_ENV) or None


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _relative(scope: Scope) -> str:
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


UPLOADS = "/unit/requirements/"
"""Where a unit's hand-in forms are posted: their token is checked as the files stream
(`uploads.receive_files`), since asgi-csrf's own multipart reading fails on the
python-multipart the portal streams with."""


def checked_elsewhere(scope: Scope) -> bool:
    """The JSON API, which signs in with a bearer token, and a hand-in form's upload."""
    path = _relative(scope)
    if path.startswith("/api/"):
        return True
    headers = dict(scope.get("headers") or [])
    multipart = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
    return multipart and path.startswith(UPLOADS)


class _Everywhere:
    """asgi-csrf lets a POST without cookies through unless its path is "always protected":
    every path is, so a sign-in form cannot be posted from another site either."""

    def __contains__(self, path: object) -> bool:
        return True


class Sessions:
    """The session and the CSRF check around `app`, with `Secure` cookies over https."""

    def __init__(self, app: ASGIApp, secret: str, refused: Callable[..., Any]) -> None:
        self.secure = self._layers(app, secret, refused, secure=True)
        self.plain = self._layers(app, secret, refused, secure=False)

    @staticmethod
    def _layers(app: ASGIApp, secret: str, refused: Callable[..., Any], *, secure: bool) -> Any:
        session = SessionMiddleware(
            app,
            secret_key=secret,
            session_cookie=SESSION_COOKIE,
            max_age=SESSION_HOURS * 3600,
            same_site="lax",
            https_only=secure,
        )
        return asgi_csrf(
            session,
            signing_secret=secret,
            always_protect=_Everywhere(),
            skip_if_scope=checked_elsewhere,
            cookie_secure=secure,
            cookie_samesite="Lax",
            send_csrf_failed=refused,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        layers = self.secure if scope.get("scheme") == "https" else self.plain
        await layers(scope, receive, send)
