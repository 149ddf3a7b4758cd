"""The portal's JSON API, ``/api/v1``: each route parses, makes one library call and answers
JSON. Who may do what is said here, route by route: a unit sees and changes only its own
(another unit's data is `404`, never shown), a unit asks for more time, the office's staff
review, extend and exempt."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from campaignkit import Ledger, SignatureRefused, duties, sign_for

from . import _
from .app_state import Portal, portal_of
from .auth import bearer, may_see, staff_name, unit_of, visitor
from .downloads import attachment
from .operations import (
    allow,
    ask_extension,
    hand_in_number,
    now,
    review_hand_in,
    stream_hand_in,
)
from .replies import ApiError, json_response
from .shapes import (
    allowance_json,
    duty_json,
    handed_in_json,
    notice_json,
    request_json,
    review_json,
    submission_json,
)
from .signed_in import session_visitor


async def healthz(request: Request) -> Response:
    portal = portal_of(request)
    return json_response({"ok": True, "campaign": portal.campaign.campaign.id})


def _unit_json(portal: Portal, unit: str) -> dict[str, str]:
    return {"id": unit, "name": portal.campaign.units[unit].name}


def _duties(portal: Portal, ledger: Ledger, unit: str) -> list[dict[str, Any]]:
    cid = portal.campaign.campaign.id
    found = duties(
        portal.campaign,
        unit,
        ledger.submissions(cid),
        ledger.reviews(cid),
        as_of=now(),
        allowances=ledger.allowances(cid),
    )
    return [duty_json(duty) for duty in found]


async def me(request: Request) -> Response:
    def answer(portal: Portal, ledger: Ledger) -> Response:
        unit = unit_of(visitor(ledger, portal.cid, bearer(request)))
        return json_response(
            {"unit": _unit_json(portal, unit), "duties": _duties(portal, ledger, unit)}
        )

    return await portal_of(request).call(answer)


async def unit_page(request: Request) -> Response:
    wanted = request.path_params["unit"]

    def answer(portal: Portal, ledger: Ledger) -> Response:
        found = visitor(ledger, portal.cid, bearer(request))
        if wanted not in portal.campaign.units or not may_see(found, wanted):
            raise ApiError(404, "not-found", _("there is no unit `{unit}`").format(unit=wanted))
        rows = [row for row in ledger.submissions(portal.cid) if row.unit == wanted]
        reviews = ledger.reviews(portal.cid)
        return json_response(
            {
                "unit": _unit_json(portal, wanted),
                "duties": _duties(portal, ledger, wanted),
                "submissions": [submission_json(portal.campaign, r, reviews) for r in rows],
            }
        )

    return await portal_of(request).call(answer)


async def submit(request: Request) -> Response:
    """Stream the files, then hand them in: a recorded hand-in (accepted or rejected) is 201."""
    portal = portal_of(request)

    def unit_asking(portal: Portal, ledger: Ledger) -> str:
        return unit_of(visitor(ledger, portal.cid, bearer(request)))

    unit = await portal.call(unit_asking)
    row = await stream_hand_in(request, portal, unit, request.path_params["requirement"])
    return json_response(handed_in_json(portal.campaign, row), 201)


async def review_submission(request: Request) -> Response:
    number = hand_in_number(request.path_params["id"])
    asked = await json_object(request, _("send the review as a JSON object"))

    def answer(portal: Portal, ledger: Ledger) -> Response:
        reviewer = staff_name(visitor(ledger, portal.cid, bearer(request)))
        done = review_hand_in(
            portal,
            ledger,
            number,
            str(asked.get("state", "")),
            str(asked.get("comment") or ""),
            reviewer,
            asked.get("resubmit_by") or None,
        )
        return json_response(review_json(done))

    return await portal_of(request).call(answer)


async def allowance(request: Request) -> Response:
    """Staff extend or exempt a unit, or revoke either: ``{"action": "extend", "requirement":
    …, "until": "2020-07-08", "reason": …}``; ``exempt``, ``revoke-extension``,
    ``revoke-exemption``."""
    unit = request.path_params["unit"]
    asked = await json_object(request, _("send it as a JSON object"))

    def answer(portal: Portal, ledger: Ledger) -> Response:
        by = staff_name(visitor(ledger, portal.cid, bearer(request)))
        if unit not in portal.campaign.units:
            raise ApiError(404, "not-found", _("there is no unit `{unit}`").format(unit=unit))
        done = allow(
            portal,
            ledger,
            str(asked.get("action", "")),
            unit,
            str(asked.get("requirement", "")),
            until=str(asked.get("until") or ""),
            reason=str(asked.get("reason") or ""),
            by=by,
        )
        return json_response(allowance_json(done))

    return await portal_of(request).call(answer)


async def ask(request: Request) -> Response:
    """A unit asks for a later deadline: ``{"until": "2020-07-08", "reason": …}``."""
    requirement = request.path_params["requirement"]
    asked = await json_object(request, _("send it as a JSON object"))

    def answer(portal: Portal, ledger: Ledger) -> Response:
        unit = unit_of(visitor(ledger, portal.cid, bearer(request)))
        until, reason = str(asked.get("until") or ""), str(asked.get("reason") or "")
        done = ask_extension(portal, ledger, unit, requirement, until, reason)
        return json_response(request_json(done), 201)

    return await portal_of(request).call(answer)


async def notices(request: Request) -> Response:
    def answer(portal: Portal, ledger: Ledger) -> Response:
        unit = unit_of(visitor(ledger, portal.cid, bearer(request)))
        acks = {ack.key: ack for ack in ledger.acks(portal.cid) if ack.unit == unit}
        rows = [row for row in ledger.outbox(portal.cid) if row.notification.to == unit]
        return json_response({"notices": [notice_json(row, acks) for row in rows]})

    return await portal_of(request).call(answer)


async def sign(request: Request) -> Response:
    key = request.path_params["key"]

    def answer(portal: Portal, ledger: Ledger) -> Response:
        unit = unit_of(visitor(ledger, portal.cid, bearer(request)))
        try:
            ack = sign_for(portal.campaign, ledger, unit, key, now())
        except SignatureRefused as refused:
            raise ApiError(404, "not-found", str(refused), refused.problems) from None
        return json_response({"key": ack.key, "unit": ack.unit, "signed_at": ack.at.isoformat()})

    return await portal_of(request).call(answer)


async def download(request: Request) -> Response:
    number = hand_in_number(request.path_params["id"])
    deliverable = request.path_params["deliverable"]
    n = request.path_params["n"]

    def answer(portal: Portal, ledger: Ledger) -> Response:
        # The pages link here too: a browser comes with its session, not a bearer token.
        token = bearer(request)
        in_session = session_visitor(request, portal, ledger) if token is None else None
        found = in_session or visitor(ledger, portal.cid, token)
        row = ledger.submission(portal.cid, number)
        missing = ApiError(404, "not-found", _("there is no such file"))
        if row is None or not may_see(found, row.unit):
            raise missing
        entries = row.evidence.get(deliverable) or []
        if not 1 <= n <= len(entries) or not entries[n - 1].get("sha256"):
            raise missing
        entry = entries[n - 1]
        store = portal.store()
        if not store.exists(entry["sha256"]):
            raise missing
        return attachment(store, entry["sha256"], str(entry.get("name") or "file"))

    return await portal_of(request).call(answer)


ROUTES = [
    Route("/healthz", healthz),
    Route("/me", me),
    Route("/units/{unit}", unit_page),
    Route("/requirements/{requirement}/submissions", submit, methods=["POST"]),
    Route("/submissions/{id}/review", review_submission, methods=["POST"]),
    Route("/units/{unit}/allowances", allowance, methods=["POST"]),
    Route("/requirements/{requirement}/extension-requests", ask, methods=["POST"]),
    Route("/submissions/{id}/files/{deliverable}/{n:int}", download),
    Route("/notices", notices),
    Route("/notices/{key:path}/ack", sign, methods=["POST"]),
]
"""The API's routes, mounted at ``/api/v1``."""


async def json_object(request: Request, refused: str) -> dict[str, Any]:
    """The request's body, a JSON object; else a 400 saying `refused`."""
    try:
        asked = await request.json()
    except ValueError:
        asked = None
    if not isinstance(asked, dict):
        raise ApiError(400, "bad-json", refused)
    return asked
