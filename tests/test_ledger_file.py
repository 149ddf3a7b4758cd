"""The ledger file: opened by many commands at once, upgraded, damaged or out of reach.

Whatever happens to the file, a person gets a sentence naming it and exit code 1, never a
traceback, and a ledger that two commands opened at once is never left half-built.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL, SHENZHEN

from campaignkit.ledger import SCHEMA_VERSION, Ledger
from campaignkit.ledger.migrations import MIGRATIONS, statements

OPEN = "import sys\nfrom campaignkit.ledger import Ledger\nLedger(sys.argv[1]).close()\n"


def start_all(commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Start every command before waiting for any, so that they open the ledger together."""
    processes = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    done = []
    for command, process in zip(commands, processes, strict=True):
        out, err = process.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return done


@pytest.mark.slow
@pytest.mark.parametrize("count", [5, 50])
def test_many_commands_opening_a_new_ledger_at_once_all_succeed(tmp_path: Path, count) -> None:
    db = tmp_path / "new.db"
    results = start_all([[sys.executable, "-c", OPEN, str(db)] for _ in range(count)])
    for result in results:
        assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.slow
def test_five_submits_on_a_new_ledger_at_once(tmp_path: Path) -> None:
    campaign = tmp_path / "mini.toml"
    campaign.write_text(
        MINIMAL + '\n[[requirements.summary.deliverables]]\nid = "form"\nkind = "document"\n',
        encoding="utf-8",
    )
    form = tmp_path / "form.docx"
    with zipfile.ZipFile(form, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    db = tmp_path / "ledger.db"
    submit = [
        sys.executable,
        "-m",
        "campaignkit",
        "submit",
        str(campaign),
        "--unit",
        "east",
        "--requirement",
        "summary",
        "--deliverable",
        f"form={form}",
        "--db",
        str(db),
        "--at",
        "2020-06-20T10:00",
    ]
    results = start_all([submit] * 5)
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "already exists" not in result.stderr
        assert "duplicate column" not in result.stderr
    with Ledger(db) as ledger:
        assert len(ledger.submissions("mini")) == 5


def old_ledger(path: Path, version: int) -> None:
    """A ledger as an older campaignkit left it: schema `version`, with a queued notice."""
    with sqlite3.connect(path, isolation_level=None) as con:
        con.execute("PRAGMA journal_mode=WAL")
        for number in range(version):
            for statement in statements(MIGRATIONS[number]):
                con.execute(statement)
        con.execute(f"PRAGMA user_version = {version}")
        con.execute(
            "INSERT INTO outbox (campaign, key, at, kind, to_unit, requirement, text)"
            " VALUES ('mini', 'mini/summary/overdue/east', '2020-06-28T23:59:59+08:00',"
            " 'overdue', 'east', 'summary', 'Overdue')"
        )


@pytest.mark.slow
def test_commands_upgrading_an_older_ledger_at_once_all_succeed(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    old_ledger(db, 4)
    results = start_all([[sys.executable, "-c", OPEN, str(db)] for _ in range(20)])
    for result in results:
        assert result.returncode == 0, result.stderr
    with Ledger(db) as ledger:
        assert ledger.version == SCHEMA_VERSION
        [row] = ledger.outbox("mini")
        assert (row.state, row.notification.chases) == ("pending", True)
        # Its send time is its old moment, in UTC: the next tick finds it due.
        claimed = ledger.claim_next("mini", row.notification.at)
        assert claimed is not None
        assert claimed.id == row.id


def damaged(path: Path) -> None:
    """A real ledger, then everything past its 100-byte header overwritten with noise."""
    with Ledger(path) as ledger:
        ledger.follow("shenzhen-2020", "0" * 64)
    size = path.stat().st_size
    with open(path, "r+b") as file:
        file.seek(100)
        file.write(bytes((7 * i + 13) % 256 for i in range(size - 100)))


DAMAGED_COMMANDS = {
    "status": ["status", SHENZHEN, "--db", "{db}"],
    "report": ["report", SHENZHEN, "--db", "{db}", "-f", "json"],
    "tick": ["tick", SHENZHEN, "--db", "{db}", "--now", "2020-06-01T10:00"],
    "simulate": ["simulate", SHENZHEN, "--db", "{db}"],
    "submit": [
        "submit",
        SHENZHEN,
        "--unit",
        "futian",
        "--requirement",
        "liaison-and-plan",
        "--deliverable",
        "liaison-form={file}",
        "--db",
        "{db}",
    ],
}


@pytest.mark.parametrize("command", sorted(DAMAGED_COMMANDS))
def test_a_damaged_ledger_is_named_and_exits_1_in_every_command(
    run_cli, tmp_path: Path, command: str
) -> None:
    db = tmp_path / "damaged.db"
    damaged(db)
    form = tmp_path / "form.docx"
    form.write_bytes(b"PK\x03\x04")
    args = [str(a).format(db=db, file=form) for a in DAMAGED_COMMANDS[command]]
    result = run_cli(*args)
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    # The Shenzhen campaign is Chinese: so is what its clerk reads.
    assert f"台账 {db} 已损坏" in result.stderr, result.output
    assert "malformed" in result.stderr or "not a database" in result.stderr


def test_renaming_in_a_damaged_ledger_is_refused_too(run_cli, tmp_path: Path) -> None:
    campaign = tmp_path / "mini.toml"
    campaign.write_text(MINIMAL.replace("[units.east]", "[units.eastern]"), encoding="utf-8")
    db = tmp_path / "damaged.db"
    damaged(db)
    result = run_cli("ledger", "rename-unit", campaign, "east", "eastern", "--db", db)
    assert (result.exit_code, "Traceback" in result.output) == (1, False)
    assert f"the ledger {db} is damaged" in result.stderr


def as_nobody(command: list[str]) -> tuple[int, str]:
    """Run `campaignkit COMMAND` in-process as a user that cannot write the folder: the
    tests run as root in CI, and root may write anywhere."""
    from typer.testing import CliRunner

    from campaignkit.cli import app

    if os.geteuid() != 0:
        result = CliRunner().invoke(app, command)
        return result.exit_code, result.stderr
    CliRunner().invoke(app, ["--help"])  # import what the child needs while it still can
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        code = 99
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            result = CliRunner().invoke(app, command)
            os.write(writer, f"{result.exit_code}\n{result.stderr}".encode())
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    with os.fdopen(reader, encoding="utf-8") as pipe:
        said = pipe.read()
    os.waitpid(child, 0)
    code, _, stderr = said.partition("\n")
    return int(code), stderr


def test_a_ledger_in_a_folder_that_cannot_be_written_is_named_and_exits_1() -> None:
    # A folder every user may enter (pytest's own are its user's only), made read-only.
    folder = Path(tempfile.mkdtemp(prefix="campaignkit-readonly-"))
    folder.chmod(0o755)
    db = folder / "ledger.db"
    with Ledger(db) as ledger:
        ledger.follow("shenzhen-2020", "0" * 64)
    for leftover in folder.iterdir():
        if leftover != db:
            leftover.unlink()
    folder.chmod(0o555)
    db.chmod(0o444)
    try:
        code, stderr = as_nobody(["status", str(SHENZHEN), "--db", str(db)])
        assert code == 1, stderr
        assert f"无法以写入方式打开台账 {db}" in stderr  # Shenzhen's clerk reads Chinese
        assert "Traceback" not in stderr
        code, stderr = as_nobody(
            ["tick", str(SHENZHEN), "--db", str(db), "--now", "2020-06-01T10:00"]
        )
        assert code == 1, stderr
        assert str(folder) in stderr
        assert "Traceback" not in stderr
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize("query", ["IN_FLIGHT", "DUE", "DELIVERED_CHANNELS"])
def test_each_claim_is_one_search_of_an_index_however_long_the_outbox(query: str) -> None:
    """What keeps a catch-up tick linear: no claim scans or sorts the outbox."""
    from campaignkit.ledger import outbox as ledger_outbox

    with Ledger(":memory:") as ledger:
        sql = getattr(ledger_outbox, query)
        args = (1,) if query == "DELIVERED_CHANNELS" else ("c", "x")[: sql.count("?")]
        plan = [row[3] for row in ledger.db.execute(f"EXPLAIN QUERY PLAN {sql}", args)]
    assert len(plan) == 1, plan
    assert plan[0].startswith("SEARCH"), plan
    assert "USING INDEX" in plan[0], plan
    assert "TEMP B-TREE" not in " ".join(plan)
