"""Mending a ledger whose campaign file was edited: hand-ins it no longer explains, and
moving what was recorded under an id that was renamed.

Used by ``tick`` (which stops rather than chase units for work they handed in under an old
id) and by ``campaignkit ledger rename-requirement`` and ``rename-unit``.
"""

from __future__ import annotations

from collections.abc import Collection

from .errors import guarded
from .sqlite import Ledger


@guarded
def orphans(
    ledger: Ledger, campaign: str, requirements: Collection[str], units: Collection[str]
) -> list[tuple[str, str, int]]:
    """Hand-ins the campaign file no longer explains: (unit, requirement, how many) for
    each unit or requirement that is not in the file any more."""
    rows = ledger.db.execute(
        "SELECT unit, requirement, count(*) FROM submissions WHERE campaign = ?"
        " GROUP BY unit, requirement ORDER BY min(id)",
        (campaign,),
    )
    return [(u, r, n) for u, r, n in rows if r not in requirements or u not in units]


@guarded
def rename_requirement(ledger: Ledger, campaign: str, old: str, new: str) -> dict[str, int]:
    """Move everything recorded under requirement `old` to `new`, in one transaction:
    its hand-ins, its processed events and its notifications, keys included, so that
    nothing already sent is sent again. Returns how many of each moved."""
    event_prefix = "kind || ':' || :new || substr(key, length(kind) + length(:old) + 2)"
    note_prefix = f"{campaign}/"
    with ledger.transaction():
        moved = _move_submissions(ledger, campaign, "requirement", old, new)
        events = ledger.db.execute(
            f"UPDATE OR IGNORE events SET subject = :new, key = {event_prefix}"
            " WHERE campaign = :campaign AND subject = :old"
            " AND substr(key, 1, length(kind) + length(:old) + 1) = kind || ':' || :old",
            {"campaign": campaign, "old": old, "new": new},
        ).rowcount
        notes = ledger.db.execute(
            "UPDATE OR IGNORE outbox SET requirement = :new,"
            " key = :prefix || :new || substr(key, length(:prefix) + length(:old) + 1)"
            " WHERE campaign = :campaign AND requirement = :old"
            " AND substr(key, 1, length(:prefix) + length(:old) + 1) = :prefix || :old || '/'",
            {"campaign": campaign, "old": old, "new": new, "prefix": note_prefix},
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
        events = ledger.db.execute(
            "UPDATE OR IGNORE events SET key = replace(key, :from, :to)"
            " WHERE campaign = :campaign AND instr(key, :from) > 0",
            {"campaign": campaign, "from": f":{old}@", "to": f":{new}@"},
        ).rowcount
        notes = 0
        for column in ("to_unit", "about"):
            notes += ledger.db.execute(
                f"UPDATE outbox SET {column} = ? WHERE campaign = ? AND {column} = ?",
                (new, campaign, old),
            ).rowcount
        ledger.db.execute(
            "UPDATE OR IGNORE outbox SET key = substr(key, 1, length(key) - length(:old))"
            " || :new WHERE campaign = :campaign AND substr(key, -length(:old) - 1) = '/' || :old",
            {"campaign": campaign, "old": old, "new": new},
        )
    return {"submissions": moved, "events": events, "notifications": notes}


def _move_submissions(ledger: Ledger, campaign: str, column: str, old: str, new: str) -> int:
    return int(
        ledger.db.execute(
            f"UPDATE submissions SET {column} = ? WHERE campaign = ? AND {column} = ?",
            (new, campaign, old),
        ).rowcount
    )
