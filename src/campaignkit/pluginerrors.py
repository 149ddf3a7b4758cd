"""How a plugin's failure is told: the errors that name the plugin and the hook."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from .records import ReportRefused


class PluginError(Exception):
    """A plugin failed: it could not be imported, it raised inside a hook, or two plugins
    claimed one name. The message names the plugin(s) and the hook."""


class PluginLoadError(PluginError):
    """A plugin failed to import and strict mode is on."""


class PluginHookError(PluginError):
    """A plugin raised inside a hook."""

    def __init__(self, plugin: str, hook: str, error: BaseException) -> None:
        super().__init__(f"plugin `{plugin}` failed in hook `{hook}`: {describe(error)}")
        self.plugin = plugin
        self.hook = hook
        self.error = error


class PluginConflict(PluginError):
    """Two plugins declared the same name in a registry hook."""


@contextlib.contextmanager
def blaming(plugin: str, hook: str) -> Iterator[None]:
    """Run a callable a plugin's record carries (a renderer, a command's loader): whatever it
    raises becomes a `PluginHookError` naming the plugin and the hook that gave the record;
    a `ReportRefused` stays what it is, the campaign's fault and not the plugin's."""
    try:
        yield
    except (PluginError, ReportRefused):
        raise
    except Exception as error:
        raise PluginHookError(plugin, hook, error) from error


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
