"""Sending: find the robot, read its URL and secret from the environment, respect its rate
limit, sign, post, and judge the answer.

Nothing here ever prints or logs a webhook URL, a secret or a signed query string: errors
name the robot and the environment variable only, and while a request is in flight a filter
on httpx's loggers hides its URL from their log records. Only variables that start with
``CAMPAIGNKIT_`` are read.
"""

from __future__ import annotations

import collections
import json
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from campaignkit import Context, DeliveryError, Notification, did_you_mean

from . import platforms
from .config import (
    DEFAULT_ROBOT,
    NOTIFIER_FLAVORS,
    OPERATOR_ENV,
    WebhookRobot,
    WebhookSettings,
    _,
    settings_of,
)
from .redact import REDACTOR, hide_from_http_logs, is_http_url, scrub, secrets_of

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("campaignkit_webhook")

WINDOW_S = 60.0
PLATFORM_BACKOFF_S = 60.0
"""After a platform's own rate-limit answer, how long the robot rests in this round."""
USER_AGENT = "campaignkit-webhook/0.1"


class RateWindow:
    """At most `per_minute` messages in any 60 seconds, on a monotonic `clock`."""

    def __init__(self, per_minute: int | None, clock: Callable[[], float]) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.sent: collections.deque[float] = collections.deque()
        self.resting_until = -math.inf
        self._lock = threading.Lock()

    def reserve(self, count: int) -> float | None:
        """Take `count` places in the window; None if taken, else the seconds to wait."""
        with self._lock:
            now = self.clock()
            while self.sent and self.sent[0] <= now - WINDOW_S:
                self.sent.popleft()
            if self.resting_until > now:
                return self.resting_until - now
            if self.per_minute is not None:
                excess = len(self.sent) + count - self.per_minute
                if excess > 0:
                    return self.sent[excess - 1] + WINDOW_S - now
            self.sent.extend([now] * count)
            return None

    @property
    def resting(self) -> bool:
        """True while the platform's own rate-limit answer keeps the robot quiet."""
        return self.resting_until > self.clock()

    def rest(self, seconds: float) -> None:
        """Send nothing more for `seconds`: the platform said it had had enough."""
        with self._lock:
            self.resting_until = max(self.resting_until, self.clock() + seconds)


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds from an HTTP ``Retry-After`` header: a number, or a date (wall clock `now`)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


class Webhooks:
    """The sending machinery of one round of delivery: an HTTP client and each robot's rate
    window. The robots come with each message, from the campaign of its context.

    `clock` is monotonic and drives the rate limits; `wall` is the real time the platforms'
    signatures carry; `environ` is where URLs and secrets are read (the process
    environment by default). Tests inject all three.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.clock = clock
        self.wall = wall
        self.environ = environ
        self._windows: dict[str, RateWindow] = {}
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the client: the round calls it when it ends."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    # -- delivery -----------------------------------------------------------------------
    def deliver(
        self, notifier: str, notification: Notification, address: str | None, context: Context
    ) -> None:
        """Send `notification` through the robot named `address` (``default`` when None),
        as the campaign of `context` describes it."""
        flavor = NOTIFIER_FLAVORS[notifier]
        name = address or DEFAULT_ROBOT
        who = _who(notifier, name)
        settings = settings_of(context.campaign.plugins)
        if settings is None:
            raise DeliveryError(
                _("{who}: the campaign has no [plugins.webhook] table naming robots").format(
                    who=who
                ),
                retryable=False,
            )
        robot = _robot(settings, who, flavor, name)
        url = self._env(who, robot.url_env, _("the webhook URL"))
        if not is_http_url(url):
            raise DeliveryError(
                _("{who}: environment variable {variable} does not hold an http(s) URL").format(
                    who=who, variable=robot.url_env
                ),
                retryable=False,
            )
        secret = None
        if robot.secret_env is not None and flavor != "wecom":
            secret = self._env(who, robot.secret_env, _("the signing secret"))
        mobile = _mobile(notification, context) if robot.mention else None
        payloads = platforms.messages(flavor, notification, markdown=robot.markdown, mobile=mobile)
        window = self._window(name, robot)
        if robot.limit is not None and len(payloads) > robot.limit:
            raise DeliveryError(
                _(
                    "{who}: the notification needs {count} messages, more than the "
                    "robot may send in a minute ({limit})"
                ).format(who=who, count=len(payloads), limit=robot.limit),
                retryable=False,
            )
        wait = window.reserve(len(payloads))
        if wait is not None:
            why = (
                _("the platform said it had had enough")
                if window.resting
                else _("rate limit of {limit} messages a minute reached").format(limit=robot.limit)
            )
            raise DeliveryError(
                _("{who}: {why}; try again in {seconds} s").format(
                    who=who, why=why, seconds=math.ceil(wait)
                ),
                retryable=True,
                retry_after=wait,
            )
        for index, payload in enumerate(payloads, 1):
            self._send(
                who, flavor, robot, url, secret, payload, notification, window, settings.timeout_s
            )
            log.debug(
                "%s: %s delivered (message %d of %d)", who, notification.key, index, len(payloads)
            )

    def _env(self, who: str, variable: str, what: str) -> str:
        # Checked again here, not only by `validate`: the settings may not come from a
        # campaign file that was validated, and a wrong name must not even be read.
        if not OPERATOR_ENV.fullmatch(variable):
            raise DeliveryError(  # the name is not repeated: it may be a pasted secret
                _(
                    "{who}: the variable for {what} must start with CAMPAIGNKIT_: "
                    "nothing was sent (`campaignkit validate` says more)"
                ).format(who=who, what=what),
                retryable=False,
            )
        environ = self.environ if self.environ is not None else os.environ
        value = environ.get(variable, "").strip()
        if not value:
            raise DeliveryError(
                _(
                    "{who}: environment variable {variable} is not set (it should hold {what})"
                ).format(who=who, variable=variable, what=what),
                retryable=False,
            )
        return value

    def _window(self, name: str, robot: WebhookRobot) -> RateWindow:
        with self._lock:
            window = self._windows.get(name)
            if window is None:
                window = self._windows[name] = RateWindow(robot.limit, self.clock)
            return window

    def _http(self) -> httpx.Client:
        import httpx

        with self._lock:
            if self._client is None:
                self._client = httpx.Client(
                    follow_redirects=False, headers={"User-Agent": USER_AGENT}
                )
            return self._client

    def _send(
        self,
        who: str,
        flavor: str,
        robot: WebhookRobot,
        url: str,
        secret: str | None,
        payload: dict[str, Any],
        notification: Notification,
        window: RateWindow,
        timeout: float,
    ) -> None:
        import httpx

        now = self.wall()
        target = url
        headers = {"Content-Type": "application/json; charset=utf-8"}
        signs: list[str] = []
        if flavor == "dingtalk" and secret:
            target = platforms.dingtalk_url(url, secret, int(now * 1000))
            signs.append(platforms.dingtalk_sign(secret, int(now * 1000)))
        elif flavor == "feishu" and secret:
            sign = platforms.feishu_sign(secret, int(now))
            payload = {"timestamp": str(int(now)), "sign": sign, **payload}
            signs.append(sign)
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if flavor == "generic":
            headers["Idempotency-Key"] = notification.key
            if secret:
                signature = platforms.generic_signature(secret, int(now), body)
                headers["X-Campaignkit-Timestamp"] = str(int(now))
                headers["X-Campaignkit-Signature"] = signature
                signs.append(signature)
        secrets = secrets_of(target, secret, *signs)
        hide_from_http_logs()
        with REDACTOR.hiding([*secrets, *secrets_of(url)]):
            try:
                response = self._http().post(
                    httpx.URL(target), content=body, headers=headers, timeout=timeout
                )
            except (httpx.InvalidURL, httpx.UnsupportedProtocol):
                raise DeliveryError(
                    _("{who}: environment variable {variable} does not hold a usable URL").format(
                        who=who, variable=robot.url_env
                    ),
                    retryable=False,
                ) from None
            except httpx.TimeoutException as error:
                raise DeliveryError(
                    _("{who}: no answer in time ({error})").format(
                        who=who, error=type(error).__name__
                    ),
                    retryable=True,
                ) from None
            except httpx.HTTPError as error:
                raise DeliveryError(
                    _("{who}: could not reach the robot ({error})").format(
                        who=who, error=f"{type(error).__name__}: {scrub(str(error), secrets)}"
                    ),
                    retryable=True,
                ) from None
        answer = platforms.read_answer(flavor, response.status_code, response.content)
        if answer.ok:
            return
        wait = retry_after(response.headers.get("Retry-After"), self.wall())
        if answer.rate_limited:
            window.rest(wait if wait is not None else PLATFORM_BACKOFF_S)
        refused = (
            _("{who}: the robot could not take the message ({detail})")
            if answer.retryable
            else _("{who}: the robot refused the message ({detail})")
        )
        raise DeliveryError(
            refused.format(who=who, detail=scrub(answer.detail, secrets)),
            retryable=answer.retryable,
            retry_after=wait if answer.retryable else None,
        )


def _robot(settings: WebhookSettings, who: str, flavor: str, name: str) -> WebhookRobot:
    """The robot `name` of the campaign's table, of the notifier's `flavor`."""
    robot = settings.robot(name)
    if robot is None:
        hint = did_you_mean(name, settings.names())
        message = _("{who} is not defined in [plugins.webhook.robots]").format(who=who)
        raise DeliveryError(
            _("{message}; {hint}").format(message=message, hint=hint) if hint else message,
            retryable=False,
        )
    if robot.flavor != flavor:
        raise DeliveryError(
            _("{who} is a {flavor} robot, not a {wanted} one").format(
                who=who, flavor=robot.flavor, wanted=flavor
            ),
            retryable=False,
        )
    return robot


def _mobile(notification: Notification, context: Context) -> str | None:
    """The addressee's liaison officer's mobile: the one delivery found (``context.contact``:
    details a unit submitted win over the plan's), else the unit's ``contact`` in the
    campaign."""
    contact = context.contact
    if contact is None:
        unit = context.campaign.units.get(notification.to)
        contact = unit.contact if unit is not None else None
    return platforms.mobile_of(contact.phone if contact is not None else None)


def _who(notifier: str, name: str) -> str:
    """The robot a delivery error is about, as the error names it."""
    return _('{notifier} robot "{name}"').format(notifier=notifier, name=name)
