"""What the built-in notices share: their texts, their keys, their words, and the fan-out
of a requirement's event to the units still missing.

Each notice is a built-in plugin of its own, disableable by name, so that an outside plugin
can replace one and keep the others (``obligations``, their old name, disables all four):

- ``reminders`` (`campaignkit.builtin.reminders`): a reminder to every assignee that has no
  accepted submission yet;
- ``overdue`` (`campaignkit.builtin.overdue`): at the deadline, an overdue notice to every
  assignee still missing;
- ``escalations`` (`campaignkit.builtin.escalations`): for every assignee still missing,
  one level above the office that chases it (see `campaignkit.org.escalation_target`);
- ``rejections`` (`campaignkit.builtin.rejections`): a rejected hand-in is told to its
  unit, with every reason.

A unit whose last hand-in was rejected is never told it has not handed in: its overdue
notice and escalation say the materials were refused, and why. Every notice is queued for
the campaign's next send time (never at night), chases its unit (a hand-in accepted before
it goes out makes it stale), and a reminder expires at the deadline.

One hook call per event; the fan-out to units happens here. A unit whose deadline the
office moved (an extension) is chased by events of its own, an `Event` with ``unit`` set
(`campaignkit.Run`): their notices go to that unit alone, while it still owes the
requirement, and speak of its own due date. An exempt unit gets no notice at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

import attrs

from campaignkit import (
    Campaign,
    Notification,
    Requirement,
    Role,
    language_of,
    long_date,
    ngettext,
    notice_text,
    notice_values,
    render_notice_text,
    writing,
)
from campaignkit import gettext as _

if TYPE_CHECKING:
    from campaignkit import Event, Run


@cache
def notice_texts(language: str, days: int) -> Mapping[str, str]:
    """The notices' texts in `language`, for a notice `days` days from its deadline; each
    still to be filled with `shared_words` (and ``{unit}``, ``{to}``, ``{reasons}``).

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
            # A ladder's step addressed to the unit itself (``to = "unit"``): a yellow card.
            "escalation-self": ngettext(
                "Escalation to {unit}: as of {as_of}, you had still not handed in {task}, "
                "{days} day after it was due by {due}. Please hand it in at once.",
                "Escalation to {unit}: as of {as_of}, you had still not handed in {task}, "
                "{days} days after it was due by {due}. Please hand it in at once.",
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
            # The same step to the unit itself, whose hand-in was refused.
            "escalation-rejected-self": ngettext(
                "Escalation to {unit}: as of {as_of}, what you handed in for “{requirement}” "
                "had not passed review ({reasons}), and nothing new had come {days} day after "
                "it was due by {due}. Please correct it and hand it in at once.",
                "Escalation to {unit}: as of {as_of}, what you handed in for “{requirement}” "
                "had not passed review ({reasons}), and nothing new had come {days} days after "
                "it was due by {due}. Please correct it and hand it in at once.",
                days,
            ),
            # Between the reasons a hand-in was returned for.
            "separator": _("; "),
        }


EVENTS = {
    "reminder": "requirement.remind",
    "overdue": "requirement.due",
    "escalation": "requirement.escalate",
}
"""The event each chasing notice answers, by the notice's kind."""

Route = Callable[[Campaign, Requirement, str], tuple[str, Role | None] | None]
"""Who a notice about a unit goes to, and the role it is addressed to; None for nobody."""
Expiry = Callable[[Campaign, Requirement, dt.datetime], dt.datetime]
"""When a notice sent at a moment stops being true."""


def _name(campaign: Campaign, unit: str | None) -> str:
    record = campaign.units.get(unit or "")
    return record.name if record is not None else (unit or "")


def notice_key(campaign: Campaign, event: Event, kind: str, about: str) -> str:
    """Stable across runs: campaign, requirement, which notice, which unit."""
    if event.unit is not None:
        step = f"{kind}@{event.at.astimezone(dt.UTC):%Y%m%dT%H%M%S}"
    elif event.days is not None:
        step = f"{kind}-{event.days}d"
        if event.level is not None and event.level > 1:  # the first keeps its old key
            step += f"-L{event.level}"
    else:
        step = kind
    return f"{campaign.campaign.id}/{event.subject}/{step}/{about}"


def chase(
    event: Event,
    run: Run,
    kind: str,
    *,
    route: Route | None = None,
    expires: Expiry | None = None,
    label: str | None = None,
) -> list[Notification]:
    """The notices of `kind` that `event` makes, one per assignee still missing: none when
    the event is not the one `kind` answers (`EVENTS`).

    `route` says who a notice about a unit goes to (the unit itself when None, and nobody
    when it returns None); `expires`, when it stops being true; `label` what the step of
    an escalation ladder is called, which heads each notice. An event of one unit's own
    (``unit`` set: its deadline was moved) makes that unit's notice alone, while it still
    owes the requirement, with its own due date.
    """
    if event.kind != EVENTS[kind]:
        return []
    campaign = run.campaign
    requirement = campaign.requirements[event.subject]
    own = notice_text(campaign, requirement, kind, event.level)  # the bureau's own words
    if event.unit is not None:
        if not run.owes(event.unit, requirement.id):
            return []
        # The unit's own date, in every word of the notice and in when it expires.
        due = run.deadline(event.unit, requirement.id).date()
        requirement = attrs.evolve(requirement, due=due)
        chased = [event.unit]
    else:
        chased = run.missing(requirement.id)
    # What every notice of this event shares is worked out once: a national campaign sends
    # tens of thousands of notices per event.
    at = run.schedule.next_send(event.at)
    words = shared_words(campaign, requirement, event, at)
    texts = notice_texts(language_of(campaign), words["days"])
    template = fill(headed(texts[kind], label, campaign), words)
    refused = texts.get(f"{kind}-rejected")  # a reminder does not speak of a refusal
    if refused is not None:
        refused = headed(refused, label, campaign)
    # An escalation to the unit itself says "you", of a refusal too.
    to_itself = texts.get(f"{kind}-self")
    if to_itself is not None:
        to_itself = fill(headed(to_itself, label, campaign), words)
    refused_itself = texts.get(f"{kind}-rejected-self")
    if refused_itself is not None:
        refused_itself = headed(refused_itself, label, campaign)
    prefix = notice_key(campaign, event, kind, "")
    until = expires(campaign, requirement, at) if expires is not None else None
    values = notice_values(campaign, requirement, event, at, words) if own else {}
    language = language_of(campaign)
    units = campaign.units
    notices = []
    for unit in chased:
        to, role = unit, None
        if route is not None:
            found = route(campaign, requirement, unit)
            if found is None:
                continue  # nobody to send it to; `validate` warns about this
            to, role = found
        rejection = run.rejection(unit, requirement.id) if refused is not None else None
        reasons = texts["separator"].join(rejection.problems) if rejection is not None else ""
        name, addressee = units[unit].name, _addressee(campaign, to, role)
        if own is not None:
            filled = {"unit": name, "unit_id": unit, "to": addressee, "reasons": reasons}
            said = render_notice_text(own, {**values, **filled, "label": label}, language)
        elif refused is not None and rejection is not None:
            chosen = refused_itself if refused_itself is not None and to == unit else refused
            said = fill(chosen, {**words, "reasons": reasons}).format(unit=name, to=addressee)
        elif to_itself is not None and to == unit:
            said = to_itself.format(unit=name, to=addressee)
        else:
            said = template.format(unit=name, to=addressee)
        notices.append(
            Notification(
                at,
                to,
                kind,
                requirement.id,
                prefix + unit,
                said,
                about=unit if to != unit else None,
                expires=until,
                chases=True,
                as_of=event.at,
                keeps_hours=True,
                level=event.level,
                label=label,
            )
        )
    return notices


def headed(template: str, label: str | None, campaign: Campaign) -> str:
    """A notice's text headed by the name of its ladder step: 【黄牌预警】… in place of
    【督办】, [Yellow card] … before the English."""
    if label is None:
        return template
    # Braces in a label survive both fillings: `fill`, then each unit's.
    label = label.replace("{", "{{{{").replace("}", "}}}}")
    if language_of(campaign) != "zh":
        return f"[{label}] {template}"
    if template.startswith("【") and "】" in template:  # the step's name takes 【督办】's place
        template = template[template.index("】") + 1 :]
    return f"【{label}】{template}"


def _addressee(campaign: Campaign, to: str, role: Role | None) -> str:
    """How an escalation names its addressee: the role it was sent to, or the unit."""
    if role is not None:
        space = "" if language_of(campaign) == "zh" else " "
        return f"{role.title}{space}{role.holder}" if role.holder else role.title
    return _name(campaign, to)


def fill(template: str, words: dict[str, Any]) -> str:
    """`template` with `words` filled in and ``{unit}`` and ``{to}`` left for each notice."""
    escaped = {k: str(v).replace("{", "{{").replace("}", "}}") for k, v in words.items()}
    return template.format(unit="{unit}", to="{to}", **escaped)


def shared_words(
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
        "as_of": long_date(event.at.date(), language),
        "due": long_date(requirement.due, language),
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
