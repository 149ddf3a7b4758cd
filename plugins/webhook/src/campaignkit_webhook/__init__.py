"""campaignkit plugin ``webhook``: notifications through group robots.

Four notifiers — ``wecom`` (企业微信群机器人), ``dingtalk`` (钉钉自定义机器人, with 加签),
``feishu`` (飞书自定义机器人, with 签名校验) and ``webhook`` (a plain JSON POST) — each sending
to the robots named in the campaign's ``[plugins.webhook]`` table. A unit chooses its robot
in its ``channels`` table: ``wecom = "futian-robot"``. URLs and secrets come from environment
variables that the table names; they are never printed or logged.

This module is what the entry point loads, so it imports nothing heavy: ``httpx`` is
imported only when a message is sent.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from campaignkit import Campaign, ConfigSection, Notification, Notifier, Problem, hookimpl

from .config import NOTIFIER_FLAVORS, WebhookRobot, WebhookSettings, check

if TYPE_CHECKING:
    from .send import Webhooks

__all__ = [
    "WebhookRobot",
    "WebhookSettings",
    "campaignkit_check_campaign",
    "campaignkit_config_sections",
    "campaignkit_configure",
    "campaignkit_notifiers",
    "webhooks",
]

_state: Webhooks | None = None
_state_lock = threading.Lock()


def webhooks() -> Webhooks:
    """The state the notifiers use, set by `campaignkit_configure` for each run.

    Made on first use, so that listing plugins imports nothing of the sending side.
    """
    global _state
    with _state_lock:
        if _state is None:
            from .send import Webhooks

            _state = Webhooks()
            atexit.register(_state.close)
        return _state


DESCRIPTIONS = {
    "wecom": "WeCom (企业微信) group robots named in [plugins.webhook.robots]",
    "dingtalk": "DingTalk (钉钉) custom robots, signed, named in [plugins.webhook.robots]",
    "feishu": "Feishu (飞书) custom robots, signed, named in [plugins.webhook.robots]",
    "webhook": "the notification as JSON, POSTed to a generic webhook in [plugins.webhook.robots]",
}


def _deliver(notifier: str) -> Callable[[Notification, str | None], None]:
    def deliver(notification: Notification, address: str | None) -> None:
        webhooks().deliver(notifier, notification, address)

    deliver.__name__ = f"deliver_{notifier}"
    return deliver


@hookimpl
def campaignkit_config_sections() -> list[ConfigSection]:
    return [
        ConfigSection(
            "webhook",
            WebhookSettings,
            "group robots (WeCom, DingTalk, Feishu, generic JSON) by name; "
            "URLs and secrets come from environment variables",
        )
    ]


@hookimpl
def campaignkit_configure(config: dict[str, Any], campaign: Campaign) -> None:
    webhooks().configure(config, campaign)


@hookimpl
def campaignkit_check_campaign(campaign: Campaign) -> list[Problem]:
    return check(campaign)


@hookimpl
def campaignkit_notifiers() -> list[Notifier]:
    return [Notifier(name, _deliver(name), DESCRIPTIONS[name]) for name in NOTIFIER_FLAVORS]
