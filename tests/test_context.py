"""What a plugin's callables are given (the context), a notifier that defers or declines, and
`campaignkit_configure` once per loaded campaign."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import attrs
from conftest import MINIMAL, east_channels

from campaignkit import ConfigSection, Context, Decline, Defer, Notifier, hookimpl

WITH_CHANNEL = east_channels('recording = "east-desk"')
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@attrs.frozen
class Desk:
    greeting: str = "hello"


class Counting:
    """Declares `[plugins.desk]` and counts the calls of `campaignkit_configure`."""

    def __init__(self, section: str = "desk") -> None:
        self.configured: list[str] = []
        self.section = section

    @hookimpl
    def campaignkit_config_sections(self) -> list[ConfigSection]:
        return [ConfigSection(self.section, Desk)]

    @hookimpl
    def campaignkit_configure(self, config, campaign) -> None:
        self.configured.append(campaign.campaign.id)


def test_a_notifier_is_given_the_campaign_its_settings_and_the_clock(
    campaign_from_toml, virtual_clock, recording_notifier, register_plugin
) -> None:
    register_plugin(Counting(), "desk")
    campaign = campaign_from_toml(WITH_CHANNEL + '\n[plugins.desk]\ngreeting = "您好"\n')
    virtual_clock.set("2020-06-25T09:00:00+08:00")
    virtual_clock.tick(campaign)
    [sent] = recording_notifier.sent
    context = sent.context
    assert isinstance(context, Context)
    assert context.campaign is campaign
    assert context.settings("desk") == Desk("您好")
    assert context.settings("email") is None
    assert context.now == at("2020-06-25T09:00:00+08:00")
    assert context.live is True
    assert context.language == "en"
    # The calendar: 2020-06-27 was a Saturday.
    assert not context.schedule.is_workday(dt.date(2020, 6, 27))
    assert context.schedule.local(dt.date(2020, 6, 28), dt.time(9)).isoformat() == (
        "2020-06-28T09:00:00+08:00"
    )


def test_a_deferred_notice_waits_without_spending_an_attempt(
    campaign_from_toml, virtual_clock, recording_notifier
) -> None:
    campaign = campaign_from_toml(WITH_CHANNEL)
    noon = at("2020-06-25T12:00:00+08:00")
    # More deferrals than a notification has attempts: none of them is spent.
    recording_notifier.defer(noon, times=7)
    virtual_clock.set("2020-06-25T09:00:00+08:00")
    first = virtual_clock.tick(campaign).delivered
    assert (first.deferred, first.delivered, first.failed, first.pending) == (1, 0, 0, 1)
    [row] = virtual_clock.ledger(campaign).outbox("mini")
    assert (row.state, row.attempts) == ("pending", 0)
    virtual_clock.set("2020-06-25T11:59:59+08:00")
    assert virtual_clock.tick(campaign).delivered.deferred == 0  # not due before noon
    # The other six answers defer to noon too, a moment already past: each is asked
    # again a minute later, and none is an attempt.
    for minute in range(6):
        virtual_clock.set(noon + dt.timedelta(minutes=minute))
        assert virtual_clock.tick(campaign).delivered.deferred == 1
    [row] = virtual_clock.ledger(campaign).outbox("mini")
    assert (row.state, row.attempts) == ("pending", 0)
    virtual_clock.set("2020-06-25T12:06:00+08:00")
    last = virtual_clock.tick(campaign).delivered
    assert (last.delivered, last.deferred) == (1, 0)
    [sent] = recording_notifier.sent
    assert sent.context is not None
    assert sent.context.now == at("2020-06-25T12:06:00+08:00")
    [row] = virtual_clock.ledger(campaign).outbox("mini")
    assert (row.state, row.attempts) == ("delivered", 1)


def test_a_notifier_that_defers_to_the_past_is_asked_again_a_minute_later(
    campaign_from_toml, virtual_clock, recording_notifier
) -> None:
    campaign = campaign_from_toml(WITH_CHANNEL)
    recording_notifier.defer(at("2020-06-01T00:00:00+08:00"))
    virtual_clock.set("2020-06-25T09:00:00+08:00")
    assert virtual_clock.tick(campaign).delivered.deferred == 1
    virtual_clock.advance(seconds=59)
    assert virtual_clock.tick(campaign).delivered.delivered == 0
    virtual_clock.advance(seconds=1)
    assert virtual_clock.tick(campaign).delivered.delivered == 1


def test_a_declined_notice_is_recorded_as_declined_and_never_sent(
    campaign_from_toml, virtual_clock, recording_notifier
) -> None:
    campaign = campaign_from_toml(WITH_CHANNEL)
    recording_notifier.decline("the desk takes no reminders")
    virtual_clock.set("2020-06-25T09:00:00+08:00")
    sent = virtual_clock.tick(campaign).delivered
    assert (sent.declined, sent.delivered, sent.unreached, sent.pending) == (1, 0, 0, 0)
    [row] = virtual_clock.ledger(campaign).outbox("mini")
    assert (row.state, row.attempts, row.reason) == (
        "declined",
        0,
        "recording: the desk takes no reminders",
    )
    virtual_clock.advance(days=1)
    assert virtual_clock.tick(campaign).delivered.declined == 0  # not asked again
    assert recording_notifier.sent == []


def test_tick_says_what_was_deferred_and_declined(
    run_cli, write_campaign, tmp_path, plugin_host, register_plugin
) -> None:
    class Picky:
        """Defers reminders to the next morning, declines the rest."""

        @hookimpl
        def campaignkit_notifiers(self) -> list[Notifier]:
            return [Notifier("picky", self.deliver)]

        def deliver(self, notification, address, context):
            if notification.kind == "reminder":
                return Defer(context.now + dt.timedelta(hours=12), "quiet hours")
            return Decline("only reminders")

    register_plugin(Picky(), "picky")
    path = write_campaign(east_channels('picky = "desk"'))
    db = tmp_path / "mini.db"

    def tick(now: str, *json: str):
        result = run_cli("tick", path, "--db", db, "--now", now, *json, host=plugin_host)
        assert result.exit_code == 0, result.output
        return result

    # The first reminder (three days before) is deferred, to 22:00.
    counts = tick("2020-06-25T10:00:00+08:00", "-f", "json").json()
    assert (counts["deferred"], counts["declined"], counts["delivered"]) == (1, 0, 0)
    # At the deadline's next morning, the overdue notice is declined.
    said = tick("2020-06-29T10:00:00+08:00").output
    assert "1 notice declined by every channel open to it: not sent" in said
    report = run_cli(
        "report",
        path,
        "--db",
        db,
        "--at",
        "2020-06-29T10:00:00+08:00",
        "-f",
        "json",
        host=plugin_host,
    )
    states = {n["kind"]: n["state"] for n in report.json()["notifications"]}
    assert states["overdue"] == "declined"


def test_a_rehearsal_sends_a_deferred_notice_at_the_time_asked(
    run_cli, write_campaign, tmp_path, plugin_host, register_plugin
) -> None:
    class Later:
        """Defers each notice once, by two hours."""

        def __init__(self) -> None:
            self.seen: set[str] = set()

        @hookimpl
        def campaignkit_notifiers(self) -> list[Notifier]:
            return [Notifier("later", self.deliver)]

        def deliver(self, notification, address, context):
            if notification.key not in self.seen:
                self.seen.add(notification.key)
                return Defer(context.now + dt.timedelta(hours=2))
            return None

    register_plugin(Later(), "later")
    path = write_campaign(east_channels('later = "desk"'))
    outbox = tmp_path / "outbox.jsonl"
    result = run_cli(
        "simulate", path, "--deliver", "--compliance", "0", "--outbox", outbox, host=plugin_host
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]
    assert [(n["kind"], n["at"], n["sent_at"], n["state"]) for n in lines] == [
        ("reminder", "2020-06-25T09:00:00+08:00", "2020-06-25T11:00:00+08:00", "delivered"),
        ("reminder", "2020-06-27T09:00:00+08:00", "2020-06-27T11:00:00+08:00", "delivered"),
    ]


def test_a_notifier_written_for_0_1_keeps_working(
    campaign_from_toml, virtual_clock, register_plugin
) -> None:
    got = []

    class Old:
        @hookimpl
        def campaignkit_notifiers(self) -> list[Notifier]:
            return [Notifier("old", lambda notification, address: got.append(notification))]

    register_plugin(Old(), "old")
    campaign = campaign_from_toml(east_channels('old = "desk"'))
    virtual_clock.set("2020-06-25T09:00:00+08:00")
    assert virtual_clock.tick(campaign).delivered.delivered == 1
    [notification] = got
    assert notification.campaign == "mini"  # deprecated, kept for 0.1's notifiers


def test_configure_runs_once_per_loaded_campaign(
    campaign_from_toml, virtual_clock, register_plugin
) -> None:
    counting = register_plugin(Counting(), "desk")
    campaign = campaign_from_toml(MINIMAL)
    assert counting.configured == ["mini"]  # loading configures
    virtual_clock.set("2020-06-20T09:00:00+08:00")
    for _ in range(5):
        virtual_clock.tick(campaign)
        virtual_clock.advance(days=1)
    assert counting.configured == ["mini"]
    # A plugin registered afterwards is configured once for the campaign loaded before.
    other = register_plugin(Counting("other"), "other")
    assert other.configured == ["mini"]
    virtual_clock.tick(campaign)
    assert (counting.configured, other.configured) == (["mini"], ["mini"])
    # Loading the campaign again is another campaign: configured again.
    campaign_from_toml(MINIMAL)
    assert counting.configured == ["mini", "mini"]


def test_validate_configures_the_plugins(
    run_cli, write_campaign, plugin_host, register_plugin
) -> None:
    counting = register_plugin(Counting(), "desk")
    result = run_cli("validate", write_campaign(MINIMAL), host=plugin_host)
    assert result.exit_code == 0, result.output
    assert counting.configured == ["mini"]
    # A campaign with errors is not configured: its settings may be wrong.
    broken = MINIMAL.replace("due = 2020-06-28", 'due = "soon"')
    assert run_cli("validate", write_campaign(broken), host=plugin_host).exit_code == 1
    assert counting.configured == ["mini"]
