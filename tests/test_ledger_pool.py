"""Ledgers for many short uses (`LedgerPool`, what each portal worker holds): on both
backends, threads at once each get a ledger of their own; on PostgreSQL they share at most
the pool's connections, a use that failed leaves nothing behind for the next, and a server
that cannot be reached, or a pool with nothing free, is a `LedgerError` that says so."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from campaignkit import LedgerError, LedgerPool, open_ledger
from campaignkit.ledger import pool as pool_module
from campaignkit.reviews import AuditEntry

AT = dt.datetime(2020, 6, 1, 9, 0, tzinfo=dt.UTC)


def audit(n: int) -> AuditEntry:
    return AuditEntry(AT, "li.wei", "review", f"submission:{n}")


def test_threads_at_once_each_record_through_a_ledger_of_their_own(
    ledger_target: str | Path,
) -> None:
    with LedgerPool(ledger_target, size=3) as pool:

        def record(n: int) -> None:
            with pool.ledger() as ledger:
                ledger.record_audit("mini", audit(n))

        with ThreadPoolExecutor(max_workers=12) as threads:
            list(threads.map(record, range(200)))
    with open_ledger(ledger_target) as ledger:
        subjects = sorted(entry.subject for entry in ledger.audit("mini"))
    assert subjects == sorted(f"submission:{n}" for n in range(200))


@pytest.mark.postgres
def test_a_pool_holds_at_most_its_size_of_connections(postgres_url: str) -> None:
    with LedgerPool(postgres_url, size=3) as pool:
        seen: list[int] = []

        def count(n: int) -> None:
            with pool.ledger() as ledger:
                ledger.record_audit("mini", audit(n))
                found = ledger.db.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND application_name <> 'observer'"
                ).fetchone()
                seen.append(int(found[0]))

        with ThreadPoolExecutor(max_workers=12) as threads:
            list(threads.map(count, range(120)))
    assert max(seen) <= 3
    assert len(seen) == 120


def failed_midway(pool: LedgerPool) -> None:
    with pool.ledger() as ledger:
        ledger.db.execute("BEGIN")  # a transaction the failure leaves open
        ledger.db.execute(
            "INSERT INTO audit (campaign, at, actor, action, subject, detail)"
            " VALUES ('mini', ?, 'li.wei', 'review', 'submission:1', '{}')",
            (AT.isoformat(),),
        )
        raise RuntimeError("the request failed")


@pytest.mark.postgres
def test_a_use_that_failed_midway_leaves_nothing_for_the_next(postgres_url: str) -> None:
    with LedgerPool(postgres_url, size=1) as pool:
        with pytest.raises(RuntimeError, match="the request failed"):
            failed_midway(pool)
        with pool.ledger() as ledger:  # the same connection, given back rolled back
            ledger.record_audit("mini", audit(2))
            assert [entry.subject for entry in ledger.audit("mini")] == ["submission:2"]


@pytest.mark.postgres
def test_a_pool_with_nothing_free_says_the_ledger_is_busy(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool_module, "WAIT", 0.05)
    busy = r"is busy: no connection free after 0 s"
    with (
        LedgerPool(postgres_url, size=1) as pool,
        pool.ledger(),  # its one connection, held
        pytest.raises(LedgerError, match=busy),
    ):
        pool.ledger().__enter__()


def test_a_server_that_cannot_be_reached_is_said_with_its_password_masked(
    tmp_path: Path,
) -> None:
    pytest.importorskip("psycopg_pool")
    url = f"postgresql://clerk:s3cret@/nowhere?host={tmp_path}&connect_timeout=1"
    with LedgerPool(url) as pool, pytest.raises(LedgerError) as raised, pool.ledger():
        pass
    said = str(raised.value)
    assert "cannot be reached" in said
    assert "clerk:***@" in said
    assert "s3cret" not in said


def test_a_file_pool_opens_the_file_for_each_use(tmp_path: Path) -> None:
    with LedgerPool(tmp_path / "ledger.db") as pool:
        with pool.ledger() as first:
            first.record_audit("mini", audit(1))
        with pool.ledger() as second:
            assert second is not first
            assert [entry.subject for entry in second.audit("mini")] == ["submission:1"]
    assert (tmp_path / "ledger.db").is_file()
