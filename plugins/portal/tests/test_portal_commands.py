"""The portal's commands, run as a person runs them: `invite`, `staff add|token|list`."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import campaignkit_portal
import pytest
from campaignkit_portal.passwords import password_matches
from portal_campaign import SUMMARY, campaign_text

from campaignkit import Ledger, PluginHost, who_is
from campaignkit.testing import CliResult

# A campaign still open: its last phase ends on 2099-06-30, Asia/Shanghai.
CAMPAIGN = campaign_text(SUMMARY)
URL = "https://portal.example"
Run = Callable[..., CliResult]


@pytest.fixture
def run(run_cli: Run, plugin_host: PluginHost, register_plugin: Callable[..., Any]) -> Run:
    register_plugin(campaignkit_portal, name="portal")

    def command(*args: object, input: str | None = None) -> CliResult:
        return run_cli(*args, host=plugin_host, input=input)

    return command


@pytest.fixture
def plan(write_campaign: Callable[..., Path]) -> Path:
    return write_campaign(CAMPAIGN, "mini.toml")


def test_invite_prints_each_units_link_as_json(run: Run, plan: Path, tmp_path: Path) -> None:
    db = tmp_path / "mini.db"
    result = run(
        "invite", plan, "--db", db, "--base-url", URL, "--unit", "east", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    [link] = result.json()
    assert set(link) == {"unit", "name", "url", "token"}
    assert (link["unit"], link["name"]) == ("east", "East district")
    assert link["url"] == f"{URL}/u/{link['token']}"
    with Ledger(db) as ledger:
        visitor = who_is(ledger, link["token"], now=ledger_now())
    assert visitor is not None
    assert (visitor.kind, visitor.subject, visitor.campaign) == ("unit", "east", "mini")
    assert visitor.expires_at is not None
    assert visitor.expires_at.isoformat() == "2099-06-30T15:59:59+00:00"


def ledger_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_invite_all_reaches_every_unit_and_the_table_shows_links(run: Run, plan: Path) -> None:
    result = run("invite", plan, "--base-url", URL, "--all")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["unit", "name", "link"]
    assert [line.split()[0] for line in lines[1:]] == ["office", "east", "west"]
    assert all(f"{URL}/u/" in line for line in lines[1:])
    assert "2099-06-30 23:59:59 CST" in result.stderr


def test_inviting_again_replaces_the_link_and_revoke_revokes(
    run: Run, plan: Path, tmp_path: Path
) -> None:
    db = tmp_path / "mini.db"
    first = run("invite", plan, "--db", db, "--base-url", URL, "--unit", "east", "--format", "json")
    again = run("invite", plan, "--db", db, "--base-url", URL, "--all", "--format", "json")
    with Ledger(db) as ledger:
        assert who_is(ledger, first.json()[0]["token"], now=ledger_now()) is None
        assert who_is(ledger, again.json()[1]["token"], now=ledger_now()) is not None
    revoked = run("invite", plan, "--db", db, "--unit", "east", "--revoke", "--format", "json")
    assert revoked.exit_code == 0, revoked.output
    assert revoked.json() == [{"unit": "east", "name": "East district", "revoked": 1}]
    with Ledger(db) as ledger:
        assert who_is(ledger, again.json()[1]["token"], now=ledger_now()) is None
        assert who_is(ledger, again.json()[2]["token"], now=ledger_now()) is not None


def test_invite_expires_at_the_end_of_the_day_given(run: Run, plan: Path, tmp_path: Path) -> None:
    db = tmp_path / "mini.db"
    result = run(
        "invite", plan, "--db", db, "--base-url", URL, "--unit", "west",
        "--expires", "2099-06-10", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with Ledger(db) as ledger:
        visitor = who_is(ledger, result.json()[0]["token"], now=ledger_now())
    assert visitor is not None
    assert visitor.expires_at is not None
    assert visitor.expires_at.isoformat() == "2099-06-10T15:59:59+00:00"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--unit", "eats"], "error: --unit: there is no unit `eats` in the campaign"),
        ([], "error: name the units with --unit, or give --all"),
        (["--all", "--unit", "east"], "error: name the units with --unit, or give --all"),
        (["--all", "--expires", "2020-01-01"], "which is already past"),
        (["--all", "--expires", "soon"], "error: --expires: `soon` is not a date or a moment"),
    ],
)
def test_invite_slips_exit_2_and_issue_nothing(
    run: Run, plan: Path, tmp_path: Path, args: list[str], said: str
) -> None:
    db = tmp_path / "mini.db"
    result = run("invite", plan, "--db", db, "--base-url", URL, *args)
    assert result.exit_code == 2
    assert said in result.stderr
    assert result.stdout == ""
    if db.exists():
        with sqlite3.connect(db) as con:
            assert con.execute("SELECT count(*) FROM tokens").fetchone() == (0,)


def test_invite_needs_a_base_url_to_make_links(run: Run, plan: Path) -> None:
    result = run("invite", plan, "--all")
    assert result.exit_code == 2
    assert "--base-url is needed" in result.stderr


def test_invite_of_a_campaign_with_problems_exits_1(
    run: Run, write_campaign: Callable[..., Path]
) -> None:
    broken = write_campaign(CAMPAIGN.replace('kind = "office"', 'knd = "office"'), "bad.toml")
    result = run("invite", broken, "--base-url", URL, "--all")
    assert result.exit_code == 1
    assert "knd" in result.stderr


def test_staff_add_keeps_an_argon2_hash_never_the_password(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "staff.db"
    result = run("staff", "add", "li.wei", "--db", db, "--password-stdin", input="s3cret pass\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Added li.wei.\n"
    with Ledger(db) as ledger:
        [member] = ledger.staff_members()
    assert member.password_hash.startswith("$argon2id$")
    assert password_matches(member.password_hash, "s3cret pass")
    assert not password_matches(member.password_hash, "s3cret pass\n")
    written = b"".join(p.read_bytes() for p in tmp_path.glob("staff.db*"))
    assert b"s3cret pass" not in written


@pytest.mark.parametrize(
    ("name", "password", "said"),
    [
        ("li.wei", "\n", "error: --password-stdin: the password is empty"),
        ("li.wei", "other\n", "error: NAME: there is a member of staff named `li.wei` already"),
    ],
)
def test_staff_add_refuses_an_empty_password_or_a_name_taken(
    run: Run, tmp_path: Path, name: str, password: str, said: str
) -> None:
    db = tmp_path / "staff.db"
    run("staff", "add", "li.wei", "--db", db, "--password-stdin", input="first\n")
    result = run("staff", "add", name, "--db", db, "--password-stdin", input=password)
    assert result.exit_code == 1
    assert said in result.stderr
    with Ledger(db) as ledger:
        [member] = ledger.staff_members()
    assert password_matches(member.password_hash, "first")


def test_staff_add_without_password_stdin_is_a_usage_slip(run: Run, tmp_path: Path) -> None:
    result = run("staff", "add", "li.wei", "--db", tmp_path / "staff.db")
    assert result.exit_code == 2
    assert "--password-stdin" in result.stderr


def test_staff_token_is_shown_once_and_stored_hashed(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "staff.db"
    run("staff", "add", "li.wei", "--db", db, "--password-stdin", input="pw\n")
    plain = run("staff", "token", "li.wei", "--db", db)
    assert plain.exit_code == 0, plain.output
    [token] = plain.stdout.splitlines()
    as_json = run("staff", "token", "li.wei", "--db", db, "--format", "json")
    assert set(as_json.json()) == {"name", "token"}
    assert as_json.json()["name"] == "li.wei"
    written = b"".join(p.read_bytes() for p in tmp_path.glob("staff.db*"))
    assert token.encode() not in written
    assert as_json.json()["token"].encode() not in written
    with Ledger(db) as ledger:
        visitor = who_is(ledger, token, now=ledger_now())
    assert visitor is not None
    assert (visitor.kind, visitor.subject) == ("staff", "li.wei")
    revoked = run("staff", "token", "li.wei", "--db", db, "--revoke", "--format", "json")
    assert revoked.json() == {"name": "li.wei", "revoked": 2}
    with Ledger(db) as ledger:
        assert who_is(ledger, token, now=ledger_now()) is None


def test_staff_token_for_a_wrong_name_exits_1(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "staff.db"
    run("staff", "add", "li.wei", "--db", db, "--password-stdin", input="pw\n")
    result = run("staff", "token", "li.wie", "--db", db, "--format", "json")
    assert result.exit_code == 1
    assert "there is no member of staff named `li.wie`" in result.stderr
    assert "did you mean `li.wei`?" in result.stderr
    assert result.stdout == ""


def test_staff_commands_want_an_existing_ledger(run: Run, tmp_path: Path) -> None:
    result = run("staff", "token", "li.wei", "--db", tmp_path / "nowhere.db")
    assert result.exit_code == 1
    assert "there is no ledger at" in result.stderr
    assert not (tmp_path / "nowhere.db").exists()


def test_staff_list_names_each_member(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "staff.db"
    for name in ("wang.fang", "li.wei"):
        run("staff", "add", name, "--db", db, "--password-stdin", input="pw\n")
    result = run("staff", "list", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [m["name"] for m in result.json()] == ["li.wei", "wang.fang"]
    table = run("staff", "list", "--db", db)
    assert [line.split()[0] for line in table.stdout.splitlines()] == [
        "name",
        "li.wei",
        "wang.fang",
    ]


def test_send_gives_each_unit_its_link_through_its_own_channels_only(
    run: Run, write_campaign: Callable[..., Path], tmp_path: Path, recording_notifier: Any
) -> None:
    """East has a channel; West has none, and its link is not forwarded to the office above
    it, as a notice would be: a link is a secret of the unit it lets in."""
    text = campaign_text(SUMMARY).replace(
        'name = "East district"\nkind = "district"\nparent = "office"\n',
        'name = "East district"\nkind = "district"\nparent = "office"\n'
        'channels = { recording = "east-desk" }\n',
    )
    plan = write_campaign(text, "mini.toml")
    db = tmp_path / "mini.db"
    result = run(
        "invite",
        plan,
        "--db",
        db,
        "--base-url",
        URL,
        "--unit",
        "east",
        "--unit",
        "west",
        "--send",
        "--format",
        "json",
    )
    assert result.exit_code == 1, result.output  # West's link reached no one
    east, west = result.json()
    assert (east["sent"], east["errors"]) == (["recording"], [])
    assert (west["sent"], west["errors"]) == ([], [])
    [sent] = recording_notifier.sent
    assert (sent.address, sent.notification.to, sent.notification.kind) == (
        "east-desk",
        "east",
        "invitation",
    )
    assert east["url"] in sent.notification.text
    assert "2099-06-30 23:59" in sent.notification.text
    # Never in the outbox, whose rows keep each notice's text: only its digest is kept.
    for file in tmp_path.glob("mini.db*"):
        assert east["token"].encode() not in file.read_bytes()
    with Ledger(db) as ledger:
        said = [(e.action, e.subject, dict(e.detail)) for e in ledger.audit("mini")]
    assert ("send-invitation", "east", {"channels": ["recording"], "errors": []}) in said
    assert ("send-invitation", "west", {"channels": [], "errors": []}) in said


def test_send_says_which_channel_failed(
    run: Run, write_campaign: Callable[..., Path], recording_notifier: Any
) -> None:
    from campaignkit import DeliveryError

    text = campaign_text(SUMMARY).replace(
        'name = "East district"\nkind = "district"\nparent = "office"\n',
        'name = "East district"\nkind = "district"\nparent = "office"\n'
        'channels = { recording = "east-desk" }\n',
    )
    recording_notifier.fail(DeliveryError("robot offline"))
    result = run(
        "invite", write_campaign(text, "mini.toml"), "--base-url", URL, "--unit", "east", "--send"
    )
    assert result.exit_code == 1
    assert "east: not sent through recording: robot offline" in result.stderr
    assert result.stdout.splitlines()[0].split()[-2:] == ["sent", "through"]
