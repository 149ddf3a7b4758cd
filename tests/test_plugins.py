"""The plugin system as a plugin author and an operator see it: entry points, config
sections, broken plugins, disabling, strict mode, tracing and conflicts."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import MINIMAL, without_reach

from campaignkit import hookimpl
from campaignkit.plugins import PluginInfo

GOOD = """
import attrs
from campaignkit import ConfigSection, hookimpl

@attrs.frozen
class Settings:
    color: str = "blue"
    retries: int = 3

@hookimpl
def campaignkit_config_sections():
    return [ConfigSection("acme", Settings, "Acme's settings")]
"""

BOOM = """
from campaignkit import hookimpl

@hookimpl
def campaignkit_check_campaign(campaign):
    raise RuntimeError("the acme rules exploded")
"""


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Install a one-module distribution with a `campaignkit` entry point, as pip would."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    modules: list[str] = []

    def add(dist: str, entry: str, module: str, source: str, version: str = "1.2.0") -> None:
        (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(
            f"[campaignkit]\n{entry} = {module}\n", encoding="utf-8"
        )
        modules.append(module)

    yield add
    for module in modules:
        sys.modules.pop(module, None)


def test_entry_point_plugin_is_listed_with_its_distribution(install, run_cli) -> None:
    install("acme-campaignkit", "acme", "acme_plugin_listed", GOOD)
    result = run_cli("plugins", "--format", "json")
    assert result.exit_code == 0
    plugins = {p["name"]: p for p in result.json()["plugins"]}
    assert plugins["acme"]["dist"] == "acme-campaignkit"
    assert plugins["acme"]["version"] == "1.2.0"
    assert plugins["acme"]["hooks"] == ["campaignkit_config_sections"]
    assert plugins["acme"]["contributes"] == {"config sections": ["acme"]}
    assert plugins["checks"]["builtin"] is True
    assert next(iter(plugins)) == "checks", "built-ins are registered first"


def test_plugin_table_is_structured_by_its_config_section(install, run_cli, write_campaign):
    install("acme-campaignkit", "acme", "acme_plugin_ok", GOOD)
    path = write_campaign(MINIMAL + '\n[plugins.acme]\ncolor = "red"\nretries = 5\n')
    assert run_cli("validate", path).exit_code == 0
    shown = run_cli("show", path, "--format", "json").json()
    assert shown["plugins"]["acme"] == {"color": "red", "retries": 5}


def test_unknown_key_in_plugin_table_is_an_error_with_a_hint(install, run_cli, write_campaign):
    install("acme-campaignkit", "acme", "acme_plugin_typo", GOOD)
    path = write_campaign(MINIMAL + '\n[plugins.acme]\ncolour = "red"\nretries = "5"\n')
    result = run_cli("validate", path, "--format", "json")
    assert result.exit_code == 1
    problems = {p["path"]: p for p in result.json()}
    assert problems["plugins.acme.colour"]["hint"] == "did you mean `color`?"
    assert problems["plugins.acme.colour"]["line"] == MINIMAL.count("\n") + 3
    assert "expected an integer" in problems["plugins.acme.retries"]["message"]


def test_table_for_a_plugin_not_installed_is_only_a_warning(run_cli, write_campaign) -> None:
    path = write_campaign(MINIMAL + '\n[plugins.smoke-signals]\nhill = "north"\n')
    result = run_cli("validate", path, "--format", "json")
    assert result.exit_code == 0
    [problem] = without_reach(result.json())
    assert problem["path"] == "plugins.smoke-signals"
    assert problem["severity"] == "warning"


def test_plugin_that_fails_to_import_is_named_and_the_rest_load(install, run_cli) -> None:
    install("broken-campaignkit", "broken", "broken_plugin_a", "import no_such_module_xyz\n")
    install("acme-campaignkit", "acme", "acme_plugin_with_broken", GOOD)
    result = run_cli("plugins", "--format", "json")
    assert result.exit_code == 0
    names = [p["name"] for p in result.json()["plugins"]]
    assert "acme" in names
    assert "broken" not in names
    [failed] = result.json()["failed"]
    assert failed["name"] == "broken"
    assert failed["dist"] == "broken-campaignkit"
    assert "No module named 'no_such_module_xyz'" in failed["error"]
    assert "plugin `broken` (broken-campaignkit) failed to import" in result.stderr


def test_strict_mode_makes_a_broken_plugin_fatal(install, run_cli, write_campaign) -> None:
    install("broken-campaignkit", "broken", "broken_plugin_b", "raise ImportError('nope')\n")
    path = write_campaign(MINIMAL)
    result = run_cli("validate", path, env={"CAMPAIGNKIT_STRICT_PLUGINS": "1"})
    assert result.exit_code == 3
    assert "plugin `broken` (broken-campaignkit) failed to import: ImportError: nope" in (
        result.stderr
    )
    assert "Traceback" not in result.output


def test_plugin_raising_in_a_hook_stops_with_exit_3_naming_it(install, run_cli, write_campaign):
    install("boom-campaignkit", "boom", "boom_plugin", BOOM)
    result = run_cli("validate", write_campaign(MINIMAL))
    assert result.exit_code == 3
    assert "plugin `boom` failed in hook `campaignkit_check_campaign`" in result.stderr
    assert "the acme rules exploded" in result.stderr
    assert "Traceback" not in result.output


def test_disabling_a_plugin_by_environment_or_flag(install, run_cli, write_campaign) -> None:
    install("boom-campaignkit", "boom", "boom_plugin_off", BOOM)
    path = write_campaign(MINIMAL)
    assert run_cli("--disable", "boom", "validate", path).exit_code == 0
    env = {"CAMPAIGNKIT_DISABLE_PLUGINS": "boom"}
    assert run_cli("validate", path, env=env).exit_code == 0
    listed = run_cli("plugins", "--format", "json", env=env).json()["plugins"]
    assert "boom" not in [p["name"] for p in listed]


def test_built_in_checks_can_be_disabled(run_cli, write_campaign) -> None:
    path = write_campaign(MINIMAL.replace('parent = "office"', 'parent = "nowhere"'))
    assert run_cli("validate", path).exit_code == 1
    result = run_cli("validate", path, env={"CAMPAIGNKIT_DISABLE_PLUGINS": "checks"})
    assert result.exit_code == 0


def test_two_plugins_claiming_one_section_name_both(install, run_cli, write_campaign) -> None:
    install("acme-campaignkit", "acme", "acme_plugin_one", GOOD)
    install("rival-campaignkit", "rival", "rival_plugin", GOOD, version="0.1")
    result = run_cli("validate", write_campaign(MINIMAL))
    assert result.exit_code == 3
    assert "`acme` is declared by two plugins in `campaignkit_config_sections`" in result.stderr
    assert "distribution acme-campaignkit" in result.stderr
    assert "distribution rival-campaignkit" in result.stderr


def test_tracing_logs_each_hook_call(run_cli, write_campaign) -> None:
    result = run_cli("validate", write_campaign(MINIMAL), env={"CAMPAIGNKIT_TRACE_PLUGINS": "1"})
    assert result.exit_code == 0
    import re

    assert re.search(
        r"campaignkit trace: campaignkit_check_campaign \[.*checks.*\] [0-9.]+ ms", result.stderr
    )


def test_entry_point_named_like_a_built_in_is_reported_not_swapped_in(install, run_cli):
    install("evil-campaignkit", "checks", "evil_checks", BOOM)
    result = run_cli("plugins", "--format", "json")
    [failed] = result.json()["failed"]
    assert failed["name"] == "checks"
    assert "taken by plugin `checks` (built-in)" in failed["error"]
    checks = next(p for p in result.json()["plugins"] if p["name"] == "checks")
    assert checks["builtin"] is True


CONFIGURED = """
import attrs
from campaignkit import ConfigSection, hookimpl
from campaignkit.timeline import Event, local

@attrs.frozen
class Settings:
    weekday: int = 0

SEEN = {}

@hookimpl
def campaignkit_config_sections():
    return [ConfigSection("digest", Settings)]

@hookimpl
def campaignkit_configure(config, campaign):
    SEEN["weekday"] = config["digest"].weekday

@hookimpl
def campaignkit_timeline(campaign):
    day = campaign.phases["month"].start
    return [Event(local(campaign, day, __import__("datetime").time(8)), "digest.weekly", "month",
                  SEEN["weekday"])]
"""


def test_configure_hands_plugins_their_settings_before_the_timeline(
    install, run_cli, write_campaign
) -> None:
    install("digest-campaignkit", "digest", "digest_plugin", CONFIGURED)
    path = write_campaign(MINIMAL + "\n[plugins.digest]\nweekday = 4\n")
    result = run_cli("timeline", path, "--format", "json")
    assert result.exit_code == 0, result.output
    [digest] = [e for e in result.json() if e["kind"] == "digest.weekly"]
    assert digest == {
        "at": "2020-06-01T08:00:00+08:00",
        "kind": "digest.weekly",
        "subject": "month",
        "days": 4,
    }
    kinds = [e["kind"] for e in result.json() if e["at"].startswith("2020-06-01")]
    assert kinds == ["phase.start", "digest.weekly"]


def test_plugins_for_one_hook_are_listed_in_the_order_they_run(run_cli) -> None:
    result = run_cli("plugins", "--hook", "campaignkit_probe_evidence", "--format", "json")
    assert result.exit_code == 0
    names = [p["name"] for p in result.json()["plugins"]]
    assert names[-1] == "probe", "the built-in prober is the trylast fallback"
    wrong = run_cli("plugins", "--hook", "campaignkit_probe")
    assert wrong.exit_code == 2
    assert "did you mean `campaignkit_probe_evidence`?" in wrong.output


RULES = """
from campaignkit import CliCommand, Problem, hookimpl
from campaignkit.notify import Notification

@hookimpl
def campaignkit_check_submission(submission, requirement):
    if submission.unit == "east":
        return [Problem("summary", "east must also sign its summary")]
    return []

@hookimpl
def campaignkit_on_event(event, run):
    if event.kind != "phase.start":
        return []
    return [Notification(at=event.at, to=unit, kind="kick-off", requirement=None,
                         key=f"kick-off/{unit}", text="The month starts today.")
            for unit in run.campaign.units]

@hookimpl
def campaignkit_cli_commands():
    return [CliCommand("digest", lambda: None, "Print the weekly digest.")]
"""


def test_a_plugins_on_event_and_check_submission_take_part_in_a_run(
    install, run_cli, write_campaign
) -> None:
    install("rules-campaignkit", "rules", "rules_plugin", RULES)
    scenario = write_campaign(
        '[[submissions]]\nunit = "east"\nrequirement = "summary"\n'
        "submitted_at = 2020-06-20T10:00:00\n",
        name="scenario.toml",
    )
    result = run_cli(
        "simulate", write_campaign(MINIMAL), "--scenario", scenario, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = result.json()
    assert data["submissions"][0]["status"] == "rejected"  # the plugin's own rule
    kick_offs = [n for n in data["notifications"] if n["kind"] == "kick-off"]
    assert [n["to"] for n in kick_offs] == ["office", "east"]
    assert kick_offs[0]["at"] == "2020-06-01T00:00:00+08:00"


def test_a_plugins_commands_are_listed(install, run_cli) -> None:
    install("rules-campaignkit", "rules", "rules_plugin_commands", RULES)
    listed = {p["name"]: p for p in run_cli("plugins", "--format", "json").json()["plugins"]}
    assert listed["rules"]["contributes"]["commands"] == ["digest"]
    assert "campaignkit_cli_commands" in listed["rules"]["hooks"]


COMMANDS = """
from campaignkit import CliCommand, hookimpl

def late(file: str, days: int = 3) -> None:
    '''Print who is late.'''
    print(f"late in {file} after {days} days")

def load_late():
    # The command's own module is imported only here, when the command runs.
    import json  # noqa: F401
    return late

def load_broken():
    raise ImportError("No module named 'pandas'")

@hookimpl
def campaignkit_cli_commands():
    return [
        CliCommand("late", load_late, "Print who is late."),
        CliCommand("broken", load_broken, "Needs pandas."),
    ]
"""


def test_a_plugins_command_runs_with_its_own_options(install, run_cli) -> None:
    install("late-campaignkit", "late-list", "late_list_commands", COMMANDS)
    result = run_cli("late", "drill.toml", "--days", "5")
    assert (result.exit_code, result.stdout) == (0, "late in drill.toml after 5 days\n")
    helped = run_cli("late", "--help")
    assert helped.exit_code == 0
    assert "Print who is late." in helped.stdout
    assert "--days" in helped.stdout


def test_help_does_not_load_plugins_for_their_commands(install, run_cli) -> None:
    install("late-campaignkit", "late-list", "late_list_help", COMMANDS)
    result = run_cli("--help")
    assert result.exit_code == 0
    assert "late_list_help" not in sys.modules
    assert "Installed plugins may add commands" in result.stdout


def test_a_plugins_command_that_fails_to_load_names_the_plugin(install, run_cli) -> None:
    install("late-campaignkit", "late-list", "late_list_broken", COMMANDS)
    result = run_cli("broken")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: plugin `late-list` failed in hook `campaignkit_cli_commands`: "
        "ImportError: No module named 'pandas'\n"
    )


def test_an_unknown_command_is_a_usage_error_with_a_hint(install, run_cli) -> None:
    install("late-campaignkit", "late-list", "late_list_unknown", COMMANDS)
    result = run_cli("lat")
    assert result.exit_code == 2
    assert "No such command 'lat'" in result.stderr
    assert "did you mean `late`?" in result.stderr


def test_a_plugin_command_named_as_a_built_in_is_refused(install, run_cli) -> None:
    shadow = COMMANDS.replace('CliCommand("late"', 'CliCommand("validate"')
    install("shadow-campaignkit", "shadow", "shadow_commands", shadow)
    for args in (["broken"], ["plugins"]):
        result = run_cli(*args)
        assert result.exit_code == 3, args
        assert result.stderr == (
            "error: plugin `shadow` (distribution shadow-campaignkit) declares the command "
            "`validate`, which is a built-in command\n"
        )


def test_a_command_nobody_offers_points_to_the_plugin_list(run_cli) -> None:
    result = run_cli("sms-spool")
    assert result.exit_code == 2
    assert (
        "No such command 'sms-spool'; a plugin may add it: `campaignkit plugins` lists the "
        "installed ones and their commands"
    ) in " ".join(result.stderr.split())


class Judge:
    def __init__(self, name: str, fail: bool = False) -> None:
        self.name, self.fail = name, fail

    @hookimpl
    def campaignkit_check_submission(self, submission, requirement):
        if self.fail:
            raise ValueError("no verdict")
        return [self.name]


class Wrapper:
    def __init__(self) -> None:
        self.calls = 0

    @hookimpl(wrapper=True)
    def campaignkit_check_submission(self, submission, requirement):
        self.calls += 1
        return (yield)


def test_the_caller_calls_as_pluggy_does_and_names_a_failing_plugin() -> None:
    from campaignkit.pluginerrors import PluginHookError
    from campaignkit.plugins import load_plugins

    host = load_plugins(entry_points=False, trace=False)
    host.disable(["evidence-rules", "figure-rules"])
    for name in ("first", "second"):
        host.register(Judge(name), PluginInfo(name, name, False))
    args = {"submission": None, "requirement": None}
    assert host.caller("campaignkit_check_submission")(**args) == host.call(
        "campaignkit_check_submission", **args
    )
    assert host.caller("campaignkit_check_submission")(**args) == [["second"], ["first"]]

    host.register(Judge("broken", fail=True), PluginInfo("broken", "broken", False))
    with pytest.raises(PluginHookError, match="plugin `broken` failed in hook"):
        host.caller("campaignkit_check_submission")(**args)


def test_the_caller_runs_wrappers_as_pluggy_does() -> None:
    from campaignkit.plugins import load_plugins

    host = load_plugins(entry_points=False, trace=False)
    host.disable(["evidence-rules", "figure-rules"])
    host.register(Judge("only"), PluginInfo("only", "only", False))
    wrapper = Wrapper()
    host.register(wrapper, PluginInfo("wrapper", "wrapper", False))
    assert host.caller("campaignkit_check_submission")(submission=None, requirement=None) == [
        ["only"]
    ]
    assert wrapper.calls == 1


class FormatsWrapper:
    """A wrapper on a registry hook: it sees each plugin's records, and may add to them."""

    def __init__(self) -> None:
        self.seen: list[list[str]] = []

    @hookimpl(wrapper=True)
    def campaignkit_report_formats(self):
        records = yield
        self.seen.append([record.name for found in records for record in found])
        return records


def test_a_wrapper_on_a_registry_hook_runs_and_every_record_keeps_its_plugin() -> None:
    """Registry hooks go through pluggy like every other: a wrapper used to crash them with
    an internal error."""
    from campaignkit.plugins import load_plugins

    host = load_plugins(entry_points=False, trace=False)
    wrapper = FormatsWrapper()
    host.register(wrapper, PluginInfo("wrapper", "wrapper", False))
    formats = host.report_formats()
    assert {name: c.plugin for name, c in formats.items()} == {
        "md": "reports",
        "json": "reports",
        "csv": "reports",
        "assessment": "assessment-reports",
        "circular": "assessment-reports",
    }
    # pluggy calls the plugin registered last first.
    assert wrapper.seen == [["assessment", "circular"], ["md", "json", "csv"]]


def test_tracing_shows_registry_hooks_too(install, run_cli, write_campaign) -> None:
    install("acme-campaignkit", "acme", "acme_plugin_traced", GOOD)  # it has config sections
    result = run_cli("validate", write_campaign(MINIMAL), env={"CAMPAIGNKIT_TRACE_PLUGINS": "1"})
    assert result.exit_code == 0
    assert "campaignkit trace: campaignkit_config_sections [" in result.stderr
    assert "campaignkit trace: campaignkit_evidence_formats [" in result.stderr


class BrokenFormats:
    @hookimpl
    def campaignkit_report_formats(self):
        raise RuntimeError("no formats today")


def test_a_registry_hook_that_raises_names_its_plugin() -> None:
    from campaignkit.pluginerrors import PluginHookError
    from campaignkit.plugins import load_plugins

    host = load_plugins(entry_points=False, trace=False)
    host.register(BrokenFormats(), PluginInfo("broken-formats", "broken", False))
    with pytest.raises(PluginHookError, match="plugin `broken-formats` failed in hook"):
        host.report_formats()


def test_the_evidence_formats_each_plugin_knows_are_listed(run_cli) -> None:
    """A clerk who wonders what to write in `formats` finds every name, by its plugin."""
    plugins = {p["name"]: p for p in run_cli("plugins", "--format", "json").json()["plugins"]}
    probe = plugins["probe"]["contributes"]["evidence formats"]
    assert {"doc", "docx", "xls", "ofd", "pdf", "jpg", "mp4"} <= set(probe)
    assert plugins["evidence-rules"]["contributes"]["evidence formats"] == [
        "wps",
        "et",
        "dps",
        "csv",
    ]


def test_each_built_in_notice_is_a_plugin_of_its_own(run_cli) -> None:
    result = run_cli("plugins", "--hook", "campaignkit_on_event", "--format", "json")
    assert result.exit_code == 0
    built_in = [p["name"] for p in result.json()["plugins"] if p["builtin"]]
    assert built_in == ["rejections", "escalations", "overdue", "reminders"]  # in call order


def test_the_old_name_obligations_disables_the_four_notices(run_cli) -> None:
    env = {"CAMPAIGNKIT_DISABLE_PLUGINS": "obligations"}
    listed = run_cli("plugins", "--format", "json", env=env).json()["plugins"]
    names = {p["name"] for p in listed}
    assert {"checks", "standard-timeline"} <= names
    assert not names & {"obligations", "reminders", "overdue", "escalations", "rejections"}
    table = run_cli("--disable", "obligations", "plugins")
    assert table.exit_code == 0
    assert "disabled: escalations, obligations, overdue, rejections, reminders" in table.stdout


def test_a_plugin_disabled_after_loading_is_gone(plugin_host) -> None:
    plugin_host.disable(["escalations"])
    assert "escalations" not in plugin_host.infos
    assert plugin_host.pm.get_plugin("escalations") is None
    callers = plugin_host.pm.hook.campaignkit_on_event.get_hookimpls()
    assert [impl.plugin_name for impl in callers] == ["reminders", "overdue", "rejections"]
