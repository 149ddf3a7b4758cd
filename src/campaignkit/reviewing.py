"""The office's review of a hand-in, and a unit's signature for a notice: the use cases a
staff page or a unit's page of the portal calls.

Each prints nothing and never exits: it returns the recorded record, or raises
`ReviewRefused` / `SignatureRefused`, whose ``problems`` say why (keys ``submission``,
``state``, ``resubmit_by``, ``key``). A review that returns a hand-in (``has_issues``) or
rejects it queues a notice to the unit, with the comment, at the campaign's next send time,
in the same transaction as the review and its entry in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from .i18n import _, long_date, writing
from .model import Campaign, language_of, notice_text
from .notify import Notification
from .problems import Problem
from .reviews import Ack
from .schedule import Schedule, schedule_of
from .submissions import REVIEW_STATES, Review, ReviewState, Verdict
from .wording import notice_values, render_notice_text

if TYPE_CHECKING:
    from .ledger import Ledger


class ReviewRefused(ValueError):
    """A review that cannot be recorded: an unknown hand-in, a state that is not a review's,
    a ``resubmit_by`` that is not a date from today on. ``problems`` says which."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))


class SignatureRefused(ValueError):
    """A signature that cannot be recorded: the notice is not one addressed to the unit
    that signs. ``problems`` says so."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def review(
    campaign: Campaign,
    ledger: Ledger,
    submission_id: int,
    state: str,
    comment: str,
    reviewer: str,
    *,
    resubmit_by: str | dt.date | None = None,
    now: dt.datetime,
    schedule: Schedule | None = None,
) -> Review:
    """Record the office's review of hand-in `submission_id` (its `Verdict.id`): `state` is
    ``approved``, ``has_issues`` or ``rejected``; `resubmit_by` (``YYYY-MM-DD``, from today
    on, in the campaign's zone) is the unit's new deadline for a hand-in with issues.

    ``has_issues`` queues a ``returned`` notice to the unit, ``rejected`` a ``rejected``
    one, each with the comment, at the next send time of `schedule` (the campaign's, with
    weekends as rest days, when None). Returns the review with its id; raises
    `ReviewRefused`, and then nothing was recorded.
    """
    cid = campaign.campaign.id
    problems: list[Problem] = []
    row = ledger.submission(cid, submission_id)
    if row is None:
        problems.append(
            Problem(
                "submission",
                _("the campaign has no hand-in number {id}").format(id=submission_id),
                _("a hand-in's number is on its receipt"),
                code="unknown-submission",
            )
        )
    if state not in REVIEW_STATES:
        problems.append(
            Problem(
                "state",
                _("`{state}` is not a review's state").format(state=state),
                _("a review is one of: {states}").format(states=", ".join(REVIEW_STATES)),
                code="unknown-state",
            )
        )
    today = now.astimezone(schedule_of(campaign).zone).date()
    by = _date(resubmit_by, today, problems)
    if problems or row is None:
        raise ReviewRefused(problems)
    checked: ReviewState = state  # type: ignore[assignment]  # checked above
    asked = Review(row.id or submission_id, checked, comment, reviewer, now, by)
    when = (schedule or schedule_of(campaign)).next_send(now)
    return ledger.record_review(cid, asked, lambda done: _notices(campaign, row, done, when))


def _date(given: str | dt.date | None, today: dt.date, problems: list[Problem]) -> dt.date | None:
    if given is None or given == "":
        return None
    try:
        day = given if isinstance(given, dt.date) else dt.date.fromisoformat(given)
    except ValueError:
        problems.append(
            Problem(
                "resubmit_by",
                _("`{date}` is not a date").format(date=given),
                _("write it as YYYY-MM-DD, like {today}").format(today=today.isoformat()),
                code="bad-date",
            )
        )
        return None
    if day < today:
        problems.append(
            Problem(
                "resubmit_by",
                _("{date} is already past").format(date=day.isoformat()),
                _("give a date from today ({today}) on").format(today=today.isoformat()),
                code="past-date",
            )
        )
        return None
    return day


def _notices(campaign: Campaign, row: Verdict, done: Review, at: dt.datetime) -> list[Notification]:
    """The notice a review sends the unit: none for an approval."""
    if done.state == "approved":
        return []
    requirement = campaign.requirements.get(row.requirement)
    named = requirement.name if requirement is not None else row.requirement
    unit = campaign.units[row.unit].name if row.unit in campaign.units else row.unit
    language = language_of(campaign)
    with writing(language):
        if done.state == "has_issues":
            text = _(
                "Returned to {unit}: the office reviewed what you handed in for "
                "“{requirement}” and asks for changes: {comment}"
            )
            if done.resubmit_by is not None:
                text += _(" Please hand it in again by {date}.")
        else:
            text = _(
                "Rejected: the office reviewed what {unit} handed in for “{requirement}” "
                "and did not accept it: {comment}"
            )
        words = {"unit": unit, "requirement": named, "comment": done.comment}
        words["date"] = long_date(done.resubmit_by, language) if done.resubmit_by else ""
        text = text.format(**words)
        kind = "returned" if done.state == "has_issues" else "rejected"
        own = notice_text(campaign, requirement, kind) if requirement is not None else None
        if own is not None and requirement is not None:  # the bureau's own words
            due = done.resubmit_by or requirement.due
            values = notice_values(campaign, attrs.evolve(requirement, due=due), None, at, {})
            filled = {"unit": unit, "unit_id": row.unit, "to": unit, "reasons": done.comment}
            text = render_notice_text(own, {**values, **filled}, language)
        return [
            Notification(
                at,
                row.unit,
                kind,
                row.requirement,
                f"{campaign.campaign.id}/{row.requirement}/review-{done.id}/{row.unit}",
                text,
                as_of=done.at,
                keeps_hours=True,
            )
        ]


def sign_for(campaign: Campaign, ledger: Ledger, unit: str, key: str, now: dt.datetime) -> Ack:
    """Record `unit`'s signature (签收) for the notice `key`, once: signing again returns
    the first signature. Raises `SignatureRefused` when no notice with that key is
    addressed to `unit` — a unit signs only for its own notices."""
    cid = campaign.campaign.id
    if ledger.addressee(cid, key) != unit:
        raise SignatureRefused(
            [
                Problem(
                    "key",
                    _("no notice `{key}` is addressed to {unit}").format(key=key, unit=unit),
                    _("a unit signs for the notices sent to it"),
                    code="not-addressee",
                )
            ]
        )
    return ledger.record_ack(cid, Ack(key, unit, now))
