"""Built-in plugin ``obligations``: requirement events become notifications.

- a reminder goes to every assignee that has no accepted submission yet;
- at the deadline, an overdue notice goes to every assignee still missing;
- an escalation goes, for every assignee still missing, to that unit's parent (or to the
  campaign's ``issued_by`` for a unit without one).

One hook call per event; the fan-out to units happens here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from campaignkit import hookimpl
from campaignkit.model import Campaign, Requirement, language_of
from campaignkit.notify import Notification

if TYPE_CHECKING:
    from campaignkit.run import Run
    from campaignkit.timeline import Event

TEXTS = {
    "zh": {
        "reminder": "【提醒】{unit}：请于{due}前向{recipient}报送“{requirement}”，"
        "距截止还有{days}天。",
        "overdue": "【逾期】{unit}：“{requirement}”已于{due}截止，贵单位尚未报送，请尽快补报。",
        "escalation": "【督办】{to}：{unit}逾期{days}天仍未报送“{requirement}”（{due}截止），"
        "请督促落实。",
    },
    "en": {
        "reminder": "Reminder to {unit}: “{requirement}” is due to {recipient} by {due} "
        "({days} {day_word} left).",
        "overdue": "Overdue: {unit} has not handed in “{requirement}”, which was due by {due}. "
        "Please hand it in as soon as possible.",
        "escalation": "Escalation to {to}: {unit} has still not handed in “{requirement}”, "
        "{days} {day_word} after it was due by {due}.",
    },
}
KINDS = {
    "requirement.remind": "reminder",
    "requirement.due": "overdue",
    "requirement.escalate": "escalation",
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
    step = f"{kind}-{event.days}d" if event.days is not None else kind
    return f"{campaign.campaign.id}/{event.subject}/{step}/{about}"


@hookimpl
def campaignkit_on_event(event: Event, run: Run) -> list[Notification]:
    kind = KINDS.get(event.kind)
    if kind is None:
        return []
    campaign = run.campaign
    units = campaign.units
    requirement = campaign.requirements[event.subject]
    # What every notice of this event shares is worked out once: a national campaign sends
    # tens of thousands of notices per event.
    template = _fill(
        TEXTS[language_of(campaign)][kind], _shared_words(campaign, requirement, event)
    )
    prefix = notice_key(campaign, event, kind, "")
    escalating = kind == "escalation"
    notices = []
    for unit in run.missing(requirement.id):
        to = unit
        if escalating:
            to = units[unit].parent or campaign.campaign.issued_by or ""
            if to not in units:
                continue  # nobody to escalate to; `validate` warns about this
        text = template.format(unit=units[unit].name, to=units[to].name)
        about = unit if to != unit else None
        notices.append(
            Notification(event.at, to, kind, requirement.id, prefix + unit, text, about=about)
        )
    return notices


def _fill(template: str, words: dict[str, Any]) -> str:
    """`template` with `words` filled in and ``{unit}`` and ``{to}`` left for each notice."""
    escaped = {k: str(v).replace("{", "{{").replace("}", "}}") for k, v in words.items()}
    return template.format(unit="{unit}", to="{to}", **escaped)


def _shared_words(campaign: Campaign, requirement: Requirement, event: Event) -> dict[str, Any]:
    """The words of a notice that do not depend on the unit it is sent to or about."""
    days = event.days or 0
    language = language_of(campaign)
    recipient = requirement.submit_to or campaign.campaign.issued_by
    return {
        "requirement": requirement.name,
        "recipient": _name(campaign, recipient),
        "due": _date(requirement.due, language),
        "days": days,
        "day_word": "day" if days == 1 else "days",
    }
