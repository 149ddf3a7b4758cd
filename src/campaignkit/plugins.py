"""The plugin manager: built-ins first, then entry points one at a time.

Built-in plugins are registered before entry points, so an outside plugin can override a
built-in (built-in fallbacks are marked ``trylast``). A plugin that fails to import is
reported by name and the rest still load, unless ``CAMPAIGNKIT_STRICT_PLUGINS=1``. Any
plugin, built-ins included, can be disabled by name with ``CAMPAIGNKIT_DISABLE_PLUGINS=a,b``
or ``campaignkit --disable NAME``; ``obligations``, the old name of the built-in notices,
disables ``reminders``, ``overdue``, ``escalations`` and ``rejections``.
``CAMPAIGNKIT_TRACE_PLUGINS=1`` logs every hook call.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from . import hookspecs
from .dates import Weekends
from .entrypoints import entry_points
from .pluginerrors import PluginConflict, PluginError, PluginHookError, PluginLoadError, describe
from .pluginerrors import blaming as blaming
from .schedule import Schedule, schedule_of
from .timeline import ordered

if TYPE_CHECKING:
    from pathlib import Path

    from .dates import Workdays
    from .evidence import EvidenceFacts, EvidenceFormat
    from .model import Campaign, Requirement
    from .notify import Notification
    from .problems import Problem
    from .records import Notifier
    from .run import Run
    from .submissions import Submission
    from .timeline import Event

PROJECT = hookspecs.PROJECT
ENTRY_POINT_GROUP = PROJECT

# Built-in plugins, by the short name used to disable them.
BUILTINS: Mapping[str, str] = {
    "checks": "campaignkit.builtin.checks",
    "standard-timeline": "campaignkit.builtin.standard_timeline",
    "reminders": "campaignkit.builtin.reminders",
    "overdue": "campaignkit.builtin.overdue",
    "escalations": "campaignkit.builtin.escalations",
    "rejections": "campaignkit.builtin.rejections",
    "evidence-rules": "campaignkit.builtin.evidence_rules",
    "figure-rules": "campaignkit.builtin.figure_rules",
    "notifiers": "campaignkit.builtin.notifiers",
    "reports": "campaignkit.builtin.reports",
    "assessment-reports": "campaignkit.builtin.assessment",
    "probe": "campaignkit.builtin.probe",
}

# Old names of built-ins that were split: disabling one disables what it became, so that a
# `--disable` written before the split still means what it meant.
FORMER_NAMES: Mapping[str, tuple[str, ...]] = {
    "obligations": ("reminders", "overdue", "escalations", "rejections"),
}


@attrs.frozen
class PluginInfo:
    """Where a registered plugin comes from."""

    name: str
    module: str
    builtin: bool
    dist: str | None = None
    version: str | None = None


@attrs.frozen
class LoadFailure:
    """An entry point that could not be imported; the rest of the plugins still load."""

    name: str
    dist: str | None
    error: str


@attrs.frozen
class Contribution:
    """One record a registry hook returned, and the plugin that returned it."""

    name: str
    record: Any
    plugin: str


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _env_list(name: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


class PluginHost:
    """A pluggy manager with campaignkit's loading rules and error handling."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        self.failures: list[LoadFailure] = []
        self.disabled: set[str] = set()
        self.tracing = False
        self._calendars: dict[str, Workdays] = {}  # by time zone and implementations
        self._configured: list[Campaign] = []  # by identity: a campaign is not hashed

    # -- registering ------------------------------------------------------------------
    def register(self, plugin: object, info: PluginInfo) -> None:
        if self.pm.is_blocked(info.name):
            return
        self.pm.register(plugin, name=info.name)
        self.infos[info.name] = info
        if self._configured:  # what a historic hook does, once per campaign
            impls = self.pm.hook.campaignkit_configure.get_hookimpls()
            mine = [impl for impl in impls if impl.plugin_name == info.name]
            for campaign in self._configured:
                self._configure(mine, campaign.plugins, campaign)

    def disable(self, names: Iterable[str]) -> None:
        """Switch plugins off by name, before they load or after (a test's host): a plugin
        disabled is not registered, or no longer. A former name (`FORMER_NAMES`) switches
        off the built-ins it became too."""
        for name in names:
            for each in (name, *FORMER_NAMES.get(name, ())):
                self.disabled.add(each)
                self.pm.set_blocked(each)
                self.infos.pop(each, None)

    def load_builtins(self) -> None:
        for name, module in BUILTINS.items():
            if not self.pm.is_blocked(name):
                self.register(importlib.import_module(module), PluginInfo(name, module, True))

    def load_entry_points(self, *, strict: bool, cache: bool = False) -> None:
        """Import each entry point of group ``campaignkit`` on its own (`cache`: see below)."""
        for ep in entry_points(ENTRY_POINT_GROUP, cache=cache):
            if self.pm.is_blocked(ep.name):
                continue
            dist = ep.dist
            if ep.name in self.infos:
                taken = f"the name `{ep.name}` is taken by {self.origin(ep.name)}"
                self.failures.append(LoadFailure(ep.name, dist, f"{taken}; skipped"))
                continue
            try:
                plugin = ep.load()
            except Exception as error:
                if strict:
                    raise PluginLoadError(
                        f"plugin `{ep.name}` ({dist or ep.value}) failed to import: "
                        f"{describe(error)}"
                    ) from error
                self.failures.append(LoadFailure(ep.name, dist, describe(error)))
                continue
            self.register(plugin, PluginInfo(ep.name, ep.value, False, dist, ep.version))

    def enable_tracing(self, write: Callable[[str], object]) -> None:
        self.tracing = True
        starts: list[float] = []

        def before(hook_name: str, impls: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
            starts.append(time.perf_counter())

        def after(outcome: Any, hook_name: str, impls: Sequence[Any], kwargs: Any) -> None:
            took = (time.perf_counter() - starts.pop()) * 1000
            names = ", ".join(impl.plugin_name for impl in impls)
            write(f"campaignkit trace: {hook_name} [{names}] {took:.3f} ms\n")

        self.pm.add_hookcall_monitoring(before, after)

    # -- calling ----------------------------------------------------------------------
    # One way to call a hook, whatever its kind: pluggy's own execution of the given
    # implementations, which runs wrappers and the tracing monitor, with a failure turned
    # into a `PluginHookError` that names the plugin. The typed methods below are what the
    # rest of campaignkit calls.
    def _run(
        self, hook_name: str, impls: Sequence[Any], kwargs: Mapping[str, Any], firstresult: bool
    ) -> Any:
        hook = getattr(self.pm.hook, hook_name)
        try:
            # `_hookexec` is what `HookCaller.__call__` runs once it has checked the
            # arguments; called with the implementations we choose, so that a registry hook
            # can be asked plugin by plugin and a hot loop skips the checks it needs once.
            return hook._hookexec(hook_name, impls, dict(kwargs), firstresult)
        except PluginError:
            raise  # a nested hook's failure, named already
        except Exception as error:
            raise PluginHookError(self.culprit(hook_name, error), hook_name, error) from error

    def call(self, hook_name: str, **kwargs: Any) -> Any:
        """Call a hook by name (a plugin's own code, or a test, may): a list of the results
        that are not None, or the first one for a ``firstresult`` hook."""
        return self.caller(hook_name)(**kwargs)

    def caller(self, hook_name: str) -> Callable[..., Any]:
        """`hook_name` as a plain function of its arguments, with the plugins registered when
        this is asked: for a loop that calls it 100,000 times."""
        hook = getattr(self.pm.hook, hook_name)
        impls = hook.get_hookimpls()
        first = bool(hook.spec is not None and hook.spec.opts.get("firstresult"))
        return lambda **kwargs: self._run(hook_name, impls, kwargs, first)

    def check_campaign(self, campaign: Campaign) -> list[Problem]:
        """Every plugin's problems with `campaign` (``campaignkit_check_campaign``)."""
        found: list[list[Problem]] = self.call("campaignkit_check_campaign", campaign=campaign)
        return [problem for problems in found for problem in problems]

    def submission_checker(self) -> Callable[[Submission, Requirement], list[Problem]]:
        """``campaignkit_check_submission`` as a function, for judging thousands of hand-ins."""
        check = self.caller("campaignkit_check_submission")

        def checker(submission: Submission, requirement: Requirement) -> list[Problem]:
            found: list[list[Problem]] = check(submission=submission, requirement=requirement)
            return [problem for problems in found for problem in problems]

        return checker

    def event_handler(self) -> Callable[[Event, Run], list[Notification]]:
        """``campaignkit_on_event`` as a function: the notifications every plugin makes of
        one event, for a run of thousands of events."""
        on_event = self.caller("campaignkit_on_event")

        def handle(event: Event, run: Run) -> list[Notification]:
            made: list[list[Notification]] = on_event(event=event, run=run)
            return [notification for notifications in made for notification in notifications]

        return handle

    def probe_evidence(self, path: Path) -> EvidenceFacts | None:
        """What the first prober that knows the file finds in it (``firstresult``)."""
        facts: EvidenceFacts | None = self.call("campaignkit_probe_evidence", path=path)
        return facts

    def evidence_formats(self) -> list[EvidenceFormat]:
        """Every format the plugins declare, built-ins first (``campaignkit_evidence_formats``;
        several plugins may declare one name)."""
        declared: list[Sequence[EvidenceFormat]] = self.call("campaignkit_evidence_formats")
        return [record for records in reversed(declared) for record in records]

    def config_sections(self) -> dict[str, Contribution]:
        """The ``[plugins.NAME]`` tables the plugins read, by name."""
        return self.collect("campaignkit_config_sections")

    def notifiers(self) -> dict[str, Notifier]:
        """The installed notifiers, by channel name."""
        found = self.collect("campaignkit_notifiers")
        return {name: contribution.record for name, contribution in found.items()}

    def report_formats(self) -> dict[str, Contribution]:
        """The report formats, by name, with the plugin that offers each."""
        return self.collect("campaignkit_report_formats")

    def report_columns(self, campaign: Campaign) -> dict[str, Contribution]:
        """The columns plugins add to `campaign`'s reports and ``status``, by name."""
        return self.collect("campaignkit_report_columns", campaign=campaign)

    def cli_commands(self) -> dict[str, Contribution]:
        """The plugins' commands, by name."""
        return self.collect("campaignkit_cli_commands")

    def configure(self, config: Mapping[str, Any], campaign: Campaign) -> None:
        """Give the plugins `campaign`'s structured settings (``campaignkit_configure``):
        once per loaded campaign on this host, however many runs, ticks or reports follow.
        A plugin registered later is given every campaign configured before (see
        `register`)."""
        if any(known is campaign for known in self._configured):
            return
        self._configured.append(campaign)
        impls = self.pm.hook.campaignkit_configure.get_hookimpls()
        self._configure(impls, config, campaign)

    def _configure(self, impls: Sequence[Any], config: Mapping[str, Any], campaign: Any) -> None:
        if impls:
            kwargs = {"config": dict(config), "campaign": campaign}
            self._run("campaignkit_configure", impls, kwargs, False)

    def workdays(self, timezone: str) -> Workdays:
        """The working-day calendar for a campaign in `timezone`: a plugin's, else weekends.

        Asked once per time zone: a calendar is looked up for every notice sent.
        """
        # Keyed by the implementations too: a test may register a calendar plugin later.
        impls = self.pm.hook.campaignkit_workdays.get_hookimpls()
        key = f"{timezone} {' '.join(str(id(impl.function)) for impl in impls)}"
        found = self._calendars.get(key)
        if found is None:
            found = self.call("campaignkit_workdays", timezone=timezone) or Weekends()
            self._calendars[key] = found
        return found

    def schedule(self, campaign: Campaign) -> Schedule:
        """When the campaign's notices may go out, with its working-day calendar."""
        return schedule_of(campaign, self.workdays(campaign.campaign.timezone))

    def timeline(self, campaign: Campaign) -> list[Event]:
        """Every plugin's events for `campaign` (``campaignkit_timeline``), in their total
        order."""
        contributed: Sequence[Sequence[Event]] = self.call(
            "campaignkit_timeline", campaign=campaign, schedule=self.schedule(campaign)
        )
        return ordered(event for events in contributed for event in events)

    def culprit(self, hook_name: str, error: BaseException) -> str:
        """Name the plugin whose implementation is on the traceback of `error`."""
        codes: dict[types.CodeType, str] = {}
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            code = getattr(impl.function, "__code__", None)
            if code is not None:
                codes[code] = impl.plugin_name
        tb: types.TracebackType | None = error.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code in codes:
                return codes[tb.tb_frame.f_code]
            tb = tb.tb_next
        return "unknown"

    def by_plugin(self, hook_name: str, **kwargs: Any) -> list[tuple[str, list[Any]]]:
        """A registry hook's records, plugin by plugin, in call order: (plugin, records).

        Each plugin's implementation runs through pluggy with the hook's wrappers around it
        (a wrapper sees one plugin's records at a time), so that every record is known by
        the plugin that gave it.
        """
        impls = getattr(self.pm.hook, hook_name).get_hookimpls()
        wrappers = [impl for impl in impls if impl.hookwrapper or impl.wrapper]
        out = []
        for impl in reversed([impl for impl in impls if impl not in wrappers]):
            # pluggy runs the last in the list first: the wrappers, then the plugin.
            given: list[Iterable[Any]] = self._run(hook_name, [impl, *wrappers], kwargs, False)
            out.append((impl.plugin_name, [record for records in given for record in records]))
        return out

    def collect(self, hook_name: str, **kwargs: Any) -> dict[str, Contribution]:
        """A registry hook's records by name (`by_plugin`); two plugins returning the same
        name is a `PluginConflict` naming both."""
        found: dict[str, Contribution] = {}
        for plugin, records in self.by_plugin(hook_name, **kwargs):
            for record in records:
                name = record.name
                if name in found:
                    raise PluginConflict(
                        f"`{name}` is declared by two plugins in `{hook_name}`: "
                        f"{self.origin(found[name].plugin)} and {self.origin(plugin)}"
                    )
                found[name] = Contribution(name, record, plugin)
        return found

    def origin(self, plugin: str) -> str:
        info = self.infos.get(plugin)
        if info is None or info.builtin:
            return f"plugin `{plugin}` (built-in)"
        return f"plugin `{plugin}` (distribution {info.dist})"

    def hooks_of(self, plugin_name: str) -> list[str]:
        plugin = self.pm.get_plugin(plugin_name)
        callers = self.pm.get_hookcallers(plugin) if plugin is not None else None
        return sorted(caller.name for caller in callers or ())


def load_plugins(
    *,
    disabled: Iterable[str] = (),
    entry_points: bool = True,
    strict: bool | None = None,
    trace: bool | None = None,
    cache: bool = False,
) -> PluginHost:
    """Build the plugin host: built-ins, then entry points, minus the disabled ones.

    `strict` and `trace` default to ``CAMPAIGNKIT_STRICT_PLUGINS`` and
    ``CAMPAIGNKIT_TRACE_PLUGINS``; `disabled` adds to ``CAMPAIGNKIT_DISABLE_PLUGINS``. Only
    the command line sets `cache`, to keep the installed plugins in the user's cache folder.
    """
    host = PluginHost()
    host.disable([*_env_list("CAMPAIGNKIT_DISABLE_PLUGINS"), *disabled])
    if trace if trace is not None else _env_flag("CAMPAIGNKIT_TRACE_PLUGINS"):
        host.enable_tracing(sys.stderr.write)
    host.load_builtins()
    if entry_points:
        strict = strict if strict is not None else _env_flag("CAMPAIGNKIT_STRICT_PLUGINS")
        host.load_entry_points(strict=strict, cache=cache)
    return host
