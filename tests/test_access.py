"""Who may come into the portal: units' secret links, staff and their bearer tokens, kept in
the ledger as digests, never in clear."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINIMAL

import campaignkit.admission
from campaignkit import (
    AccessRefused,
    Campaign,
    Ledger,
    PluginHost,
    Visitor,
    add_staff,
    closes_at,
    issue_staff_token,
    issue_unit_tokens,
    loads_campaign,
    open_ledger,
    revoke_staff_tokens,
    revoke_unit_tokens,
    who_is,
)
from campaignkit.ledger import SCHEMA_VERSION
from campaignkit.ledger.migrations import MIGRATIONS, statements

UTC = dt.UTC
NOW = dt.datetime(2020, 6, 1, 9, 0, tzinfo=UTC)
# The last phase ends on 2020-06-30: 23:59:59 in Shanghai is 15:59:59 UTC.
CLOSES = dt.datetime(2020, 6, 30, 15, 59, 59, tzinfo=UTC)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def campaign(plugin_host: PluginHost) -> Campaign:
    return loads_campaign(MINIMAL, host=plugin_host).unwrap()


@pytest.fixture
def ledger(ledger_target: str | Path) -> Iterator[Ledger]:
    """The ledger on each backend: SQLite, then PostgreSQL (`-m postgres`)."""
    with open_ledger(ledger_target) as opened:
        yield opened


def test_a_campaign_closes_at_the_end_of_its_last_phase_in_its_zone(campaign: Campaign) -> None:
    assert closes_at(campaign) == CLOSES


def test_a_units_link_lets_it_in_until_the_campaign_closes_to_the_second(
    campaign: Campaign, ledger: Ledger
) -> None:
    [issued] = issue_unit_tokens(campaign, ledger, ["east"], now=NOW)
    assert (issued.unit, issued.name, issued.expires_at) == ("east", "East district", CLOSES)
    assert issued.url("https://portal.example/") == f"https://portal.example/u/{issued.token}"
    # 32 random bytes, URL-safe: 43 characters.
    assert len(issued.token) == 43
    assert who_is(ledger, issued.token, now=CLOSES) == Visitor("unit", "east", "mini", CLOSES)
    assert who_is(ledger, issued.token, now=CLOSES + SECOND) is None


def test_a_link_expires_when_told(campaign: Campaign, ledger: Ledger) -> None:
    until = dt.datetime(2020, 6, 10, 12, 0, tzinfo=UTC)
    [issued] = issue_unit_tokens(campaign, ledger, ["east"], expires=until, now=NOW)
    assert who_is(ledger, issued.token, now=until) is not None
    assert who_is(ledger, issued.token, now=until + SECOND) is None


def test_an_unknown_token_lets_no_one_in(campaign: Campaign, ledger: Ledger) -> None:
    issue_unit_tokens(campaign, ledger, ["east"], now=NOW)
    assert who_is(ledger, "not-a-token", now=NOW) is None


def test_issuing_again_replaces_the_earlier_link(campaign: Campaign, ledger: Ledger) -> None:
    [first] = issue_unit_tokens(campaign, ledger, ["east"], now=NOW)
    second, _office = issue_unit_tokens(campaign, ledger, ["east", "office"], now=NOW + SECOND)
    assert first.token != second.token
    assert who_is(ledger, first.token, now=NOW + SECOND) is None
    assert who_is(ledger, second.token, now=NOW + SECOND) is not None


def test_revoked_links_let_no_one_in(campaign: Campaign, ledger: Ledger) -> None:
    issued = issue_unit_tokens(campaign, ledger, ["east", "office"], now=NOW)
    revoked = revoke_unit_tokens(campaign, ledger, ["east"], now=NOW + SECOND)
    assert revoked == {"east": 1}
    assert who_is(ledger, issued[0].token, now=NOW + SECOND) is None
    assert who_is(ledger, issued[1].token, now=NOW + SECOND) is not None
    # Nothing left to revoke.
    assert revoke_unit_tokens(campaign, ledger, ["east"], now=NOW + SECOND) == {"east": 0}


def test_an_unknown_unit_is_refused_and_nothing_is_issued(
    campaign: Campaign, ledger: Ledger
) -> None:
    with pytest.raises(AccessRefused) as refused:
        issue_unit_tokens(campaign, ledger, ["east", "eats"], now=NOW)
    [problem] = refused.value.problems
    assert (problem.code, problem.message) == (
        "unknown-unit",
        "there is no unit `eats` in the campaign",
    )
    assert "east" in (problem.hint or "")
    assert ledger.db.execute("SELECT count(*) FROM tokens").fetchone() == (0,)


def test_links_are_not_issued_once_the_campaign_has_closed(
    campaign: Campaign, ledger: Ledger
) -> None:
    with pytest.raises(AccessRefused) as refused:
        issue_unit_tokens(campaign, ledger, ["east"], now=CLOSES + SECOND)
    assert refused.value.problems[0].code == "expired"


def test_tokens_are_compared_in_constant_time(
    campaign: Campaign, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    [issued] = issue_unit_tokens(campaign, ledger, ["east"], now=NOW)
    compared: list[tuple[str, str]] = []

    def compare_digest(a: str, b: str) -> bool:
        compared.append((a, b))
        return a == b

    monkeypatch.setattr(campaignkit.admission.hmac, "compare_digest", compare_digest)
    assert who_is(ledger, issued.token, now=NOW) is not None
    assert len(compared) == 1


def test_no_token_nor_password_is_stored_in_clear(campaign: Campaign, tmp_path: Path) -> None:
    path = tmp_path / "clear.db"
    with Ledger(path) as ledger:
        issued = issue_unit_tokens(campaign, ledger, ["east", "office"], now=NOW)
        add_staff(ledger, "li.wei", "$argon2id$v=19$stand-in", now=NOW)
        staff = issue_staff_token(ledger, "li.wei", now=NOW)
    # Every byte SQLite wrote, the write-ahead log included.
    written = b"".join(p.read_bytes() for p in tmp_path.glob("clear.db*"))
    for token in [*(t.token for t in issued), staff.token]:
        assert token.encode() not in written
    assert b"$argon2id$v=19$stand-in" in written


def test_a_staff_token_lets_its_member_in_until_revoked(ledger: Ledger) -> None:
    member = add_staff(ledger, "li.wei", "hash", now=NOW)
    assert (member.name, member.created_at) == ("li.wei", NOW)
    token = issue_staff_token(ledger, "li.wei", now=NOW)
    assert who_is(ledger, token.token, now=NOW) == Visitor("staff", "li.wei")
    assert revoke_staff_tokens(ledger, "li.wei", now=NOW + SECOND) == 1
    assert who_is(ledger, token.token, now=NOW + SECOND) is None


def test_who_let_whom_in_is_in_the_audit_log(campaign: Campaign, ledger: Ledger) -> None:
    issue_unit_tokens(campaign, ledger, ["east"], now=NOW, actor="li.wei")
    revoke_unit_tokens(campaign, ledger, ["east"], now=NOW + SECOND)
    add_staff(ledger, "wang.fang", "hash", now=NOW)
    issue_staff_token(ledger, "wang.fang", now=NOW + SECOND)
    revoke_staff_tokens(ledger, "wang.fang", now=NOW + 2 * SECOND, actor="wang.fang")
    assert [(e.at, e.actor, e.action, e.subject, dict(e.detail)) for e in ledger.audit("mini")] == [
        (NOW, "li.wei", "invite", "east", {"expires": "2020-06-30T15:59:59+00:00"}),
        (NOW + SECOND, "command line", "revoke-unit-token", "east", {}),
    ]
    # The ledger's own events: its staff and their tokens.
    assert [(e.actor, e.action, e.subject) for e in ledger.audit("")] == [
        ("command line", "add-staff", "wang.fang"),
        ("command line", "staff-token", "wang.fang"),
        ("wang.fang", "revoke-staff-token", "wang.fang"),
    ]


def test_staff_names_are_unique_and_known(ledger: Ledger) -> None:
    add_staff(ledger, "li.wei", "hash", now=NOW)
    with pytest.raises(AccessRefused) as taken:
        add_staff(ledger, "li.wei", "other", now=NOW)
    assert taken.value.problems[0].message == "there is a member of staff named `li.wei` already"
    with pytest.raises(AccessRefused) as unknown:
        issue_staff_token(ledger, "li.wie", now=NOW)
    assert unknown.value.problems[0].message == "there is no member of staff named `li.wie`"
    with pytest.raises(AccessRefused) as empty:
        add_staff(ledger, "wang.fang", "", now=NOW)
    assert empty.value.problems[0].code == "empty-password"
    assert [m.name for m in ledger.staff_members()] == ["li.wei"]


def test_a_ledger_of_the_previous_version_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    # The schema just before this change's migration, wherever the list puts it.
    before = next(i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE tokens" in script)
    with sqlite3.connect(path, isolation_level=None) as con:
        for number in range(before):
            for statement in statements(MIGRATIONS[number]):
                con.execute(statement)
        con.execute(f"PRAGMA user_version = {before}")
        con.execute("INSERT INTO sources (campaign, sha256, seen_at) VALUES ('mini', 'x', 'y')")
    con.close()
    with Ledger(path) as ledger:
        assert ledger.version == SCHEMA_VERSION
        assert ledger.follow("mini", "x") is None  # what it held is still there
        add_staff(ledger, "li.wei", "hash", now=NOW)
        token = issue_staff_token(ledger, "li.wei", now=NOW)
        assert who_is(ledger, token.token, now=NOW) == Visitor("staff", "li.wei")
