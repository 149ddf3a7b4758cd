"""Built-in plugin ``obligations``: requirement events become notifications.

- a reminder goes to every assignee that has no accepted submission yet;
- at the deadline, an overdue notice goes to every assignee still missing;
- an escalation goes, for every assignee still missing, one level above the office that
  chases it (see `campaignkit.org.escalation_target`);
- a rejected hand-in is told to its unit, with every reason.

A unit whose last hand-in was rejected is never told it has not handed in: its overdue
notice and escalation say the materials were refused, and why. Every notice is queued for
the campaign's next send time (never at night), chases its unit (a hand-in accepted before
it goes out makes it stale), and a reminder expires at the deadline.

One hook call per event; the fan-out to units happens here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from campaignkit import (
    DAY_END,
    Campaign,
    Notification,
    Requirement,
    Role,
    due_at,
    escalation_route,
    hookimpl,
    language_of,
    local,
    ngettext,
    writing,
)
from campaignkit import gettext as _

if TYPE_CHECKING:
    from campaignkit import Event, Run


@cache
def notice_texts(language: str, days: int) -> Mapping[str, str]:
    """The notices' texts in `language`, for a notice `days` days from its deadline; each
    still to be filled with `_shared_words` (and ``{unit}``, ``{to}``, ``{reasons}``).

    Looked up once per language and count of days, not once per notice: a national
    rehearsal makes hundreds of thousands of them.

    ``{task}`` is what is to be handed in: “the requirement's name”, or in Chinese the
    phrase 报送“…” (only the name when it already says so); ``{requirement}`` is the name.
    """
    with writing(language):
        return {
            "reminder": ngettext(
                "Reminder to {unit}: {task} is due to {recipient} by {due} ({days} day left).",
                "Reminder to {unit}: {task} is due to {recipient} by {due} ({days} days left).",
                days,
            ),
            "overdue": _(
                "Overdue: {unit} has not handed in “{requirement}”, which was due by {due}. "
                "Please hand it in as soon as possible."
            ),
            "escalation": ngettext(
                "Escalation to {to}: as of {as_of}, {unit} had still not handed in {task}, "
                "{days} day after it was due by {due}.",
                "Escalation to {to}: as of {as_of}, {unit} had still not handed in {task}, "
                "{days} days after it was due by {due}.",
                days,
            ),
            "rejected": _(
                "Returned to {unit}: what you handed in for “{requirement}” did not pass "
                "review: {reasons}. Please correct it and hand it in again (due by {due})."
            ),
            "overdue-rejected": _(
                "Overdue: “{requirement}” was due by {due}, and what {unit} handed in did not "
                "pass review ({reasons}). Please correct it and hand it in again."
            ),
            "escalation-rejected": ngettext(
                "Escalation to {to}: as of {as_of}, what {unit} handed in for “{requirement}” "
                "had not passed review ({reasons}), and nothing new had come {days} day after "
                "it was due by {due}.",
                "Escalation to {to}: as of {as_of}, what {unit} handed in for “{requirement}” "
                "had not passed review ({reasons}), and nothing new had come {days} days after "
                "it was due by {due}.",
                days,
            ),
            # Between the reasons a hand-in was returned for.
            "separator": _("; "),
        }


KINDS = {
    "requirement.remind": "reminder",
    "requirement.due": "overdue",
    "requirement.escalate": "escalation",
    "submission.rejected": "rejected",
}


def _date(day: dt.date, language: str) -> str:
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day:%B} {day.year}"


def _name(campaign: Campaign, unit: str | None) -> str:
    record = campaign.units.get(unit or "")
    return record.name if record is not None else (unit or "")


def notice_key(campaign: Campaign, event: Event, kind: str, about: str) -> str:
    """Stable across runs: campaign, requirement, which notice, which unit."""
    if event.unit is not None:
        step = f"{kind}@{event.at.astimezone(dt.UTC):%Y%m%dT%H%M%S}"
    elif event.days is not None:
        step = f"{kind}-{event.days}d"
    else:
        step = kind
    return f"{campaign.campaign.id}/{event.subject}/{step}/{about}"


@hookimpl
def campaignkit_on_event(event: Event, run: Run) -> list[Notification]:
    kind = KINDS.get(event.kind)
    if kind is None:
        return []
    campaign = run.campaign
    requirement = campaign.requirements[event.subject]
    if kind == "rejected":
        return _rejected(event, run, requirement)
    # What every notice of this event shares is worked out once: a national campaign sends
    # tens of thousands of notices per event.
    at = run.schedule.next_send(event.at)
    words = _shared_words(campaign, requirement, event, at)
    texts = notice_texts(language_of(campaign), words["days"])
    template = _fill(texts[kind], words)
    prefix = notice_key(campaign, event, kind, "")
    expires = _expiry(campaign, requirement, at) if kind == "reminder" else None
    units = campaign.units
    notices = []
    for unit in run.missing(requirement.id):
        to, role = unit, None
        if kind == "escalation":
            route = escalation_route(campaign, requirement, unit)
            if route is None:
                continue  # nobody above the chasing office; `validate` warns about this
            to, role = route
        rejection = run.rejection(unit, requirement.id) if kind != "reminder" else None
        if rejection is not None:
            reasons = texts["separator"].join(rejection.problems)
            text = _fill(texts[f"{kind}-rejected"], {**words, "reasons": reasons})
        else:
            text = template
        notices.append(
            Notification(
                at,
                to,
                kind,
                requirement.id,
                prefix + unit,
                text.format(unit=units[unit].name, to=_addressee(campaign, to, role)),
                about=unit if to != unit else None,
                expires=expires,
                chases=True,
                as_of=event.at,
                keeps_hours=True,
            )
        )
    return notices


def _expiry(campaign: Campaign, requirement: Requirement, at: dt.datetime) -> dt.datetime:
    """A reminder says how many days are left: true until the end of the day it goes out,
    and no later than the deadline."""
    return min(local(campaign, at.date(), DAY_END), due_at(campaign, requirement.due))


def _rejected(event: Event, run: Run, requirement: Requirement) -> list[Notification]:
    """The notice of a rejected hand-in, if it is still the unit's latest word."""
    unit = event.unit
    rejection = run.rejection(unit, requirement.id) if unit is not None else None
    if unit is None or rejection is None or rejection.at != event.at:
        return []  # accepted since, or rejected again: that verdict speaks for itself
    campaign = run.campaign
    at = run.schedule.next_send(event.at)
    words = _shared_words(campaign, requirement, event, at)
    texts = notice_texts(language_of(campaign), words["days"])
    words["reasons"] = texts["separator"].join(rejection.problems)
    text = _fill(texts["rejected"], words)
    return [
        Notification(
            at,
            unit,
            "rejected",
            requirement.id,
            notice_key(campaign, event, "rejected", unit),
            text.format(unit=campaign.units[unit].name, to=""),
            chases=True,
            as_of=event.at,
            keeps_hours=True,
        )
    ]


def _addressee(campaign: Campaign, to: str, role: Role | None) -> str:
    """How an escalation names its addressee: the role it was sent to, or the unit."""
    if role is not None:
        space = "" if language_of(campaign) == "zh" else " "
        return f"{role.title}{space}{role.holder}" if role.holder else role.title
    return _name(campaign, to)


def _fill(template: str, words: dict[str, Any]) -> str:
    """`template` with `words` filled in and ``{unit}`` and ``{to}`` left for each notice."""
    escaped = {k: str(v).replace("{", "{{").replace("}", "}}") for k, v in words.items()}
    return template.format(unit="{unit}", to="{to}", **escaped)


def _shared_words(
    campaign: Campaign, requirement: Requirement, event: Event, at: dt.datetime
) -> dict[str, Any]:
    """The words of a notice that do not depend on the unit it is sent to or about."""
    if event.kind == "requirement.remind":
        # Counted from the day it goes out: a reminder moved off a rest day says so.
        days = (requirement.due - at.date()).days
    else:
        days = event.days or 0
    language = language_of(campaign)
    recipient = requirement.submit_to or campaign.campaign.issued_by
    name = _nested(requirement.name)  # inside “…”
    return {
        "requirement": name,
        "task": _submit(requirement.name) if language == "zh" else f"“{name}”",
        "recipient": _name(campaign, recipient),
        "as_of": _date(event.at.date(), language),
        "due": _date(requirement.due, language),
        "days": days,
    }


VERBS = ("报送", "上报", "提交", "递交", "呈报", "上交", "报")
"""How a requirement's name may already say "hand in"."""


def _nested(name: str) -> str:
    """A name to put inside “…”: its own quotation marks become ‘…’."""
    return name.replace("“", "‘").replace("”", "’")


def _submit(name: str) -> str:
    """ "hand in X" in Chinese: 报送“X”, or the name itself when it already says so —
    never 报送“报送活动方案”."""
    return name if name.startswith(VERBS) else f"报送“{_nested(name)}”"
