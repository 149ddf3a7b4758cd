"""campaignkit.testing, used the way a plugin author uses it.

Most tests here use the fixtures directly. Those about what a test *run* shows (a failure's
message, a plugin gone after its test) run a small test file through pytester.
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap

import pytest
from conftest import MINIMAL, east_channels

from campaignkit import DeliveryError, Problem, hookimpl
from campaignkit.plugins import BUILTINS
from campaignkit.submissions import Submission

pytest_plugins = ["pytester"]

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
WITH_CHANNEL = east_channels('recording = "east-desk"')


class NoSummaries:
    """A plugin that refuses requirements named "Summary": a check with a key path."""

    @hookimpl
    def campaignkit_check_campaign(self, campaign):
        return [
            Problem(f"requirements.{rid}.name", "call it something else", code="no-summary")
            for rid, req in campaign.requirements.items()
            if req.name == "Summary"
        ]


def test_plugin_host_holds_the_built_ins_and_nothing_installed(plugin_host) -> None:
    assert set(plugin_host.infos) == set(BUILTINS)
    # weekly-digest is installed (plugins/example) but entry points are not loaded.
    assert plugin_host.pm.get_plugin("weekly-digest") is None


def test_a_registered_plugin_checks_campaigns(register_plugin, problems_from_toml) -> None:
    assert problems_from_toml(MINIMAL) == []
    register_plugin(NoSummaries())
    [problem] = problems_from_toml(MINIMAL)
    assert (problem.path, problem.message, problem.line) == (
        "requirements.summary.name",
        "call it something else",
        28,
    )


def test_registering_one_name_twice_is_refused(register_plugin) -> None:
    register_plugin(NoSummaries(), "rules")
    with pytest.raises(ValueError, match="`rules` is already registered"):
        register_plugin(NoSummaries(), "rules")


def test_a_plugin_is_registered_for_one_test_only(pytester) -> None:
    pytester.makepyfile(
        """
        from campaignkit import hookimpl

        class Marker:
            @hookimpl
            def campaignkit_check_campaign(self, campaign):
                return []

        def test_first(register_plugin, plugin_host):
            register_plugin(Marker(), "marker")
            assert plugin_host.pm.has_plugin("marker")

        def test_second(plugin_host):
            assert not plugin_host.pm.has_plugin("marker")
            assert "marker" not in plugin_host.infos
        """
    )
    pytester.runpytest_inprocess().assert_outcomes(passed=2)


def test_campaign_from_toml_builds_a_campaign(campaign_from_toml) -> None:
    campaign = campaign_from_toml(MINIMAL)
    assert campaign.campaign.id == "mini"
    assert list(campaign.units) == ["office", "east"]


def test_campaign_from_toml_fails_the_test_naming_key_and_line(pytester) -> None:
    pytester.makepyfile(
        '''
        def test_typo(campaign_from_toml):
            campaign_from_toml("""
                format = 1
                [campaign]
                id = "x"
                title = "X"
                issued_on = 2020-05-01
                [phases.p]
                name = "P"
                start = 2020-06-01
                ende = 2020-06-30
                [units.u]
                name = "U"
                kind = "office"
            """)
        '''
    )
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*the campaign has errors:*",
            "*line 10: error: phases.p.ende: unknown key*did you mean `end`?*",
        ]
    )


def test_the_virtual_clock_ticks_the_live_engine(
    campaign_from_toml, virtual_clock, recording_notifier
) -> None:
    campaign = campaign_from_toml(WITH_CHANNEL)
    virtual_clock.set("2020-06-25T08:59:59+08:00")
    first = virtual_clock.tick(campaign)
    assert first.result.processed == 2  # campaign.open, phase.start
    assert recording_notifier.sent == []

    virtual_clock.advance(seconds=1)
    second = virtual_clock.tick(campaign)
    assert (second.result.processed, second.delivered.delivered) == (1, 1)
    [sent] = recording_notifier.sent
    assert sent.address == "east-desk"
    assert sent.notification.campaign == "mini"  # a notifier can find its campaign's settings
    assert sent.notification.kind == "reminder"
    assert sent.notification.at == dt.datetime(2020, 6, 25, 9, 0, tzinfo=SHANGHAI)

    # Woken on 1 July, the tick sends the overdue notice, not the reminder of 27 June: its
    # deadline has passed, so it is skipped as stale.
    virtual_clock.set("2020-07-01T10:00:00+08:00")
    caught_up = virtual_clock.tick(campaign)
    assert (caught_up.delivered.delivered, caught_up.delivered.skipped) == (1, 1)
    assert [n.kind for n in recording_notifier.notifications()] == ["reminder", "overdue"]
    assert len(virtual_clock.notifications(campaign)) == 3


def test_a_submission_on_the_virtual_clock_stops_the_reminders(
    campaign_from_toml, virtual_clock, recording_notifier
) -> None:
    campaign = campaign_from_toml(WITH_CHANNEL)
    virtual_clock.set("2020-06-25T12:00:00+08:00")
    virtual_clock.tick(campaign)
    handed_in = Submission("east", "summary", dt.datetime(2020, 6, 26, 10, tzinfo=SHANGHAI))
    virtual_clock.set("2020-07-01T00:00:00+08:00")
    virtual_clock.tick(campaign, submissions=[handed_in])
    assert [(n.kind, n.at.day) for n in recording_notifier.notifications()] == [("reminder", 25)]


def test_a_failing_delivery_is_retried_after_its_backoff(
    campaign_from_toml, virtual_clock, recording_notifier
) -> None:
    campaign = campaign_from_toml(WITH_CHANNEL)
    recording_notifier.fail(DeliveryError("robot offline"))
    virtual_clock.set("2020-06-25T09:00:00+08:00")
    ticked = virtual_clock.tick(campaign)
    assert (ticked.delivered.delivered, ticked.delivered.failed, ticked.delivered.pending) == (
        0,
        1,
        1,
    )
    virtual_clock.advance(seconds=59)
    assert virtual_clock.tick(campaign).delivered.delivered == 0  # the back-off is a minute
    virtual_clock.advance(seconds=1)
    assert virtual_clock.tick(campaign).delivered.delivered == 1
    assert [s.address for s in recording_notifier.sent] == ["east-desk"]


def test_the_clock_wants_a_time_zone(virtual_clock) -> None:
    with pytest.raises(ValueError, match="time zone"):
        virtual_clock.set("2020-06-25T09:00:00")
    with pytest.raises(RuntimeError, match="not set"):
        _ = virtual_clock.now


LATE_EAST = """
[[submissions]]
unit = "east"
requirement = "summary"
submitted_at = 2020-06-29T10:00:00
"""


def test_campaignkit_report_shows_what_a_scenario_makes_late(campaignkit_report) -> None:
    report = campaignkit_report(MINIMAL, LATE_EAST)
    assert (report.source, report.as_of, report.unit) == ("simulation", None, None)
    [summary] = report.requirements
    [east] = summary.rows
    assert (east.unit, east.standing, east.submitted_at) == (
        "east",
        "late",
        dt.datetime(2020, 6, 29, 10, tzinfo=SHANGHAI),
    )
    # East is chased until it hands in: each notice with what became of it.
    assert [(n.kind, report.states[n.key]) for n in report.notifications] == [
        ("reminder", "unreached"),
        ("reminder", "unreached"),
        ("overdue", "unreached"),
    ]


def test_campaignkit_report_takes_a_campaign_a_csv_file_a_moment_and_a_unit(
    campaignkit_report, campaign_from_toml, tmp_path
) -> None:
    scenario = tmp_path / "late.csv"
    scenario.write_text("unit,requirement,submitted_at\neast,summary,2020-06-29T10:00:00\n")
    campaign = campaign_from_toml(MINIMAL)
    [summary] = campaignkit_report(campaign, scenario, unit="east").requirements
    assert [row.standing for row in summary.rows] == ["late"]
    before = campaignkit_report(campaign, compliance=0, at="2020-06-20T12:00+08:00")
    assert before.as_of == dt.datetime(2020, 6, 20, 12, tzinfo=SHANGHAI)
    assert [row.standing for row in before.requirements[0].rows] == ["pending"]
    assert [row.standing for row in campaignkit_report(campaign).requirements[0].rows] == [
        "on_time"
    ]


def test_campaignkit_report_fails_the_test_naming_the_scenarios_key(pytester) -> None:
    tests = textwrap.dedent(
        '''
        def test_scenario(campaignkit_report):
            campaignkit_report(MINIMAL, """
                [[submissions]]
                unit = "west"
                requirement = "summary"
                submitted_at = 2020-06-29T10:00:00
            """)

        def test_unit(campaignkit_report):
            campaignkit_report(MINIMAL, unit="west")
        '''
    )
    pytester.makepyfile(f"MINIMAL = {MINIMAL!r}\n{tests}")
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*the scenario has problems:*",
            # `?` stands for the brackets, which fnmatch would read as a set of characters.
            "*line 3: error: submissions?0?.unit: `west` is not an assignee of `summary`*",
        ]
    )
    result.stdout.fnmatch_lines(["*no unit `west` in the campaign*"])


def test_run_cli_with_the_tests_host(run_cli, write_campaign, register_plugin, plugin_host):
    path = write_campaign(MINIMAL)
    assert run_cli("validate", path, host=plugin_host).exit_code == 0
    register_plugin(NoSummaries(), "no-summaries")
    result = run_cli("validate", path, "--format", "json", host=plugin_host)
    assert result.exit_code == 1
    assert [(p["path"], p["line"], p["code"]) for p in result.json()] == [
        ("requirements.summary.name", 28, "no-summary")
    ]


def test_the_plugin_changes_no_environment_variable(pytester, monkeypatch) -> None:
    """Installed, campaignkit.testing is in every pytest session: it leaves the environment as
    it finds it, and `run_cli` gives a command its cache folder for that command only."""
    monkeypatch.delenv("CAMPAIGNKIT_CACHE_DIR", raising=False)
    pytester.makepyfile(
        """
        import os

        def test_the_environment(run_cli, campaignkit_cache_dir):
            before = dict(os.environ)
            assert "CAMPAIGNKIT_CACHE_DIR" not in before
            assert run_cli("plugins", "--format", "json").exit_code == 0
            assert dict(os.environ) == before
            assert (campaignkit_cache_dir / "entry-points.json").is_file()
        """
    )
    pytester.runpytest_inprocess().assert_outcomes(passed=1)
    assert "CAMPAIGNKIT_CACHE_DIR" not in os.environ


def test_the_testing_page_is_one_passing_test_module(pytester) -> None:
    """docs/plugins/testing.md: its Python blocks, put together, run and pass."""
    import re

    from conftest import REPO

    page = (REPO / "docs" / "plugins" / "testing.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, flags=re.S)
    pytester.makepyfile(test_page="\n\n".join(blocks))
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=len(re.findall(r"^def test_", page, flags=re.M)))
