"""Extensions (延期) and exemptions (免报): `campaignkit extend` and `campaignkit exempt`, and
what they change everywhere — the notices a unit is sent and when, its standing, the rates,
every report — and `--revoke`, which undoes them."""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINIMAL
from hypothesis import given, settings
from hypothesis import strategies as st

from campaignkit import (
    Allowances,
    Campaign,
    Extension,
    ExtensionRefused,
    ExtensionRequest,
    Ledger,
    Verdict,
    deadline_for,
    decline_extension,
    exempt,
    extend,
    extension_requests,
    loads_campaign,
    open_ledger,
    request_extension,
    reviewed,
    revoke_exemption,
    revoke_extension,
)
from campaignkit.ledger.migrations import MIGRATIONS, SCHEMA_VERSION, statements
from campaignkit.status import standings
from campaignkit.testing import VirtualClock

# Two districts, chased by the office, with the city above it to escalate to: the summary
# is due on Sunday 28 June 2020, reminders 3 and 1 days before, an escalation 2 days after.
CAMPAIGN = (
    MINIMAL.replace(
        '[units.office]\nname = "Safety office"\nkind = "office"\n',
        '[units.city]\nname = "City"\nkind = "city"\n\n'
        '[units.office]\nname = "Safety office"\nkind = "office"\nparent = "city"\n',
    ).replace(
        "[groups]",
        '[units.west]\nname = "West district"\nkind = "district"\nparent = "office"\n\n[groups]',
    )
    + "remind = [3, 1]\nescalate_after = 2\n"
)
CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2020, 6, 20, 10, 0, tzinfo=CST)


@pytest.fixture
def virtual_clock(plugin_host, ledger_target) -> Iterator[VirtualClock]:
    """The clock's ledger on each backend: SQLite, then PostgreSQL (`-m postgres`)."""
    clock = VirtualClock(plugin_host, ledger_target)
    yield clock
    clock.close()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# ── the command line ─────────────────────────────────────────────────────────────────────


def test_extend_records_who_and_why_and_says_the_new_date(run_cli, write_campaign, tmp_path):
    db = tmp_path / "ledger.db"
    args = ("--db", db, "--unit", "East district", "--requirement", "summary")
    done = run_cli(
        "extend", write_campaign(CAMPAIGN), *args, "--until", "2020-07-05", "--reason", "flood",
        "--by", "li.wei",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "extended: East district, Summary, due by the end of 2020-07-05 (by li.wei)" in (
        done.stdout
    )
    with Ledger(db) as ledger:
        [granted] = ledger.extensions("mini")
        [entry] = ledger.audit("mini")
    assert (granted.unit, granted.until, granted.reason, granted.by) == (
        "east",
        dt.date(2020, 7, 5),
        "flood",
        "li.wei",
    )
    assert (entry.actor, entry.action, entry.subject) == ("li.wei", "extend", "east/summary")
    assert entry.detail == {"id": granted.id, "reason": "flood", "until": "2020-07-05"}


def test_by_defaults_to_the_operators_user_name(run_cli, write_campaign, tmp_path, monkeypatch):
    monkeypatch.setenv("LOGNAME", "zhang.min")
    monkeypatch.setenv("USER", "zhang.min")
    db = tmp_path / "ledger.db"
    done = run_cli(
        "exempt", write_campaign(CAMPAIGN), "--db", db, "--unit", "west", "--requirement",
        "summary", "--reason", "merged into east", "--format", "json",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.json() | {"at": None} == {
        "id": 1,
        "kind": "exemption",
        "unit": "west",
        "requirement": "summary",
        "reason": "merged into east",
        "by": "zhang.min",
        "at": None,
        "revoked_at": None,
        "revoked_by": None,
    }


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (
            ["--unit", "easst", "--until", "2020-07-05", "--reason", "x"],
            ["error: --unit: the campaign has no unit `easst`", "did you mean `east`?"],
        ),
        (
            ["--unit", "office", "--until", "2020-07-05", "--reason", "x"],
            ["error: --unit: Safety office (office) is not an assignee of `summary`"],
        ),
        (
            ["--unit", "east", "--requirement", "sumary", "--until", "2020-07-05", "--reason", "x"],
            ["error: --requirement: the campaign has no requirement `sumary`"],
        ),
        (
            ["--unit", "east", "--until", "2020-06-28", "--reason", "x"],
            [
                "error: --until: 2020-06-28 is not after the unit's due date, 2020-06-28",
                "give a day after 2020-06-28",
            ],
        ),
        (
            ["--unit", "east", "--until", "5 July", "--reason", "x"],
            ["error: --until: `5 July` is not a date"],
        ),
        (
            ["--unit", "east", "--until", "2020-07-05", "--reason", "  "],
            ["error: --reason: a reason is required"],
        ),
        (
            ["--unit", "east", "--revoke"],
            ["error: --revoke: East district (east) has no extension"],
        ),
    ],
)
def test_a_refused_extension_exits_2_naming_the_option_and_records_nothing(
    run_cli, write_campaign, tmp_path, options, said
):
    db = tmp_path / "ledger.db"
    if "--requirement" not in options:
        options = [*options, "--requirement", "summary"]
    done = run_cli("extend", write_campaign(CAMPAIGN), "--db", db, *options)
    assert done.exit_code == 2
    for line in said:
        assert line in done.stderr
    assert "Nothing was recorded." in done.stderr
    with Ledger(db) as ledger:
        assert ledger.extensions("mini") == []
        assert ledger.audit("mini") == []


def test_an_exempt_unit_cannot_be_exempted_again_nor_extended(run_cli, write_campaign, tmp_path):
    path, db = write_campaign(CAMPAIGN), tmp_path / "ledger.db"
    unit = ("--db", db, "--unit", "west", "--requirement", "summary")
    assert run_cli("exempt", path, *unit, "--reason", "merged").exit_code == 0
    again = run_cli("exempt", path, *unit, "--reason", "merged")
    assert again.exit_code == 2
    assert "error: --unit: West district (west) is exempt from `summary`" in again.stderr
    extended = run_cli("extend", path, *unit, "--until", "2020-07-05", "--reason", "x")
    assert extended.exit_code == 2
    assert "revoke the exemption first" in extended.stderr
    revoked = run_cli("exempt", path, *unit, "--revoke", "--by", "li.wei")
    assert revoked.exit_code == 0, revoked.output
    assert "exemption revoked: West district, Summary (by li.wei)" in revoked.stdout
    with Ledger(db) as ledger:
        [kept] = ledger.exemptions("mini")  # revoked, never deleted
        assert kept.revoked_by == "li.wei"
        assert [e.action for e in ledger.audit("mini")] == ["exempt", "revoke-exemption"]


def test_occurrence_names_one_occurrence_of_a_recurring_requirement(
    run_cli, write_campaign, tmp_path
):
    from test_recurring import WEEKLY

    path, db = write_campaign(WEEKLY), tmp_path / "ledger.db"
    unit = ("--db", db, "--unit", "东街道", "--requirement", "weekly-progress")
    said = ("--until", "2020-06-20", "--reason", "防汛")
    done = run_cli("extend", path, *unit, "--occurrence", "2020-W24", *said, "--format", "json")
    assert done.exit_code == 0, done.output
    assert (done.json()["requirement"], done.json()["until"]) == (
        "weekly-progress@2020-W24",
        "2020-06-20",
    )
    every = run_cli("extend", path, *unit, *said)
    assert every.exit_code == 2
    assert "错误：--occurrence：`weekly-progress` 分期报送，请指明哪一期" in every.stderr
    wrong = run_cli("extend", path, *unit, "--occurrence", "2020-W99", *said)
    assert wrong.exit_code == 2
    assert "错误：--occurrence：`weekly-progress` 没有期次 `2020-W99`" in wrong.stderr


def test_a_units_request_waits_until_the_office_answers_it(
    campaign_from_toml, ledger_target
) -> None:
    campaign = campaign_from_toml(CAMPAIGN)
    with open_ledger(ledger_target) as ledger:
        with pytest.raises(ExtensionRefused) as early:
            request_extension(campaign, ledger, "east", "summary", "2020-06-01", "x", now=NOW)
        assert [p.code for p in early.value.problems] == ["not-later"]
        asked = request_extension(
            campaign, ledger, "East district", "summary", "2020-07-08", "flood", now=NOW
        )
        request_extension(campaign, ledger, "west", "summary", "2020-07-01", "fire", now=NOW)
        assert extension_requests(campaign, ledger) == [
            asked,
            ExtensionRequest("west", "summary", dt.date(2020, 7, 1), "fire", NOW),
        ]
        extend(campaign, ledger, "east", "summary", asked.until, asked.reason, "li", now=NOW)
        decline_extension(campaign, ledger, "west", "summary", "li", now=NOW, reason="no")
        assert extension_requests(campaign, ledger) == []
        with pytest.raises(ExtensionRefused) as answered:
            decline_extension(campaign, ledger, "west", "summary", "li", now=NOW)
        assert [p.path for p in answered.value.problems] == ["revoke"]
        assert [(e.actor, e.action) for e in ledger.audit("mini")] == [
            ("east", "request-extension"),
            ("west", "request-extension"),
            ("li", "extend"),
            ("li", "decline-extension"),
        ]


# ── a rehearsal follows them ─────────────────────────────────────────────────────────────


def _rehearse(run_cli, path: Path, db: Path) -> dict:
    done = run_cli("simulate", path, "--db", db, "--compliance", "0", "--format", "json")
    assert done.exit_code == 0, done.output
    return done.json()


def test_an_extended_unit_is_chased_from_its_own_date_to_the_second(
    run_cli, write_campaign, tmp_path
):
    path, db = write_campaign(CAMPAIGN), tmp_path / "rehearsal.db"
    granted = run_cli(
        "extend", path, "--db", db, "--unit", "east", "--requirement", "summary",
        "--until", "2020-07-08", "--reason", "flood",
    )  # fmt: skip
    assert granted.exit_code == 0, granted.output
    data = _rehearse(run_cli, path, db)
    sent = [(n["at"], n["kind"], n["to"], n["about"]) for n in data["notifications"]]
    # West keeps the requirement's dates; east's are its own, from 8 July (a Wednesday).
    assert sent == [
        ("2020-06-25T09:00:00+08:00", "reminder", "west", None),
        ("2020-06-27T09:00:00+08:00", "reminder", "west", None),
        ("2020-06-29T09:00:00+08:00", "overdue", "west", None),
        ("2020-07-01T09:00:00+08:00", "escalation", "city", "west"),
        ("2020-07-05T09:00:00+08:00", "reminder", "east", None),
        ("2020-07-07T09:00:00+08:00", "reminder", "east", None),
        ("2020-07-09T09:00:00+08:00", "overdue", "east", None),
        ("2020-07-11T09:00:00+08:00", "escalation", "city", "east"),
    ]
    assert data["summary"]["summary"]["missing"] == 2


def test_an_extended_unit_climbs_the_escalation_ladder_from_its_own_date(
    run_cli, write_campaign, tmp_path
):
    from test_ladders import LADDER

    path, db = write_campaign(LADDER), tmp_path / "rehearsal.db"
    granted = run_cli(
        "extend", path, "--db", db, "--unit", "east", "--requirement", "summary",
        "--until", "2021-06-17", "--reason", "防汛",
    )  # fmt: skip
    assert granted.exit_code == 0, granted.output
    data = _rehearse(run_cli, path, db)

    def steps(unit: str) -> list[tuple[dt.datetime, str, int, str]]:
        return [
            (at(n["at"]), n["to"], n["level"], n["label"])
            for n in data["notifications"]
            if n["kind"] == "escalation" and unit in (n["to"], n["about"])
        ]

    # Due Thursday 17 June instead of Thursday 10 June: the yellow card to east itself a
    # working day after, the red card three working days after, the summons ten days after.
    assert steps("east") == [
        (at("2021-06-19T09:00:00+08:00"), "east", 1, "黄牌预警"),
        (at("2021-06-23T09:00:00+08:00"), "city", 2, "红牌督办"),
        (at("2021-06-28T09:00:00+08:00"), "city", 3, "约谈"),
    ]
    assert [level for _, _, level, _ in steps("west")] == [1, 2, 3]


def test_an_extended_units_notice_says_its_own_due_date(
    campaign_from_toml, virtual_clock, recording_notifier
):
    reached = 'parent = "office"\nchannels = { recording = "desk" }\n'
    campaign = campaign_from_toml(CAMPAIGN.replace('parent = "office"\n', reached))
    ledger = virtual_clock.ledger(campaign)
    extend(campaign, ledger, "east", "summary", "2020-07-08", "flood", "li.wei", now=NOW)
    virtual_clock.set("2020-06-29T10:00:00+08:00")
    virtual_clock.tick(campaign)
    kinds = [(s.notification.kind, s.notification.to) for s in recording_notifier.sent]
    # The requirement's deadline passed: west is overdue, east is not.
    assert ("overdue", "west") in kinds
    assert ("overdue", "east") not in kinds
    assert [k for k in kinds if k[1] == "east"] == []
    virtual_clock.set("2020-07-09T10:00:00+08:00")
    ticked = virtual_clock.tick(campaign)
    [overdue] = [
        s.notification
        for s in recording_notifier.sent
        if s.notification.kind == "overdue" and s.notification.to == "east"
    ]
    assert overdue.at == at("2020-07-09T09:00:00+08:00")
    assert "due by 8 July 2020" in overdue.text
    assert overdue.key == "mini/summary/overdue@20200708T155959/east"
    # A third tick queues nothing again: the keys are stable.
    again = virtual_clock.tick(campaign)
    assert again.result.processed == 0
    assert ticked.result.processed > 0


def test_revoking_an_extension_before_the_due_date_restores_the_requirements_dates(
    campaign_from_toml, virtual_clock
):
    campaign = campaign_from_toml(CAMPAIGN)
    ledger = virtual_clock.ledger(campaign)
    extend(campaign, ledger, "east", "summary", "2020-07-08", "flood", "li.wei", now=NOW)
    revoked = revoke_extension(campaign, ledger, "east", "summary", "li.wei", now=NOW)
    assert revoked.revoked_by == "li.wei"
    virtual_clock.set("2020-06-29T10:00:00+08:00")
    virtual_clock.tick(campaign)
    overdue = [n for n in virtual_clock.notifications(campaign) if n.kind == "overdue"]
    assert sorted((n.to, n.at) for n in overdue) == [
        ("east", at("2020-06-29T09:00:00+08:00")),
        ("west", at("2020-06-29T09:00:00+08:00")),
    ]


def test_a_notice_queued_before_an_exemption_is_skipped_as_stale(campaign_from_toml, virtual_clock):
    campaign = campaign_from_toml(CAMPAIGN)
    ledger = virtual_clock.ledger(campaign)
    virtual_clock.set("2020-06-29T00:00:00+08:00")  # the overdue notices wait for 09:00
    virtual_clock.tick(campaign)
    exempt(campaign, ledger, "west", "summary", "merged", "li.wei", now=NOW)
    virtual_clock.set("2020-06-29T10:00:00+08:00")
    virtual_clock.tick(campaign)
    overdue = {
        row.notification.to: (row.state, row.reason)
        for row in ledger.outbox("mini")
        if row.notification.kind == "overdue"
    }
    assert overdue["west"] == ("skipped", "stale: the unit is exempt")
    assert overdue["east"][0] == "unreached"


def test_an_overdue_notice_queued_before_an_extension_is_skipped_as_stale(
    campaign_from_toml, virtual_clock
):
    campaign = campaign_from_toml(CAMPAIGN)
    ledger = virtual_clock.ledger(campaign)
    virtual_clock.set("2020-06-29T00:00:00+08:00")  # the overdue notices wait for 09:00
    virtual_clock.tick(campaign)
    extend(campaign, ledger, "east", "summary", "2020-07-08", "flood", "li.wei", now=NOW)
    virtual_clock.set("2020-06-29T10:00:00+08:00")
    virtual_clock.tick(campaign)
    virtual_clock.set("2020-07-09T10:00:00+08:00")
    virtual_clock.tick(campaign)
    overdue = [
        (row.notification.at, row.state, row.reason)
        for row in ledger.outbox("mini")
        if row.notification.kind == "overdue" and row.notification.to == "east"
    ]
    assert overdue == [
        (at("2020-06-29T09:00:00+08:00"), "skipped", "stale: the unit's deadline was moved"),
        (at("2020-07-09T09:00:00+08:00"), "unreached", None),
    ]


def test_an_exempt_unit_gets_nothing_and_counts_in_no_rate(run_cli, write_campaign, tmp_path):
    path, db = write_campaign(CAMPAIGN), tmp_path / "rehearsal.db"
    done = run_cli(
        "exempt", path, "--db", db, "--unit", "west", "--requirement", "summary",
        "--reason", "merged into east",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    data = _rehearse(run_cli, path, db)
    assert {(n["to"], n["about"]) for n in data["notifications"]} == {
        ("east", None),
        ("city", "east"),
    }
    assert data["summary"]["summary"] | {"notifications": 0, "unreached": 0} == {
        "assignees": 2,
        "on_time": 0,
        "late": 0,
        "missing": 1,
        "rejected": 0,
        "notifications": 0,
        "unreached": 0,
        "skipped": 0,
        "exempt": 1,
    }


# ── standings, status and every report ──────────────────────────────────────────────────


@pytest.fixture
def granted(run_cli, write_campaign, tmp_path) -> tuple[Path, Path]:
    """East extended to 8 July, with a hand-in of 5 July recorded late (as the checks
    judged it against the requirement's date); west exempt."""
    path, db = write_campaign(CAMPAIGN), tmp_path / "ledger.db"
    unit = ("--db", db, "--requirement", "summary")
    extended = ("--unit", "east", "--until", "2020-07-08", "--reason", "flood")
    assert run_cli("extend", path, *unit, *extended).exit_code == 0
    assert run_cli("exempt", path, *unit, "--unit", "west", "--reason", "merged").exit_code == 0
    with Ledger(db) as ledger:
        handed = at("2020-07-05T10:00:00+08:00")
        ledger.record_submission("mini", Verdict("east", "summary", handed, "late"))
    return path, db


def test_status_shows_the_extension_and_the_exemption(run_cli, granted):
    path, db = granted
    data = run_cli("status", path, "--db", db, "--at", "2020-07-10", "--format", "json").json()
    units = {u["unit"]: u for u in data["requirements"][0]["units"]}
    assert (units["east"]["status"], units["east"]["extended_until"]) == ("on_time", "2020-07-08")
    assert (units["west"]["status"], units["west"]["extended_until"]) == ("exempt", None)
    table = run_cli("status", path, "--db", db, "--at", "2020-07-10").stdout
    assert "extended to 2020-07-08" in table
    assert "exempt" in table


def test_before_its_own_deadline_an_extended_unit_is_pending_not_missing(
    run_cli, write_campaign, tmp_path
):
    path, db = write_campaign(CAMPAIGN), tmp_path / "ledger.db"
    run_cli("extend", path, "--db", db, "--unit", "east", "--requirement", "summary",
            "--until", "2020-07-08", "--reason", "flood")  # fmt: skip
    data = run_cli("status", path, "--db", db, "--at", "2020-07-01", "--format", "json").json()
    units = {u["unit"]: u["status"] for u in data["requirements"][0]["units"]}
    assert units == {"east": "pending", "west": "missing"}


def test_every_report_format_shows_them(run_cli, granted):
    path, db = granted
    report = ("report", path, "--db", db, "--at", "2020-07-10")
    data = run_cli(*report, "--format", "json").json()
    [req] = data["requirements"]
    assert req["counts"]["exempt"] == 1
    assert req["counts"]["missing"] == 0
    assert {a["unit"]: a["extended_until"] for a in req["assignees"]} == {
        "east": "2020-07-08",
        "west": None,
    }
    md = run_cli(*report).stdout
    assert "| East district | on time (extended to 2020-07-08) |" in md
    assert "| West district | exempt |" in md
    people = run_cli(*report, "--format", "csv").stdout
    assert "on time (extended to 2020-07-08)" in people
    ids = run_cli(*report, "--format", "csv", "--ids").stdout.splitlines()
    assert ids[0].lstrip("\ufeff").split(",")[-1] == "extended_until"
    assert ids[1].endswith(",on_time,2020-07-05T10:00:00+08:00,,2020-07-08")
    assert ",west,West district,office,exempt,,," in ids[2]


def test_a_campaign_without_extensions_keeps_its_csv_columns(run_cli, write_campaign):
    csv = run_cli("report", write_campaign(CAMPAIGN), "--simulate", "--format", "csv", "--ids")
    assert csv.stdout.splitlines()[0].lstrip("\ufeff").endswith(",submitted_at,reasons")


def test_a_late_hand_in_becomes_on_time_with_the_extension_and_late_again_when_revoked(
    campaign_from_toml, ledger_target
):
    campaign = campaign_from_toml(CAMPAIGN)
    with open_ledger(ledger_target) as ledger:
        row = ledger.record_submission(
            "mini", Verdict("east", "summary", at("2020-07-01T10:00:00+08:00"), "late")
        )

        def status() -> str:
            [judged] = reviewed(campaign, [row], [], ledger.allowances("mini"))
            return judged.status

        assert status() == "late"
        extend(campaign, ledger, "east", "summary", "2020-07-08", "flood", "li", now=NOW)
        assert status() == "on_time"
        revoke_extension(campaign, ledger, "east", "summary", "li", now=NOW)
        assert status() == "late"
        exempt(campaign, ledger, "east", "summary", "merged", "li", now=NOW)
        revoke_exemption(campaign, ledger, "east", "summary", "li", now=NOW)
        assert ledger.allowances("mini") == Allowances(
            {}, frozenset(), frozenset({("east", "summary")})
        )


def test_submit_before_the_new_date_is_on_time(run_cli, write_campaign, tmp_path):
    deliverable = (
        '\n[[requirements.summary.deliverables]]\nid = "report"\nkind = "document"\n'
        'formats = ["txt"]\n'
    )
    path, db = write_campaign(CAMPAIGN + deliverable), tmp_path / "ledger.db"
    run_cli("extend", path, "--db", db, "--unit", "east", "--requirement", "summary",
            "--until", "2020-07-08", "--reason", "flood")  # fmt: skip
    file = tmp_path / "report.txt"
    file.write_text("done", encoding="utf-8")
    done = run_cli(
        "submit", path, "--db", db, "--unit", "east", "--requirement", "summary",
        "--deliverable", f"report={file}", "--at", "2020-07-08T23:59:59",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "accepted, on time: East district, Summary" in done.stdout


# ── the property: an extension never makes an on-time hand-in late ──────────────────────


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    handed=st.integers(min_value=-30 * 86400, max_value=86399),
    later=st.integers(min_value=1, max_value=400),
)
def test_an_extension_never_makes_an_on_time_hand_in_late(handed: int, later: int) -> None:
    """For any hand-in up to the deadline (to the second) and any extension after the due
    date, the hand-in stays on time."""
    campaign = _campaign()
    due = dt.datetime(2020, 6, 28, tzinfo=CST)
    row = Verdict("east", "summary", due + dt.timedelta(seconds=handed), "on_time", id=1)
    assert row.at <= due.replace(hour=23, minute=59, second=59)
    until = dt.date(2020, 6, 28) + dt.timedelta(days=later)
    allowances = Allowances.of([Extension("east", "summary", until, "x", "li", NOW)])
    [judged] = reviewed(campaign, [row], [], allowances)
    assert judged.status == "on_time"
    # The deadline a hand-in is judged against only ever moves later.
    moved = deadline_for(campaign, "east", "summary", [row], [], allowances)
    assert moved >= deadline_for(campaign, "east", "summary", [row], [])
    assert standings(campaign, [judged], allowances=allowances)["summary"]["east"] == "on_time"


@functools.cache
def _campaign() -> Campaign:
    return loads_campaign(CAMPAIGN).unwrap()


def test_a_renamed_unit_or_requirement_keeps_its_extensions_and_exemptions(
    campaign_from_toml, ledger_target
):
    from campaignkit.ledger.maintenance import rename_requirement, rename_unit

    campaign = campaign_from_toml(CAMPAIGN)
    with open_ledger(ledger_target) as ledger:
        extend(campaign, ledger, "east", "summary", "2020-07-08", "flood", "li", now=NOW)
        exempt(campaign, ledger, "west", "summary", "merged", "li", now=NOW)
        rename_unit(ledger, "mini", "east", "east-district")
        rename_requirement(ledger, "mini", "summary", "month-summary")
        kept = ledger.allowances("mini")
    assert kept.until("east-district", "month-summary") == dt.date(2020, 7, 8)
    assert kept.is_exempt("west", "month-summary")


# ── the ledger written before extensions ────────────────────────────────────────────────


def test_a_ledger_of_the_previous_version_is_upgraded_in_place(tmp_path: Path) -> None:
    ours = next(i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE extensions" in script)
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
        "INSERT INTO audit (campaign, at, actor, action, subject)"
        " VALUES ('mini', '2020-06-21T10:00:00+08:00', 'li.wei', 'review', 'submission:1')"
    )
    db.commit()
    db.close()

    with Ledger(path) as ledger:
        assert ledger.version == SCHEMA_VERSION
        [row] = ledger.submissions("mini")
        assert (row.id, row.unit, row.status) == (1, "east", "on_time")
        assert [e.action for e in ledger.audit("mini")] == ["review"]
        assert ledger.extensions("mini") == []
        assert ledger.exemptions("mini") == []
        assert not ledger.allowances("mini")
