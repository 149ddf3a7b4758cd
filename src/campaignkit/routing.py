"""Where a notification goes: the channels that reach its unit, with their addresses, or,
forwarded and marked so, the nearest unit above it that a channel reaches."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import attrs

from .i18n import _, writing
from .model import Campaign, Contact, language_of
from .notify import Notification
from .org import reach
from .reach import unit_channels
from .records import Notifier


@attrs.frozen
class Route:
    """One way a notification goes out: a channel, an address on it, and the notification
    as sent there (carrying the addressee's contact, or forwarded to a parent unit)."""

    channel: str
    address: str | None
    notification: Notification


def addresses(
    campaign: Campaign,
    unit_id: str,
    notifiers: Mapping[str, Notifier],
    contacts: Mapping[str, Contact],
) -> tuple[dict[str, str | None], Contact | None]:
    """The channels that reach a unit, with their addresses, and its liaison officer.

    The channels are those of the unit's ``channels`` table that an installed notifier
    serves and that reach a unit. An e-mail address comes from the liaison officer the unit
    submitted, which wins; else from the table; else, when the table leaves it empty, from
    the campaign's ``contact``.
    """
    unit = campaign.units.get(unit_id)
    if unit is None:
        return {}, None
    submitted = contacts.get(unit_id)
    contact = submitted or unit.contact
    found: dict[str, str | None] = {
        name: address
        for name, address in unit.channels.items()
        if name in notifiers and notifiers[name].reaches_unit
    }
    if "email" in found:
        if submitted is not None and submitted.email:
            found["email"] = submitted.email
        elif not found["email"] and contact is not None:
            found["email"] = contact.email
    return found, contact


@cache
def _forward_mark(language: str) -> str:
    """The mark of a forwarded notice, in the notice's language whatever the operator reads;
    looked up once: a national tick forwards most of its notices."""
    with writing(language):
        return _("[Forwarded for {unit}] ")


def forwarded(campaign: Campaign, notification: Notification, parent: str) -> Notification:
    """A notification for a unit no channel reaches, sent to its parent and marked as such."""
    unit = campaign.units[notification.to]
    mark = _forward_mark(language_of(campaign)).format(unit=unit.name)
    return attrs.evolve(
        notification,
        to=parent,
        about=notification.about or notification.to,
        text=mark + notification.text,
    )


def routes(
    campaign: Campaign,
    notification: Notification,
    notifiers: Mapping[str, Notifier],
    contacts: Mapping[str, Contact] | None = None,
    landed: Mapping[str, str | None] | None = None,
) -> list[Route]:
    """Where a notification goes; empty when no channel reaches its unit.

    A notification goes to its own channel if it names one; else to every channel that
    reaches the addressee; else, marked as forwarded, to the nearest unit above it that a
    channel reaches. `landed` is `org.reach` for these notifiers, when the caller has it.
    """
    contacts = contacts or {}
    if notification.channel:
        found, contact = addresses(campaign, notification.to, notifiers, contacts)
        unit = campaign.units.get(notification.to)
        address = found.get(notification.channel)
        if address is None and unit is not None:
            address = unit.channels.get(notification.channel)
        note = attrs.evolve(notification, contact=contact)
        return [Route(notification.channel, address, note)]
    if landed is None:
        landed = reach(campaign, unit_channels(notifiers))
    target = landed.get(notification.to)
    if target is None:
        return []
    note = notification
    while note.to != target:  # each unit on the way up is named: 【转交…】【转交…】
        parent = campaign.units[note.to].parent
        if parent is None:  # a `landed` map from another campaign: nobody to pass it to
            return []
        note = forwarded(campaign, note, parent)
    found, contact = addresses(campaign, target, notifiers, contacts)
    with_contact = attrs.evolve(note, contact=contact)
    return [Route(name, address, with_contact) for name, address in found.items()]
