"""campaignkit plugin ``webhook``: notifications through group robots.

Four notifiers — ``wecom`` (企业微信群机器人), ``dingtalk`` (钉钉自定义机器人, with 加签),
``feishu`` (飞书自定义机器人, with 签名校验) and ``webhook`` (a plain JSON POST) — each sending
to the robots named in the campaign's ``[plugins.webhook]`` table. A unit chooses its robot
in its ``channels`` table: ``wecom = "futian-robot"``. URLs and secrets come from environment
variables that the table names; they are never printed or logged.

Each delivery reads the robots from the campaign in the notifier's context; the HTTP client
and the robots' rate windows are kept for one round of delivery (`Context.resource`).
Nothing about a campaign is kept in this module, so campaigns delivered in one process
never mix.

This module is what the entry point loads, so it imports nothing heavy: ``httpx`` is
imported only when a message is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from campaignkit import Campaign, ConfigSection, Context, Notification, Notifier, Problem, hookimpl

from .config import NOTIFIER_FLAVORS, WebhookRobot, WebhookSettings, check

if TYPE_CHECKING:
    from .send import Webhooks

__all__ = [
    "WebhookRobot",
    "WebhookSettings",
    "campaignkit_check_campaign",
    "campaignkit_config_sections",
    "campaignkit_notifiers",
    "webhooks",
]

ROUND = (__name__, "webhooks")
"""Where a round of delivery keeps the sending machinery: its client and rate windows."""


def webhooks() -> Webhooks:
    """New sending machinery for one round of delivery, made on the round's first message.

    Imported only then, so that listing plugins imports nothing of the sending side. Tests
    replace this function to give the machinery a clock of their own.
    """
    from .send import Webhooks

    return Webhooks()


DESCRIPTIONS = {
    "wecom": "WeCom (企业微信) group robots named in [plugins.webhook.robots]",
    "dingtalk": "DingTalk (钉钉) custom robots, signed, named in [plugins.webhook.robots]",
    "feishu": "Feishu (飞书) custom robots, signed, named in [plugins.webhook.robots]",
    "webhook": "the notification as JSON, POSTed to a generic webhook in [plugins.webhook.robots]",
}


def _deliver(notifier: str) -> Callable[[Notification, str | None, Context], None]:
    def deliver(notification: Notification, address: str | None, context: Context) -> None:
        sending = context.resource(ROUND, webhooks)
        sending.deliver(notifier, notification, address, context)

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
def campaignkit_check_campaign(campaign: Campaign) -> list[Problem]:
    return check(campaign)


@hookimpl
def campaignkit_notifiers() -> list[Notifier]:
    return [Notifier(name, _deliver(name), DESCRIPTIONS[name]) for name in NOTIFIER_FLAVORS]
