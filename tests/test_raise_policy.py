"""A plugin that raises: what happens, hook by hook (docs/plugins/index.md, "When a plugin
raises"). Each test registers a faulty plugin with campaignkit.testing and runs the real
command line, or ticks the live engine on the virtual clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL, east_channels

from campaignkit import Notifier, ReportColumn, ReportFormat, hookimpl
from campaignkit.ledger import Ledger

WITH_CHANNELS = east_channels('recording = "east-desk", flaky = "east-robot"')
JULY = "2020-07-01T10:00:00+08:00"


class Explodes:
    """Raises in whichever hook a test names."""

    def __init__(self, hook: str) -> None:
        self.hook = hook

    def _maybe(self, hook: str) -> None:
        if hook == self.hook:
            raise RuntimeError("the plugin exploded")

    @hookimpl
    def campaignkit_config_sections(self):
        self._maybe("campaignkit_config_sections")
        return []

    @hookimpl
    def campaignkit_cli_commands(self):
        self._maybe("campaignkit_cli_commands")
        return []

    @hookimpl
    def campaignkit_check_campaign(self, campaign):
        self._maybe("campaignkit_check_campaign")
        return []

    @hookimpl
    def campaignkit_configure(self, config, campaign):
        self._maybe("campaignkit_configure")

    @hookimpl
    def campaignkit_timeline(self, campaign):
        self._maybe("campaignkit_timeline")
        return []

    @hookimpl
    def campaignkit_on_event(self, event, run):
        if event.kind == "requirement.due":
            self._maybe("campaignkit_on_event")
        return []

    @hookimpl
    def campaignkit_check_submission(self, submission, requirement):
        self._maybe("campaignkit_check_submission")
        return []

    @hookimpl
    def campaignkit_evidence_formats(self):
        self._maybe("campaignkit_evidence_formats")
        return []

    @hookimpl
    def campaignkit_evidence_stores(self):
        self._maybe("campaignkit_evidence_stores")
        return []

    @hookimpl
    def campaignkit_probe_evidence(self, path):
        self._maybe("campaignkit_probe_evidence")

    @hookimpl
    def campaignkit_notifiers(self):
        self._maybe("campaignkit_notifiers")
        return []

    @hookimpl
    def campaignkit_workdays(self, timezone):
        self._maybe("campaignkit_workdays")

    @hookimpl
    def campaignkit_report_formats(self):
        def render(report):
            raise RuntimeError("the plugin exploded")

        return [ReportFormat("broken", ".txt", "text/plain", render)]

    @hookimpl
    def campaignkit_report_columns(self, campaign):
        self._maybe("campaignkit_report_columns")

        def value(report, status, row):
            self._maybe("a column's value")

        return [ReportColumn("exploding", lambda language: "exploding", value)]


def stops_naming(result, hook: str) -> None:
    assert result.exit_code == 3, result.output
    assert result.stderr == (
        f"error: plugin `explodes` failed in hook `{hook}`: RuntimeError: the plugin exploded\n"
    )


@pytest.mark.parametrize(
    ("hook", "command"),
    [
        ("campaignkit_config_sections", ["validate"]),
        ("campaignkit_check_campaign", ["validate"]),
        ("campaignkit_evidence_formats", ["simulate"]),
        ("campaignkit_configure", ["timeline"]),
        ("campaignkit_timeline", ["timeline"]),
        ("campaignkit_on_event", ["simulate"]),
        ("campaignkit_check_submission", ["simulate"]),
        ("campaignkit_notifiers", ["simulate", "--deliver"]),
    ],
)
def test_checks_configure_timeline_and_events_stop_with_exit_3(
    hook, command, run_cli, write_campaign, register_plugin, plugin_host
) -> None:
    register_plugin(Explodes(hook), "explodes")
    name, *options = command
    result = run_cli(name, write_campaign(MINIMAL), *options, host=plugin_host)
    stops_naming(result, hook)


def test_a_report_format_that_raises_stops_and_writes_no_file(
    run_cli, write_campaign, register_plugin, plugin_host, tmp_path: Path
) -> None:
    register_plugin(Explodes("none"), "explodes")
    out = tmp_path / "report.txt"
    result = run_cli(
        "report",
        write_campaign(MINIMAL),
        "--simulate",
        "-f",
        "broken",
        "-o",
        out,
        host=plugin_host,
    )
    stops_naming(result, "campaignkit_report_formats")
    assert not out.exists()


@pytest.mark.parametrize("where", ["campaignkit_report_columns", "a column's value"])
def test_a_report_column_that_raises_stops_report_and_status_and_writes_nothing(
    where, run_cli, write_campaign, register_plugin, plugin_host, tmp_path: Path
) -> None:
    register_plugin(Explodes(where), "explodes")
    path = write_campaign(MINIMAL)
    db = tmp_path / "ledger.db"
    assert run_cli("simulate", path, "--db", db, host=plugin_host).exit_code == 0
    out = tmp_path / "report.md"
    result = run_cli("report", path, "--db", db, "-o", out, host=plugin_host)
    stops_naming(result, "campaignkit_report_columns")
    assert not out.exists()
    result = run_cli("status", path, "--db", db, host=plugin_host)
    stops_naming(result, "campaignkit_report_columns")
    assert result.stdout == ""


def test_on_event_raising_in_a_tick_leaves_the_ledger_as_it_was(
    run_cli, write_campaign, register_plugin, plugin_host, recording_notifier, tmp_path
) -> None:
    path = write_campaign(WITH_CHANNELS.replace("flaky = ", "other = "))
    db = tmp_path / "mini.db"
    register_plugin(Explodes("campaignkit_on_event"), "explodes")
    failed = run_cli("tick", path, "--db", db, "--now", JULY, "--format", "json", host=plugin_host)
    stops_naming(failed, "campaignkit_on_event")
    with Ledger(db) as ledger:
        assert ledger.processed("mini") == set()
        assert ledger.outbox("mini") == []
    assert recording_notifier.sent == []

    plugin_host.pm.unregister(name="explodes")
    result = run_cli("tick", path, "--db", db, "--now", JULY, "--format", "json", host=plugin_host)
    assert result.exit_code == 0, result.output
    # A tick in July catches up: the June reminders are stale, the overdue notice is true.
    assert result.json() == {
        "processed_events": 7,
        "delivered": 1,
        "unreached": 0,
        "skipped": 2,
        "held": 0,
        "deferred": 0,
        "declined": 0,
        "failed": 0,
        "gave_up": 0,
        "pending": 0,
        "dead": 0,
        "errors": {},
    }
    assert [n.kind for n in recording_notifier.notifications()] == ["overdue"]


def test_a_rehearsal_that_fails_leaves_no_ledger_file(
    run_cli, write_campaign, register_plugin, plugin_host, tmp_path
) -> None:
    register_plugin(Explodes("campaignkit_on_event"), "explodes")
    db = tmp_path / "rehearsal.db"
    result = run_cli("simulate", write_campaign(MINIMAL), "--db", db, host=plugin_host)
    stops_naming(result, "campaignkit_on_event")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("rehearsal")) == []


def test_a_command_hook_that_raises_stops_only_plugin_commands(
    run_cli, write_campaign, register_plugin, plugin_host
) -> None:
    register_plugin(Explodes("campaignkit_cli_commands"), "explodes")
    stops_naming(run_cli("digest", host=plugin_host), "campaignkit_cli_commands")
    assert run_cli("validate", write_campaign(MINIMAL), host=plugin_host).exit_code == 0


def test_a_calendar_that_raises_stops_validation(
    run_cli, write_campaign, register_plugin, plugin_host
) -> None:
    register_plugin(Explodes("campaignkit_workdays"), "explodes")
    working_days = MINIMAL.replace("due = 2020-06-28", 'due = "phases.month.start + 10wd"')
    result = run_cli("validate", write_campaign(working_days), host=plugin_host)
    stops_naming(result, "campaignkit_workdays")


@pytest.mark.parametrize(
    "hook",
    ["campaignkit_evidence_stores", "campaignkit_probe_evidence", "campaignkit_check_submission"],
)
def test_a_submission_hook_that_raises_records_nothing(
    hook, run_cli, write_campaign, register_plugin, plugin_host, tmp_path
) -> None:
    path = write_campaign(
        MINIMAL + '\n[[requirements.summary.deliverables]]\nid = "notes"\nkind = "other"\n'
    )
    notes = tmp_path / "notes.txt"
    notes.write_text("what we did", encoding="utf-8")
    db = tmp_path / "mini.db"
    register_plugin(Explodes(hook), "explodes")
    result = run_cli(
        "submit",
        path,
        "--unit",
        "east",
        "--requirement",
        "summary",
        "--deliverable",
        f"notes={notes}",
        "--db",
        db,
        "--at",
        "2020-06-20T10:00:00+08:00",
        *(["--evidence", "objects://bucket"] if hook == "campaignkit_evidence_stores" else []),
        host=plugin_host,
    )
    stops_naming(result, hook)
    with Ledger(db) as ledger:
        assert ledger.submissions("mini") == []


class Flaky:
    """A notifier that fails its first delivery with a plain exception, then works."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def deliver(self, notification, address) -> None:
        self.calls.append(notification.key)
        if len(self.calls) == 1:
            raise ConnectionError("robot offline")

    @hookimpl
    def campaignkit_notifiers(self):
        return [Notifier("flaky", self.deliver)]


def test_a_failed_delivery_is_recorded_and_retried_while_other_channels_deliver(
    campaign_from_toml, register_plugin, virtual_clock, recording_notifier
) -> None:
    flaky = register_plugin(Flaky(), "flaky-robot")
    campaign = campaign_from_toml(WITH_CHANNELS)
    virtual_clock.set("2020-06-25T09:00:00+08:00")
    first = virtual_clock.tick(campaign)
    assert (first.delivered.delivered, first.delivered.failed, first.delivered.pending) == (
        0,
        1,
        1,
    )
    assert [s.address for s in recording_notifier.sent] == ["east-desk"]  # delivered anyway
    [row] = virtual_clock.ledger(campaign).outbox("mini")
    assert (row.state, row.attempts) == ("pending", 1)
    assert row.last_error == "flaky: ConnectionError: robot offline"

    virtual_clock.advance(minutes=1)
    second = virtual_clock.tick(campaign)
    assert (second.delivered.delivered, second.delivered.failed) == (1, 0)
    assert flaky.calls == ["mini/summary/reminder-3d/east"] * 2
    assert len(recording_notifier.sent) == 1, "a channel that took it is not sent it again"
