"""A `Report` as one iCalendar (RFC 5545) ``VCALENDAR``.

Imported only when a calendar is rendered: this is where ``icalendar`` is loaded.

What the feed holds:

- every phase and every activity (for ``--unit``, the activities that unit organises or takes
  part in) as an all-day event: ``DTSTART;VALUE=DATE`` its first day, ``DTEND;VALUE=DATE`` the
  day after its last (``DTEND`` is exclusive);
- every requirement's deadline (for ``--unit``, those the unit must hand in) as an all-day
  event on its due date, with one ``VALARM`` per reminder of the timeline: each fires when
  the reminder goes out (the campaign's ``send_at``, 09:00 by default, moved off rest days
  when the campaign asks), and a reminder the timeline drops has no alarm.

UIDs are ``KIND-ID[.UNIT]@CAMPAIGN`` (``phase-safety-month@shenzhen-2020``,
``due-liaison-and-plan.futian@shenzhen-2020``), so a re-export updates the events of a
subscribed calendar instead of adding copies. The output is a function of the report alone:
``DTSTAMP`` is the moment the standings were taken (a ledger report's ``--at``, by default
now), or the campaign's opening for a simulation.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from pathlib import Path

import icalendar

from campaignkit import (
    DAY_START,
    STANDINGS,
    Activity,
    Campaign,
    Deliverable,
    Report,
    RequirementStatus,
    due_at,
    language_of,
    local,
    mode_labels,
    standing_labels,
    translator,
    writing,
)

PRODID = "-//campaignkit//campaignkit-ics//EN"
ONE_DAY = dt.timedelta(days=1)
REFRESH = dt.timedelta(days=1)
"""How often a subscribed client should fetch the feed again: ``tick`` runs daily."""

_ = translator("campaignkit_ics", Path(__file__).parent / "locale")


def words_for(campaign: Campaign) -> Mapping[str, str]:
    """campaignkit's names for the standings and the activities' modes, in the campaign's
    language."""
    return {**mode_labels(campaign), **standing_labels(campaign)}


def uid(report: Report, kind: str, item: str) -> str:
    """``KIND-ID[.UNIT]@CAMPAIGN``: the same for the same item in every export."""
    unit = f".{report.unit}" if report.unit else ""
    return f"{kind}-{item}{unit}@{report.campaign.campaign.id}"


def trigger(campaign: Campaign, due: dt.date, fires: dt.datetime) -> dt.timedelta:
    """The alarm's offset from 00:00 on `due` (the all-day event's start) to a reminder.

    The offset is taken on the wall clock, as RFC 5545 reads a duration of days: a nominal
    day, then exact hours — so ``-P2DT15H`` for 09:00 three days before, ``-PT15H`` for one,
    ``PT9H`` on the day itself.
    """
    start = local(campaign, due, DAY_START).replace(tzinfo=None)
    return fires.replace(tzinfo=None) - start


def _all_day(
    uid: str,
    summary: str,
    first: dt.date,
    last: dt.date,
    stamp: dt.datetime,
    category: str,
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", 0)
    event.add("summary", summary)
    event.add("dtstart", first)
    event.add("dtend", last + ONE_DAY)  # exclusive
    event.add("transp", "TRANSPARENT")  # a month-long phase does not make anyone busy
    event.add("categories", [category])
    return event


def _describe(lines: Iterable[str | None], free_text: str | None) -> str:
    text = "\n".join(line for line in lines if line)
    if free_text and free_text.strip():
        text = f"{text}\n\n{free_text.strip()}" if text else free_text.strip()
    return text


def _unit_name(campaign: Campaign, unit: str | None) -> str | None:
    if unit is None:
        return None
    return campaign.units[unit].name if unit in campaign.units else unit


def _activity(
    report: Report, act: Activity, shown: set[str], stamp: dt.datetime, words: Mapping[str, str]
) -> icalendar.Event | None:
    first, last = act.first_day, act.last_day
    if first is None or last is None:
        return None
    c = report.campaign
    event = _all_day(uid(report, "activity", act.id), act.name, first, last, stamp, "activity")
    if act.venue:
        event.add("location", act.venue)
    phase = c.phases.get(act.phase) if act.phase else None
    parent = c.activities.get(act.part_of) if act.part_of else None
    description = _describe(
        [
            _("Phase: {name}").format(name=phase.name) if phase else None,
            _("Part of: {name}").format(name=parent.name) if parent else None,
            _("Mode: {mode}").format(mode=words[act.mode]) if act.mode else None,
            _("Organizer: {unit}").format(unit=_unit_name(c, act.organizer))
            if act.organizer
            else None,
            _("Expected attendance: {count}").format(count=act.expected_attendance)
            if act.expected_attendance is not None
            else None,
            _("Channels: {channels}").format(channels=_(", ").join(act.channels))
            if act.channels
            else None,
        ],
        act.description,
    )
    if description:
        event.add("description", description)
    if parent is not None and parent.id in shown:
        event.add(
            "related-to", uid(report, "activity", parent.id), parameters={"RELTYPE": "PARENT"}
        )
    return event


def _deliverable(item: Deliverable) -> str:
    """A deliverable by the name people read, with what its files must be."""
    facts = ["/".join(item.formats)] if item.formats else []
    if item.min_count != 1:
        facts.append(f"≥{item.min_count}")
    if item.min_width or item.min_height:
        facts.append(f"≥{item.min_width or '?'}×{item.min_height or '?'}")
    if item.min_duration_s:
        facts.append(f"≥{item.min_duration_s:g}s")
    if item.max_size_mb:
        facts.append(f"≤{item.max_size_mb:g}MB")
    if not facts:
        return item.label
    return _("{name} ({facts})").format(name=item.label, facts=_(", ").join(facts))


def _standing(report: Report, status: RequirementStatus, words: Mapping[str, str]) -> str | None:
    if not status.rows:
        return None
    if report.unit is not None and len(status.rows) == 1:
        counts = words[status.rows[0].standing]
    else:
        counts = _(", ").join(f"{words[s]} {status.count(s)}" for s in STANDINGS if status.count(s))
    if report.as_of is not None:
        zone = zoneinfo.ZoneInfo(report.campaign.campaign.timezone)
        moment = f"{report.as_of.astimezone(zone):%Y-%m-%d %H:%M}"
        return _("Standing (as of {moment}): {counts}").format(moment=moment, counts=counts)
    if report.source == "simulation":
        return _("Standing (at the end of the simulation): {counts}").format(counts=counts)
    return _("Standing: {counts}").format(counts=counts)


def _deadline(
    report: Report, status: RequirementStatus, stamp: dt.datetime, words: Mapping[str, str]
) -> icalendar.Event:
    c = report.campaign
    req = status.requirement
    zone = zoneinfo.ZoneInfo(c.campaign.timezone)
    # A unit's own calendar gives its own deadline when the office moved it, and the
    # alarms of its own reminders (events with `unit` set).
    mine = status.rows[0] if report.unit is not None and len(status.rows) == 1 else None
    moved = mine.extended_until if mine is not None else None
    deadline = due_at(c, moved) if moved is not None else status.due_at
    owner = report.unit if moved is not None else None
    due = deadline.astimezone(zone).date()
    summary = _("Due: {name}").format(name=req.name)
    event = _all_day(uid(report, "due", req.id), summary, due, due, stamp, "deadline")
    moment = f"{deadline.astimezone(zone):%Y-%m-%d %H:%M:%S}"
    receiver = req.submit_to or c.campaign.issued_by
    description = _describe(
        [
            _("Due at: {moment} ({timezone})").format(moment=moment, timezone=c.timezone),
            _("Extended to {date}").format(date=moved.isoformat()) if moved else None,
            _("Submit to: {unit}").format(unit=_unit_name(c, receiver)) if receiver else None,
            _("Deliverables: {deliverables}").format(
                deliverables=_("; ").join(_deliverable(d) for d in req.deliverables)
            )
            if req.deliverables
            else None,
            _standing(report, status, words),
        ],
        req.description,
    )
    event.add("description", description)
    for step in report.events:
        if step.kind != "requirement.remind" or step.subject != req.id or step.unit != owner:
            continue
        fires = step.at.astimezone(zoneinfo.ZoneInfo(c.campaign.timezone))
        days = (due - fires.date()).days
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _reminder(req.name, days))
        alarm.add("trigger", trigger(c, due, fires))  # RELATED=START, the default
        event.add_component(alarm)
    return event


def _reminder(name: str, days: int) -> str:
    """What an alarm says, `days` before the deadline of `name`."""
    if days == 0:
        return _("Reminder: {name} is due today").format(name=name)
    if days == 1:
        return _("Reminder: {name} is due tomorrow").format(name=name)
    return _("Reminder: {name} is due in {days} days").format(name=name, days=days)


def calendar_name(report: Report) -> str:
    """The campaign's title; for ``--unit``, with the unit's name."""
    c = report.campaign
    title = c.campaign.title
    if report.unit is None:
        return title
    with writing(language_of(c)):
        return _("{title} — {unit}").format(title=title, unit=_unit_name(c, report.unit))


def stamp_of(report: Report) -> dt.datetime:
    """``DTSTAMP``: when the standings were taken, or the campaign's opening (UTC)."""
    c = report.campaign
    moment = report.as_of or local(c, c.campaign.issued_on, DAY_START)
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def build_calendar(report: Report) -> icalendar.Calendar:
    """The feed, written in the campaign's language whatever the operator reads."""
    with writing(language_of(report.campaign)):
        return _calendar(report)


def _calendar(report: Report) -> icalendar.Calendar:
    c = report.campaign
    words = words_for(c)
    stamp = stamp_of(report)

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = calendar_name(report)
    # Text properties go through vText, which escapes line breaks, commas and semicolons: a
    # title is the campaign file's, and would otherwise write lines of its own into the feed.
    cal.add("x-wr-calname", icalendar.vText(name))
    cal.add("name", icalendar.vText(name))
    cal.add("x-wr-timezone", icalendar.vText(c.campaign.timezone))
    about = "\n".join(x for x in (c.campaign.reference, c.campaign.theme) if x)
    if about:
        cal.add("x-wr-caldesc", icalendar.vText(about))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH))

    for phase in sorted(c.phases.values(), key=lambda p: (p.start, p.end, p.id)):
        event = _all_day(
            uid(report, "phase", phase.id), phase.name, phase.start, phase.end, stamp, "phase"
        )
        if phase.description and phase.description.strip():
            event.add("description", phase.description.strip())
        cal.add_component(event)

    shown = {item.activity.id for item in report.activities}
    for item in report.activities:  # by date, each whole before its parts
        activity = _activity(report, item.activity, shown, stamp, words)
        if activity is not None:
            cal.add_component(activity)

    for status in sorted(report.requirements, key=lambda s: (s.due_at, s.requirement.id)):
        cal.add_component(_deadline(report, status, stamp, words))
    return cal


def render_calendar(report: Report) -> bytes:
    return bytes(build_calendar(report).to_ical())
