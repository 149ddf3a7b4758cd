"""Who is asking: a request's bearer token, and who it lets in (the core's `who_is`).

The API takes ``Authorization: Bearer TOKEN`` with a unit's token (from ``invite``) or a
member of staff's (from ``staff token``). The pages' cookie sessions will come in beside it:
`visitor` is the one place that answers "who is this".
"""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request

from campaignkit import Ledger, Visitor, who_is

from . import _
from .replies import ApiError


def bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, or None."""
    scheme, _sep, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def visitor(ledger: Ledger, campaign_id: str, token: str | None) -> Visitor:
    """Who `token` lets in to this campaign's portal; a unit's token of another campaign
    lets no one in. Raises a 401 `ApiError` for a missing, unknown, expired or revoked one."""
    if token is None:
        raise ApiError(401, "unauthorized", _("sign in: send Authorization: Bearer TOKEN"))
    found = who_is(ledger, token, now=dt.datetime.now(dt.UTC))
    if found is None or (found.kind == "unit" and found.campaign != campaign_id):
        raise ApiError(401, "unauthorized", _("the token is unknown, expired or revoked"))
    return found


def unit_of(found: Visitor) -> str:
    """The unit a visitor is; a 403 `ApiError` for a member of staff."""
    if found.kind != "unit":
        raise ApiError(403, "forbidden", _("this is for a unit's own token"))
    return found.subject


def staff_name(found: Visitor) -> str:
    """The member of staff a visitor is; a 403 `ApiError` for a unit."""
    if found.kind != "staff":
        raise ApiError(403, "forbidden", _("only the office's staff may do this"))
    return found.subject


def may_see(found: Visitor, unit: str) -> bool:
    """Whether a visitor may see `unit`'s data: the office's staff, or the unit itself."""
    return found.kind == "staff" or found.subject == unit
