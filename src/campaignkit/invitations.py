"""Sending units their links (``invite --send``), now, through each unit's own channels.

A link is a secret: it goes only to the channels of the unit it lets in — never forwarded
to the unit above, as a notice that reaches no one is — and it is never written to the
outbox, which keeps every notice's text. The audit log says where each went, without it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from .access import IssuedToken
from .admission import OPERATOR
from .context import Context
from .delivery import send_once
from .i18n import _, local_time, writing
from .ledger import Ledger
from .model import Campaign, language_of
from .notify import Notification
from .plugins import PluginHost
from .records import Decline, Defer, DeliveryError
from .reviews import AuditEntry
from .routing import Route, addresses


@attrs.frozen
class InvitationSent:
    """Where a unit's link went: the channels that took it, and why others did not."""

    unit: str
    channels: tuple[str, ...]
    errors: tuple[str, ...] = ()
    """``channel: why`` for each channel that failed, deferred or declined it."""

    @property
    def reached(self) -> bool:
        return bool(self.channels)


def send_invitations(
    campaign: Campaign,
    host: PluginHost,
    ledger: Ledger,
    issued: Sequence[IssuedToken],
    base_url: str,
    *,
    now: dt.datetime,
    actor: str = OPERATOR,
) -> list[InvitationSent]:
    """Send each unit its link (`issued`, at `base_url`) through the channels that reach it
    directly, now; each sending in the audit log. A unit no channel reaches gets nothing
    (its `InvitationSent` has no channels): the office hands it the link another way."""
    cid = campaign.campaign.id
    notifiers = {n: r for n, r in host.notifiers().items() if r.reaches_unit}
    contacts = ledger.contacts(cid, ledger.submissions(cid))
    context = Context(campaign, now, host.schedule(campaign), live=True)
    out = []
    try:
        for link in issued:
            found, contact = addresses(campaign, link.unit, notifiers, contacts)
            note = Notification(
                at=now,
                to=link.unit,
                kind="invitation",
                requirement=None,
                key=f"{cid}/invitation/{link.unit}/{now.isoformat()}",
                text=invitation_text(campaign, link, base_url),
                contact=contact,
                campaign=cid,
            )
            here = attrs.evolve(context, contact=contact)
            sent: list[str] = []
            errors: list[str] = []
            for channel, address in found.items():
                answer = send_once(notifiers[channel], Route(channel, address, note), here)
                if answer is None:
                    sent.append(channel)
                else:
                    errors.append(f"{channel}: {_why(answer)}")
            said = {"channels": sent, "errors": errors}
            ledger.record_audit(cid, AuditEntry(now, actor, "send-invitation", link.unit, said))
            out.append(InvitationSent(link.unit, tuple(sent), tuple(errors)))
    finally:
        context.close()
    return out


def invitation_text(campaign: Campaign, link: IssuedToken, base_url: str) -> str:
    """The message that carries a unit's link, in the campaign's language."""
    language = language_of(campaign)
    with writing(language):
        return _(
            "{unit}: your link to hand in for “{campaign}” and to see what is asked of you: "
            "{url} — valid until {until}. Keep it within your unit: whoever has it hands "
            "in as {unit}."
        ).format(
            unit=link.name,
            campaign=campaign.campaign.title,
            url=link.url(base_url),
            until=local_time(link.expires_at, campaign.campaign.timezone),
        )


def _why(answer: Defer | Decline | DeliveryError) -> str:
    if isinstance(answer, Defer):
        return _("deferred by the channel, not sent; send again later")
    if isinstance(answer, Decline):
        return answer.reason or _("declined by the channel")
    return str(answer)
