"""One notice on demand: the words a unit is (or would be) sent about a requirement, for an
office that files it, prints it or sends it by hand — a 督办单 for an escalation.

The notice is the one the ledger's outbox holds, when it was queued; otherwise it is made
as a tick makes it: the campaign's event of that kind (the reminder before now, the
deadline, the ladder's step), passed to every plugin's ``campaignkit_on_event`` with the
ledger's hand-ins, reviews, extensions and exemptions up to now. So a bureau's own notice
plugin writes its own words here too. A unit the notice does not apply to (it handed in,
or is exempt) gets none, and is said so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from .delivery import hand_ins, stale
from .engine import rejected_event, unit_events
from .i18n import _
from .labels import kind_labels
from .notify import Notification
from .org import expand, resolve_groups
from .problems import Problem, did_you_mean
from .recurrence import needs_occurrence, occurrence_id, occurrences_of
from .reviews import reviewed
from .run import Run
from .supervision import NOTICE_KINDS

if TYPE_CHECKING:
    from .extensions import Allowances
    from .ledger import Ledger
    from .model import Campaign
    from .plugins import PluginHost
    from .submissions import Verdict
    from .timeline import Event

EVENT_KINDS = {
    "reminder": "requirement.remind",
    "overdue": "requirement.due",
    "escalation": "requirement.escalate",
}


class NoticeRefused(Exception):
    """What was asked for names no notice: `problems` say why (paths ``unit``,
    ``requirement``, ``occurrence``, ``kind``, ``level``)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = tuple(problems)


def notices_for(
    campaign: Campaign,
    host: PluginHost,
    ledger: Ledger,
    *,
    requirement: str,
    kind: str,
    now: dt.datetime,
    unit: str | None = None,
    level: int | None = None,
    occurrence: str | None = None,
) -> list[Notification]:
    """The notice of `kind` about `unit` (by id or exact name) on `requirement`, or about
    every assignee it applies to when `unit` is None, as of `now`. Raises `NoticeRefused`
    for a slip, or when the notice applies to nobody asked for."""
    problems: list[Problem] = []
    rid = _requirement(campaign, requirement, occurrence, problems)
    if kind not in NOTICE_KINDS:
        message = _("there is no notice of kind `{kind}`").format(kind=kind)
        hint = did_you_mean(kind, NOTICE_KINDS) or ", ".join(NOTICE_KINDS)
        problems.append(Problem("kind", message, hint, code="unknown-kind"))
    units = _units(campaign, rid, unit, problems) if rid is not None else []
    if rid is not None and kind == "escalation" and level is not None:
        steps = len(campaign.requirements[rid].ladder)
        if not 1 <= level <= steps:
            message = _("`{requirement}` has {count} escalation steps; there is no step {level}")
            said = message.format(requirement=rid, count=steps, level=level)
            problems.append(Problem("level", said, code="unknown-level"))
    if problems or rid is None:
        raise NoticeRefused(problems)
    cid = campaign.campaign.id
    allowances = ledger.allowances(cid)
    rows = [row for row in ledger.submissions(cid) if row.at <= now]
    judged = reviewed(campaign, rows, ledger.reviews(cid), allowances)
    found = _queued(ledger, campaign, rid, kind, level, units, now, judged, allowances)
    wanted = [u for u in units if u not in found]
    if wanted and kind != "returned":
        made = _made(campaign, host, allowances, judged, rid, kind, level, now, wanted)
        for note in made:
            found.setdefault(note.chased, note)
    notes = [found[u] for u in units if u in found]
    if not notes:
        who = campaign.units[units[0]].name if unit is not None and units else None
        message = (
            _("no {kind} notice applies to {unit} on `{requirement}` as of now")
            if who is not None
            else _("no {kind} notice applies to any assignee of `{requirement}` as of now")
        )
        said = message.format(kind=kind_labels(campaign).get(kind, kind), unit=who, requirement=rid)
        hint = _("a unit that handed in, or is exempt, is sent none")
        raise NoticeRefused([Problem("unit", said, hint, code="no-notice")])
    return notes


def _requirement(
    campaign: Campaign, named: str, occurrence: str | None, problems: list[Problem]
) -> str | None:
    series = occurrences_of(campaign, named)
    if occurrence is not None:
        wanted = occurrence_id(named, occurrence)
        if wanted in campaign.requirements:
            return wanted
        keys = [rid.partition("@")[2] for rid in series]
        message = _("`{requirement}` has no occurrence `{occurrence}`").format(
            requirement=named, occurrence=occurrence
        )
        problems.append(
            Problem(
                "occurrence", message, did_you_mean(occurrence, keys), code="unknown-occurrence"
            )
        )
        return None
    if named in campaign.requirements:
        return named
    if series:
        problems.append(needs_occurrence(campaign, named))
        return None
    ids = list(dict.fromkeys(r.series for r in campaign.requirements.values()))
    message = _("the campaign has no requirement `{requirement}`").format(requirement=named)
    problems.append(
        Problem("requirement", message, did_you_mean(named, ids), code="unknown-requirement")
    )
    return None


def _units(campaign: Campaign, rid: str, unit: str | None, problems: list[Problem]) -> list[str]:
    assignees = expand(campaign, campaign.requirements[rid].assignees, resolve_groups(campaign))
    if unit is None:
        return list(assignees)
    named = [uid for uid, record in campaign.units.items() if record.name == unit]
    found = unit if unit in campaign.units else (named[0] if len(named) == 1 else None)
    if found is None or found not in assignees:
        message = _("{unit} is not an assignee of `{requirement}`").format(
            unit=unit, requirement=rid
        )
        problems.append(
            Problem("unit", message, did_you_mean(unit, assignees), code="not-assignee")
        )
        return []
    return [found]


def _queued(
    ledger: Ledger,
    campaign: Campaign,
    rid: str,
    kind: str,
    level: int | None,
    units: list[str],
    now: dt.datetime,
    judged: list[Verdict],
    allowances: Allowances,
) -> dict[str, Notification]:
    """The latest notice of the kind queued in the outbox about each unit, if it is still
    true as of `now` (as a tick judges it before sending: the unit has not handed in since,
    nor been exempted, nor had its deadline moved past it). A notice whose moment has
    passed still stands here: it is the one the unit was sent."""
    found: dict[str, Notification] = {}
    wanted = set(units)
    handed = hand_ins(judged)
    deadlines = allowances.deadlines(campaign)
    for row in ledger.outbox(campaign.campaign.id):
        note = row.notification
        if note.kind != kind or note.requirement != rid or note.chased not in wanted:
            continue
        if level is not None and (note.level or 1) != level:
            continue
        if stale(attrs.evolve(note, expires=None), now, handed, allowances, deadlines):
            found.pop(note.chased, None)
            continue
        found[note.chased] = note
    return found


def _made(
    campaign: Campaign,
    host: PluginHost,
    allowances: Allowances,
    judged: list[Verdict],
    rid: str,
    kind: str,
    level: int | None,
    now: dt.datetime,
    units: list[str],
) -> list[Notification]:
    """The notices a tick would make of the event of `kind`, about `units`."""
    run = Run(campaign, now=now, live=True, schedule=host.schedule(campaign), allowances=allowances)
    for row in judged:
        run.record(row)
    handle = host.event_handler()
    notes: list[Notification] = []
    for event in _events(campaign, host, allowances, judged, rid, kind, level, now, units):
        run.now = event.at
        notes += [n for n in handle(event, run) if n.chased in units]
    return notes


def _events(
    campaign: Campaign,
    host: PluginHost,
    allowances: Allowances,
    rows: list[Verdict],
    rid: str,
    kind: str,
    level: int | None,
    now: dt.datetime,
    units: list[str],
) -> list[Event]:
    if kind == "rejected":  # the unit's latest hand-in, if it was refused
        latest = {row.unit: row for row in rows if row.requirement == rid and row.unit in units}
        return [rejected_event(row) for row in latest.values() if row.status == "rejected"]
    # The campaign's events, and a unit's own where an extension moved its deadline, as a
    # tick processes them (`engine.unit_events`).
    timeline = [*host.timeline(campaign), *unit_events(campaign, host, allowances)]
    events = [
        e
        for e in timeline
        if e.kind == EVENT_KINDS[kind]
        and e.subject == rid
        and (e.unit is None or e.unit in units)
        and (kind != "escalation" or level is None or (e.level or 1) == level)
    ]
    chosen: list[Event] = []
    for who in dict.fromkeys(e.unit for e in events):
        mine = [e for e in events if e.unit == who]
        past = [e for e in mine if e.at <= now]
        # The latest that has come (the reminder before now), else the first still to come.
        chosen += past[-1:] if past else mine[:1]
    return sorted(chosen, key=lambda e: e.at)
