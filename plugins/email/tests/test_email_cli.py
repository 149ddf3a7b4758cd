"""The `email` plugin through the command line: `validate` checks the table, `simulate
--deliver` sends the reminders to a real SMTP server on 127.0.0.1, which the environment names,
and a campaign file cannot make it send the machine's secrets anywhere."""

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
starttls = false
sender = "深圳市安委办 <safety@example.org>"
subject_prefix = "【安全生产月】"
timeout_s = 5
"""

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture(autouse=True)
def _no_smtp_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test does not see the SMTP server or login of the machine it runs on."""
    for name in ("HOST", "PORT", "USER", "PASSWORD"):
        monkeypatch.delenv(f"CAMPAIGNKIT_SMTP_{name}", raising=False)


def office(port: int, **more: str) -> dict[str, str]:
    """The environment of the office that sends: its SMTP server is the test's."""
    return {"CAMPAIGNKIT_SMTP_HOST": LOOPBACK, "CAMPAIGNKIT_SMTP_PORT": str(port), **more}


def test_simulate_deliver_sends_the_reminders_by_email(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path]
) -> None:
    server = Recorder()
    with smtp_server(server) as port:
        path = write_campaign(CAMPAIGN + TABLE)
        args = ("simulate", path, "--compliance", "0", "--until", "2020-06-27", "--deliver")
        result = run_cli(*args, env=office(port))
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
    with smtp_server(server, auth=True, auth_required=True) as port:
        # No login in the file: CAMPAIGNKIT_SMTP_USER and CAMPAIGNKIT_SMTP_PASSWORD.
        path = write_campaign(CAMPAIGN + TABLE)
        env = office(port, CAMPAIGNKIT_SMTP_USER="sz-robot", CAMPAIGNKIT_SMTP_PASSWORD=password)
        args = ("simulate", path, "--compliance", "0", "--until", "2020-06-25", "--deliver")
        result = run_cli(*args, env=env)
    assert result.exit_code == 0, result.output
    assert [r.login for r in server.received] == ["sz-robot", "sz-robot"]
    assert password not in result.output
    assert password not in path.read_text(encoding="utf-8")


def test_validate_accepts_a_good_table(
    run_cli: Callable[..., Any], write_campaign: Callable[..., Path]
) -> None:
    login = (
        'username_env = "CAMPAIGNKIT_SZ_SMTP_USER"\npassword_env = "CAMPAIGNKIT_SZ_SMTP_PASSWORD"\n'
    )
    path = write_campaign(CAMPAIGN + TABLE + login)
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
username_env = "CAMPAIGNKIT_SMTP_USER"
password_env = "{pasted}"
timeout_s = 0
"""
    result = run_cli("validate", write_campaign(CAMPAIGN + table), "--format", "json")
    assert result.exit_code == 1, result.output
    found = {p["path"]: p for p in result.json()}
    assert set(found) == {
        "plugins.email.starttls",
        "plugins.email.sender",
        "plugins.email.password_env",
        "plugins.email.timeout_s",
    }
    assert found["plugins.email.password_env"]["line"] is not None
    assert pasted not in result.output


def test_a_campaign_file_cannot_send_the_machines_secrets_to_a_server_it_names(
    run_cli: Callable[..., Any],
    write_campaign: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 14 §7.6: a file from elsewhere named a server and two of the machine's
    variables; the second one's value went out in SMTP AUTH."""
    secret = secrets.token_urlsafe(18)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    server = Recorder()
    with smtp_server(server, auth=True) as port:
        table = f"""
[plugins.email]
host = "{LOOPBACK}"
port = {port}
starttls = false
sender = "safety@example.org"
username_env = "HOME"
password_env = "AWS_SECRET_ACCESS_KEY"
"""
        text = CAMPAIGN + table
        path = write_campaign(text)
        validated = run_cli("validate", path, "--format", "json")
        shown = run_cli("validate", path)
        # Even where the office's own server is set up, the campaign is refused whole.
        args = ("simulate", path, "--compliance", "0", "--until", "2020-06-27", "--deliver")
        simulated = run_cli(*args, env=office(port))
    assert server.logins == []
    assert server.received == []
    assert validated.exit_code == shown.exit_code == simulated.exit_code == 1
    lines = text.splitlines()
    found = {p["path"]: p for p in validated.json()}
    assert set(found) == {
        "plugins.email.host",
        "plugins.email.port",
        "plugins.email.username_env",
        "plugins.email.password_env",
    }
    password = found["plugins.email.password_env"]
    assert password["line"] == lines.index('password_env = "AWS_SECRET_ACCESS_KEY"') + 1
    # The campaign is in Chinese: so is what `validate` says of it.
    assert password["message"] == "`password_env` 应为以 CAMPAIGNKIT_ 开头的环境变量名"
    assert "删去 `password_env` 即使用 CAMPAIGNKIT_SMTP_PASSWORD" in password["hint"]
    assert found["plugins.email.host"]["line"] == lines.index(f'host = "{LOOPBACK}"') + 1
    assert "CAMPAIGNKIT_SMTP_HOST" in found["plugins.email.host"]["hint"]
    assert "plugins.email.password_env" in shown.output
    for result in (validated, shown, simulated):
        assert secret not in result.output


def test_the_json_schema_carries_the_rule(run_cli: Callable[..., Any]) -> None:
    """So that an editor underlines what `validate` refuses."""
    table = run_cli("schema").json()["$defs"]["EmailSettings"]
    assert table["additionalProperties"] is False
    assert "host" not in table["properties"]
    assert "port" not in table["properties"]
    for key, default in [
        ("host_env", "CAMPAIGNKIT_SMTP_HOST"),
        ("port_env", "CAMPAIGNKIT_SMTP_PORT"),
        ("username_env", "CAMPAIGNKIT_SMTP_USER"),
        ("password_env", "CAMPAIGNKIT_SMTP_PASSWORD"),
    ]:
        assert table["properties"][key]["pattern"] == "^CAMPAIGNKIT_[A-Za-z0-9_]+$"
        assert table["properties"][key]["default"] == default


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
    assert (
        messages.pop("units.luohu.channels.email") == "值为空，且该单位没有可替代的 `contact.email`"
    )
    # And this campaign has no [plugins.email] table at all: no e-mail could go out.
    assert messages == {
        "units.committee.channels.email": "3 个单位通过电子邮件通知（committee, futian, luohu），"
        "但方案文件没有 [plugins.email] 表：任何邮件都发不出去"
    }
