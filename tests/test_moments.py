"""A moment on the command line: written as people write it, and a bare day meaning one
instant in every command."""

from __future__ import annotations

import zipfile

import pytest
from conftest import MINIMAL

CAMPAIGN = MINIMAL + '\n[[requirements.summary.deliverables]]\nid = "form"\nkind = "document"\n'


@pytest.fixture
def handed_in(run_cli, write_campaign, tmp_path):
    """East hands in at 10:00 on the due date (28 June): on time that day, at any hour."""
    path = write_campaign(CAMPAIGN)
    form = tmp_path / "form.docx"
    with zipfile.ZipFile(form, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    db = tmp_path / "ledger.db"
    result = run_cli(
        "submit",
        path,
        "--unit",
        "east",
        "--requirement",
        "summary",
        "--deliverable",
        f"form={form}",
        "--db",
        db,
        "--at",
        "2020/06/28 10:00",
    )
    assert result.exit_code == 0, result.output
    return path, db


@pytest.mark.parametrize(
    "written",
    [
        "2020-06-28T10:00",
        "2020-06-28 10:00",
        "2020/06/28 10:00",
        "2020/6/28 10:00:00",
        "2020-06-28T02:00Z",
        "2020-06-28 10:00+08:00",
        "２０２０-06-28 10:00",
    ],
)
def test_a_moment_is_read_as_people_write_it(run_cli, handed_in, written: str) -> None:
    path, db = handed_in
    result = run_cli("status", path, "--db", db, "--at", written, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.json()["as_of"] == "2020-06-28T10:00:00+08:00"


def test_a_bare_day_means_its_end_in_every_command_and_says_so(run_cli, handed_in) -> None:
    path, db = handed_in
    status = run_cli("status", path, "--db", db, "--at", "2020-06-28", "--format", "json")
    report = run_cli("report", path, "--db", db, "--at", "2020-06-28", "-f", "json")
    assert status.json()["as_of"] == report.json()["as_of"] == "2020-06-28T23:59:59+08:00"
    # The same unit stands the same way in both: it had handed in by then.
    [[row]] = [r["units"] for r in status.json()["requirements"]]
    [[line]] = [r["assignees"] for r in report.json()["requirements"]]
    assert row["status"] == line["status"] == "on_time"
    assert "note: --at 2020-06-28 means the end of that day, 2020-06-28 23:59:59 CST" in (
        status.stderr
    )


@pytest.mark.parametrize("written", ["28/06/2020", "2020-13-01", "tomorrow", "2020-06-28T25:00"])
def test_what_is_not_a_moment_is_a_usage_error(run_cli, handed_in, written: str) -> None:
    path, db = handed_in
    result = run_cli("status", path, "--db", db, "--at", written)
    assert result.exit_code == 2
    assert "is not a date (2022-11-14) or a date and time" in result.output
