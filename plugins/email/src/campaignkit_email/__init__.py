"""campaignkit plugin ``email``: the ``email`` notifier, over SMTP.

A unit receives e-mail when its ``channels`` table names this notifier::

    [units.futian.channels]
    email = "liaison@futian.example.org"   # or "" to use the unit's contact.email

and the campaign gives the sender in ``[plugins.email]`` (see `EmailSettings`); the server
and its login come from ``CAMPAIGNKIT_SMTP_*`` environment variables where it is sent.
Reminders, overdue notices and escalations then go out as UTF-8 e-mails with a subject in
the campaign's language and a Message-ID derived from the notification's key.

The settings come with each delivery, from the campaign in the notifier's context, and the
SMTP connection is kept for one round of delivery (`Context.resource`): nothing about a
campaign is kept in this module, so campaigns delivered in one process never mix.

This module is what the entry point loads, so it imports nothing heavy: ``smtplib`` and
``ssl`` are imported only when the first e-mail is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaignkit import (
    Campaign,
    ConfigSection,
    Context,
    DeliveryError,
    Notification,
    Notifier,
    Problem,
    hookimpl,
)

from .settings import SECTION, EmailSettings, _, check

if TYPE_CHECKING:
    from .smtp import Mailer

__all__ = [
    "EmailSettings",
    "campaignkit_check_campaign",
    "campaignkit_config_sections",
    "campaignkit_notifiers",
    "deliver",
]

MAILER = (__name__, "mailer")
"""Where a round of delivery keeps the mailer, and with it the open SMTP connection."""


@hookimpl
def campaignkit_config_sections() -> list[ConfigSection]:
    return [ConfigSection(SECTION, EmailSettings, "SMTP server and sender of the email notifier")]


@hookimpl
def campaignkit_check_campaign(campaign: Campaign) -> list[Problem]:
    return check(campaign)


@hookimpl
def campaignkit_notifiers() -> list[Notifier]:
    return [Notifier(SECTION, deliver, "e-mail over SMTP, configured in [plugins.email]")]


def deliver(notification: Notification, address: str | None, context: Context) -> None:
    """The ``email`` notifier: send `notification` to `address` (or the unit's contact),
    with the settings of the campaign in `context`."""
    mailer = context.resource(MAILER, lambda: _mailer(context))
    mailer.deliver(notification, address, contact=context.contact)


def _mailer(context: Context) -> Mailer:
    """A mailer for the campaign of `context`: the round closes it (QUIT) when it ends."""
    settings = context.settings(SECTION)
    if not isinstance(settings, EmailSettings):
        raise DeliveryError(
            _(
                "the email notifier is not configured: add a [plugins.{section}] table "
                "with `sender` to the campaign"
            ).format(section=SECTION),
            retryable=False,
        )
    from .smtp import Mailer

    return Mailer(settings, context.campaign)
