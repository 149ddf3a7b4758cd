"""``campaignkit ledger copy`` and ``ledger check`` on a ledger a campaign really wrote: a
hand-in with its file, a review and the unit's signature, an extension and an exemption,
staff and tokens, a tick's events and deliveries, the sign-in rate limit."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
from conftest import east_channels

from campaignkit import (
    DirectoryStore,
    Ledger,
    add_staff,
    exempt,
    extend,
    issue_unit_tokens,
    load_campaign,
    open_ledger,
    review,
    sign_for,
    tick,
)
from campaignkit.ledger.copying import TABLES, table_sums
from campaignkit.reviews import AuditEntry

CAMPAIGN = east_channels('recording = "east-desk"') + (
    '\n[units.west]\nname = "West district"\nkind = "district"\nparent = "office"\n'
    '\n[[requirements.summary.deliverables]]\nid = "notes"\nkind = "other"\n'
)
NOTES = b"what we did, and when\n"


def at(when: str) -> dt.datetime:
    return dt.datetime.fromisoformat(when + ("" if "T" in when else "T00:00") + "+08:00")


@pytest.fixture
def office(tmp_path, run_cli, plugin_host, recording_notifier) -> Path:
    """The campaign file, with a ledger beside it that holds a row in every table."""
    plan = tmp_path / "mini.toml"
    plan.write_text(CAMPAIGN, encoding="utf-8")
    (tmp_path / "notes.txt").write_bytes(NOTES)
    handed = run_cli(
        "submit", plan, "--unit", "east", "--requirement", "summary",
        "--deliverable", f"notes={tmp_path / 'notes.txt'}", "--at", "2020-06-20T10:00:00+08:00",
        host=plugin_host,
    )  # fmt: skip
    assert handed.exit_code == 0, handed.output
    campaign = load_campaign(plan, host=plugin_host).unwrap()
    with Ledger(plan.with_suffix(".db")) as ledger:
        tick(campaign, plugin_host, ledger, now=at("2020-06-21T10:00"))
        review(campaign, ledger, 1, "has_issues", "dates", "li", now=at("2020-06-22T10:00"))
        tick(campaign, plugin_host, ledger, now=at("2020-06-22T11:00"))
        sign_for(campaign, ledger, "east", "mini/summary/review-1/east", at("2020-06-22T12:00"))
        extend(
            campaign, ledger, "west", "summary", "2020-07-05", "flood", "li", now=at("2020-06-23")
        )
        exempt(campaign, ledger, "east", "summary", "closed", "li", now=at("2020-06-23"))
        add_staff(ledger, "li.wei", "$argon2id$not-used", now=at("2020-06-01"))
        issue_unit_tokens(campaign, ledger, ["east"], now=at("2020-06-01"))
        window = {"window": dt.timedelta(minutes=15), "lockout": dt.timedelta(minutes=15)}
        ledger.sign_in_failed(["name:li.wei"], at("2020-06-23"), limit=5, **window)
        ledger.sign_in_failed(["address:10.0.0.7"], at("2020-06-23"), limit=1, **window)
        ledger.mark_rehearsal("drill")
        ledger.follow("mini", hashlib.sha256(CAMPAIGN.encode()).hexdigest())  # as `tick` does
        with ledger.transaction():
            ledger.db.execute(
                "INSERT INTO retired VALUES ('mini', 'units', 'south', '2020-06-23T00:00:00Z')"
            )
    return plan


def counts(db: Path) -> dict[str, int]:
    with Ledger(db) as ledger:
        return {s.table: s.rows for s in table_sums(ledger)}


def test_every_table_of_the_schema_is_copied() -> None:
    with Ledger() as ledger:
        schema = ledger.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
    assert sorted(TABLES) == [name for (name,) in schema]


def test_a_copy_holds_every_row_and_gives_the_same_status(office: Path, run_cli) -> None:
    source, target = office.with_suffix(".db"), office.parent / "copy.db"
    assert all(counts(source).values()), counts(source)  # a row in every table

    copied = run_cli("ledger", "copy", source, target, "--format", "json")
    assert copied.exit_code == 0, copied.output
    with Ledger(source) as ledger:
        sums = [
            {"table": s.table, "rows": s.rows, "checksum": s.checksum} for s in table_sums(ledger)
        ]
    assert copied.json()["tables"] == sums
    assert copied.json()["rows"] == sum(counts(source).values())
    with Ledger(target) as ledger:
        assert [s.checksum for s in table_sums(ledger)] == [s["checksum"] for s in sums]

    def status(db: Path) -> str:
        shown = run_cli(
            "status", office, "--db", db, "--at", "2020-06-30T12:00", "--format", "json"
        )
        assert shown.exit_code == 0, shown.output
        return shown.stdout

    assert status(target) == status(source)


def test_copy_says_each_tables_count_and_checksum(office: Path, run_cli) -> None:
    source, target = office.with_suffix(".db"), office.parent / "copy.db"
    copied = run_cli("ledger", "copy", source, target)
    lines = copied.stdout.splitlines()
    assert lines[0].split()[:2] == ["submissions", "1"]
    assert len(lines) == len(TABLES) + 1
    assert lines[-1] == (
        f"copied {sum(counts(source).values())} row(s) of {len(TABLES)} tables from {source} "
        f"to {target}: counts and checksums agree"
    )


def test_a_target_that_holds_data_is_refused_and_left_as_it_was(office: Path, run_cli) -> None:
    source, target = office.with_suffix(".db"), office.parent / "copy.db"
    assert run_cli("ledger", "copy", source, target).exit_code == 0
    before = counts(target)
    again = run_cli("ledger", "copy", source, target)
    assert again.exit_code == 1
    assert again.stderr.startswith(f"error: the ledger {target} holds data already (submissions,")
    assert again.stderr.endswith("copy into a new one\n")
    assert counts(target) == before


def test_a_source_that_is_not_there_is_said(tmp_path, run_cli) -> None:
    missing = run_cli("ledger", "copy", tmp_path / "none.db", tmp_path / "copy.db")
    assert missing.exit_code == 1
    assert missing.stderr == f"error: there is no ledger at {tmp_path / 'none.db'}\n"
    assert not (tmp_path / "copy.db").exists()


def check(run_cli, db: Path, *more: object):
    return run_cli("ledger", "check", db, *more, "--format", "json")


def test_a_whole_ledger_checks_clean(office: Path, run_cli) -> None:
    db = office.with_suffix(".db")
    found = check(run_cli, db)
    assert found.exit_code == 0, found.output
    assert found.json() | {"findings": []} == {
        "ok": True,
        "ledger": str(db),
        "evidence": str(office.parent / "mini.evidence"),
        "hand_ins": 1,
        "files": 1,
        "errors": 0,
        "warnings": 0,
        "findings": [],
    }
    said = run_cli("ledger", "check", db)
    assert said.stdout == (
        f"checked 1 hand-in(s) and 1 stored file(s) in {office.parent / 'mini.evidence'}: "
        "0 error(s), 0 warning(s)\n"
    )


def test_a_missing_file_is_an_error_and_an_orphan_a_warning(office: Path, run_cli) -> None:
    db = office.with_suffix(".db")
    store = DirectoryStore(office.parent / "mini.evidence")
    sha256 = hashlib.sha256(NOTES).hexdigest()
    (office.parent / "stray.txt").write_text("never handed in", encoding="utf-8")
    orphan = store.put(office.parent / "stray.txt").sha256
    warned = check(run_cli, db)
    assert warned.exit_code == 0
    assert warned.json()["findings"] == [
        {
            "kind": "orphan-file",
            "severity": "warning",
            "message": f"the stored file {orphan} belongs to no hand-in",
            "campaign": None,
            "table": None,
            "id": None,
            "sha256": orphan,
        }
    ]
    store.path_of(sha256).unlink()
    broken = check(run_cli, db)
    assert broken.exit_code == 1
    assert [(f["kind"], f["id"], f["sha256"]) for f in broken.json()["findings"]] == [
        ("missing-file", "1", sha256),
        ("orphan-file", None, orphan),
    ]
    assert broken.json()["findings"][0]["message"] == (
        f"hand-in 1: its file notes.txt ({sha256[:12]}) is missing from the store"
    )
    said = run_cli("ledger", "check", db)
    assert said.exit_code == 1
    assert said.stdout.splitlines()[0] == (
        f"error: hand-in 1: its file notes.txt ({sha256[:12]}) is missing from the store"
    )


def test_a_changed_file_is_found_when_every_file_is_read(office: Path, run_cli) -> None:
    db = office.with_suffix(".db")
    kept = DirectoryStore(office.parent / "mini.evidence").path_of(
        hashlib.sha256(NOTES).hexdigest()
    )
    kept.write_bytes(NOTES.upper())  # the same size, another content
    assert check(run_cli, db).exit_code == 0
    deep = check(run_cli, db, "--read-files")
    assert deep.exit_code == 1
    assert [f["kind"] for f in deep.json()["findings"]] == ["corrupt-file"]


def test_rows_that_refer_to_nothing_are_errors(office: Path, run_cli) -> None:
    db = office.with_suffix(".db")
    with sqlite3.connect(db) as raw:  # foreign keys off, as a damaged or hand-edited file
        raw.execute(
            "INSERT INTO outbox (campaign, key, at, kind, to_unit, text, next_attempt_at)"
            " VALUES ('gone', 'gone/1', '2020-06-01T09:00:00+08:00', 'reminder', 'east', 'hi',"
            " '2020-06-01T01:00:00.000Z')"
        )
        raw.execute(
            "INSERT INTO deliveries (outbox_id, channel, at, ok) VALUES (999, 'x', '2020', 1)"
        )
        raw.execute("INSERT INTO acks VALUES ('mini', 'mini/nothing', 'east', '2020')")
    raw.close()
    found = check(run_cli, db)
    assert found.exit_code == 1
    assert [
        (f["kind"], f["campaign"], f["id"], f["message"]) for f in found.json()["findings"]
    ] == [
        (
            "outbox-without-campaign",
            "gone",
            None,
            "1 notice(s) of campaign gone, of which the ledger holds nothing else",
        ),
        (
            "delivery-without-notice",
            None,
            "999",
            "1 delivery attempt(s) of notice 999, not in the outbox",
        ),
        (
            "ack-without-notice",
            "mini",
            "mini/nothing",
            "a signature for notice mini/nothing of campaign mini, not in the outbox",
        ),
    ]


def test_a_ledger_to_check_must_be_there(tmp_path, run_cli) -> None:
    missing = run_cli("ledger", "check", tmp_path / "none.db")
    assert missing.exit_code == 1
    assert missing.stderr == f"error: there is no ledger at {tmp_path / 'none.db'}\n"


def test_each_file_of_a_hand_in_is_checked_by_name_and_size(
    office: Path, run_cli, plugin_host
) -> None:
    (office.parent / "minutes.txt").write_text("the meeting's minutes\n", encoding="utf-8")
    handed = run_cli(
        "submit", office, "--unit", "west", "--requirement", "summary",
        "--deliverable", f"notes={office.parent / 'notes.txt'}",
        "--deliverable", f"notes={office.parent / 'minutes.txt'}",
        "--at", "2020-06-24T10:00:00+08:00",
        host=plugin_host,
    )  # fmt: skip
    assert handed.exit_code == 0, handed.output
    store = DirectoryStore(office.parent / "mini.evidence")
    minutes = hashlib.sha256(b"the meeting's minutes\n").hexdigest()
    store.path_of(minutes).unlink()
    store.path_of(hashlib.sha256(NOTES).hexdigest()).write_bytes(b"cut")
    found = check(run_cli, office.with_suffix(".db")).json()
    assert found["hand_ins"] == 2
    assert [(f["kind"], f["id"], f["message"]) for f in found["findings"]] == [
        (
            "wrong-size",
            "1",
            f"hand-in 1: its file notes.txt is kept with 3 bytes, not {len(NOTES)}",
        ),
        (
            "wrong-size",
            "2",
            f"hand-in 2: its file notes.txt is kept with 3 bytes, not {len(NOTES)}",
        ),
        (
            "missing-file",
            "2",
            f"hand-in 2: its file minutes.txt ({minutes[:12]}) is missing from the store",
        ),
    ]


@pytest.mark.postgres
def test_a_ledger_copied_to_postgresql_and_back_is_the_same_ledger(
    office: Path, run_cli, postgres_cluster
) -> None:
    source, back = office.with_suffix(".db"), office.parent / "back.db"
    server = postgres_cluster.database(empty=True)
    there = run_cli("ledger", "copy", source, server, "--format", "json")
    assert there.exit_code == 0, there.output
    assert run_cli("ledger", "copy", server, back).exit_code == 0
    with Ledger(source) as one, open_ledger(server) as two, Ledger(back) as three:
        assert table_sums(one) == table_sums(two) == table_sums(three)

    def status(db: Path | str) -> str:
        shown = run_cli(
            "status", office, "--db", db, "--at", "2020-06-30T12:00", "--format", "json"
        )
        assert shown.exit_code == 0, shown.output
        return shown.stdout

    assert status(server) == status(source) == status(back)
    # What the server records next gets ids of its own, past those copied.
    with open_ledger(server) as ledger:
        before = max(entry.id or 0 for entry in ledger.audit("mini"))
        ledger.record_audit("mini", AuditEntry(at("2020-06-24"), "li", "note", "east"))
        assert max(entry.id or 0 for entry in ledger.audit("mini")) == before + 1
