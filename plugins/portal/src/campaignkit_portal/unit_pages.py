"""A unit's pages: its link (``/u/{token}``) starts a session, then ``/unit`` shows its
duties with a hand-in form each, ``/unit/receipts/{id}`` a hand-in's verdict and receipt,
``/unit/notices`` its notices to sign for. The same library calls as the API's routes."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from campaignkit import (
    Ledger,
    SignatureRefused,
    duties,
    extension_requests,
    receipt_number,
    sign_for,
    who_is,
)

from . import _
from .app_state import Portal, portal_of
from .operations import ask_extension, hand_in_number, now, stream_hand_in
from .replies import ApiError
from .shapes import files_json
from .signed_in import start_unit_session, unit_asking
from .views import go, page, render


@page
async def link(request: Request) -> Response:
    """A unit's link: a good token starts its session, and the browser moves on to a
    page whose address does not hold the token."""
    portal = portal_of(request)
    token = request.path_params["token"]

    def found(portal: Portal, ledger: Ledger) -> Any:
        return who_is(ledger, token, now=now())

    visitor = await portal.call(found)
    if visitor is None or visitor.kind != "unit" or visitor.campaign != portal.cid:
        return render("bad_link.html", request, 404)
    start_unit_session(request, visitor)
    return go(request, "/unit")


@page
async def home(request: Request) -> Response:
    portal = portal_of(request)
    unit = unit_asking(request, portal)

    def answer(portal: Portal, ledger: Ledger) -> Response:
        found = duties(
            portal.campaign,
            unit,
            ledger.submissions(portal.cid),
            ledger.reviews(portal.cid),
            as_of=now(),
            allowances=ledger.allowances(portal.cid),
        )
        asked = {
            r.requirement: r for r in extension_requests(portal.campaign, ledger) if r.unit == unit
        }
        return render(
            "unit.html", request, unit=portal.campaign.units[unit], duties=found, asked=asked
        )

    return await portal.call(answer)


@page
async def hand_in(request: Request) -> Response:
    """Hand in the form's files (streamed and capped as the API's), then show the verdict
    and the receipt."""
    portal = portal_of(request)
    unit = unit_asking(request, portal)
    token = request.scope["csrftoken"]()  # the session's, from its signed cookie
    requirement = request.path_params["requirement"]
    row = await stream_hand_in(request, portal, unit, requirement, csrf=token)
    return go(request, f"/unit/receipts/{row.id}")


@page
async def receipt(request: Request) -> Response:
    portal = portal_of(request)
    unit = unit_asking(request, portal)
    number = hand_in_number(request.path_params["id"])

    def answer(portal: Portal, ledger: Ledger) -> Response:
        row = ledger.submission(portal.cid, number)
        if row is None or row.unit != unit:
            raise ApiError(404, "not-found", _("there is no hand-in `{id}`").format(id=number))
        return render(
            "receipt.html",
            request,
            unit=portal.campaign.units[unit],
            row=row,
            requirement=portal.campaign.requirements[row.requirement],
            number=receipt_number(portal.cid, number),
            files=files_json(portal.campaign, row),
        )

    return await portal.call(answer)


@page
async def ask(request: Request) -> Response:
    """Ask the office for more time on a requirement, then back to the duties."""
    portal = portal_of(request)
    unit = unit_asking(request, portal)
    requirement = request.path_params["requirement"]
    form = await request.form()
    until, reason = str(form.get("until") or ""), str(form.get("reason") or "")

    def answer(portal: Portal, ledger: Ledger) -> None:
        ask_extension(portal, ledger, unit, requirement, until, reason)

    await portal.call(answer)
    return go(request, "/unit")


@page
async def notices(request: Request) -> Response:
    portal = portal_of(request)
    unit = unit_asking(request, portal)

    def answer(portal: Portal, ledger: Ledger) -> Response:
        acks = {ack.key: ack for ack in ledger.acks(portal.cid) if ack.unit == unit}
        rows = [row for row in ledger.outbox(portal.cid) if row.notification.to == unit]
        return render(
            "notices.html", request, unit=portal.campaign.units[unit], rows=rows, acks=acks
        )

    return await portal.call(answer)


@page
async def sign(request: Request) -> Response:
    portal = portal_of(request)
    unit = unit_asking(request, portal)
    key = str((await request.form()).get("key") or "")

    def answer(portal: Portal, ledger: Ledger) -> None:
        try:
            sign_for(portal.campaign, ledger, unit, key, now())
        except SignatureRefused as refused:
            raise ApiError(404, "not-found", str(refused), refused.problems) from None

    await portal.call(answer)
    return go(request, "/unit/notices")


ROUTES = [
    Route("/u/{token}", link),
    Route("/unit", home),
    Route("/unit/requirements/{requirement}", hand_in, methods=["POST"]),
    Route("/unit/requirements/{requirement}/extension", ask, methods=["POST"]),
    Route("/unit/receipts/{id}", receipt),
    Route("/unit/notices", notices),
    Route("/unit/notices/sign", sign, methods=["POST"]),
]
"""A unit's pages, beside the API."""
