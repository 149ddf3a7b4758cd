"""Who the installed notifiers reach: the channels that count, and the check ``validate``
adds. Kept apart from delivery, so that ``validate`` does not load the ledger."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from .i18n import _, ngettext
from .model import Campaign
from .org import reach, unreachable
from .problems import Problem, did_you_mean, listed
from .records import Notifier

if TYPE_CHECKING:
    from .plugins import PluginHost


def unit_channels(notifiers: Mapping[str, Notifier]) -> frozenset[str]:
    """The names of the notifiers that reach a unit (not the office's own records)."""
    return frozenset(name for name, notifier in notifiers.items() if notifier.reaches_unit)


def reach_of(campaign: Campaign, host: PluginHost) -> dict[str, str | None]:
    """Where a notice to each unit lands with the installed notifiers (see `org.reach`)."""
    return reach(campaign, unit_channels(host.notifiers()))


def reachability(host: PluginHost) -> Callable[[Campaign], list[Problem]]:
    """The check ``validate`` adds: channels no installed notifier serves, and assignees and
    escalation targets that no installed notifier reaches."""

    def check(campaign: Campaign) -> list[Problem]:
        notifiers = host.notifiers()
        return [
            *unknown_channels(campaign, notifiers),
            *unreachable(campaign, unit_channels(notifiers)),
        ]

    return check


# What clerks call the platforms, and the notifiers' names for them.
ALIASES = {
    "weixin": "wecom",
    "wechat": "wecom",
    "qiyeweixin": "wecom",
    "企业微信": "wecom",
    "dingding": "dingtalk",
    "钉钉": "dingtalk",
    "lark": "feishu",
    "飞书": "feishu",
    "mail": "email",
    "e-mail": "email",
    "邮件": "email",
    "邮箱": "email",
}


def unknown_channels(campaign: Campaign, notifiers: Mapping[str, Notifier]) -> list[Problem]:
    """A warning for each channel name that units give but no installed notifier serves:
    a typo, or a plugin this machine does not have."""
    naming: dict[str, list[str]] = {}
    for unit in campaign.units.values():
        for name in unit.channels:
            if name not in notifiers:
                naming.setdefault(name, []).append(unit.id)
    problems = []
    for name, units in naming.items():
        alias = ALIASES.get(name.lower())
        hint = (
            (_("did you mean `{name}`?").format(name=alias) if alias in notifiers else None)
            or did_you_mean(name, notifiers)
            or _("installed notifiers: {notifiers}; `campaignkit plugins` lists them").format(
                notifiers=listed(sorted(notifiers))
            )
        )
        problems.append(
            Problem(
                f"units.{units[0]}.channels.{name}",
                ngettext(
                    "no installed notifier is called `{name}`: {count} unit names it, and "
                    "nothing reaches the unit on it",
                    "no installed notifier is called `{name}`: {count} units name it, and "
                    "nothing reaches them on it",
                    len(units),
                ).format(name=name, count=len(units)),
                hint,
                severity="warning",
                code="unknown-channel",
                subjects=tuple(units),
            )
        )
    return problems
