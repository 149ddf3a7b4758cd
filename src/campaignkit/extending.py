"""Extensions (延期) and exemptions (免报): the use cases behind ``campaignkit extend`` and
``campaignkit exempt``, for the command line, the portal's staff pages or a script.

Each prints nothing and never exits: it returns the recorded `Extension` or `Exemption`, or
raises `ExtensionRefused`, whose ``problems`` say why (keys ``unit``, ``requirement``,
``occurrence``, ``until``, ``reason``, ``by``, ``revoke``), and then nothing was recorded.
A unit is named by its id or its exact name, as `hand_in` takes it; it must be an
assignee of the requirement (of one occurrence, for a recurring one). What is recorded goes
in the audit log with it, in one transaction; what it changes (the unit's deadline, its
standing, the notices it is sent) follows from the ledger at the next run, report or
hand-in (`campaignkit.extensions`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from .extensions import Exemption, Extension, ExtensionRequest
from .handin import HandIn, check_hand_in
from .i18n import _
from .model import Campaign
from .problems import Problem
from .recurrence import needs_occurrence
from .reviews import AuditEntry

if TYPE_CHECKING:
    from .ledger import Ledger


class ExtensionRefused(ValueError):
    """An extension or exemption that cannot be recorded, or revoked; ``problems`` says
    why."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def extend(
    campaign: Campaign,
    ledger: Ledger,
    unit: str,
    requirement: str,
    until: str | dt.date,
    reason: str,
    by: str,
    *,
    now: dt.datetime,
    occurrence: str | None = None,
) -> Extension:
    """Move `unit`'s deadline on `requirement` (or its `occurrence`) to the end of `until`
    (``YYYY-MM-DD``, after its current due date) in the campaign's zone, for `reason`,
    granted by `by`. An extension granted again replaces the one in force; it answers the
    unit's request for one, if it made one (`request_extension`)."""
    asked = _extension(campaign, ledger, unit, requirement, until, reason, by, now, occurrence)
    return ledger.record_extension(campaign.campaign.id, asked)


def request_extension(
    campaign: Campaign,
    ledger: Ledger,
    unit: str,
    requirement: str,
    until: str | dt.date,
    reason: str,
    *,
    now: dt.datetime,
    occurrence: str | None = None,
) -> ExtensionRequest:
    """`unit` asks the office to move its deadline on `requirement` to the end of `until`,
    for `reason`: checked as `extend` checks it, and kept in the audit log
    (``request-extension``, by the unit) until staff answer it (`extension_requests`)."""
    asked = _extension(campaign, ledger, unit, requirement, until, reason, unit, now, occurrence)
    detail = {"until": asked.until.isoformat(), "reason": asked.reason}
    subject = f"{asked.unit}/{asked.requirement}"
    entry = AuditEntry(now, asked.unit, "request-extension", subject, detail)
    ledger.record_audit(campaign.campaign.id, entry)
    return ExtensionRequest(asked.unit, asked.requirement, asked.until, asked.reason, now)


def decline_extension(
    campaign: Campaign,
    ledger: Ledger,
    unit: str,
    requirement: str,
    by: str,
    *,
    now: dt.datetime,
    reason: str = "",
    occurrence: str | None = None,
) -> ExtensionRequest:
    """Answer `unit`'s open request for an extension of `requirement` with no, in the audit
    log (``decline-extension``); returns the request it answered."""
    problems: list[Problem] = []
    found = _assignee(campaign, unit, requirement, occurrence, problems)
    _said(by, "by", problems)
    mine = [r for r in extension_requests(campaign, ledger) if (r.unit, r.requirement) == found]
    if found is not None and not mine:
        message = _("{unit} ({id}) has asked for no extension of `{requirement}`")
        problems.append(_nothing(campaign, *found, message))
    if problems or not mine:
        raise ExtensionRefused(problems)
    subject = f"{mine[0].unit}/{mine[0].requirement}"
    entry = AuditEntry(now, by.strip(), "decline-extension", subject, {"reason": reason.strip()})
    ledger.record_audit(campaign.campaign.id, entry)
    return mine[0]


ANSWERS = ("extend", "exempt", "decline-extension")
"""What the audit log calls the answers to a unit's request for an extension."""


def extension_requests(campaign: Campaign, ledger: Ledger) -> list[ExtensionRequest]:
    """The units' requests for an extension that the office has not answered yet, oldest
    first: a request is answered by an extension, an exemption or a refusal given after it."""
    waiting: dict[tuple[str, str], ExtensionRequest] = {}
    for entry in ledger.audit(campaign.campaign.id):
        unit, _slash, requirement = entry.subject.partition("/")
        if entry.action == "request-extension":
            until = dt.date.fromisoformat(entry.detail["until"])
            asked = ExtensionRequest(unit, requirement, until, entry.detail["reason"], entry.at)
            waiting[unit, requirement] = asked
        elif entry.action in ANSWERS:
            waiting.pop((unit, requirement), None)
    return sorted(waiting.values(), key=lambda r: r.at)


def _extension(
    campaign: Campaign,
    ledger: Ledger,
    unit: str,
    requirement: str,
    until: str | dt.date,
    reason: str,
    by: str,
    now: dt.datetime,
    occurrence: str | None,
) -> Extension:
    """The extension asked for, checked, not recorded; raises `ExtensionRefused`."""
    problems: list[Problem] = []
    cid = campaign.campaign.id
    found = _assignee(campaign, unit, requirement, occurrence, problems)
    day = _day(until, now, problems)
    _said(reason, "reason", problems)
    _said(by, "by", problems)
    if found is not None:
        unit_id, req_id = found
        allowances = ledger.allowances(cid)
        if allowances.is_exempt(unit_id, req_id):
            problems.append(_exempt_already(campaign, unit_id, req_id))
        current = allowances.until(unit_id, req_id) or campaign.requirements[req_id].due
        if day is not None and day <= current:
            message = _("{date} is not after the unit's due date, {due}")
            problems.append(
                Problem(
                    "until",
                    message.format(date=day.isoformat(), due=current.isoformat()),
                    _("give a day after {due}").format(due=current.isoformat()),
                    code="not-later",
                )
            )
    if problems or found is None or day is None:
        raise ExtensionRefused(problems)
    return Extension(found[0], found[1], day, reason.strip(), by.strip(), now)


def exempt(
    campaign: Campaign,
    ledger: Ledger,
    unit: str,
    requirement: str,
    reason: str,
    by: str,
    *,
    now: dt.datetime,
    occurrence: str | None = None,
) -> Exemption:
    """Take `unit` out of `requirement` (or its `occurrence`) for `reason`, granted by
    `by`: its standing becomes ``exempt``, nothing chases it, and no rate counts it."""
    problems: list[Problem] = []
    cid = campaign.campaign.id
    found = _assignee(campaign, unit, requirement, occurrence, problems)
    _said(reason, "reason", problems)
    _said(by, "by", problems)
    if found is not None and ledger.allowances(cid).is_exempt(*found):
        problems.append(_exempt_already(campaign, *found))
    if problems or found is None:
        raise ExtensionRefused(problems)
    asked = Exemption(found[0], found[1], reason.strip(), by.strip(), now)
    return ledger.record_exemption(cid, asked)


def revoke_extension(
    campaign: Campaign,
    ledger: Ledger,
    unit: str,
    requirement: str,
    by: str,
    *,
    now: dt.datetime,
    occurrence: str | None = None,
) -> Extension:
    """Revoke the extension in force for `unit` on `requirement`: its deadline goes back to
    the one before it (an earlier extension still in force, or the requirement's)."""
    message = _("{unit} ({id}) has no extension in force for `{requirement}`")
    granted = _in_force(campaign, ledger.extensions, unit, requirement, by, occurrence, message)
    return ledger.revoke_extension(campaign.campaign.id, granted, by.strip(), now)


def revoke_exemption(
    campaign: Campaign,
    ledger: Ledger,
    unit: str,
    requirement: str,
    by: str,
    *,
    now: dt.datetime,
    occurrence: str | None = None,
) -> Exemption:
    """Revoke `unit`'s exemption from `requirement`: it is asked to hand in again."""
    message = _("{unit} ({id}) is not exempt from `{requirement}`")
    granted = _in_force(campaign, ledger.exemptions, unit, requirement, by, occurrence, message)
    return ledger.revoke_exemption(campaign.campaign.id, granted, by.strip(), now)


Granted = TypeVar("Granted", Extension, Exemption)


def _in_force(
    campaign: Campaign,
    records: Callable[[str], Sequence[Granted]],
    unit: str,
    requirement: str,
    by: str,
    occurrence: str | None,
    message: str,
) -> Granted:
    """The latest of `records` in force for the unit on the requirement, to revoke; the
    problems with what was asked (`message` when there is none) as `ExtensionRefused`."""
    problems: list[Problem] = []
    found = _assignee(campaign, unit, requirement, occurrence, problems)
    _said(by, "by", problems)
    granted = None
    if found is not None:
        mine = [
            e
            for e in records(campaign.campaign.id)
            if (e.unit, e.requirement) == found and e.revoked_at is None
        ]
        granted = mine[-1] if mine else None
        if granted is None:
            problems.append(_nothing(campaign, *found, message))
    if problems or granted is None:
        raise ExtensionRefused(problems)
    return granted


def _assignee(
    campaign: Campaign,
    unit: str,
    requirement: str,
    occurrence: str | None,
    problems: list[Problem],
) -> tuple[str, str] | None:
    """(unit id, requirement id) when the unit (by id or exact name) is an assignee of the
    requirement, or of its `occurrence`; else None, and the problems say why, with a
    did-you-mean, as `check_hand_in` says them."""
    asked = HandIn(unit, requirement, (), dt.datetime.min, occurrence=occurrence)
    checked, found = check_hand_in(campaign, asked)
    if not found and checked.requirement not in campaign.requirements:
        # A recurring requirement: an extension is for one period, never for all of them.
        found.append(needs_occurrence(campaign, requirement))
    problems.extend(found)
    return None if found else (checked.unit, checked.requirement)


def _day(given: str | dt.date, now: dt.datetime, problems: list[Problem]) -> dt.date | None:
    if isinstance(given, dt.date):
        return given
    if not given.strip():
        problems.append(Problem("until", _("the new due date is required"), code="empty"))
        return None
    try:
        return dt.date.fromisoformat(given.strip())
    except ValueError:
        problems.append(
            Problem(
                "until",
                _("`{date}` is not a date").format(date=given),
                _("write it as YYYY-MM-DD, like {today}").format(today=now.date().isoformat()),
                code="bad-date",
            )
        )
        return None


def _said(text: str, key: str, problems: list[Problem]) -> None:
    if not text.strip():
        message = _("a reason is required") if key == "reason" else _("say who grants it")
        problems.append(Problem(key, message, code="empty"))


def _exempt_already(campaign: Campaign, unit: str, requirement: str) -> Problem:
    return Problem(
        "unit",
        _("{unit} ({id}) is exempt from `{requirement}`").format(
            unit=campaign.units[unit].name, id=unit, requirement=requirement
        ),
        _("revoke the exemption first: `campaignkit exempt … --revoke`"),
        code="exempt",
    )


def _nothing(campaign: Campaign, unit: str, requirement: str, message: str) -> Problem:
    return Problem(
        "revoke",
        message.format(unit=campaign.units[unit].name, id=unit, requirement=requirement),
        _("`campaignkit status FILE` shows each unit's extensions and exemptions"),
        code="nothing-to-revoke",
    )
