"""campaignkit's pytest plugin: fixtures for testing plugins, and campaignkit itself.

Installed with campaignkit and loaded by pytest automatically (entry point ``pytest11``), so
a plugin's tests use these fixtures without importing anything:

- ``plugin_host``: a plugin host with campaignkit's built-in plugins only, no entry points;
- ``register_plugin``: register a plugin in ``plugin_host`` for one test;
- ``campaign_from_toml``: a `Campaign` from TOML text, checked by ``plugin_host``'s plugins;
- ``problems_from_toml``: every problem campaignkit finds in TOML text;
- ``virtual_clock``: a clock the test moves by hand; each ``tick`` runs the live engine up to
  it, on an in-memory ledger;
- ``recording_notifier``: a notifier named ``recording`` that keeps what it is sent;
- ``campaignkit_report``: the `Report` a report format receives, from a rehearsal of a
  campaign with a scenario's submissions or the compliance model's;
- ``run_cli``: run ``campaignkit ARGS...`` in-process and see exit code, stdout, stderr;
- ``write_campaign``: write TOML text to a file in a temporary folder;
- ``campaignkit_cache_dir``: the test session's own cache folder, which ``run_cli`` gives
  the commands it runs (``CAMPAIGNKIT_CACHE_DIR``).

The plugin changes no environment variable: ``run_cli`` sets ``CAMPAIGNKIT_CACHE_DIR`` for
the command it runs only.

See ``docs/plugins/testing.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import textwrap
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pytest

from .testdoubles import RecordingNotifier, VirtualClock, instant
from .testdoubles import Sent as Sent

if TYPE_CHECKING:
    from .model import Campaign
    from .plugins import PluginHost
    from .problems import Problem
    from .report import Report


@attrs.frozen
class CliResult:
    """What a person sees after running a command."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


# ── plugins ───────────────────────────────────────────────────────────────────────────


@pytest.fixture
def plugin_host() -> PluginHost:
    """A plugin host holding campaignkit's built-in plugins only.

    No entry point is loaded, so installed plugins (yours included) are not in it until a
    test registers them with ``register_plugin``. Hook calls are traced when
    ``CAMPAIGNKIT_TRACE_PLUGINS=1``, and a plugin that raises is named, as in a real run.
    ``plugin_host.disable(["escalations"])`` switches plugins off by name, as ``campaignkit
    --disable escalations`` does.
    """
    from .plugins import load_plugins

    return load_plugins(entry_points=False)


@pytest.fixture
def register_plugin(plugin_host: PluginHost) -> Iterator[Callable[..., Any]]:
    """Register a plugin (a module, a class or an object) in ``plugin_host`` for one test.

    ``register_plugin(plugin, name=None)`` returns the plugin; the name defaults to the
    module's or class's name. Every plugin registered is unregistered after the test, so
    tests never see each other's plugins.
    """
    from .plugins import PluginInfo

    registered: list[str] = []

    def register(plugin: Any, name: str | None = None) -> Any:
        name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        module = getattr(plugin, "__module__", None) or getattr(plugin, "__name__", "") or ""
        if plugin_host.pm.has_plugin(name):
            raise ValueError(f"a plugin named `{name}` is already registered")
        plugin_host.register(plugin, PluginInfo(name, str(module), False, "(registered)"))
        registered.append(name)
        return plugin

    yield register
    for name in reversed(registered):
        plugin_host.pm.unregister(name=name)
        plugin_host.infos.pop(name, None)


# ── campaigns ─────────────────────────────────────────────────────────────────────────


def _problem_lines(problems: Iterable[Problem]) -> str:
    return "\n".join(
        f"  line {p.line or '?'}: {p.severity}: {p.path or '(file)'}: {p.message}"
        + (f" ({p.hint})" if p.hint else "")
        for p in problems
    )


@pytest.fixture
def problems_from_toml(plugin_host: PluginHost) -> Callable[[str], list[Problem]]:
    """Every problem (errors, then warnings, in file order) in TOML text (dedented).

    The text is checked by ``plugin_host``'s plugins: the built-ins and the registered ones.
    """
    from .loader import loads_campaign
    from .problems import sort_problems

    def problems(text: str) -> list[Problem]:
        loaded = loads_campaign(textwrap.dedent(text), host=plugin_host)
        return sort_problems(loaded.problems)

    return problems


@pytest.fixture
def campaign_from_toml(plugin_host: PluginHost) -> Callable[[str], Campaign]:
    """A `Campaign` from TOML text (dedented), loaded and checked by ``plugin_host``.

    Errors fail the test with each problem's line, key and message; warnings are allowed.
    A ``[plugins.NAME]`` table is structured by the registered plugin that declares it.
    """
    from .loader import loads_campaign

    def build(text: str) -> Campaign:
        loaded = loads_campaign(textwrap.dedent(text), host=plugin_host)
        if not loaded.ok or loaded.campaign is None:
            errors = [p for p in loaded.problems if p.is_error]
            pytest.fail(f"the campaign has errors:\n{_problem_lines(errors)}", pytrace=False)
        return loaded.campaign

    return build


# ── clock and notifier ────────────────────────────────────────────────────────────────


@pytest.fixture
def virtual_clock(plugin_host: PluginHost) -> Iterator[VirtualClock]:
    """A `VirtualClock` over ``plugin_host``: ``set``, ``advance``, ``tick``."""
    clock = VirtualClock(plugin_host)
    yield clock
    clock.close()


@pytest.fixture
def recording_notifier(register_plugin: Callable[..., Any]) -> RecordingNotifier:
    """A `RecordingNotifier`, registered in ``plugin_host`` for this test."""
    recorder: RecordingNotifier = register_plugin(RecordingNotifier(), "recording-notifier")
    return recorder


# ── reports ───────────────────────────────────────────────────────────────────────────


@pytest.fixture
def campaignkit_report(
    plugin_host: PluginHost, campaign_from_toml: Callable[[str], Campaign]
) -> Callable[..., Report]:
    """The `Report` a report format receives, from a rehearsal with ``plugin_host``.

    ``campaignkit_report(campaign, scenario=None, *, compliance=1.0, seed=0, at=None,
    unit=None)``: `campaign` is a `Campaign` or TOML text; `scenario` is TOML text or the
    path of a scenario file (TOML or CSV), whose submissions replace the compliance model's
    (`compliance`, `seed`). The standings are taken at `at` (an aware datetime or an ISO
    string with its offset; the end of the rehearsal by default); with `unit`, the report
    is that unit's part. A scenario with problems, or an unknown unit, fails the test.
    """
    from .simulation import rehearsal_report
    from .synthetic import load_scenario, loads_scenario

    def build(
        campaign: Campaign | str,
        scenario: str | Path | None = None,
        *,
        compliance: float = 1.0,
        seed: int = 0,
        at: dt.datetime | str | None = None,
        unit: str | None = None,
    ) -> Report:
        if isinstance(campaign, str):
            campaign = campaign_from_toml(campaign)
        submissions = None
        if scenario is not None:
            if isinstance(scenario, Path):
                submissions, problems = load_scenario(scenario, campaign)
            else:
                submissions, problems = loads_scenario(textwrap.dedent(scenario), campaign)
            if problems:
                pytest.fail(
                    f"the scenario has problems:\n{_problem_lines(problems)}", pytrace=False
                )
        if unit is not None and unit not in campaign.units:
            pytest.fail(f"no unit `{unit}` in the campaign", pytrace=False)
        as_of = instant(at) if at is not None else None
        return rehearsal_report(
            campaign,
            plugin_host,
            submissions=submissions,
            compliance=compliance,
            seed=seed,
            as_of=as_of,
            unit=unit,
        )

    return build


# ── the command line ──────────────────────────────────────────────────────────────────


@pytest.fixture(scope="session")
def campaignkit_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder for the test session (``CAMPAIGNKIT_CACHE_DIR``), which ``run_cli``
    gives the commands it runs: tests never read what another environment cached, nor write
    into the user's own cache folder. A test that starts ``campaignkit`` in a process of its
    own sets it with ``monkeypatch.setenv``."""
    return tmp_path_factory.mktemp("campaignkit-cache")


@pytest.fixture
def run_cli(campaignkit_cache_dir: Path) -> Callable[..., CliResult]:
    """Run `campaignkit ARGS...` in-process and return what a person would see.

    ``run_cli(*args, env=None, host=None, input=None)``: by default the command loads plugins
    as it would for a person (built-ins and every installed plugin); give
    ``host=plugin_host`` to run it with the test's own plugin host instead. `input` is the
    command's standard input. An exception escaping the command line
    fails the test: the CLI must turn every failure into a message and an exit code.
    The command's cache folder is ``campaignkit_cache_dir``, unless `env` or the environment
    names one.
    """
    from typer.testing import CliRunner

    from .cli import app
    from .cli.exits import HOST_KEY

    def run(
        *args: object,
        env: dict[str, str] | None = None,
        host: PluginHost | None = None,
        input: str | None = None,
    ) -> CliResult:
        obj = {HOST_KEY: host} if host is not None else None
        env = dict(env or {})
        if "CAMPAIGNKIT_CACHE_DIR" not in env and "CAMPAIGNKIT_CACHE_DIR" not in os.environ:
            env["CAMPAIGNKIT_CACHE_DIR"] = str(campaignkit_cache_dir)
        result = CliRunner().invoke(
            app, [str(a) for a in args], input=input, env=env, obj=obj, catch_exceptions=True
        )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def write_campaign(tmp_path: Path) -> Callable[..., Path]:
    """Write TOML text (dedented) to a file and return its path."""
    counter = iter(range(1_000_000))

    def write(text: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"campaign{next(counter)}.toml")
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write
