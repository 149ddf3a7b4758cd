"""The engine: a run of a campaign, its events in order on a clock, and what plugins say
of each queued.

One engine, two clocks. A rehearsal (``simulate``) runs the whole timeline (or up to
``--until``) at once, on a virtual clock that jumps from event to event and never sleeps;
a tick runs from where the ledger left off up to now. At each event the engine calls
``campaignkit_on_event`` once; submissions made before an event are judged and recorded
before it, so reminders only go to those who have not handed in yet. A rejected hand-in is
an event of its own (``submission.rejected``), at the moment it was judged.

On the virtual clock the engine also plays the part of delivery: each notification is
settled at the moment it is to be sent, as ``tick`` would settle it then — skipped as stale
when its unit has handed in meanwhile, sent but reaching nobody when no channel reaches its
unit, delivered otherwise.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import ClassVar, overload

import attrs

from . import gcpause
from .extensions import Allowances
from .handin import judge
from .ledger import Ledger, Verdict
from .model import Campaign
from .notify import Notification
from .plugins import PluginHost
from .reviews import reviewed
from .run import Run
from .submissions import Submission
from .timeline import Event, due_at, ordered, sort_key

BATCH = 5_000
"""Events per ledger transaction: large enough to batch, small enough to show progress."""

Progress = Callable[[int, int], None]
"""Called as events are processed: (events so far, events in all)."""


class Fates(Sequence[str]):
    """What became of each notification of a rehearsal, one byte each: a national one has
    120,000 of them, held until the end."""

    NAMES: ClassVar[tuple[str, ...]] = ("pending", "delivered", "unreached", "skipped")
    CODES: ClassVar[dict[str, int]] = {name: code for code, name in enumerate(NAMES)}

    def __init__(self) -> None:
        self._codes = bytearray()

    def pending(self, count: int) -> None:
        """Add `count` notifications, not settled yet."""
        self._codes.extend(bytes(count))

    def __setitem__(self, index: int, fate: str) -> None:
        self._codes[index] = self.CODES[fate]

    def __len__(self) -> int:
        return len(self._codes)

    def __iter__(self) -> Iterator[str]:
        names = self.NAMES
        return (names[code] for code in self._codes)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self.NAMES[code] for code in self._codes[index]]
        return self.NAMES[self._codes[index]]


@attrs.frozen
class RunResult:
    """What one run did."""

    events: int
    """Events up to the stopping moment, processed before or now."""
    processed: int
    """Events this run processed."""
    # Sequences the run built, handed over as they are: a national rehearsal's would
    # take megabytes more to copy into tuples at the moment memory is at its peak.
    notifications: Sequence[Notification]
    submissions: Sequence[Verdict]
    fates: Sequence[str] = ()
    """On the virtual clock, each notification's fate, in the same order: ``delivered``,
    ``unreached``, ``skipped`` (stale by the time it was to be sent) or ``pending`` (to be
    sent after the run stopped). Empty on the real clock, where delivery decides."""


def rejected_event(row: Verdict) -> Event:
    """The event of a rejected hand-in: its unit is told why."""
    return Event(row.at, "submission.rejected", row.requirement, unit=row.unit)


def unit_events(campaign: Campaign, host: PluginHost, allowances: Allowances) -> list[Event]:
    """The events of each unit whose deadline was moved, in their order: the requirement's
    events (``requirement.*``) of the timeline the plugins give for the campaign with that
    requirement due on the unit's day, each with ``unit`` set — so that reminders, the
    overdue notice and every escalation of a plugin that replaces the standard timeline
    follow the unit's own date. One timeline per requirement and day, not per unit."""
    units_by_day: dict[tuple[str, dt.date], list[str]] = {}
    for (unit, requirement), until in allowances.extended.items():
        if requirement in campaign.requirements and unit in campaign.units:
            units_by_day.setdefault((requirement, until), []).append(unit)
    found: list[Event] = []
    for (requirement, until), units in sorted(units_by_day.items()):
        moved = attrs.evolve(campaign.requirements[requirement], due=until)
        shifted = attrs.evolve(campaign, requirements={**campaign.requirements, requirement: moved})
        for event in host.timeline(shifted):
            if event.subject == requirement and event.kind.startswith("requirement."):
                found.extend(attrs.evolve(event, unit=unit) for unit in sorted(units))
    return ordered(found)


def run(
    campaign: Campaign,
    host: PluginHost,
    ledger: Ledger,
    events: Sequence[Event],
    *,
    until: dt.datetime | None = None,
    submissions: Iterable[Submission] = (),
    live: bool = False,
    queue_notifications: bool = True,
    progress: Progress | None = None,
    reach: Mapping[str, str | None] | None = None,
) -> RunResult:
    """Process every event up to `until` that the ledger has not processed yet.

    The ledger records each processed event and each submission. With
    `queue_notifications`, it also queues every notification in its outbox, for delivery; a
    rehearsal that delivers nothing leaves that off, since its notifications are in what the
    run returns and writing a row for each would be most of its cost. Off the real clock
    (`live` false), each notification is settled at its time; `reach` says which unit a
    notice to each unit lands at (None: no channel reaches it).
    """
    cid = campaign.campaign.id
    done = ledger.processed(cid)
    # The office's extensions move units' events to their own dates; exempt units are
    # chased by none (`Run.missing`).
    allowances = ledger.allowances(cid)
    if allowances.extended:
        events = ordered([*events, *unit_events(campaign, host, allowances)])
    start = events[0].at if events else dt.datetime.now(dt.UTC)
    current = Run(
        campaign, now=start, live=live, schedule=host.schedule(campaign), allowances=allowances
    )
    verdicts: list[Event] = []
    handed = [row for row in ledger.submissions(cid) if until is None or row.at <= until]
    # A run chases units by the office's reviews (`reviews.reviewed`); the event of a
    # rejection stays the checks', since a review sends its own notice.
    for row in reviewed(campaign, handed, ledger.reviews(cid), allowances):
        current.record(row)
    for row in handed:
        if row.status == "rejected":
            verdicts.append(rejected_event(row))
    recorded = deque(sorted(verdicts, key=sort_key))

    queue = deque(sorted(submissions, key=lambda s: s.at))
    deadlines = {rid: due_at(campaign, r.due) for rid, r in campaign.requirements.items()}
    check_submission = host.submission_checker()
    on_event = host.event_handler()
    settling = not live
    reached = reach or {}
    notes: list[Notification] = []
    fates = Fates()
    to_settle: list[tuple[dt.datetime, int, int]] = []  # (send time, first, end) of notes
    batch_events: list[Event] = []
    batch_subs: list[Verdict] = []
    all_subs: list[Verdict] = []
    queued = 0  # notes up to here are in the ledger
    count = processed = 0

    def process(event: Event) -> None:
        nonlocal processed
        current.now = event.at
        processed += 1
        first = len(notes)
        notes.extend(on_event(event, current))
        batch_events.append(event)
        if settling and len(notes) > first:
            fates.pending(len(notes) - first)
            # A plugin's notices of one event mostly share their time: one entry per run of
            # them. Those due now are settled now: no hand-in can come in between.
            begin = first
            for index in range(first + 1, len(notes) + 1):
                if index == len(notes) or notes[index].at != notes[begin].at:
                    if notes[begin].at <= event.at:
                        settle(begin, index)
                    else:
                        heapq.heappush(to_settle, (notes[begin].at, begin, index))
                    begin = index

    def settle(begin: int, end: int) -> None:
        for index in range(begin, end):
            note = notes[index]
            if (note.chases and handed_in_since(note)) or (
                note.expires is not None and note.at > note.expires
            ):
                fates[index] = "skipped"
            elif reached.get(note.to) is None:
                fates[index] = "unreached"
            else:
                fates[index] = "delivered"

    def handed_in_since(note: Notification) -> bool:
        """The unit has an accepted hand-in, or was refused after the notice was written:
        the notice's words are no longer true (`delivery.stale`, on the virtual clock)."""
        requirement = note.requirement or ""
        if current.has_accepted(note.chased, requirement):
            return True
        refused = current.rejection(note.chased, requirement)
        return refused is not None and note.as_of is not None and refused.at > note.as_of

    def take(submission: Submission) -> None:
        deadline = deadlines.get(submission.requirement)
        if allowances.until(submission.unit, submission.requirement) is not None:
            deadline = current.deadline(submission.unit, submission.requirement)
        row = judge(host, campaign, submission, deadline=deadline, check=check_submission)
        current.record(row)
        batch_subs.append(row)
        if row.status == "rejected":
            process(rejected_event(row))

    def advance(to: dt.datetime | None) -> None:
        """Move the clock to `to`: hand-ins, then notices due to be sent, in time order."""
        while True:
            hand_in = queue[0].at if queue else None
            verdict = recorded[0].at if recorded else None
            send = to_settle[0][0] if to_settle else None
            moments = [m for m in (hand_in, verdict, send) if m is not None]
            if not moments or (to is not None and min(moments) > to):
                return
            first = min(moments)
            if hand_in == first:
                take(queue.popleft())
            elif verdict == first:
                event = recorded.popleft()
                if event.key not in done:
                    process(event)
            else:
                _, begin, end = heapq.heappop(to_settle)
                settle(begin, end)

    def flush() -> None:
        nonlocal queued
        if batch_subs:
            ledger.record_submissions(cid, batch_subs)
        if batch_events:
            batch = notes[queued:] if queue_notifications else ()
            ledger.mark_processed(cid, batch_events, batch)
        queued = len(notes)
        all_subs.extend(batch_subs)
        batch_subs.clear()
        batch_events.clear()

    with gcpause.paused(freeze=True):  # hundreds of thousands of records, and no cycles among them
        for event in events:
            if until is not None and event.at > until:
                break
            advance(event.at)
            count += 1
            if event.key in done:
                continue
            process(event)
            if len(batch_events) >= BATCH:
                flush()
            if progress is not None:
                progress(count, len(events))
        advance(until)
        flush()
    return RunResult(count, processed, notes, all_subs, fates)
