"""Who the installed notifiers reach: the channels that count, and the check ``validate``
adds. Kept apart from delivery, so that ``validate`` does not load the ledger."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from .model import Campaign
from .org import reach, unreachable
from .problems import Problem
from .records import Notifier

if TYPE_CHECKING:
    from .plugins import PluginHost


def installed_notifiers(host: PluginHost) -> dict[str, Notifier]:
    """Every notifier the plugins declare, by name."""
    return {name: c.record for name, c in host.collect("campaignkit_notifiers").items()}


def unit_channels(notifiers: Mapping[str, Notifier]) -> frozenset[str]:
    """The names of the notifiers that reach a unit (not the office's own records)."""
    return frozenset(name for name, notifier in notifiers.items() if notifier.reaches_unit)


def reach_of(campaign: Campaign, host: PluginHost) -> dict[str, str | None]:
    """Where a notice to each unit lands with the installed notifiers (see `org.reach`)."""
    return reach(campaign, unit_channels(installed_notifiers(host)))


def reachability(host: PluginHost) -> Callable[[Campaign], list[Problem]]:
    """The check ``validate`` adds: assignees that no installed notifier reaches."""
    return lambda campaign: unreachable(campaign, unit_channels(installed_notifiers(host)))
