"""The plugin manager: built-ins first, then entry points one at a time.

Built-in plugins are registered before entry points, so an outside plugin can override a
built-in (built-in fallbacks are marked ``trylast``). A plugin that fails to import is
reported by name and the rest still load, unless ``CAMPAIGNKIT_STRICT_PLUGINS=1``. Any
plugin, built-ins included, can be disabled by name with ``CAMPAIGNKIT_DISABLE_PLUGINS=a,b``
or ``campaignkit --disable NAME``. ``CAMPAIGNKIT_TRACE_PLUGINS=1`` logs every hook call.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from . import hookspecs
from .dates import Weekends
from .entrypoints import entry_points
from .schedule import Schedule, schedule_of
from .timeline import ordered

if TYPE_CHECKING:
    from .dates import Workdays
    from .model import Campaign
    from .timeline import Event

PROJECT = hookspecs.PROJECT
ENTRY_POINT_GROUP = PROJECT

# Built-in plugins, by the short name used to disable them.
BUILTINS: Mapping[str, str] = {
    "checks": "campaignkit.builtin.checks",
    "standard-timeline": "campaignkit.builtin.standard_timeline",
    "obligations": "campaignkit.builtin.obligations",
    "evidence-rules": "campaignkit.builtin.evidence_rules",
    "notifiers": "campaignkit.builtin.notifiers",
    "reports": "campaignkit.builtin.reports",
    "probe": "campaignkit.builtin.probe",
}


class PluginError(Exception):
    """A plugin failed: it could not be imported, it raised inside a hook, or two plugins
    claimed one name. The message names the plugin(s) and the hook."""


class PluginLoadError(PluginError):
    """A plugin failed to import and strict mode is on."""


class PluginHookError(PluginError):
    """A plugin raised inside a hook."""

    def __init__(self, plugin: str, hook: str, error: BaseException) -> None:
        super().__init__(f"plugin `{plugin}` failed in hook `{hook}`: {_describe(error)}")
        self.plugin = plugin
        self.hook = hook
        self.error = error


class PluginConflict(PluginError):
    """Two plugins declared the same name in a registry hook."""


@contextlib.contextmanager
def blaming(plugin: str, hook: str) -> Iterator[None]:
    """Run a callable a plugin's record carries (a renderer, a command's loader): whatever it
    raises becomes a `PluginHookError` naming the plugin and the hook that gave the record."""
    try:
        yield
    except PluginError:
        raise
    except Exception as error:
        raise PluginHookError(plugin, hook, error) from error


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


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


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

    # -- registering ------------------------------------------------------------------
    def register(self, plugin: object, info: PluginInfo) -> None:
        if self.pm.is_blocked(info.name):
            return
        self.pm.register(plugin, name=info.name)
        self.infos[info.name] = info

    def disable(self, names: Iterable[str]) -> None:
        for name in names:
            self.disabled.add(name)
            self.pm.set_blocked(name)

    def load_builtins(self) -> None:
        for name, module in BUILTINS.items():
            if not self.pm.is_blocked(name):
                self.register(importlib.import_module(module), PluginInfo(name, module, True))

    def load_entry_points(self, *, strict: bool) -> None:
        """Import each entry point of group ``campaignkit`` on its own."""
        for ep in entry_points(ENTRY_POINT_GROUP):
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
                        f"{_describe(error)}"
                    ) from error
                self.failures.append(LoadFailure(ep.name, dist, _describe(error)))
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
    def call(self, hook_name: str, **kwargs: Any) -> Any:
        """Call a hook; a plugin that raises becomes a `PluginHookError` naming it."""
        caller = getattr(self.pm.hook, hook_name)
        try:
            return caller(**kwargs)
        except Exception as error:
            raise PluginHookError(self.culprit(hook_name, error), hook_name, error) from error

    def caller(self, hook_name: str) -> Callable[..., list[Any]]:
        """`hook_name` as a plain function, for a loop that calls it 100,000 times.

        For a hook with no wrappers and no tracing, calling each implementation in pluggy's
        order (last registered first) and keeping the results that are not None is all that
        pluggy does; doing it directly costs a fraction of a pluggy call. Otherwise the hook
        goes through pluggy as usual. The plugins are those registered when this is asked.
        """
        hook = getattr(self.pm.hook, hook_name)
        impls = hook.get_hookimpls()
        if self.tracing or hook.spec is None or hook.spec.opts.get("firstresult"):
            return lambda **kwargs: self.call(hook_name, **kwargs)
        if any(impl.hookwrapper or impl.wrapper for impl in impls):
            return lambda **kwargs: self.call(hook_name, **kwargs)
        plan = [(impl.function, impl.argnames, impl.plugin_name) for impl in reversed(impls)]

        def call(**kwargs: Any) -> list[Any]:
            results = []
            for function, names, plugin in plan:
                try:
                    result = function(*[kwargs[name] for name in names])
                except Exception as error:
                    raise PluginHookError(plugin, hook_name, error) from error
                if result is not None:
                    results.append(result)
            return results

        return call

    def configure(self, config: Mapping[str, Any], campaign: Any) -> None:
        """Give every plugin, present and future, the run's structured settings (historic)."""
        hook = self.pm.hook.campaignkit_configure
        try:
            hook.call_historic(kwargs={"config": dict(config), "campaign": campaign})
        except Exception as error:
            name = "campaignkit_configure"
            raise PluginHookError(self.culprit(name, error), name, error) from error

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

    def collect(self, hook_name: str, **kwargs: Any) -> dict[str, Contribution]:
        """Call a registry hook plugin by plugin and index the records by name.

        Two plugins returning the same name is a `PluginConflict` naming both.
        """
        found: dict[str, Contribution] = {}
        for impl in reversed(getattr(self.pm.hook, hook_name).get_hookimpls()):
            args = {name: kwargs[name] for name in impl.argnames}
            try:
                records = impl.function(**args) or ()
            except Exception as error:
                raise PluginHookError(impl.plugin_name, hook_name, error) from error
            for record in records:
                name = record.name
                if name in found:
                    raise PluginConflict(
                        f"`{name}` is declared by two plugins in `{hook_name}`: "
                        f"{self.origin(found[name].plugin)} and {self.origin(impl.plugin_name)}"
                    )
                found[name] = Contribution(name, record, impl.plugin_name)
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
) -> PluginHost:
    """Build the plugin host: built-ins, then entry points, minus the disabled ones.

    `strict` and `trace` default to ``CAMPAIGNKIT_STRICT_PLUGINS`` and
    ``CAMPAIGNKIT_TRACE_PLUGINS``; `disabled` adds to ``CAMPAIGNKIT_DISABLE_PLUGINS``.
    """
    host = PluginHost()
    host.disable([*_env_list("CAMPAIGNKIT_DISABLE_PLUGINS"), *disabled])
    if trace if trace is not None else _env_flag("CAMPAIGNKIT_TRACE_PLUGINS"):
        host.enable_tracing(sys.stderr.write)
    host.load_builtins()
    if entry_points:
        strict = strict if strict is not None else _env_flag("CAMPAIGNKIT_STRICT_PLUGINS")
        host.load_entry_points(strict=strict)
    return host
