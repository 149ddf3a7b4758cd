"""The office's review of hand-ins: what it does to a unit's standing, the notice it sends,
the deadline it moves, the signatures and the audit log — and the ledger it lives in."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from conftest import MINIMAL, SHENZHEN

from campaignkit import (
    DirectoryStore,
    HandIn,
    Ledger,
    ReviewRefused,
    SignatureRefused,
    hand_in,
    ledger_report,
    receipt_number,
    review,
    sign_for,
)
from campaignkit.ledger import SCHEMA_VERSION
from campaignkit.ledger.migrations import MIGRATIONS, statements
from campaignkit.testing import VirtualClock
from campaignkit.testing import instant as _instant


def instant(when: str) -> dt.datetime:
    """A moment on the campaigns' clock (Asia/Shanghai)."""
    return _instant(when + ("" if len(when) > 10 else "T00:00") + "+08:00")


# East and west districts, each reached by the recording notifier; the summary is due on
# 28 June.
EAST = '[units.east]\nname = "East district"\nkind = "district"\nparent = "office"\n'
CAMPAIGN = MINIMAL.replace(EAST, EAST + 'channels = { recording = "east-desk" }\n') + (
    '\n[units.west]\nname = "West district"\nkind = "district"\nparent = "office"\n'
    'channels = { recording = "west-desk" }\n'
)


@pytest.fixture
def office(campaign_from_toml, plugin_host, recording_notifier, tmp_path, ledger_target):
    """The campaign and its ledger, on each backend: SQLite, then PostgreSQL."""
    campaign = campaign_from_toml(CAMPAIGN)
    clock = VirtualClock(plugin_host, ledger_target)
    yield campaign, clock.ledger(campaign), clock, recording_notifier, tmp_path
    clock.close()


def handed(office, unit: str, at: str):
    campaign, ledger, clock, _, tmp_path = office
    store = DirectoryStore(tmp_path / "evidence")
    row = hand_in(clock.host, campaign, ledger, store, HandIn(unit, "summary", (), instant(at)))
    assert not isinstance(row, list), row
    return row


def standing(office, unit: str = "east", at: str = "2020-07-10T12:00"):
    campaign, ledger, clock, _, _ = office
    report = ledger_report(campaign, clock.host, ledger, as_of=instant(at))
    [req] = report.requirements
    return next(row for row in req.rows if row.unit == unit)


def test_a_hand_in_has_a_number_and_a_receipt(office) -> None:
    row = handed(office, "east", "2020-06-20T10:00")
    assert row.id == 1
    assert row.status == "on_time"
    assert receipt_number("mini", row.id) == "mini-000001"
    assert office[1].submissions("mini")[0].id == 1


def test_has_issues_returns_the_unit_and_tells_it_once(office) -> None:
    campaign, ledger, clock, recorder, _ = office
    row = handed(office, "east", "2020-06-20T10:00")
    done = review(
        campaign,
        ledger,
        row.id,
        "has_issues",
        "the plan has no dates",
        "li",
        resubmit_by="2020-07-05",
        now=instant("2020-06-29T22:30"),
    )
    assert (done.id, done.state, done.resubmit_by) == (1, "has_issues", dt.date(2020, 7, 5))
    assert standing(office).standing == "returned"
    assert standing(office).reasons == ("the plan has no dates",)
    [note] = [r.notification for r in ledger.outbox("mini") if r.notification.kind == "returned"]
    assert note.key == "mini/summary/review-1/east"
    assert note.at == instant("2020-06-30T09:00")  # reviewed at night: the next send time
    assert note.text == (
        "Returned to East district: the office reviewed what you handed in for “Summary” "
        "and asks for changes: the plan has no dates Please hand it in again by 5 July 2020."
    )
    clock.set(instant("2020-06-30T09:00"))
    clock.tick(campaign)
    clock.tick(campaign)
    assert [(n.kind, n.to) for n in recorder.notifications("returned")] == [("returned", "east")]


def test_a_resubmission_is_judged_against_resubmit_by(office) -> None:
    campaign, ledger, _, _, _ = office
    row = handed(office, "east", "2020-06-20T10:00")
    review(
        campaign,
        ledger,
        row.id,
        "has_issues",
        "dates",
        "li",
        resubmit_by="2020-07-05",
        now=instant("2020-06-29T16:00"),
    )
    again = handed(office, "east", "2020-07-05T23:00")
    assert again.status == "on_time"  # due 28 June, but the office gave until 5 July
    assert standing(office).standing == "on_time"
    late = handed(office, "west", "2020-07-05T23:00")
    assert late.status == "late"


def test_an_approval_accepts_what_the_checks_refused_and_a_rejection_refuses(office) -> None:
    campaign, ledger, _, _, _ = office
    east = handed(office, "east", "2020-06-20T10:00")
    west = handed(office, "west", "2020-06-29T10:00")
    review(campaign, ledger, east.id, "rejected", "wrong year", "li", now=instant("2020-06-29"))
    review(campaign, ledger, west.id, "approved", "", "li", now=instant("2020-06-30"))
    assert (standing(office).standing, standing(office).reasons) == ("rejected", ("wrong year",))
    assert standing(office, "west").standing == "late"
    assert standing(office, "west").review.state == "approved"
    kinds = [(r.notification.kind, r.notification.to) for r in ledger.outbox("mini")]
    assert ("rejected", "east") in kinds
    assert ("rejected", "west") not in kinds


def test_a_review_is_refused_with_every_reason(office) -> None:
    campaign, ledger, _, _, _ = office
    with pytest.raises(ReviewRefused) as refused:
        review(
            campaign,
            ledger,
            99,
            "maybe",
            "",
            "li",
            resubmit_by="2020-06-01",
            now=instant("2020-06-29T10:00"),
        )
    assert [p.path for p in refused.value.problems] == ["submission", "state", "resubmit_by"]
    row = handed(office, "east", "2020-06-20T10:00")
    with pytest.raises(ReviewRefused, match="is not a date"):
        review(
            campaign,
            ledger,
            row.id,
            "has_issues",
            "",
            "li",
            resubmit_by="5 July",
            now=instant("2020-06-29T10:00"),
        )
    assert ledger.reviews("mini") == []
    assert ledger.audit("mini") == []


def test_units_sign_only_for_their_own_notices_and_the_audit_log_keeps_order(office) -> None:
    campaign, ledger, _, _, _ = office
    row = handed(office, "east", "2020-06-20T10:00")
    review(campaign, ledger, row.id, "has_issues", "dates", "li", now=instant("2020-06-29T16:00"))
    key = "mini/summary/review-1/east"
    with pytest.raises(SignatureRefused, match="west"):
        sign_for(campaign, ledger, "west", key, instant("2020-06-30T10:00"))
    first = sign_for(campaign, ledger, "east", key, instant("2020-06-30T10:00"))
    again = sign_for(campaign, ledger, "east", key, instant("2020-07-01T10:00"))
    assert first == again
    assert first.at == instant("2020-06-30T10:00")
    log = [(e.actor, e.action, e.subject) for e in ledger.audit("mini")]
    assert log == [("li", "review", "submission:1"), ("east", "sign", key)]
    assert ledger.audit("mini")[0].detail["comment"] == "dates"
    assert [a.key for a in standing(office).acks] == [key]


def test_a_returned_unit_is_chased_again(office) -> None:
    """A notice that chases a unit is not made stale by a hand-in the office returned."""
    campaign, ledger, clock, recorder, _ = office
    row = handed(office, "east", "2020-06-20T10:00")
    review(campaign, ledger, row.id, "has_issues", "dates", "li", now=instant("2020-06-25T16:00"))
    clock.set(instant("2020-06-29T10:00"))
    clock.tick(campaign)
    assert ("overdue", "east") in [(n.kind, n.to) for n in recorder.notifications()]


# ── through the command line, on a ledger `submit` made ──────────────────────────────────


@pytest.fixture
def shenzhen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAMPAIGNKIT_DISABLE_PLUGINS", "media")
    campaign = tmp_path / "shenzhen_2020.toml"
    campaign.write_bytes(SHENZHEN.read_bytes())
    (tmp_path / "form.docx").write_bytes(b"PK\x03\x04" + b"x" * 100)
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.7\n" + b"x" * 200)
    return campaign


def test_status_and_the_report_show_the_review_in_chinese(run_cli, shenzhen) -> None:
    from campaignkit import load_campaign

    result = run_cli(
        "submit",
        shenzhen,
        "--unit",
        "futian",
        "--requirement",
        "liaison-and-plan",
        "--at",
        "2020-05-27T10:00",
        "--deliverable",
        f"activity-plan={shenzhen.parent / 'plan.pdf'}",
        "--format",
        "json",
    )
    assert result.exit_code in (0, 1), result.output
    campaign = load_campaign(shenzhen).unwrap()
    with Ledger(shenzhen.with_suffix(".db")) as ledger:
        [row] = ledger.submissions(campaign.campaign.id)
        review(
            campaign,
            ledger,
            row.id,
            "has_issues",
            "缺少活动日期",
            "张科长",
            resubmit_by="2020-06-10",
            now=instant("2020-05-28T10:00"),
        )
        [note] = [r.notification for r in ledger.outbox(campaign.campaign.id)]
    assert note.kind == "returned"
    assert note.text.startswith("退回")
    assert "缺少活动日期" in note.text
    assert "请于2020年6月10日前重新报送。" in note.text

    status = run_cli("status", shenzhen, "--at", "2020-05-29T10:00", "--format", "json")
    assert status.exit_code == 0, status.output
    [unit] = [
        u
        for r in status.json()["requirements"]
        if r["id"] == "liaison-and-plan"
        for u in r["units"]
        if u["unit"] == "futian"
    ]
    assert unit["status"] == "returned"
    assert unit["reasons"] == ["缺少活动日期"]
    assert unit["review"]["reviewer"] == "张科长"
    assert unit["review"]["resubmit_by"] == "2020-06-10"

    table = run_cli("status", shenzhen, "--at", "2020-05-29T10:00")
    assert "退回修改" in table.output
    assert "缺少活动日期" in table.output

    report = run_cli(
        "report",
        shenzhen,
        "--db",
        shenzhen.with_suffix(".db"),
        "--at",
        "2020-05-29T10:00",
        "-f",
        "json",
    )
    assert report.exit_code == 0, report.output
    [req] = [r for r in report.json()["requirements"] if r["id"] == "liaison-and-plan"]
    [row_json] = [a for a in req["assignees"] if a["unit"] == "futian"]
    assert row_json["status"] == "returned"
    assert req["counts"]["returned"] == 1
    assert row_json["review"]["comment"] == "缺少活动日期"
    assert row_json["acks"] == []


# ── the ledger of the previous version ───────────────────────────────────────────────────


def test_a_ledger_of_the_previous_version_is_upgraded_in_place(tmp_path: Path) -> None:
    ours = next(i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE reviews" in script)
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:ours]):
        for statement in statements(script):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {number + 1}")
    db.execute(
        "INSERT INTO submissions (campaign, unit, requirement, at, status, recorded_at)"
        " VALUES ('mini', 'east', 'summary', '2020-06-20T10:00:00+08:00', 'on_time', 'x')"
    )
    db.execute(
        "INSERT INTO outbox (campaign, key, at, kind, to_unit, text, next_attempt_at)"
        " VALUES ('mini', 'mini/summary/reminder-1d/east', '2020-06-27T09:00:00+08:00',"
        " 'reminder', 'east', 'hi', '2020-06-27T01:00:00.000Z')"
    )
    db.commit()
    db.close()

    with Ledger(path) as ledger:
        assert ledger.version == SCHEMA_VERSION
        [row] = ledger.submissions("mini")
        assert (row.id, row.unit, row.status) == (1, "east", "on_time")
        assert [r.notification.key for r in ledger.outbox("mini")] == [
            "mini/summary/reminder-1d/east"
        ]
        assert ledger.reviews("mini") == []
        assert ledger.acks("mini") == []
        assert ledger.audit("mini") == []
