"""How the ledger writes moments."""

from __future__ import annotations

import datetime as dt


def now_text() -> str:
    """The wall clock, for when a row was recorded: UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def utc_text(moment: dt.datetime) -> str:
    """A moment as the outbox keeps times it compares: UTC, fixed width, to the millisecond
    (what SQLite's ``strftime('%Y-%m-%dT%H:%M:%fZ', …)`` writes)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
