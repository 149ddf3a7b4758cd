"""What the API and the pages both do, each one library call with its refusals as
`ApiError`: hand in (the files streamed and capped), review, ask for an extension, and
grant, decline or revoke an extension or an exemption. The routes and the pages say who is
asking; these say what happens."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from starlette.requests import Request

from campaignkit import (
    Contact,
    Exemption,
    Extension,
    ExtensionRefused,
    ExtensionRequest,
    HandIn,
    Ledger,
    Review,
    ReviewRefused,
    Verdict,
    check_hand_in,
    decline_extension,
    exempt,
    extend,
    hand_in,
    request_extension,
    review,
    revoke_exemption,
    revoke_extension,
    size_cap,
)

from . import _
from .app_state import Portal
from .replies import ApiError
from .uploads import LIAISON_FIELDS, receive_files


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def admit(portal: Portal, unit: str, requirement: str) -> None:
    """Whether `unit` may hand in for `requirement`: a 404 `ApiError` for an unknown
    requirement, a 403 for a unit that is not its assignee."""
    _checked, slips = check_hand_in(portal.campaign, HandIn(unit, requirement, (), now()))
    for slip in slips:
        if slip.code == "unknown-requirement":
            raise ApiError(404, "not-found", slip.message, [slip])
        raise ApiError(403, "forbidden", slip.message, [slip])


async def stream_hand_in(
    request: Request, portal: Portal, unit: str, requirement: str, *, csrf: str | None = None
) -> Verdict:
    """Stream the request's form into a temporary folder, each file capped as its
    deliverable says, then hand the files and the figures (fields ``figure.ID``) in for
    `unit`: the recorded hand-in, accepted or rejected. A page gives its session's `csrf`
    token, which the form's first field must carry. Raises `ApiError` (400 a bad form or
    a figure the requirement does not ask for, 403 a wrong token, 413 a file too large:
    nothing recorded)."""
    admit(portal, unit, requirement)
    deliverables = portal.campaign.requirements[requirement].deliverables
    caps = {item.id: size_cap(item.max_size_mb) for item in deliverables if item.kind != "figures"}
    folder = Path(tempfile.mkdtemp(prefix="campaignkit-upload-"))
    try:
        upload = await receive_files(
            request.headers.get("content-type", ""), request.stream(), folder, caps, csrf
        )
        liaison = [upload.fields.get(name) or None for name in LIAISON_FIELDS]
        contact = Contact(*liaison) if any(liaison) else None
        asked = HandIn(unit, requirement, upload.files, now(), contact, figures=upload.figures)

        def record(portal: Portal, ledger: Ledger) -> Verdict:
            row = hand_in(portal.host, portal.campaign, ledger, portal.store(), asked)
            if isinstance(row, list):  # a slip the checks above let through
                raise ApiError(400, "not-recorded", _("nothing was recorded"), row)
            return row

        return await portal.call(record)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def review_hand_in(
    portal: Portal,
    ledger: Ledger,
    number: int,
    state: str,
    comment: str,
    reviewer: str,
    resubmit_by: str | None,
) -> Review:
    """`reviewer`'s review of the hand-in `number`; a 404 `ApiError` for an unknown
    hand-in, a 400 for a review `review` refuses."""
    try:
        return review(
            portal.campaign,
            ledger,
            number,
            state,
            comment,
            reviewer,
            resubmit_by=resubmit_by or None,
            now=now(),
        )
    except ReviewRefused as refused:
        unknown = any(p.code == "unknown-submission" for p in refused.problems)
        status, code = (404, "not-found") if unknown else (400, "review-refused")
        raise ApiError(status, code, str(refused), refused.problems) from None


ALLOWANCE_ACTIONS = ("extend", "exempt", "decline", "revoke-extension", "revoke-exemption")
"""What a member of staff may do to one unit's duty besides reviewing its hand-ins."""


def allow(
    portal: Portal,
    ledger: Ledger,
    action: str,
    unit: str,
    requirement: str,
    *,
    until: str,
    reason: str,
    by: str,
) -> Extension | Exemption | ExtensionRequest:
    """`by`'s extension (``extend``, to the end of `until`) or exemption (``exempt``) of
    `unit` on `requirement`, its revocation, or the refusal (``decline``) of the unit's
    request for one; a 400 `ApiError` for one the library refuses, or for an action it
    does not know."""
    at = now()
    try:
        if action == "extend":
            return extend(portal.campaign, ledger, unit, requirement, until, reason, by, now=at)
        if action == "exempt":
            return exempt(portal.campaign, ledger, unit, requirement, reason, by, now=at)
        if action == "decline":
            return decline_extension(
                portal.campaign, ledger, unit, requirement, by, now=at, reason=reason
            )
        if action == "revoke-extension":
            return revoke_extension(portal.campaign, ledger, unit, requirement, by, now=at)
        if action == "revoke-exemption":
            return revoke_exemption(portal.campaign, ledger, unit, requirement, by, now=at)
    except ExtensionRefused as refused:
        raise ApiError(400, "extension-refused", str(refused), refused.problems) from None
    message = _("`{action}` is not one of: {actions}").format(
        action=action, actions=", ".join(ALLOWANCE_ACTIONS)
    )
    raise ApiError(400, "unknown-action", message)


def ask_extension(
    portal: Portal, ledger: Ledger, unit: str, requirement: str, until: str, reason: str
) -> ExtensionRequest:
    """`unit`'s request for a later deadline on `requirement`; a 400 `ApiError` for one
    the library refuses (an earlier date, no reason, a unit that is not an assignee)."""
    try:
        return request_extension(
            portal.campaign, ledger, unit, requirement, until, reason, now=now()
        )
    except ExtensionRefused as refused:
        raise ApiError(400, "extension-refused", str(refused), refused.problems) from None


def hand_in_number(text: str) -> int:
    """A hand-in's id from a path; a 404 `ApiError` for one that is not a number."""
    if not text.isdigit() or len(text) > 18:
        raise ApiError(404, "not-found", _("there is no hand-in `{id}`").format(id=text))
    return int(text)
