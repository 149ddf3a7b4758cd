"""The ``[plugins.webhook]`` table: named group robots, and the checks `validate` runs on them.

The table never holds a secret. A robot names the *environment variables* that hold its
webhook URL and its signing secret; the values are read only when a message is sent. A
campaign file travels between offices, so it may only name variables that start with
``CAMPAIGNKIT_`` (`OPERATOR_ENV`): those the office sending sets for campaignkit, never
another program's secret nor a URL it did not choose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from campaignkit import Campaign, Problem, did_you_mean, translator

_ = translator("campaignkit_webhook", Path(__file__).parent / "locale")
"""This plugin's messages, in the language campaignkit speaks (its own catalog)."""

Flavor = Literal["wecom", "dingtalk", "feishu", "generic"]

DEFAULT_ROBOT = "default"
"""The name of the robot written straight into ``[plugins.webhook]``."""

NOTIFIER_FLAVORS: dict[str, Flavor] = {
    "wecom": "wecom",
    "dingtalk": "dingtalk",
    "feishu": "feishu",
    "webhook": "generic",
}
"""Each notifier this plugin declares, and the flavour of robot it sends to."""

FLAVOR_NOTIFIERS: dict[str, str] = {flavor: name for name, flavor in NOTIFIER_FLAVORS.items()}

DEFAULT_PER_MINUTE: dict[str, int | None] = {
    "wecom": 20,
    "dingtalk": 20,
    "feishu": 100,
    "generic": None,
}
"""What each platform allows a custom robot per minute; None: no limit of our own."""

OPERATOR_ENV = re.compile(r"CAMPAIGNKIT_[A-Za-z0-9_]+")
"""The variables a campaign file may name: those the operator sets for campaignkit alone."""


def _doc(text: str, **kwargs: Any) -> Any:
    return attrs.field(metadata={"doc": text}, **kwargs)


def _env(text: str, **kwargs: Any) -> Any:
    # The pattern puts the rule in the JSON Schema too, so editors flag a wrong name.
    schema = {"pattern": f"^{OPERATOR_ENV.pattern}$"}
    return attrs.field(metadata={"doc": text, "schema": schema}, **kwargs)


@attrs.frozen
class WebhookRobot:
    """One group robot: its platform and the environment variables holding its URL and secret."""

    flavor: Flavor = _doc(
        "The platform: `wecom` (企业微信), `dingtalk` (钉钉), `feishu` (飞书) or `generic` JSON."
    )
    url_env: str = _env(
        "The NAME of the environment variable that holds the robot's webhook URL "
        "(never the URL itself); it must start with CAMPAIGNKIT_."
    )
    secret_env: str | None = _env(
        "The NAME of the environment variable holding the signing secret "
        "(dingtalk and feishu 加签; generic: HMAC of the body); it must start with CAMPAIGNKIT_.",
        default=None,
    )
    per_minute: int | None = _doc(
        "At most this many messages in any 60 seconds "
        "(default 20 for wecom and dingtalk, 100 for feishu, no limit for generic).",
        default=None,
    )
    markdown: bool = _doc("wecom and dingtalk: send markdown instead of plain text.", default=False)
    mention: bool = _doc(
        "@-mention the addressee unit's contact by mobile number where the platform allows it.",
        default=True,
    )

    @property
    def limit(self) -> int | None:
        """Messages allowed per minute, with the flavour's default filled in."""
        return self.per_minute if self.per_minute is not None else DEFAULT_PER_MINUTE[self.flavor]


@attrs.frozen
class WebhookSettings:
    """Group robots (WeCom, DingTalk, Feishu, generic JSON) that notifications go to, by name."""

    robots: Mapping[str, WebhookRobot] = _doc(
        'The robots by name; a unit\'s `channels` table names one, e.g. `wecom = "futian-robot"`.',
        factory=dict,
    )
    timeout_s: float = _doc("Seconds to wait for a robot's answer.", default=10.0)
    # The campaign's own robot, written straight into the table: the robot named `default`.
    flavor: Flavor | None = _doc(
        "The flavour of the campaign's own robot (named `default`).", default=None
    )
    url_env: str | None = _env(
        "The environment variable holding the URL of the campaign's own robot; "
        "it must start with CAMPAIGNKIT_.",
        default=None,
    )
    secret_env: str | None = _env(
        "The environment variable holding the campaign's own robot's secret; "
        "it must start with CAMPAIGNKIT_.",
        default=None,
    )
    per_minute: int | None = _doc("Rate limit of the campaign's own robot.", default=None)
    markdown: bool = _doc("The campaign's own robot sends markdown.", default=False)
    mention: bool = _doc("The campaign's own robot @-mentions by mobile.", default=True)

    def robot(self, name: str) -> WebhookRobot | None:
        """The robot called `name`; ``default`` is the one written into the table itself."""
        if name in self.robots:
            return self.robots[name]
        if name == DEFAULT_ROBOT and self.flavor is not None and self.url_env is not None:
            return WebhookRobot(
                flavor=self.flavor,
                url_env=self.url_env,
                secret_env=self.secret_env,
                per_minute=self.per_minute,
                markdown=self.markdown,
                mention=self.mention,
            )
        return None

    def names(self) -> list[str]:
        """Every robot's name, the table's own first."""
        own = (
            [DEFAULT_ROBOT]
            if self.robot(DEFAULT_ROBOT) and DEFAULT_ROBOT not in self.robots
            else []
        )
        return own + list(self.robots)


def settings_of(config: Mapping[str, Any]) -> WebhookSettings | None:
    """This plugin's settings among a run's structured plugin tables."""
    settings = config.get("webhook")
    return settings if isinstance(settings, WebhookSettings) else None


def check(campaign: Campaign) -> list[Problem]:
    """Problems `validate` reports: bad robot settings, and units' channels naming no robot."""
    settings = settings_of(campaign.plugins)
    problems = _check_settings(settings) if settings is not None else []
    for unit in campaign.units.values():
        for channel, address in unit.channels.items():
            flavor = NOTIFIER_FLAVORS.get(channel)
            if flavor is not None:
                problems += _check_channel(
                    settings, f"units.{unit.id}.channels.{channel}", channel, flavor, address
                )
    return problems


def _check_channel(
    settings: WebhookSettings | None, path: str, channel: str, flavor: str, address: str
) -> list[Problem]:
    name = address or DEFAULT_ROBOT
    add = _('add [plugins.webhook.robots.{name}] with flavor = "{flavor}" and url_env')
    if settings is None:
        return [
            Problem(
                path,
                _(
                    "no [plugins.webhook] table names robots, so `{channel}` messages will fail"
                ).format(channel=channel),
                add.format(name=name, flavor=flavor),
                severity="warning",
                code="webhook-robot",
            )
        ]
    robot = settings.robot(name)
    if robot is None:
        return [
            Problem(
                path,
                _("no robot `{name}` in [plugins.webhook.robots]").format(name=name),
                did_you_mean(name, settings.names()) or add.format(name=name, flavor=flavor),
                code="webhook-robot",
            )
        ]
    if robot.flavor != flavor:
        right = FLAVOR_NOTIFIERS[robot.flavor]
        return [
            Problem(
                path,
                _("robot `{name}` is a {flavor} robot, not a {wanted} one").format(
                    name=name, flavor=robot.flavor, wanted=flavor
                ),
                _('write `{right} = "{name}"`, or set the robot\'s flavor = "{flavor}"').format(
                    right=right, name=name, flavor=flavor
                ),
                code="webhook-robot",
            )
        ]
    return []


def _check_settings(settings: WebhookSettings) -> list[Problem]:
    base = "plugins.webhook"
    problems: list[Problem] = []
    if settings.timeout_s <= 0:
        message = _("the timeout must be more than 0 seconds")
        problems.append(Problem(f"{base}.timeout_s", message))
    written = [
        key
        for key, value in (
            ("flavor", settings.flavor),
            ("url_env", settings.url_env),
            ("secret_env", settings.secret_env),
            ("per_minute", settings.per_minute),
            ("markdown", settings.markdown or None),
            ("mention", None if settings.mention else False),
        )
        if value is not None
    ]
    own = bool(written)
    missing = [key for key in ("flavor", "url_env") if key not in written]
    if own and missing:
        problems.append(
            Problem(
                base,
                _(
                    "`{key}` describes the campaign's own robot, which needs "
                    "`flavor` and `url_env`; missing: {missing}"
                ).format(key=written[0], missing=", ".join(f"`{k}`" for k in missing)),
                _(
                    "add the missing keys to [plugins.webhook], or describe each robot in "
                    "[plugins.webhook.robots.NAME]"
                ),
                code="missing-key",
            )
        )
    if own and DEFAULT_ROBOT in settings.robots:
        problems.append(
            Problem(
                f"{base}.robots.{DEFAULT_ROBOT}",
                _(
                    "two robots are called `{name}`: this one and the one written "
                    "straight into [plugins.webhook]"
                ).format(name=DEFAULT_ROBOT),
                _("rename one of them"),
                code="duplicate",
            )
        )
    robots = dict(settings.robots)
    own_robot = settings.robot(DEFAULT_ROBOT) if own else None
    if own_robot is not None and DEFAULT_ROBOT not in robots:
        problems += _check_robot(base, own_robot)
    for name, robot in robots.items():
        problems += _check_robot(f"{base}.robots.{name}", robot)
    return problems


def _check_robot(path: str, robot: WebhookRobot) -> list[Problem]:
    problems: list[Problem] = []
    for key in ("url_env", "secret_env"):
        value = getattr(robot, key)
        if value is not None and not OPERATOR_ENV.fullmatch(value):
            # Never repeat the value: someone may have pasted the URL or the secret itself.
            problems.append(
                Problem(
                    f"{path}.{key}",
                    _(
                        "`{key}` must be the name of an environment variable that starts with "
                        "CAMPAIGNKIT_ (letters, digits and _), not the value"
                    ).format(key=key),
                    _(
                        "a campaign file travels between offices: it never holds a webhook URL "
                        "or a secret, and may only name variables that the office sending sets "
                        'for campaignkit, e.g. url_env = "CAMPAIGNKIT_FUTIAN_WECOM_URL"; set '
                        "the variable there"
                    ),
                    code="webhook-secret",
                )
            )
    if robot.per_minute is not None and robot.per_minute < 1:
        problems.append(
            Problem(f"{path}.per_minute", _("`per_minute` must be at least 1"), code="wrong-value")
        )
    if robot.secret_env is not None and robot.flavor == "wecom":
        problems.append(
            Problem(
                f"{path}.secret_env",
                _("WeCom robots are not signed; `secret_env` is ignored"),
                severity="warning",
                code="webhook-ignored",
            )
        )
    if robot.markdown and robot.flavor in ("feishu", "generic"):
        problems.append(
            Problem(
                f"{path}.markdown",
                _(
                    "`markdown` is for wecom and dingtalk robots; a {flavor} robot ignores it"
                ).format(flavor=robot.flavor),
                severity="warning",
                code="webhook-ignored",
            )
        )
    return problems
