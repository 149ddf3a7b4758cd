"""The errors a plugin causes, each naming the plugin and, for a hook, the hook.

The plugin host raises them (`campaignkit.plugins`); the command line turns each into a
message and exit code 3, with no traceback unless ``CAMPAIGNKIT_DEBUG=1``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


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
    raises becomes a `PluginHookError` naming the plugin and the hook that gave the record."""
    try:
        yield
    except PluginError:
        raise
    except Exception as error:
        raise PluginHookError(plugin, hook, error) from error


def describe(error: BaseException) -> str:
    """An error in one line: its type and its message."""
    return f"{type(error).__name__}: {error}"
