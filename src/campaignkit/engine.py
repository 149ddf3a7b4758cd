"""The engine: walk a campaign's events in order on a clock, and queue what plugins say.

One engine, two clocks. ``simulate`` walks the whole timeline (or up to ``--until``) at
once, on a virtual clock that jumps from event to event and never sleeps; ``tick`` walks
from where the ledger left off up to now. At each event the engine calls
``campaignkit_on_event`` once; submissions made before an event are judged and recorded
before it, so reminders only go to those who have not handed in yet.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Sequence

import attrs

from . import gcpause
from .ledger import Ledger, SubmissionRow
from .model import Campaign
from .notify import Notification
from .plugins import PluginHost
from .run import Run
from .submissions import Submission, judge
from .timeline import Event, due_at

BATCH = 5_000
"""Events per ledger transaction: large enough to batch, small enough to show progress."""

Progress = Callable[[int, int], None]
"""Called as events are processed: (events so far, events in all)."""


@attrs.frozen
class Walked:
    """What one walk did."""

    events: int
    """Events up to the stopping moment, processed before or now."""
    processed: int
    """Events this walk processed."""
    notifications: tuple[Notification, ...]
    submissions: tuple[SubmissionRow, ...]


def walk(
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
) -> Walked:
    """Process every event up to `until` that the ledger has not processed yet.

    The ledger records each processed event and each submission. With
    `queue_notifications`, it also queues every notification in its outbox, for delivery; a
    rehearsal that delivers nothing leaves that off, since its notifications are in what the
    walk returns and writing a row for each would be most of its cost.
    """
    cid = campaign.campaign.id
    done = ledger.processed(cid)
    start = events[0].at if events else dt.datetime.now(dt.UTC)
    run = Run(campaign, now=start, live=live)
    for row in ledger.submissions(cid):
        if row.status != "rejected":
            run.accept(row.unit, row.requirement)

    queue = deque(sorted(submissions, key=lambda s: s.at))
    deadlines = {rid: due_at(campaign, r.due) for rid, r in campaign.requirements.items()}
    check_submission = host.caller("campaignkit_check_submission")
    batch_events: list[Event] = []
    batch_notes: list[Notification] = []
    batch_subs: list[SubmissionRow] = []
    all_notes: list[Notification] = []
    all_subs: list[SubmissionRow] = []
    count = processed = 0

    def take_submissions(before: dt.datetime | None) -> None:
        while queue and (before is None or queue[0].at <= before):
            submission = queue.popleft()
            row = judge(
                host,
                campaign,
                submission,
                deadline=deadlines.get(submission.requirement),
                check=check_submission,
            )
            if row.status != "rejected":
                run.accept(row.unit, row.requirement)
            batch_subs.append(row)

    def flush() -> None:
        if batch_subs:
            ledger.record_submissions(cid, batch_subs)
        if batch_events:
            ledger.mark_processed(cid, batch_events, batch_notes if queue_notifications else ())
        all_subs.extend(batch_subs)
        all_notes.extend(batch_notes)
        batch_subs.clear()
        batch_events.clear()
        batch_notes.clear()

    with gcpause.paused(freeze=True):  # hundreds of thousands of records, and no cycles among them
        for event in events:
            if until is not None and event.at > until:
                break
            take_submissions(event.at)
            count += 1
            if event.key in done:
                continue
            run.now = event.at
            processed += 1
            for notes in host.call("campaignkit_on_event", event=event, run=run):
                batch_notes.extend(notes)
            batch_events.append(event)
            if len(batch_events) >= BATCH:
                flush()
            if progress is not None:
                progress(count, len(events))
        take_submissions(until)
        flush()
    return Walked(count, processed, tuple(all_notes), tuple(all_subs))
