"""One notification as one e-mail: subject, body and the headers that identify it."""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from email.message import EmailMessage
from email.utils import format_datetime

from campaignkit import Campaign, Notification, language_of, writing

from .settings import EmailSettings, _

MESSAGE_ID_DOMAIN = "campaignkit"


def language(campaign: Campaign) -> str:
    """``zh`` for a campaign in Chinese, ``en`` for everything else."""
    return language_of(campaign)


def message_id(campaign: Campaign, notification: Notification) -> str:
    """The same notification always gets the same Message-ID, so a re-send is recognisable."""
    seed = f"{campaign.campaign.id}\n{notification.key}".encode()
    return f"<{hashlib.sha256(seed).hexdigest()[:40]}@{MESSAGE_ID_DOMAIN}>"


def subject(campaign: Campaign, notification: Notification, prefix: str = "") -> str:
    """``【前缀】提醒：要求名称`` — the kind, then what it is about, in the campaign's language."""
    with writing(language(campaign)):
        return prefix + _subject(campaign, notification)


def _subject(campaign: Campaign, notification: Notification) -> str:
    requirement = campaign.requirements.get(notification.requirement or "")
    topic = requirement.name if requirement is not None else campaign.campaign.title
    kind = notification.kind
    if kind == "reminder":
        line = _("Reminder: {topic}")
    elif kind == "overdue":
        line = _("Overdue: {topic}")
    elif kind == "escalation":
        line = _("Escalation: {topic}")
    elif kind == "rejected":
        line = _("Returned: {topic}")
    else:  # a plugin's own kind
        line = _("Notice: {topic}")
    text = line.format(topic=topic)
    if notification.about:
        unit = campaign.units.get(notification.about)
        name = unit.name if unit is not None else notification.about
        text = _("{subject} ({unit})").format(subject=text, unit=name)
    return text


def body(campaign: Campaign, notification: Notification) -> str:
    """The notification's text, then the due date, the campaign and the notice's key."""
    with writing(language(campaign)):
        lines = [notification.text, ""]
        requirement = campaign.requirements.get(notification.requirement or "")
        if requirement is not None:
            lines.append(_("Due: {date}").format(date=requirement.due.isoformat()))
        info = campaign.campaign
        title = info.title
        if info.reference:
            title = _("{title} ({reference})").format(title=info.title, reference=info.reference)
        lines.append(_("Campaign: {title}").format(title=title))
        lines.append(_("Notice key: {key}").format(key=notification.key))
    return "\n".join(lines) + "\n"


def compose(
    campaign: Campaign,
    settings: EmailSettings,
    notification: Notification,
    to: str,
    *,
    now: dt.datetime | None = None,
) -> EmailMessage:
    """The e-mail for `notification` to `to`: UTF-8 subject and body, stable Message-ID."""
    if now is None:
        now = dt.datetime.now(zoneinfo.ZoneInfo(campaign.timezone))
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = to
    msg["Subject"] = subject(campaign, notification, settings.subject_prefix)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id(campaign, notification)
    # RFC 3834: an automatic message, so vacation responders stay quiet.
    msg["Auto-Submitted"] = "auto-generated"
    msg["Content-Language"] = language(campaign)
    msg["X-Campaignkit-Key"] = notification.key
    text = body(campaign, notification)
    # base64 for Chinese: compact, and safe for servers without 8BITMIME.
    msg.set_content(text, charset="utf-8", cte=None if text.isascii() else "base64")
    return msg
