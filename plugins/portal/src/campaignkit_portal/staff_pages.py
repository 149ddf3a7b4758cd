"""The office's pages: sign in (rate-limited) and out, the live compliance grid, a unit's
hand-ins with their files, reviews and the review form, the form that extends or exempts it
(and revokes either), who signed for which notice, the audit log, and the installed report
formats as downloads. The same library calls as the API's routes; every page but the
sign-in wants a member of staff's session."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from campaignkit import Ledger, duties, extension_requests, ledger_report

from . import _
from .app_state import Portal, portal_of
from .downloads import content_disposition
from .operations import allow, hand_in_number, now, review_hand_in
from .passwords import password_matches
from .replies import ApiError
from .shapes import files_json
from .signed_in import session_staff, start_staff_session
from .throttle import Throttle
from .views import go, page, render


def _client(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


@page
async def login_form(request: Request) -> Response:
    return render("login.html", request, failed=None)


@page
async def login(request: Request) -> Response:
    form = await request.form()
    name = str(form.get("name") or "").strip()
    password = str(form.get("password") or "")
    throttle: Throttle = request.app.state.throttle
    keys = (f"name:{name}", f"address:{_client(request)}")

    def attempt(portal: Portal, ledger: Ledger) -> str | None:
        """Why the sign-in fails (`too_many`, `wrong_password`), or None."""
        if throttle.refuses(ledger, keys):
            return "too_many"
        member = ledger.staff_member(name) if name else None
        if member is None or not password_matches(member.password_hash, password):
            throttle.failed(ledger, keys)
            return "wrong_password"
        throttle.succeeded(ledger, keys)
        return None

    failed = await portal_of(request).call(attempt)
    if failed is not None:
        return render("login.html", request, 429 if failed == "too_many" else 401, failed=failed)
    start_staff_session(request, name)
    return go(request, "/staff")


@page
async def logout(request: Request) -> Response:
    request.session.clear()
    return go(request, "/staff/login")


class _SignIn(Exception):
    """No member of staff's session: the browser is sent to the sign-in page."""


async def _as_staff(request: Request, work: Any) -> Response:
    """`work(portal, ledger, name)` for the session's member of staff, in the ledger's
    thread; to the sign-in page without one."""

    def answer(portal: Portal, ledger: Ledger) -> Response:
        name = session_staff(request, ledger)
        if name is None:
            raise _SignIn
        response: Response = work(portal, ledger, name)
        return response

    try:
        return await portal_of(request).call(answer)
    except _SignIn:
        return go(request, "/staff/login")


@page
async def grid(request: Request) -> Response:
    parent = request.query_params.get("parent") or ""
    standing = request.query_params.get("standing") or ""

    def work(portal: Portal, ledger: Ledger, name: str) -> Response:
        report = ledger_report(portal.campaign, portal.host, ledger, as_of=now())
        cells: dict[str, dict[str, str]] = {}
        moved: dict[tuple[str, str], str] = {}  # (unit, requirement): the day it was moved to
        for status in report.requirements:
            for row in status.rows:
                if not parent or row.parent == parent:
                    cells.setdefault(row.unit, {})[status.requirement.id] = row.standing
                    if row.extended_until is not None:
                        moved[row.unit, status.requirement.id] = row.extended_until.isoformat()
        units = [u for u, by in cells.items() if not standing or standing in by.values()]
        parents = sorted({u.parent for u in portal.campaign.units.values() if u.parent})
        return render(
            "grid.html",
            request,
            staff=name,
            report=report,
            units=units,
            cells=cells,
            moved=moved,
            parents=parents,
            parent=parent,
            standing=standing,
            formats=sorted(portal.host.report_formats()),
        )

    return await _as_staff(request, work)


@page
async def unit_page(request: Request) -> Response:
    unit = request.path_params["unit"]

    def work(portal: Portal, ledger: Ledger, name: str) -> Response:
        if unit not in portal.campaign.units:
            raise ApiError(404, "not-found", _("there is no unit `{unit}`").format(unit=unit))
        rows = [row for row in ledger.submissions(portal.cid) if row.unit == unit]
        reviews = ledger.reviews(portal.cid)
        acks = {ack.key: ack for ack in ledger.acks(portal.cid) if ack.unit == unit}
        return render(
            "staff_unit.html",
            request,
            staff=name,
            unit=portal.campaign.units[unit],
            unit_id=unit,
            asked=[r for r in extension_requests(portal.campaign, ledger) if r.unit == unit],
            duties=duties(
                portal.campaign,
                unit,
                rows,
                reviews,
                as_of=now(),
                allowances=ledger.allowances(portal.cid),
            ),
            hand_ins=[
                (
                    row,
                    files_json(portal.campaign, row),
                    [r for r in reviews if r.submission == row.id],
                )
                for row in rows
            ],
            notices=[r for r in ledger.outbox(portal.cid) if r.notification.to == unit],
            acks=acks,
            today=now().date().isoformat(),
        )

    return await _as_staff(request, work)


@page
async def review_form(request: Request) -> Response:
    number = hand_in_number(request.path_params["id"])
    form = await request.form()

    def work(portal: Portal, ledger: Ledger, name: str) -> Response:
        row = ledger.submission(portal.cid, number)
        if row is None:
            raise ApiError(404, "not-found", _("there is no hand-in `{id}`").format(id=number))
        review_hand_in(
            portal,
            ledger,
            number,
            str(form.get("state") or ""),
            str(form.get("comment") or ""),
            name,
            str(form.get("resubmit_by") or "") or None,
        )
        return go(request, f"/staff/units/{row.unit}")

    return await _as_staff(request, work)


@page
async def allowance_form(request: Request) -> Response:
    unit = request.path_params["unit"]
    form = await request.form()

    def work(portal: Portal, ledger: Ledger, name: str) -> Response:
        if unit not in portal.campaign.units:
            raise ApiError(404, "not-found", _("there is no unit `{unit}`").format(unit=unit))
        allow(
            portal,
            ledger,
            str(form.get("action") or ""),
            unit,
            str(form.get("requirement") or ""),
            until=str(form.get("until") or ""),
            reason=str(form.get("reason") or ""),
            by=name,
        )
        return go(request, f"/staff/units/{unit}")

    return await _as_staff(request, work)


@page
async def audit(request: Request) -> Response:
    def work(portal: Portal, ledger: Ledger, name: str) -> Response:
        entries = sorted([*ledger.audit(portal.cid), *ledger.audit("")], key=lambda e: e.at)
        return render("audit.html", request, staff=name, entries=entries)

    return await _as_staff(request, work)


@page
async def export(request: Request) -> Response:
    wanted = request.path_params["format"]

    def work(portal: Portal, ledger: Ledger, name: str) -> Response:
        found = portal.host.report_formats().get(wanted)
        if found is None:
            message = _("there is no report format `{name}`").format(name=wanted)
            raise ApiError(404, "not-found", message)
        report = ledger_report(portal.campaign, portal.host, ledger, as_of=now())
        body = found.record.render(report)
        filename = f"{portal.cid}{found.record.suffix}"
        return Response(
            body.encode("utf-8") if isinstance(body, str) else body,
            media_type=found.record.media_type,
            headers={"Content-Disposition": content_disposition(filename)},
        )

    return await _as_staff(request, work)


ROUTES = [
    Route("/staff/login", login_form),
    Route("/staff/login", login, methods=["POST"]),
    Route("/staff/logout", logout, methods=["POST"]),
    Route("/staff", grid),
    Route("/staff/units/{unit}", unit_page),
    Route("/staff/submissions/{id}/review", review_form, methods=["POST"]),
    Route("/staff/units/{unit}/allowances", allowance_form, methods=["POST"]),
    Route("/staff/audit", audit),
    Route("/staff/export/{format}", export),
]
"""The office's pages, beside the API."""
