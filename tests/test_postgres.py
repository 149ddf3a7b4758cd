"""The ledger on PostgreSQL: what differs from SQLite. Its schema from the same migrations,
built once however many processes start on a new database at once; the URL and the
environment variable on the command line, its password never said; a server that cannot
be reached said as such; and claims that need no file lock. The rest of the ledger's
behaviour is the same test suite run on both backends (the fixture `ledger_target`)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pgcluster
import pytest
from conftest import MINIMAL, REPO
from pgcluster import Cluster, wait_until_alone

from campaignkit.ledger import (
    SCHEMA_VERSION,
    Ledger,
    LedgerError,
    PostgresLedger,
    open_ledger,
)
from campaignkit.ledger.pgsql import Contention
from campaignkit.ledger.postgres import masked
from campaignkit.notify import Notification
from campaignkit.timeline import Event

pytestmark = pytest.mark.postgres

CAMPAIGN = MINIMAL
AT = dt.datetime(2020, 6, 1, 9, 0, tzinfo=dt.UTC)


def queue(ledger: Ledger, count: int) -> None:
    """`count` notifications to the east district, due at AT, in one event."""
    notes = [
        Notification(at=AT, to="east", kind="reminder", requirement="summary",
                     key=f"mini/summary/reminder/{n}", text=f"notice {n}")
        for n in range(count)
    ]  # fmt: skip
    event = Event(at=AT, kind="requirement.remind", subject="summary", days=1)
    ledger.mark_processed("mini", [event], notes)


def test_masked_hides_the_password_wherever_it_is() -> None:
    assert masked("postgresql://ck:s3cret@db.example:5432/ledger") == (
        "postgresql://ck:***@db.example:5432/ledger"
    )
    assert masked("postgresql://ck@db/ledger?password=s3cret&sslmode=require") == (
        "postgresql://ck@db/ledger?password=***&sslmode=require"
    )
    assert masked("postgresql://ck@db/ledger") == "postgresql://ck@db/ledger"


def test_a_new_database_gets_every_table_of_the_sqlite_schema(
    postgres_cluster: Cluster, tmp_path: Path
) -> None:
    url = postgres_cluster.database(empty=True)
    with open_ledger(url) as ledger:
        assert isinstance(ledger, PostgresLedger)
        assert ledger.version == SCHEMA_VERSION
        found = ledger.db.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name <> 'campaignkit_schema'"
        ).fetchall()
    with sqlite3.connect(tmp_path / "ledger.db") as con:
        Ledger(tmp_path / "ledger.db").close()
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        expected = {
            (table, column)
            for table in tables
            for (_, column, *_rest) in con.execute(f"PRAGMA table_info({table})")
        }
    con.close()
    assert set(found) == expected


@pytest.mark.slow
def test_many_processes_starting_on_a_new_database_at_once_all_succeed(
    postgres_cluster: Cluster,
) -> None:
    url = postgres_cluster.database(empty=True)
    code = (
        "import sys; from campaignkit.ledger import open_ledger; open_ledger(sys.argv[1]).close()"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    processes = [
        subprocess.Popen([sys.executable, "-c", code, url], env=env, stderr=subprocess.PIPE)
        for _ in range(6)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in processes]
    assert [p.returncode for p in processes] == [0] * 6, errors
    with open_ledger(url) as ledger:
        assert ledger.version == SCHEMA_VERSION
        assert ledger.db.execute("SELECT count(*) FROM campaignkit_schema").fetchone()[0] == 1


def test_a_database_written_by_a_newer_campaignkit_is_refused(postgres_url: str) -> None:
    with open_ledger(postgres_url) as ledger:
        ledger.db.execute("UPDATE campaignkit_schema SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(LedgerError) as refused:
        open_ledger(postgres_url)
    assert f"ledger schema {SCHEMA_VERSION + 1}" in str(refused.value)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql://ck:s3cret@/ledger?host=/nonexistent", "cannot be reached"),
        ("postgresql://ck:s3cret@[::1/ledger", "cannot be reached"),
    ],
)
def test_a_server_that_cannot_be_reached_is_said_and_its_password_never(
    run_cli, write_campaign, url: str, said: str
) -> None:
    campaign = write_campaign(CAMPAIGN)
    result = run_cli("status", campaign, "--db", url)
    assert result.exit_code == 1
    assert said in result.stderr
    assert "s3cret" not in result.output + result.stderr
    assert "***" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_that_does_not_exist_is_named(
    run_cli, write_campaign, postgres_cluster: Cluster
) -> None:
    campaign = write_campaign(CAMPAIGN)
    url = postgres_cluster.url("no_such_ledger").replace("postgres@", "postgres:s3cret@")
    result = run_cli("status", campaign, "--db", url)
    assert result.exit_code == 1
    assert 'database "no_such_ledger" does not exist' in result.stderr
    assert "s3cret" not in result.stderr


def test_the_environment_names_the_ledger_when_no_db_is_given(
    run_cli, write_campaign, postgres_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    deliverable = (
        '\n[[requirements.summary.deliverables]]\nid = "report"\nkind = "document"\n'
        'formats = ["txt"]\n'
    )
    campaign = write_campaign(CAMPAIGN + deliverable)
    report = tmp_path / "report.txt"
    report.write_text("done", encoding="utf-8")
    monkeypatch.setenv("CAMPAIGNKIT_DB", postgres_url)
    # A database has no folder beside it: the files go where the environment says.
    monkeypatch.setenv("CAMPAIGNKIT_EVIDENCE", str(tmp_path / "evidence"))
    handed = run_cli("submit", campaign, "--unit", "east", "--requirement", "summary",
                     "--deliverable", f"report={report}", "--at", "2020-06-20T10:00")  # fmt: skip
    assert handed.exit_code == 0, handed.output
    ticked = run_cli("tick", campaign, "--now", "2020-06-20T10:00", "--format", "json")
    assert ticked.exit_code == 0, ticked.output
    assert ticked.json()["processed_events"] == 2  # campaign.open, phase.start
    status = run_cli("status", campaign, "--at", "2020-06-20T10:00", "--format", "json")
    assert status.exit_code == 0, status.output
    with open_ledger(postgres_url) as ledger:
        assert [(v.unit, v.status) for v in ledger.submissions("mini")] == [("east", "on_time")]
    assert not campaign.with_suffix(".db").exists()  # nothing beside the campaign file
    assert len(list((tmp_path / "evidence").rglob("*"))) > 0


def test_tick_without_a_ledger_says_how_to_give_one(
    run_cli, write_campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAMPAIGNKIT_DB", raising=False)
    result = run_cli("tick", write_campaign(CAMPAIGN), "--now", "2020-06-20T10:00")
    assert result.exit_code == 2
    assert "give the ledger with --db, or set CAMPAIGNKIT_DB" in result.stderr


def test_a_notification_in_flight_is_left_to_its_live_tick_and_taken_from_a_dead_one(
    postgres_url: str,
) -> None:
    first, second = open_ledger(postgres_url), open_ledger(postgres_url)
    queue(first, 3)
    claimed = first.claim_next("mini", AT)
    assert claimed is not None
    assert claimed.notification.key.endswith("/0")
    # The first tick is sending it: the second takes the next one, not that one.
    other = second.claim_next("mini", AT)
    assert other is not None
    assert other.notification.key.endswith("/1")
    second.finish(other.id, [("desk", None)], state="delivered")
    # The first tick dies before recording its delivery: its connection ends, and with it
    # its lock, so the next tick sends first the notification it left in flight.
    first.close()
    wait_until_alone(postgres_url, besides=1)  # the second's session
    third = open_ledger(postgres_url)
    again = third.claim_next("mini", AT)
    assert again is not None
    assert (again.id, again.state) == (claimed.id, "sending")
    third.finish(again.id, [("desk", None)], state="delivered")
    last = third.claim_next("mini", AT)
    assert last is not None
    assert last.notification.key.endswith("/2")
    third.finish(last.id, [("desk", None)], state="delivered")
    assert third.claim_next("mini", AT) is None
    assert second.claim_next("mini", AT) is None
    assert third.counts("mini") == {"delivered": 3}
    assert third.delivered_channels(claimed.id) == {"desk"}
    third.close()
    second.close()


def test_ticks_at_once_each_claim_a_notification_of_their_own(postgres_url: str) -> None:
    ledgers = [open_ledger(postgres_url) for _ in range(4)]
    queue(ledgers[0], 4)
    claimed = [ledger.claim_next("mini", AT) for ledger in ledgers]
    assert len({row.id for row in claimed if row is not None}) == 4
    assert ledgers[0].claim_next("mini", AT) is None  # all four are being sent
    for ledger in ledgers:
        ledger.close()


def test_events_whose_transaction_lost_a_race_are_recorded_on_the_next_run(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_ledger(postgres_url) as ledger:
        real = ledger.db.executemany
        lost: list[str] = []

        def deadlocked_once(sql: str, rows: object) -> object:
            if not lost and "INTO events" in sql:
                lost.append(sql)
                raise Contention("deadlock detected")  # as the server rolls one back
            return real(sql, rows)

        monkeypatch.setattr(ledger.db, "executemany", deadlocked_once)
        queue(ledger, 2)
        assert lost
        assert len(ledger.outbox("mini")) == 2
        assert len(ledger.processed("mini")) == 1


@pytest.mark.parametrize(("env", "outcome"), [({}, "skip"), ({"CI": "true"}, "fail")])
def test_without_postgresql_the_tests_say_how_to_run_them_and_fail_on_ci(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], outcome: str
) -> None:
    for name in ("CI", "CAMPAIGNKIT_EXPECT_POSTGRES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(pgcluster, "binaries", lambda: None)
    expected = pytest.skip.Exception if outcome == "skip" else pytest.fail.Exception
    with pytest.raises(expected) as stopped:
        pgcluster.Cluster.start()
    said = str(stopped.value)
    assert "PostgreSQL is not installed" in said
    assert "apt-get install postgresql" in said
    assert "CAMPAIGNKIT_TEST_POSTGRES" in said


def test_a_database_of_an_older_schema_is_upgraded_in_place(postgres_cluster: Cluster) -> None:
    import psycopg

    from campaignkit.ledger.migrations import MIGRATIONS, statements
    from campaignkit.ledger.pgsql import pg_ddl, translate

    url = postgres_cluster.database(empty=True)
    # The schema before the outbox kept its send times in UTC (the fifth migration), with
    # a reminder queued then.
    before = next(i for i, script in enumerate(MIGRATIONS) if "expires_at" in script)
    with psycopg.connect(url, autocommit=True) as connection:
        for number in range(before):
            for statement in statements(MIGRATIONS[number]):
                connection.execute(translate(pg_ddl(statement)).replace("%%", "%"))
        connection.execute("CREATE TABLE campaignkit_schema (version BIGINT)")
        connection.execute("INSERT INTO campaignkit_schema VALUES (%s)", (before,))
        connection.execute(
            "INSERT INTO outbox (campaign, key, at, kind, to_unit, text)"
            " VALUES ('mini', 'mini/summary/reminder-3d/east', '2020-06-25T09:00:00+08:00',"
            " 'reminder', 'east', '3 days left')"
        )
    with open_ledger(url) as ledger:
        assert ledger.version == SCHEMA_VERSION
        [row] = ledger.outbox("mini")
        assert (row.state, row.notification.chases, row.notification.keeps_hours) == (
            "pending", True, True,
        )  # fmt: skip
        found = ledger.db.execute("SELECT next_attempt_at FROM outbox").fetchone()
        assert found == ("2020-06-25T01:00:00.000Z",)  # UTC, as utc_text writes it
        assert ledger.claim_next("mini", dt.datetime(2020, 6, 25, 1, 0, tzinfo=dt.UTC)) is not None
