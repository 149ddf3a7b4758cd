"""campaignkit plugin ``email``: the ``email`` notifier, over SMTP.

A unit receives e-mail when its ``channels`` table names this notifier::

    [units.futian.channels]
    email = "liaison@futian.example.org"   # or "" to use the unit's contact.email

and the campaign gives the sender in ``[plugins.email]`` (see `EmailSettings`); the server
and its login come from ``CAMPAIGNKIT_SMTP_*`` environment variables where it is sent.
Reminders, overdue notices and escalations then go out as UTF-8 e-mails with a subject in
the campaign's language and a Message-ID derived from the notification's key.

This module is what the entry point loads, so it imports nothing heavy: ``smtplib`` and
``ssl`` are imported only when the first e-mail is sent.
"""

from __future__ import annotations

import atexit
from typing import TYPE_CHECKING, Any

from campaignkit import (
    Campaign,
    ConfigSection,
    DeliveryError,
    Notification,
    Notifier,
    Problem,
    hookimpl,
)

from .settings import SECTION, EmailSettings, _, check, settings_of

if TYPE_CHECKING:
    from .smtp import Mailer

__all__ = [
    "EmailSettings",
    "campaignkit_check_campaign",
    "campaignkit_config_sections",
    "campaignkit_configure",
    "campaignkit_notifiers",
    "deliver",
]

# This run's campaign and settings, from `campaignkit_configure`, and the mailer holding
# the open SMTP connection. One campaign runs at a time in a process.
_run: dict[str, Any] = {"campaign": None, "settings": None, "mailer": None}


@hookimpl
def campaignkit_config_sections() -> list[ConfigSection]:
    return [ConfigSection(SECTION, EmailSettings, "SMTP server and sender of the email notifier")]


@hookimpl
def campaignkit_configure(config: dict[str, Any], campaign: Campaign) -> None:
    _reset()
    _run["campaign"] = campaign
    _run["settings"] = settings_of(config)


@hookimpl
def campaignkit_check_campaign(campaign: Campaign) -> list[Problem]:
    return check(campaign)


@hookimpl
def campaignkit_notifiers() -> list[Notifier]:
    return [Notifier(SECTION, deliver, "e-mail over SMTP, configured in [plugins.email]")]


def deliver(notification: Notification, address: str | None) -> None:
    """The ``email`` notifier: send `notification` to `address` (or the unit's contact)."""
    mailer: Mailer | None = _run["mailer"]
    if mailer is None:
        campaign, settings = _run["campaign"], _run["settings"]
        if campaign is None or settings is None:
            raise DeliveryError(
                _(
                    "the email notifier is not configured: add a [plugins.{section}] table "
                    "with `sender` to the campaign"
                ).format(section=SECTION),
                retryable=False,
            )
        from .smtp import Mailer

        mailer = _run["mailer"] = Mailer(settings, campaign)
    mailer.deliver(notification, address)


def _reset() -> None:
    """Close this run's SMTP connection, if one is open, and forget the run."""
    mailer: Mailer | None = _run["mailer"]
    _run.update(campaign=None, settings=None, mailer=None)
    if mailer is not None:
        mailer.close()


atexit.register(_reset)
