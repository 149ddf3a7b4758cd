"""What the ledger offers beyond its records, the same on both backends (`ledger_target`):
a read that sees one moment of the ledger, the columns a query returns, and ids written as
given (a copy of another ledger) followed by ids of their own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from campaignkit.ledger import open_ledger
from campaignkit.reviews import AuditEntry

AT = dt.datetime(2020, 6, 1, 9, 0, tzinfo=dt.UTC)


def test_a_read_sees_the_ledger_as_it_was_at_its_first_statement(
    ledger_target: str | Path,
) -> None:
    with open_ledger(ledger_target) as reader, open_ledger(ledger_target) as writer:
        writer.follow("mini", "a")
        with reader.reading():
            assert reader.db.execute("SELECT count(*) FROM sources").fetchone() == (1,)
            writer.follow("other", "b")  # committed meanwhile
            assert reader.db.execute("SELECT count(*) FROM sources").fetchone() == (1,)
        assert reader.db.execute("SELECT count(*) FROM sources").fetchone() == (2,)


def test_a_query_names_its_columns_and_gives_its_rows_in_batches(
    ledger_target: str | Path,
) -> None:
    with open_ledger(ledger_target) as ledger:
        for campaign in ("a", "b", "c"):
            ledger.follow(campaign, "sha")
        cursor = ledger.db.execute("SELECT * FROM sources ORDER BY campaign")
        assert [column[0] for column in cursor.description] == ["campaign", "sha256", "seen_at"]
        assert [row[0] for row in cursor.fetchmany(2)] == ["a", "b"]
        assert [row[0] for row in cursor.fetchmany(2)] == ["c"]
        assert cursor.fetchmany(2) == []


def test_rows_written_with_their_ids_are_followed_by_ids_of_their_own(
    ledger_target: str | Path,
) -> None:
    with open_ledger(ledger_target) as ledger:
        with ledger.transaction():
            ledger.db.executemany(
                "INSERT INTO audit (id, campaign, at, actor, action, subject, detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(41, "mini", AT.isoformat(), "li.wei", "review", "submission:1", "{}")],
            )
            ledger.ids_taken()
        ledger.record_audit("mini", AuditEntry(AT, "li.wei", "review", "submission:2"))
        assert [entry.id for entry in ledger.audit("mini")] == [41, 42]
