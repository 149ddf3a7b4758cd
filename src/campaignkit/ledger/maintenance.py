"""Mending a ledger whose campaign file was edited: what it recorded under ids the file no
longer has, moving it to a renamed id, or retiring an id that was dropped on purpose.

Used by ``tick`` (which stops rather than chase units for work they handed in under an old
id, or send again what it sent under it) and by ``campaignkit ledger``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Literal

import attrs

from .errors import guarded
from .sqlite import Ledger
from .times import now_text

Table = Literal["requirements", "units"]


@attrs.frozen
class Orphan:
    """An id the ledger recorded things under that the campaign file no longer has."""

    table: Table
    id: str
    submissions: int = 0
    events: int = 0
    notifications: int = 0


# (table, what is counted, query of (id, how many)); each runs once per tick.
_RECORDED: tuple[tuple[Table, str, str], ...] = (
    (
        "requirements",
        "submissions",
        "SELECT requirement, count(*) FROM submissions WHERE campaign = ? GROUP BY requirement",
    ),
    (
        "units",
        "submissions",
        "SELECT unit, count(*) FROM submissions WHERE campaign = ? GROUP BY unit",
    ),
    (
        "requirements",
        "events",
        "SELECT subject, count(*) FROM events WHERE campaign = ?"
        " AND (kind LIKE 'requirement.%' OR kind LIKE 'submission.%') GROUP BY subject",
    ),
    (
        "requirements",
        "notifications",
        "SELECT requirement, count(*) FROM outbox"
        " WHERE campaign = ? AND requirement IS NOT NULL GROUP BY requirement",
    ),
    (
        "units",
        "notifications",
        "SELECT to_unit, count(*) FROM outbox WHERE campaign = ? GROUP BY to_unit",
    ),
    (
        "units",
        "notifications",
        "SELECT about, count(*) FROM outbox"
        " WHERE campaign = ? AND about IS NOT NULL GROUP BY about",
    ),
)


@guarded
def orphans(
    ledger: Ledger, campaign: str, requirements: Collection[str], units: Collection[str]
) -> list[Orphan]:
    """Each requirement or unit the ledger holds hand-ins, processed events or
    notifications for, that the campaign file no longer has and that was not retired."""
    retired = set(ledger.db.execute("SELECT kind, id FROM retired WHERE campaign = ?", (campaign,)))
    known = {"requirements": requirements, "units": units}
    found: dict[tuple[Table, str], dict[str, int]] = {}
    for table, what, query in _RECORDED:
        for id_, count in ledger.db.execute(query, (campaign,)):
            if id_ in known[table] or (table, id_) in retired:
                continue
            counts = found.setdefault((table, id_), {})
            counts[what] = counts.get(what, 0) + count
    return [Orphan(table, id_, **counts) for (table, id_), counts in found.items()]


@guarded
def retire(ledger: Ledger, campaign: str, table: Table, old: str) -> int:
    """Stop following an id dropped from the campaign on purpose: keep what was recorded
    under it, and skip its notifications still waiting. Returns how many were skipped."""
    reason = f"retired: `{old}` was dropped from the campaign"
    waiting = "state IN ('pending', 'sending')"
    where = "requirement = ?" if table == "requirements" else "(to_unit = ? OR about = ?)"
    ids: Iterable[str] = (old,) if table == "requirements" else (old, old)
    with ledger.transaction():
        ledger.db.execute(
            "INSERT OR IGNORE INTO retired (campaign, kind, id, retired_at) VALUES (?, ?, ?, ?)",
            (campaign, table, old, now_text()),
        )
        cursor = ledger.db.execute(
            f"UPDATE outbox SET state = 'skipped', reason = ? WHERE campaign = ? AND {waiting}"
            f" AND {where}",
            (reason, campaign, *ids),
        )
    return int(cursor.rowcount)


@guarded
def rename_requirement(ledger: Ledger, campaign: str, old: str, new: str) -> dict[str, int]:
    """Move everything recorded under requirement `old` to `new`, in one transaction:
    its hand-ins, its processed events and its notifications, keys included, so that
    nothing already sent is sent again. Returns how many of each moved."""
    event_key = (
        "events.kind || ':' || :new || substr(events.key, length(events.kind) + length(:old) + 2)"
    )
    note_key = ":prefix || :new || substr(outbox.key, length(:prefix) + length(:old) + 1)"
    with ledger.transaction():
        moved = _move_submissions(ledger, campaign, "requirement", old, new)
        events = ledger.db.execute(
            f"UPDATE events SET subject = :new, key = {event_key}"
            " WHERE campaign = :campaign AND subject = :old"
            " AND substr(key, 1, length(kind) + length(:old) + 1) = kind || ':' || :old"
            f" AND {_free('events', event_key)}",
            {"campaign": campaign, "old": old, "new": new},
        ).rowcount
        notes = ledger.db.execute(
            f"UPDATE outbox SET requirement = :new, key = {note_key}"
            " WHERE campaign = :campaign AND requirement = :old"
            " AND substr(key, 1, length(:prefix) + length(:old) + 1) = :prefix || :old || '/'"
            f" AND {_free('outbox', note_key)}",
            {"campaign": campaign, "old": old, "new": new, "prefix": f"{campaign}/"},
        ).rowcount
        # A notice whose key the new id already has keeps its own key.
        notes += ledger.db.execute(
            "UPDATE outbox SET requirement = ? WHERE campaign = ? AND requirement = ?",
            (new, campaign, old),
        ).rowcount
    return {"submissions": moved, "events": events, "notifications": notes}


@guarded
def rename_unit(ledger: Ledger, campaign: str, old: str, new: str) -> dict[str, int]:
    """Move everything recorded for unit `old` to `new`, in one transaction."""
    with ledger.transaction():
        moved = _move_submissions(ledger, campaign, "unit", old, new)
        event_key = "replace(events.key, :from, :to)"
        events = ledger.db.execute(
            f"UPDATE events SET key = {event_key} WHERE campaign = :campaign"
            f" AND replace(key, :from, '') <> key AND {_free('events', event_key)}",
            {"campaign": campaign, "from": f":{old}@", "to": f":{new}@"},
        ).rowcount
        notes = 0
        for column in ("to_unit", "about"):
            notes += ledger.db.execute(
                f"UPDATE outbox SET {column} = ? WHERE campaign = ? AND {column} = ?",
                (new, campaign, old),
            ).rowcount
        names = {"campaign": campaign, "old": old, "new": new}
        note_key = "substr(outbox.key, 1, length(outbox.key) - length(:old)) || :new"
        ledger.db.execute(
            f"UPDATE outbox SET key = {note_key} WHERE campaign = :campaign"
            " AND substr(key, length(key) - length(:old)) = '/' || :old"
            f" AND {_free('outbox', note_key)}",
            names,
        )
        # A unit's signatures follow it, with the keys of its notices.
        ack_key = "substr(acks.key, 1, length(acks.key) - length(:old)) || :new"
        ledger.db.execute(
            f"UPDATE acks SET unit = :new, key = {ack_key} WHERE campaign = :campaign"
            f" AND unit = :old AND {_free('acks', ack_key, 'AND taken.unit = :new')}",
            names,
        )
    return {"submissions": moved, "events": events, "notifications": notes}


def _free(table: str, key: str, also: str = "") -> str:
    """SQL that is true when no other row of `table` has the `key` a row is moved to: a row
    that would take a key already taken keeps its own (SQLite's ``UPDATE OR IGNORE``, in
    SQL that PostgreSQL speaks too)."""
    return (
        f"NOT EXISTS (SELECT 1 FROM {table} AS taken WHERE taken.campaign = {table}.campaign"
        f" AND taken.key = {key} {also})"
    )


def _move_submissions(ledger: Ledger, campaign: str, column: str, old: str, new: str) -> int:
    """Move the hand-ins, and the extensions and exemptions with them (not counted)."""
    for table in ("extensions", "exemptions"):
        ledger.db.execute(
            f"UPDATE {table} SET {column} = ? WHERE campaign = ? AND {column} = ?",
            (new, campaign, old),
        )
    return int(
        ledger.db.execute(
            f"UPDATE submissions SET {column} = ? WHERE campaign = ? AND {column} = ?",
            (new, campaign, old),
        ).rowcount
    )
