"""The `email` plugin through the command line: `validate` checks the table, `simulate
--deliver` sends the reminders to a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from email_campaign import campaign_text
from smtp_testserver import LOOPBACK, Recorder, smtp_server

CAMPAIGN = campaign_text()

TABLE = """
[plugins.email]
host = "{host}"
port = {port}
starttls = false
sender = "深圳市安委办 <safety@example.org>"
subject_prefix = "【安全生产月】"
timeout_s = 5
"""

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def test_simulate_deliver_sends_the_reminders_by_email(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path]
) -> None:
    server = Recorder()
    with smtp_server(server) as port:
        path = write_campaign(CAMPAIGN + TABLE.format(host=LOOPBACK, port=port))
        result = run_cli(
            "simulate", path, "--compliance", "0", "--until", "2020-06-27", "--deliver"
        )
    assert result.exit_code == 0, result.output
    sent = sorted((r.rcpt_tos, r.message["Subject"]) for r in server.received)
    futian, luohu = ("liaison@futian.example.org",), ("wang@luohu.example.org",)
    subject = "【安全生产月】提醒：报送活动总结材料"
    # two reminders (3 days and 1 day before the due date) to each of the two districts
    assert sent == [(futian, subject), (futian, subject), (luohu, subject), (luohu, subject)]
    assert len({r.message["Message-ID"] for r in server.received}) == 4
    bodies = [r.message.get_content() for r in server.received]
    assert all("截止日期：2020-06-28" in body for body in bodies)
    assert any("距截止还有3天" in body for body in bodies)


def test_simulate_deliver_logs_in_with_the_password_from_the_environment(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path]
) -> None:
    password = secrets.token_urlsafe(18)
    server = Recorder(users={"sz-robot": password})
    login = 'username_env = "CK_E2E_SMTP_USER"\npassword_env = "CK_E2E_SMTP_PASSWORD"\n'
    with smtp_server(server, auth=True, auth_required=True) as port:
        path = write_campaign(CAMPAIGN + TABLE.format(host=LOOPBACK, port=port) + login)
        env = {"CK_E2E_SMTP_USER": "sz-robot", "CK_E2E_SMTP_PASSWORD": password}
        result = run_cli(
            "simulate", path, "--compliance", "0", "--until", "2020-06-25", "--deliver", env=env
        )
    assert result.exit_code == 0, result.output
    assert [r.login for r in server.received] == ["sz-robot", "sz-robot"]
    assert password not in result.output
    assert password not in path.read_text(encoding="utf-8")


def test_validate_accepts_a_good_table(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path]
) -> None:
    path = write_campaign(CAMPAIGN + TABLE.format(host="smtp.example.org", port=587))
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output


def test_validate_refuses_a_bad_table_without_repeating_a_pasted_password(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path]
) -> None:
    pasted = "hunter2-Secret!"
    table = f"""
[plugins.email]
ssl = true
starttls = true
sender = "not an address"
username_env = "SZ_SMTP_USER"
password_env = "{pasted}"
timeout_s = 0
"""
    result = run_cli("validate", write_campaign(CAMPAIGN + table), "--format", "json")
    assert result.exit_code == 1, result.output
    found = {p["path"]: p for p in result.json()}
    assert set(found) == {
        "plugins.email.host",
        "plugins.email.starttls",
        "plugins.email.sender",
        "plugins.email.password_env",
        "plugins.email.timeout_s",
    }
    assert found["plugins.email.password_env"]["line"] is not None
    assert pasted not in result.output


def test_validate_refuses_unknown_keys_in_the_table(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path]
) -> None:
    table = '\n[plugins.email]\nhost = "smtp.example.org"\nsender = "a@example.org"\npasword = 1\n'
    result = run_cli("validate", write_campaign(CAMPAIGN + table))
    assert result.exit_code == 1
    assert "plugins.email.pasword" in result.output


def test_validate_warns_about_a_unit_email_cannot_reach(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path]
) -> None:
    text = CAMPAIGN.replace('contact = { name = "王五", email = "wang@luohu.example.org" }\n', "")
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert result.exit_code == 0, result.output
    messages = {p["path"]: p["message"] for p in result.json()}
    assert messages == {
        "units.luohu.channels.email": "empty, and the unit has no `contact.email` to fall back on"
    }
