"""Each robot flavour against a local server that answers like the platform: payloads,
signatures, splitting, @-mentions, error codes, rate limits, and never a secret shown."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import socket
import time
import zoneinfo
from collections.abc import Callable, Iterator

import attrs
import campaignkit_webhook
import pytest
from campaignkit_webhook import WebhookRobot, WebhookSettings
from campaignkit_webhook.send import Webhooks
from webhook_fakes import FakePlatforms

from campaignkit import Campaign, Contact, Context, DeliveryError, loads_campaign
from campaignkit.notify import Notification
from campaignkit.schedule import schedule_of

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MOBILE = "13800138000"

CAMPAIGN = """\
format = 1

[campaign]
id = "mini"
title = "Minimal campaign"
issued_on = 2020-05-22
issued_by = "office"
timezone = "Asia/Shanghai"

[phases.month]
name = "安全生产月"
start = 2020-06-01
end = 2020-06-30

[units.office]
name = "安委办"
kind = "office"
contact = { name = "王科长", phone = "0755-88888888" }

[units.east]
name = "东区安委会"
kind = "district"
parent = "office"
contact = { name = "李联络员", phone = "+86 138-0013-8000" }
channels = { wecom = "east-wecom" }

[requirements.summary]
name = "活动总结"
assignees = ["east"]
due = 2020-06-28

[plugins.webhook]
timeout_s = 0.5

[plugins.webhook.robots.east-wecom]
flavor = "wecom"
url_env = "CAMPAIGNKIT_TEST_WECOM_URL"

[plugins.webhook.robots.east-wecom-md]
flavor = "wecom"
url_env = "CAMPAIGNKIT_TEST_WECOM_URL"
markdown = true

[plugins.webhook.robots.quiet-wecom]
flavor = "wecom"
url_env = "CAMPAIGNKIT_TEST_WECOM_URL"
mention = false

[plugins.webhook.robots.slow-wecom]
flavor = "wecom"
url_env = "CAMPAIGNKIT_TEST_WECOM_URL"
per_minute = 3

[plugins.webhook.robots.ding]
flavor = "dingtalk"
url_env = "CAMPAIGNKIT_TEST_DING_URL"
secret_env = "CAMPAIGNKIT_TEST_DING_SECRET"

[plugins.webhook.robots.ding-md]
flavor = "dingtalk"
url_env = "CAMPAIGNKIT_TEST_DING_URL"
secret_env = "CAMPAIGNKIT_TEST_DING_SECRET"
markdown = true

[plugins.webhook.robots.lark]
flavor = "feishu"
url_env = "CAMPAIGNKIT_TEST_FEISHU_URL"
secret_env = "CAMPAIGNKIT_TEST_FEISHU_SECRET"

[plugins.webhook.robots.hook]
flavor = "generic"
url_env = "CAMPAIGNKIT_TEST_HOOK_URL"
secret_env = "CAMPAIGNKIT_TEST_HOOK_SECRET"
"""

TEXT = "【提醒】东区安委会：请于2020年6月28日前向安委办报送“活动总结”，距截止还有3天。"


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def platforms(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePlatforms]:
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with FakePlatforms() as server:
        monkeypatch.setenv("CAMPAIGNKIT_TEST_WECOM_URL", server.wecom_url)
        monkeypatch.setenv("CAMPAIGNKIT_TEST_DING_URL", server.dingtalk_url)
        monkeypatch.setenv("CAMPAIGNKIT_TEST_DING_SECRET", server.dingtalk_secret)
        monkeypatch.setenv("CAMPAIGNKIT_TEST_FEISHU_URL", server.feishu_url)
        monkeypatch.setenv("CAMPAIGNKIT_TEST_FEISHU_SECRET", server.feishu_secret)
        monkeypatch.setenv("CAMPAIGNKIT_TEST_HOOK_URL", server.generic_url)
        monkeypatch.setenv("CAMPAIGNKIT_TEST_HOOK_SECRET", server.generic_secret)
        yield server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


class Round:
    """One round of delivery for `campaign`, as the core runs it: the plugin's notifiers,
    each given the round's context, whose resources keep `webhooks` (the sending machinery,
    with the test's clocks) until the round closes."""

    def __init__(self, campaign: Campaign, webhooks: Webhooks) -> None:
        now = dt.datetime(2020, 6, 25, 9, tzinfo=SHANGHAI)
        self.context = Context(campaign, now, schedule_of(campaign), live=True)
        self.context.resource(campaignkit_webhook.ROUND, lambda: webhooks)
        self.notifiers = {n.name: n for n in campaignkit_webhook.campaignkit_notifiers()}

    def deliver(
        self,
        notifier: str,
        notification: Notification,
        address: str | None,
        contact: Contact | None = None,
    ) -> None:
        """Deliver as the core does, `contact` being the liaison officer it found."""
        context = attrs.evolve(self.context, contact=contact)  # the round's resources
        self.notifiers[notifier].deliver(notification, address, context)

    def close(self) -> None:
        self.context.close()


def campaign_with(settings: WebhookSettings | None) -> Campaign:
    """The test campaign with `settings` as its table, unvalidated (None: no table)."""
    campaign = loads_campaign(CAMPAIGN).unwrap()
    return attrs.evolve(campaign, plugins={} if settings is None else {"webhook": settings})


@pytest.fixture
def hooks(clock: FakeClock) -> Iterator[Round]:
    delivery = Round(loads_campaign(CAMPAIGN).unwrap(), Webhooks(clock=clock))
    yield delivery
    delivery.close()


def notice(text: str = TEXT, to: str = "east") -> Notification:
    return Notification(
        at=dt.datetime(2020, 6, 25, 9, tzinfo=SHANGHAI),
        to=to,
        kind="reminder",
        requirement="summary",
        key=f"mini/summary/reminder-3d/{to}",
        text=text,
    )


def refused(send: Callable[[], object]) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        send()
    return caught.value


# ── each flavour, accepted ─────────────────────────────────────────────────────────────


def test_wecom_text_mentions_the_liaison_officer_by_mobile(platforms, hooks) -> None:
    hooks.deliver("wecom", notice(), "east-wecom")
    [message] = platforms.messages("wecom")
    assert message == {
        "msgtype": "text",
        "text": {"content": TEXT, "mentioned_mobile_list": [MOBILE]},
    }


def test_the_liaison_delivery_found_wins(platforms, hooks) -> None:
    submitted = Contact(name="赵新", phone="139 1234 5678")
    hooks.deliver("wecom", notice(), "east-wecom", submitted)
    hooks.deliver("dingtalk", notice(), "ding", submitted)
    [wecom] = platforms.messages("wecom")
    [ding] = platforms.messages("dingtalk")
    assert wecom["text"]["mentioned_mobile_list"] == ["13912345678"]
    assert ding["at"]["atMobiles"] == ["13912345678"]


def test_wecom_markdown_carries_no_mobile_mention(platforms, hooks) -> None:
    hooks.deliver("wecom", notice(), "east-wecom-md")
    assert platforms.messages("wecom") == [{"msgtype": "markdown", "markdown": {"content": TEXT}}]


def test_no_mention_for_a_landline_or_when_turned_off(platforms, hooks) -> None:
    hooks.deliver("wecom", notice(to="office"), "east-wecom")
    hooks.deliver("wecom", notice(), "quiet-wecom")
    assert [m["text"] for m in platforms.messages("wecom")] == [{"content": TEXT}] * 2


def test_long_chinese_message_to_wecom_is_split_in_order(platforms, hooks) -> None:
    lines = [
        f"第{i}条：各区安委会须于6月28日前报送安全生产月活动总结及佐证材料。" for i in range(60)
    ]
    text = "\n".join(lines) + "\n" + "安全" * 900  # a last run with no line break at all
    assert len(text.encode()) > 3 * 2048
    hooks.deliver("wecom", notice(text), "east-wecom")
    parts = [m["text"]["content"] for m in platforms.messages("wecom")]
    assert len(parts) >= 4
    assert all(len(p.encode("utf-8")) <= 2048 for p in parts)
    assert "".join(parts) == text
    assert all(p.endswith("\n") for p in parts[:2]), "cut after a line where one is near"
    mentions = [m["text"].get("mentioned_mobile_list") for m in platforms.messages("wecom")]
    assert mentions == [[MOBILE]] + [None] * (len(parts) - 1)


def test_dingtalk_is_signed_and_mentions_by_mobile(platforms, hooks) -> None:
    hooks.deliver("dingtalk", notice(), "ding")
    [received] = [r for r in platforms.accepted if r.platform == "dingtalk"]
    assert set(received.query) == {"access_token", "timestamp", "sign"}
    assert received.json == {
        "msgtype": "text",
        "text": {"content": f"{TEXT}\n@{MOBILE}"},
        "at": {"atMobiles": [MOBILE], "isAtAll": False},
    }


def test_dingtalk_markdown_has_a_title_and_the_mention_in_the_text(platforms, hooks) -> None:
    hooks.deliver("dingtalk", notice(), "ding-md")
    [message] = platforms.messages("dingtalk")
    assert message["msgtype"] == "markdown"
    assert message["markdown"]["title"] == TEXT
    assert message["markdown"]["text"] == f"{TEXT}\n@{MOBILE}"
    assert message["at"]["atMobiles"] == [MOBILE]


def test_feishu_is_signed_in_the_body_without_mentions(platforms, hooks) -> None:
    hooks.deliver("feishu", notice(), "lark")
    [message] = platforms.messages("feishu")
    assert message["msg_type"] == "text"
    assert message["content"] == {"text": TEXT}
    assert message["timestamp"].isdigit()
    assert abs(int(message["timestamp"]) - time.time()) < 60


def test_generic_webhook_gets_the_notification_as_json(platforms, hooks) -> None:
    note = notice()
    hooks.deliver("webhook", note, "hook")
    [received] = [r for r in platforms.accepted if r.platform == "generic"]
    assert received.json == note.as_json()
    assert received.headers["idempotency-key"] == note.key
    assert received.headers["content-type"].startswith("application/json")


def test_the_campaigns_own_robot_is_called_default(platforms, monkeypatch) -> None:
    campaign = loads_campaign(
        CAMPAIGN.split("[plugins.webhook]")[0].replace('"east-wecom"', '"default"')
        + '[plugins.webhook]\nflavor = "wecom"\nurl_env = "CAMPAIGNKIT_TEST_WECOM_URL"\n'
    ).unwrap()
    delivery = Round(campaign, Webhooks())
    delivery.deliver("wecom", notice(), None)
    delivery.deliver("wecom", notice(), "default")
    delivery.close()
    assert len(platforms.messages("wecom")) == 2


# ── signatures refused ─────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("notifier", "robot", "variable"), [
    ("dingtalk", "ding", "CAMPAIGNKIT_TEST_DING_SECRET"),
    ("feishu", "lark", "CAMPAIGNKIT_TEST_FEISHU_SECRET"),
])  # fmt: skip
def test_a_wrong_secret_is_refused_for_good(
    platforms, hooks, monkeypatch, notifier, robot, variable
):
    monkeypatch.setenv(variable, secrets.token_urlsafe(24))
    error = refused(lambda: hooks.deliver(notifier, notice(), robot))
    assert not error.retryable
    assert f'{notifier} robot "{robot}"' in str(error)
    assert "310000" in str(error) or "19021" in str(error)
    assert platforms.accepted == []


@pytest.mark.parametrize(("notifier", "robot"), [("dingtalk", "ding"), ("feishu", "lark")])
def test_a_clock_more_than_an_hour_off_is_refused(platforms, clock, notifier, robot) -> None:
    campaign = loads_campaign(CAMPAIGN).unwrap()
    delivery = Round(campaign, Webhooks(clock=clock, wall=lambda: time.time() - 2 * 3600))
    error = refused(lambda: delivery.deliver(notifier, notice(), robot))
    delivery.close()
    assert not error.retryable
    assert "timestamp" in str(error)


# ── the platforms' answers ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("notifier", "robot", "status", "body", "headers", "retryable", "after"), [
    ("wecom", "east-wecom", 200, {"errcode": 45009, "errmsg": "freq out of limit"}, {}, True, None),
    ("dingtalk", "ding", 200, {"errcode": 130101, "errmsg": "send too fast"}, {}, True, None),
    ("feishu", "lark", 200, {"code": 11232, "msg": "frequency limited"}, {}, True, None),
    ("wecom", "east-wecom", 200, {"errcode": -1, "errmsg": "system busy"}, {}, True, None),
    ("wecom", "east-wecom", 200, {"errcode": 93000, "errmsg": "invalid url"}, {}, False, None),
    ("dingtalk", "ding", 200, {"errcode": 300001, "errmsg": "no such token"}, {}, False, None),
    ("webhook", "hook", 500, None, {}, True, None),
    ("webhook", "hook", 503, None, {"Retry-After": "30"}, True, 30.0),
    ("wecom", "east-wecom", 429, None, {"Retry-After": "7"}, True, 7.0),
    ("feishu", "lark", 400, {"code": 9499, "msg": "Bad Request"}, {}, False, None),
    ("webhook", "hook", 404, None, {}, False, None),
    ("wecom", "east-wecom", 200, "<html>proxy error</html>", {}, True, None),
])  # fmt: skip
def test_answers_say_whether_to_retry(
    platforms, hooks, notifier, robot, status, body, headers, retryable, after
) -> None:
    platforms.script(status, body, headers)
    error = refused(lambda: hooks.deliver(notifier, notice(), robot))
    assert error.retryable is retryable
    assert error.retry_after == after
    assert f'{notifier} robot "{robot}"' in str(error)


def test_a_platform_rate_limit_answer_rests_the_robot(platforms, hooks, clock) -> None:
    platforms.script(200, {"errcode": 45009, "errmsg": "api freq out of limit"})
    assert refused(lambda: hooks.deliver("wecom", notice(), "east-wecom")).retryable
    clock.advance(10)
    error = refused(lambda: hooks.deliver("wecom", notice(), "east-wecom"))
    assert error.retryable
    assert error.retry_after == pytest.approx(50)
    assert "the platform said it had had enough" in str(error)
    assert platforms.requests == 1, "a resting robot is not asked again"
    clock.advance(50)
    hooks.deliver("wecom", notice(), "east-wecom")
    assert len(platforms.messages("wecom")) == 1


@pytest.mark.slow
def test_no_answer_in_time_is_retryable(platforms, hooks) -> None:
    # The robot never answers while the client waits: only the client's timeout ends it.
    platforms.script(200, {"errcode": 0}, silent=True)
    error = refused(lambda: hooks.deliver("wecom", notice(), "east-wecom"))
    assert error.retryable
    assert "no answer in time" in str(error)


def test_a_robot_that_cannot_be_reached_is_retryable(platforms, hooks, monkeypatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv(
        "CAMPAIGNKIT_TEST_WECOM_URL", f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=k"
    )
    error = refused(lambda: hooks.deliver("wecom", notice(), "east-wecom"))
    assert error.retryable
    assert "could not reach" in str(error)


# ── rate limit ─────────────────────────────────────────────────────────────────────────


def test_rate_limit_per_robot_on_an_injected_clock(platforms, hooks, clock) -> None:
    for _ in range(3):
        hooks.deliver("wecom", notice(), "slow-wecom")
        clock.advance(5)
    error = refused(lambda: hooks.deliver("wecom", notice(), "slow-wecom"))
    assert error.retryable
    assert error.retry_after == pytest.approx(45)  # the first message leaves the window
    assert "3 messages a minute" in str(error)
    hooks.deliver("wecom", notice(), "east-wecom")  # another robot has its own window
    assert len(platforms.messages("wecom")) == 4
    clock.advance(45)
    hooks.deliver("wecom", notice(), "slow-wecom")
    assert len(platforms.messages("wecom")) == 5


def test_a_split_message_needs_room_for_all_its_parts(platforms, hooks, clock) -> None:
    hooks.deliver("wecom", notice(), "slow-wecom")
    error = refused(lambda: hooks.deliver("wecom", notice("安全" * 700), "slow-wecom"))
    assert error.retryable  # 3 parts, 2 places left: nothing is sent
    assert platforms.requests == 1
    clock.advance(60)
    hooks.deliver("wecom", notice("安全" * 700), "slow-wecom")
    assert platforms.requests == 4
    error = refused(lambda: hooks.deliver("wecom", notice("安全" * 1400), "slow-wecom"))
    assert not error.retryable, "5 parts can never fit in 3 a minute"


# ── configuration mistakes ─────────────────────────────────────────────────────────────


def test_an_unset_url_variable_is_named_and_not_retryable(platforms, hooks, monkeypatch) -> None:
    monkeypatch.delenv("CAMPAIGNKIT_TEST_WECOM_URL")
    error = refused(lambda: hooks.deliver("wecom", notice(), "east-wecom"))
    assert not error.retryable
    assert str(error) == (
        'wecom robot "east-wecom": environment variable CAMPAIGNKIT_TEST_WECOM_URL is not set '
        "(it should hold the webhook URL)"
    )


def test_an_unset_secret_variable_is_named_and_not_retryable(platforms, hooks, monkeypatch):
    monkeypatch.delenv("CAMPAIGNKIT_TEST_DING_SECRET")
    error = refused(lambda: hooks.deliver("dingtalk", notice(), "ding"))
    assert not error.retryable
    assert "environment variable CAMPAIGNKIT_TEST_DING_SECRET is not set" in str(error)


def test_a_variable_that_holds_no_url_is_not_retryable(platforms, hooks, monkeypatch) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_TEST_WECOM_URL", "key=" + platforms.wecom_key)
    error = refused(lambda: hooks.deliver("wecom", notice(), "east-wecom"))
    assert not error.retryable
    assert "CAMPAIGNKIT_TEST_WECOM_URL does not hold an http(s) URL" in str(error)
    assert platforms.wecom_key not in str(error)


@pytest.mark.parametrize(
    ("url_env", "secret_env"),
    [("OTHER_SERVICE_URL", None), ("CAMPAIGNKIT_TEST_HOOK_URL", "AWS_SECRET_ACCESS_KEY")],
)
def test_a_robot_naming_another_programs_variable_sends_nothing_even_unvalidated(
    platforms, monkeypatch, url_env, secret_env
) -> None:
    """The notifier checks the rule again: a name without CAMPAIGNKIT_ is not even read."""
    secret = secrets.token_urlsafe(18)
    monkeypatch.setenv("OTHER_SERVICE_URL", platforms.generic_url)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    robot = WebhookRobot(flavor="generic", url_env=url_env, secret_env=secret_env)
    delivery = Round(campaign_with(WebhookSettings(robots={"r": robot})), Webhooks())
    error = refused(lambda: delivery.deliver("webhook", notice(), "r"))
    delivery.close()
    assert not error.retryable
    assert "must start with CAMPAIGNKIT_: nothing was sent" in str(error)
    assert "OTHER_SERVICE_URL" not in str(error)
    assert secret not in str(error)
    assert platforms.requests == 0


def test_an_unknown_robot_or_flavour_is_not_retryable(platforms, hooks) -> None:
    error = refused(lambda: hooks.deliver("wecom", notice(), "east-wecon"))
    assert not error.retryable
    assert str(error) == (
        'wecom robot "east-wecon" is not defined in [plugins.webhook.robots]; '
        "did you mean `east-wecom`?"
    )
    error = refused(lambda: hooks.deliver("dingtalk", notice(), "east-wecom"))
    assert not error.retryable
    assert "is a wecom robot, not a dingtalk one" in str(error)
    error = refused(lambda: hooks.deliver("wecom", notice(), None))
    assert 'robot "default" is not defined' in str(error)
    unconfigured = Round(campaign_with(None), Webhooks())
    error = refused(lambda: unconfigured.deliver("feishu", notice(), "lark"))
    unconfigured.close()
    assert "no [plugins.webhook] table" in str(error)
    assert platforms.requests == 0


# ── secrets ────────────────────────────────────────────────────────────────────────────


def test_no_url_or_secret_in_errors_logs_or_output(platforms, hooks, monkeypatch, caplog, capfd):
    caplog.set_level(logging.DEBUG)  # everything, httpx's and httpcore's request logs too
    errors: list[str] = []

    def attempt(notifier: str, robot: str) -> None:
        try:
            hooks.deliver(notifier, notice(), robot)
        except DeliveryError as error:
            errors.append(f"{error!s} {error!r}")

    # Each robot's key or token, which a platform may well repeat in its error message.
    own = {
        "east-wecom": platforms.wecom_key,
        "ding": platforms.dingtalk_token,
        "lark": platforms.feishu_token,
        "hook": platforms.generic_token,
    }
    for notifier, robot in [("wecom", "east-wecom"), ("dingtalk", "ding"), ("feishu", "lark"),
                            ("webhook", "hook")]:  # fmt: skip
        attempt(notifier, robot)  # accepted
        platforms.script(500)
        attempt(notifier, robot)
        platforms.script(400, {"errcode": 93000, "errmsg": f"bad key {own[robot]}"})
        attempt(notifier, robot)
        echo = f"invalid url ...{own[robot]}, hint: [1600000000_{own[robot]}]"
        platforms.script(200, {"errcode": 1, "code": 1, "errmsg": echo, "msg": echo})
        attempt(notifier, robot)
    monkeypatch.setenv("CAMPAIGNKIT_TEST_DING_SECRET", secrets.token_urlsafe(24))
    attempt("dingtalk", "ding")
    monkeypatch.setenv("CAMPAIGNKIT_TEST_FEISHU_URL", "ftp://127.0.0.1/" + platforms.feishu_token)
    attempt("feishu", "lark")
    monkeypatch.setenv("CAMPAIGNKIT_TEST_WECOM_URL", "http://[" + platforms.wecom_key)
    attempt("wecom", "east-wecom")

    assert len(platforms.accepted) == 4
    assert len(errors) == 14  # a generic webhook takes any 2xx answer
    assert "HTTP Request" in caplog.text, "httpx logged its requests..."
    assert "<webhook URL hidden>" in caplog.text, "...with the URL hidden"
    out, err = capfd.readouterr()
    shown = "\n".join([*errors, caplog.text, out, err])
    for secret in platforms.secrets:
        assert secret not in shown
    assert "sign=" not in shown
    assert "access_token" not in shown


# ── campaigns in one process ───────────────────────────────────────────────────────────


def test_two_campaigns_in_one_process_each_use_their_own_robot(
    platforms, monkeypatch, register_plugin, campaign_from_toml, virtual_clock
) -> None:
    """Both are loaded before either is delivered, as a portal serving two offices would:
    the same robot name, in each campaign a URL of its own."""
    register_plugin(campaignkit_webhook, "webhook")
    reminded = CAMPAIGN.replace("due = 2020-06-28\n", "due = 2020-06-28\nremind = [3]\n")
    east = campaign_from_toml(reminded)
    west_text = (
        reminded.replace('id = "mini"', 'id = "west"')
        .replace('name = "活动总结"', 'name = "西区活动总结"')
        .replace('"CAMPAIGNKIT_TEST_WECOM_URL"', '"CAMPAIGNKIT_TEST_WEST_WECOM_URL"')
    )
    with FakePlatforms() as west_platforms:
        monkeypatch.setenv("CAMPAIGNKIT_TEST_WEST_WECOM_URL", west_platforms.wecom_url)
        west = campaign_from_toml(west_text)
        virtual_clock.set("2020-06-25T10:00:00+08:00")  # the reminder 3 days before
        for campaign in (east, west, east):
            assert virtual_clock.tick(campaign).delivered.failed == 0
    [to_east] = platforms.messages("wecom")
    [to_west] = west_platforms.messages("wecom")
    assert "“活动总结”" in to_east["text"]["content"]
    assert "“西区活动总结”" in to_west["text"]["content"]
    assert platforms.requests == west_platforms.requests == 1
