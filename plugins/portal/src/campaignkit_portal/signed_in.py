"""Who a page's visitor is: the cookie session a unit's link or a staff sign-in started.

The session holds the unit (with its campaign and when its link expires) or the member of
staff's name, nothing else; each request checks it is still good.
"""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request

from campaignkit import Ledger, Visitor

from . import _
from .app_state import Portal
from .replies import ApiError


def start_unit_session(request: Request, found: Visitor) -> None:
    request.session.clear()
    request.session["unit"] = found.subject
    request.session["campaign"] = found.campaign
    if found.expires_at is not None:
        request.session["until"] = found.expires_at.isoformat()


def start_staff_session(request: Request, name: str) -> None:
    request.session.clear()
    request.session["staff"] = name


def session_unit(request: Request, portal: Portal) -> str | None:
    """The unit this session is, while its link has not expired; else None."""
    session = request.session
    unit = session.get("unit")
    if not isinstance(unit, str) or session.get("campaign") != portal.cid:
        return None
    until = session.get("until")
    if until and dt.datetime.fromisoformat(until) <= dt.datetime.now(dt.UTC):
        return None
    return unit if unit in portal.campaign.units else None


def session_staff(request: Request, ledger: Ledger) -> str | None:
    """The member of staff this session is, while still on the staff; else None."""
    name = request.session.get("staff")
    if not isinstance(name, str) or ledger.staff_member(name) is None:
        return None
    return name


def unit_asking(request: Request, portal: Portal) -> str:
    """The session's unit; a 403 `ApiError` (shown as a page) without one."""
    unit = session_unit(request, portal)
    if unit is None:
        raise ApiError(403, "forbidden", _("Open the link the office sent you to come in."))
    return unit


def session_visitor(request: Request, portal: Portal, ledger: Ledger) -> Visitor | None:
    """The session's visitor, for a route that takes a session as well as a bearer token."""
    if "session" not in request.scope:
        return None
    unit = session_unit(request, portal)
    if unit is not None:
        return Visitor("unit", unit, portal.cid)
    name = session_staff(request, ledger)
    return Visitor("staff", name) if name is not None else None
