"""The `email` notifier against a real SMTP server on 127.0.0.1: what the server received."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import smtplib
import ssl
import traceback
import zoneinfo
from collections.abc import Callable, Iterator
from email.utils import parsedate_to_datetime
from typing import Any

import campaignkit_email
import pytest
import trustme
from campaignkit_email.message import message_id, subject
from campaignkit_email.settings import EmailSettings
from campaignkit_email.smtp import Mailer
from email_campaign import FUTIAN, LUOHU_CONTACT, campaign_text
from smtp_testserver import LOOPBACK, Recorder, free_port, silent_server, smtp_server

from campaignkit import Context, DeliveryError, loads_campaign
from campaignkit.model import Campaign, Contact
from campaignkit.notify import Notification
from campaignkit.schedule import schedule_of

# aiosmtpd warns when a test server takes AUTH without TLS: these servers are on loopback.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SENDER = "深圳市安委办 <safety@example.org>"


def load(language: str = "zh", plugins: str = "") -> Campaign:
    text = campaign_text(language) + plugins
    return loads_campaign(text).unwrap()


def notice(kind: str = "reminder", to: str = "futian", about: str | None = None) -> Notification:
    return Notification(
        at=dt.datetime(2020, 6, 25, 9, tzinfo=SHANGHAI),
        to=to,
        kind=kind,
        requirement="summary",
        key=f"mail-test/summary/{kind}/{about or to}",
        text="【提醒】福田区安委会：请于2020年6月28日前向深圳市安委办报送“报送活动总结材料”。",
        about=about,
    )


def settings(**changes: Any) -> EmailSettings:
    values: dict[str, Any] = {
        "starttls": False,
        "sender": SENDER,
        "subject_prefix": "【安全生产月】",
        "timeout_s": 5.0,
    }
    return EmailSettings(**{**values, **changes})


def mailer(
    port: int, campaign: Campaign, *, ssl_context: ssl.SSLContext | None = None, **changes: Any
) -> Mailer:
    """A Mailer for the test server on `port`, which the office's environment names."""
    server = {"CAMPAIGNKIT_SMTP_HOST": LOOPBACK, "CAMPAIGNKIT_SMTP_PORT": str(port)}
    environ = {**os.environ, **server}
    return Mailer(settings(**changes), campaign, environ=environ, ssl_context=ssl_context)


@pytest.fixture(autouse=True)
def _no_smtp_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test does not see the SMTP server or login of the machine it runs on."""
    for name in ("HOST", "PORT", "USER", "PASSWORD"):
        monkeypatch.delenv(f"CAMPAIGNKIT_SMTP_{name}", raising=False)


@pytest.fixture
def campaign() -> Campaign:
    return load()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder(refuse={"gone@example.org": "550 5.1.1 Mailbox unavailable"})


@pytest.fixture
def port(recorder: Recorder) -> Iterator[int]:
    with smtp_server(recorder) as port:
        yield port


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh password in the environment, made up for this test and written nowhere."""
    value = secrets.token_urlsafe(18)
    monkeypatch.setenv("CAMPAIGNKIT_TEST_SMTP_USER", "futian-robot")
    monkeypatch.setenv("CAMPAIGNKIT_TEST_SMTP_PASSWORD", value)
    return value


LOGIN = {
    "username_env": "CAMPAIGNKIT_TEST_SMTP_USER",
    "password_env": "CAMPAIGNKIT_TEST_SMTP_PASSWORD",
}


# ── what arrives ──────────────────────────────────────────────────────────────────────


def test_a_reminder_arrives_in_utf8_with_a_chinese_subject_and_body(
    campaign: Campaign, recorder: Recorder, port: int
) -> None:
    mailer(port, campaign).deliver(notice(), FUTIAN)

    [got] = recorder.received
    assert got.mail_from == "safety@example.org"
    assert got.rcpt_tos == (FUTIAN,)
    assert got.data.isascii(), "headers RFC 2047-encoded, body base64: 7-bit clean"
    assert b"=?utf-8?" in got.data
    msg = got.message
    assert msg["Subject"] == "【安全生产月】提醒：报送活动总结材料"
    assert msg["From"].addresses[0].display_name == "深圳市安委办"
    assert msg["To"] == FUTIAN
    assert msg.get_content_charset() == "utf-8"
    body = msg.get_content()
    assert notice().text in body
    assert "截止日期：2020-06-28" in body
    assert "通知编号：mail-test/summary/reminder/futian" in body
    assert "深安办〔2020〕79号" in body
    assert msg["Message-ID"] == message_id(campaign, notice())
    assert msg["X-Campaignkit-Key"] == "mail-test/summary/reminder/futian"
    assert msg["Auto-Submitted"] == "auto-generated"
    sent = parsedate_to_datetime(msg["Date"])
    assert abs(sent - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_the_same_notification_keeps_its_message_id_across_sends(
    campaign: Campaign, recorder: Recorder, port: int
) -> None:
    mailer(port, campaign).deliver(notice(), FUTIAN)
    mailer(port, campaign).deliver(notice(), FUTIAN)  # a re-send, another run
    mailer(port, campaign).deliver(notice("overdue"), FUTIAN)
    first, again, other = (r.message["Message-ID"] for r in recorder.received)
    assert first == again
    assert other != first
    assert first.startswith("<")
    assert first.endswith("@campaignkit>")


def test_an_empty_channel_falls_back_to_the_units_contact_email(
    campaign: Campaign, recorder: Recorder, port: int
) -> None:
    mailer(port, campaign).deliver(notice(to="luohu"), "")
    [got] = recorder.received
    assert got.rcpt_tos == (LUOHU_CONTACT,)
    assert got.message["To"] == LUOHU_CONTACT


def test_the_contact_delivery_found_wins_over_the_campaigns(
    campaign: Campaign, recorder: Recorder, port: int
) -> None:
    submitted = Contact(name="赵六", email="zhao@luohu.example.org")
    mailer(port, campaign).deliver(notice(to="luohu"), "", contact=submitted)
    [got] = recorder.received
    assert got.rcpt_tos == ("zhao@luohu.example.org",)


def test_a_unit_without_any_address_is_not_retried(campaign: Campaign, port: int) -> None:
    with pytest.raises(DeliveryError, match="unit `office` has no e-mail address") as caught:
        mailer(port, campaign).deliver(notice(to="office"), None)
    assert caught.value.retryable is False


@pytest.mark.parametrize(
    ("kind", "about", "zh", "en"),
    [
        ("reminder", None, "提醒：报送活动总结材料", "Reminder: 报送活动总结材料"),
        ("overdue", None, "逾期：报送活动总结材料", "Overdue: 报送活动总结材料"),
        (
            "escalation",
            "futian",
            "督办：报送活动总结材料（福田区安委会）",
            "Escalation: 报送活动总结材料 (福田区安委会)",
        ),
        ("rejected", None, "退回：报送活动总结材料", "Returned: 报送活动总结材料"),
        ("digest.weekly", None, "通知：报送活动总结材料", "Notice: 报送活动总结材料"),
    ],
)
def test_subjects_follow_the_campaigns_language(
    kind: str, about: str | None, zh: str, en: str
) -> None:
    n = notice(kind, to="office" if about else "futian", about=about)
    assert subject(load("zh-CN"), n) == zh
    assert subject(load("en"), n, "[Safety month] ") == "[Safety month] " + en


def test_the_body_follows_the_campaigns_language_whatever_the_operator_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from campaignkit_email.message import body

    from campaignkit.i18n import for_command

    monkeypatch.setenv("CAMPAIGNKIT_LANGUAGE", "en")  # the operator reads English
    with for_command():
        zh = body(load("zh-CN"), notice()).splitlines()
        subject_zh = subject(load("zh-CN"), notice("rejected"))
    assert zh[-3:] == [
        "截止日期：2020-06-28",
        "活动：深圳市2020年“安全生产月”活动方案（深安办〔2020〕79号）",
        "通知编号：mail-test/summary/reminder/futian",
    ]
    assert subject_zh == "退回：报送活动总结材料"
    assert body(load("en"), notice()).splitlines()[-3:] == [
        "Due: 2020-06-28",
        "Campaign: 深圳市2020年“安全生产月”活动方案 (深安办〔2020〕79号)",
        "Notice key: mail-test/summary/reminder/futian",
    ]


def test_a_delivery_failure_is_told_in_the_language_spoken(campaign: Campaign, port: int) -> None:
    from campaignkit.i18n import speaking

    with speaking("zh"), pytest.raises(DeliveryError) as caught:
        mailer(port, campaign).deliver(notice(to="office"), None)
    assert str(caught.value) == (
        "单位 `office` 没有电子邮件地址（units.office.channels.email 和 contact.email 均未填写）"
    )


def test_an_escalation_goes_to_the_parent_and_names_the_missing_unit(
    campaign: Campaign, recorder: Recorder, port: int
) -> None:
    mailer(port, campaign).deliver(notice("escalation", "futian", about="luohu"), FUTIAN)
    [got] = recorder.received
    assert got.message["Subject"] == "【安全生产月】督办：报送活动总结材料（罗湖区安委会）"


def test_one_connection_serves_many_messages_and_a_dropped_one_is_reopened(
    campaign: Campaign, recorder: Recorder, port: int
) -> None:
    one = mailer(port, campaign)
    one.deliver(notice(), FUTIAN)
    first = one._smtp
    one.deliver(notice("overdue"), FUTIAN)
    assert one._smtp is first
    assert first is not None
    assert first.sock is not None
    first.sock.close()  # the server hung up while the mailer was idle
    one.deliver(notice("escalation", about="luohu"), FUTIAN)
    assert len(recorder.received) == 3
    one.close()
    assert one._smtp is None


# ── failures ─────────────────────────────────────────────────────────────────────────


def test_a_550_for_the_mailbox_is_not_retried(campaign: Campaign, port: int) -> None:
    with pytest.raises(DeliveryError) as caught:
        mailer(port, campaign).deliver(notice(), "gone@example.org")
    assert caught.value.retryable is False
    assert "550" in str(caught.value)
    assert "gone@example.org" in str(caught.value)


def test_a_4xx_reply_is_retried(campaign: Campaign) -> None:
    busy = Recorder(refuse={FUTIAN: "451 4.3.0 Try again later"})
    with smtp_server(busy) as port, pytest.raises(DeliveryError, match="451") as caught:
        mailer(port, campaign).deliver(notice(), FUTIAN)
    assert caught.value.retryable is True


def test_a_server_that_is_down_is_retried(campaign: Campaign) -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(DeliveryError, match=f"cannot reach {LOOPBACK}:{port}") as caught:
        mailer(port, campaign).deliver(notice(), FUTIAN)
    assert caught.value.retryable is True


@pytest.mark.slow
def test_a_server_that_never_answers_times_out_and_is_retried(campaign: Campaign) -> None:
    with silent_server() as port, pytest.raises(DeliveryError, match="did not answer") as caught:
        mailer(port, campaign, timeout_s=0.3).deliver(notice(), FUTIAN)
    assert caught.value.retryable is True


# ── logging in, and keeping the password secret ────────────────────────────────────────


def test_the_login_comes_from_the_environment(
    campaign: Campaign, password: str, capfd: pytest.CaptureFixture[str]
) -> None:
    server = Recorder(users={"futian-robot": password})
    with smtp_server(server, auth=True, auth_required=True) as port:
        mailer(port, campaign, **LOGIN).deliver(notice(), FUTIAN)
    [(mechanism, login, received)] = server.logins
    assert (login, received) == ("futian-robot", password)
    assert mechanism in {"PLAIN", "LOGIN"}
    [got] = server.received
    assert got.login == "futian-robot"
    out, err = capfd.readouterr()
    assert password not in out + err


def test_a_wrong_password_is_not_retried_and_never_shown(
    campaign: Campaign, password: str, capfd: pytest.CaptureFixture[str]
) -> None:
    server = Recorder(users={"futian-robot": "something else"})
    with (
        smtp_server(server, auth=True, auth_required=True) as port,
        pytest.raises(DeliveryError) as caught,
    ):
        mailer(port, campaign, **LOGIN).deliver(notice(), FUTIAN)
    assert caught.value.retryable is False
    assert "535" in str(caught.value)
    shown = "".join(traceback.format_exception(caught.value)) + repr(caught.value)
    out, err = capfd.readouterr()
    assert password not in shown + out + err
    assert server.received == []


def test_a_missing_password_variable_is_named_and_nothing_is_sent(
    campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_TEST_SMTP_USER", "futian-robot")
    monkeypatch.delenv("CAMPAIGNKIT_TEST_SMTP_PASSWORD", raising=False)
    port = free_port()  # nothing listens: the check comes before any connection
    with pytest.raises(DeliveryError, match="CAMPAIGNKIT_TEST_SMTP_PASSWORD") as caught:
        mailer(port, campaign, **LOGIN).deliver(notice(), FUTIAN)
    assert caught.value.retryable is False
    assert "is not set" in str(caught.value)


def test_a_password_is_never_sent_unencrypted_to_another_machine(
    campaign: Campaign, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("must not connect")

    monkeypatch.setattr(smtplib, "SMTP", no_connection)
    remote = {**os.environ, "CAMPAIGNKIT_SMTP_HOST": "smtp.example.org"}
    with pytest.raises(DeliveryError, match="unencrypted") as caught:
        Mailer(settings(**LOGIN), campaign, environ=remote).deliver(notice(), FUTIAN)
    assert caught.value.retryable is False
    assert password not in str(caught.value)


def test_the_server_comes_from_the_environment(
    campaign: Campaign, recorder: Recorder, port: int
) -> None:
    env = {"CAMPAIGNKIT_SMTP_HOST": LOOPBACK, "CAMPAIGNKIT_SMTP_PORT": str(port)}
    Mailer(settings(), campaign, environ=env).deliver(notice(), FUTIAN)
    # Or from other variables of campaignkit's, that the table names.
    env = {"CAMPAIGNKIT_FUTIAN_SMTP_HOST": LOOPBACK, "CAMPAIGNKIT_FUTIAN_SMTP_PORT": str(port)}
    named = settings(
        host_env="CAMPAIGNKIT_FUTIAN_SMTP_HOST", port_env="CAMPAIGNKIT_FUTIAN_SMTP_PORT"
    )
    Mailer(named, campaign, environ=env).deliver(notice(), FUTIAN)
    assert len(recorder.received) == 2
    with pytest.raises(DeliveryError, match="CAMPAIGNKIT_SMTP_HOST is not set") as caught:
        Mailer(settings(), campaign, environ={}).deliver(notice(), FUTIAN)
    assert caught.value.retryable is False


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"username_env": "HOME", "password_env": "AWS_SECRET_ACCESS_KEY"}, id="names"),
        pytest.param({"host": LOOPBACK}, id="host"),
        pytest.param({"port": 2525}, id="port"),
    ],
)
def test_settings_that_break_the_rule_send_nothing_even_unvalidated(
    campaign: Campaign, changes: dict[str, Any]
) -> None:
    """The notifier checks the rule again: nothing is read, nothing is sent."""
    secret = secrets.token_urlsafe(18)
    server = Recorder(users={"futian-robot": secret})
    with smtp_server(server, auth=True) as port:
        environ = {
            "CAMPAIGNKIT_SMTP_HOST": LOOPBACK,
            "CAMPAIGNKIT_SMTP_PORT": str(port),
            "HOME": "futian-robot",
            "AWS_SECRET_ACCESS_KEY": secret,
        }
        hostile = settings(**changes)
        with pytest.raises(DeliveryError, match="nothing was sent") as caught:
            Mailer(hostile, campaign, environ=environ).deliver(notice(), FUTIAN)
    assert caught.value.retryable is False
    assert secret not in str(caught.value)
    assert server.logins == []
    assert server.received == []


# ── TLS: STARTTLS and SMTPS, with a certificate authority made for the test ────────────


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(LOOPBACK, "localhost").configure_cert(context)
    return context


@pytest.fixture(scope="module")
def client_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def test_starttls_then_login_over_the_encrypted_connection(
    campaign: Campaign, password: str, server_tls: ssl.SSLContext, client_tls: ssl.SSLContext
) -> None:
    server = Recorder(users={"futian-robot": password})
    # aiosmtpd refuses MAIL before STARTTLS, and AUTH without TLS (auth_require_tls).
    with smtp_server(
        server, tls_context=server_tls, require_starttls=True, authenticator=server.authenticate
    ) as port:
        # STARTTLS is the default
        mailer(port, campaign, ssl_context=client_tls, starttls=None, **LOGIN).deliver(
            notice(), FUTIAN
        )
    [got] = server.received
    assert got.tls is True
    assert got.login == "futian-robot"
    assert got.message["Subject"] == "【安全生产月】提醒：报送活动总结材料"


def test_a_certificate_that_does_not_verify_is_not_retried(
    campaign: Campaign, server_tls: ssl.SSLContext
) -> None:
    server = Recorder()
    with (
        smtp_server(server, tls_context=server_tls, require_starttls=True) as port,
        pytest.raises(DeliveryError, match="TLS with") as caught,
    ):
        # the default context: the system's authorities do not know the test's CA
        mailer(port, campaign, starttls=True).deliver(notice(), FUTIAN)
    assert caught.value.retryable is False
    assert server.received == []


def test_smtps_to_a_plain_port_is_not_retried(
    campaign: Campaign, port: int, client_tls: ssl.SSLContext
) -> None:
    smtps = mailer(port, campaign, ssl_context=client_tls, ssl=True, starttls=None)
    with pytest.raises(DeliveryError, match="TLS with") as caught:
        smtps.deliver(notice(), FUTIAN)
    assert caught.value.retryable is False


def test_starttls_wanted_but_not_offered_is_not_retried(campaign: Campaign, port: int) -> None:
    with pytest.raises(DeliveryError, match="does not offer STARTTLS") as caught:
        mailer(port, campaign, starttls=True).deliver(notice(), FUTIAN)
    assert caught.value.retryable is False


def test_a_server_demanding_starttls_refuses_a_plain_session(
    campaign: Campaign, server_tls: ssl.SSLContext
) -> None:
    with (
        smtp_server(Recorder(), tls_context=server_tls, require_starttls=True) as port,
        pytest.raises(DeliveryError, match="530") as caught,
    ):
        mailer(port, campaign, starttls=False).deliver(notice(), FUTIAN)
    assert caught.value.retryable is False


def test_smtps_speaks_tls_from_the_first_byte(
    campaign: Campaign, server_tls: ssl.SSLContext, client_tls: ssl.SSLContext
) -> None:
    server = Recorder()
    with smtp_server(server, ssl_context=server_tls) as port:
        smtps = mailer(port, campaign, ssl_context=client_tls, ssl=True, starttls=None)
        smtps.deliver(notice(), FUTIAN)
    [got] = server.received
    assert got.tls is True
    assert got.rcpt_tos == (FUTIAN,)


# ── the notifier: its settings from the context ────────────────────────────────────────


def context_of(campaign: Campaign, contact: Contact | None = None) -> Context:
    """What delivery hands the notifier: the campaign, the clock, one round's resources."""
    now = dt.datetime(2020, 6, 25, 9, tzinfo=SHANGHAI)
    return Context(campaign, now, schedule_of(campaign), live=True, contact=contact)


def table(sender: str = SENDER) -> str:
    return f"""
[plugins.email]
starttls = false
sender = "{sender}"
"""


def test_the_notifier_uses_the_settings_in_its_context(
    recorder: Recorder, port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_SMTP_HOST", LOOPBACK)
    monkeypatch.setenv("CAMPAIGNKIT_SMTP_PORT", str(port))
    campaign = load(plugins=table())
    assert isinstance(campaign.plugins["email"], EmailSettings)
    [notifier] = campaignkit_email.campaignkit_notifiers()
    notifier.deliver(notice(to="luohu"), "", context_of(campaign))
    [got] = recorder.received
    assert got.mail_from == "safety@example.org"
    assert got.rcpt_tos == (LUOHU_CONTACT,)
    assert got.message["Subject"] == "提醒：报送活动总结材料"


def test_the_liaison_officer_comes_from_the_context(
    recorder: Recorder, port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_SMTP_HOST", LOOPBACK)
    monkeypatch.setenv("CAMPAIGNKIT_SMTP_PORT", str(port))
    submitted = Contact(name="赵六", email="zhao@luohu.example.org")
    campaignkit_email.deliver(notice(to="luohu"), "", context_of(load(plugins=table()), submitted))
    [got] = recorder.received
    assert got.rcpt_tos == ("zhao@luohu.example.org",)


def test_one_connection_serves_a_round_and_ends_with_it(
    recorder: Recorder, port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_SMTP_HOST", LOOPBACK)
    monkeypatch.setenv("CAMPAIGNKIT_SMTP_PORT", str(port))
    context = context_of(load(plugins=table()))
    campaignkit_email.deliver(notice(), FUTIAN, context)
    mailer = context.resources[campaignkit_email.MAILER]
    connection = mailer._smtp
    assert connection is not None
    campaignkit_email.deliver(notice("overdue"), FUTIAN, context)
    assert mailer._smtp is connection
    context.close()  # the round ends: QUIT
    assert mailer._smtp is None
    assert len(recorder.received) == 2


def test_two_campaigns_in_one_process_each_send_from_their_own_sender(
    recorder: Recorder,
    port: int,
    monkeypatch: pytest.MonkeyPatch,
    register_plugin: Callable[..., Any],
    campaign_from_toml: Callable[[str], Campaign],
    virtual_clock: Any,
) -> None:
    """Both are loaded before either is delivered, as a portal serving two offices would."""
    monkeypatch.setenv("CAMPAIGNKIT_SMTP_HOST", LOOPBACK)
    monkeypatch.setenv("CAMPAIGNKIT_SMTP_PORT", str(port))
    register_plugin(campaignkit_email, "email")
    shenzhen = campaign_from_toml(campaign_text() + table())
    futian_text = campaign_text().replace('id = "mail-test"', 'id = "futian-test"')
    futian = campaign_from_toml(futian_text + table("福田区安委办 <safety@futian.example.org>"))
    virtual_clock.set("2020-06-25T10:00:00+08:00")  # the reminders 3 days before
    for campaign in (shenzhen, futian, shenzhen):
        assert virtual_clock.tick(campaign).delivered.failed == 0
    senders = [(r.mail_from, r.message["X-Campaignkit-Key"]) for r in recorder.received]
    assert sorted(senders) == [
        ("safety@example.org", "mail-test/summary/reminder-3d/futian"),
        ("safety@example.org", "mail-test/summary/reminder-3d/luohu"),
        ("safety@futian.example.org", "futian-test/summary/reminder-3d/futian"),
        ("safety@futian.example.org", "futian-test/summary/reminder-3d/luohu"),
    ]


def test_without_a_plugins_email_table_the_notifier_says_so(campaign: Campaign) -> None:
    with pytest.raises(DeliveryError, match=r"\[plugins.email\]") as caught:
        campaignkit_email.deliver(notice(), FUTIAN, context_of(campaign))
    assert caught.value.retryable is False
