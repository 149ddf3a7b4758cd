"""One notification as one e-mail: subject, body and the headers that identify it."""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from email.message import EmailMessage
from email.utils import format_datetime

from campaignkit.model import Campaign
from campaignkit.notify import Notification

from .settings import EmailSettings

LABELS = {
    "zh": {"reminder": "提醒", "overdue": "逾期", "escalation": "督办", None: "通知"},
    "en": {
        "reminder": "Reminder",
        "overdue": "Overdue",
        "escalation": "Escalation",
        None: "Notice",
    },
}
LINES = {
    "zh": {
        "due": "截止日期",
        "key": "通知编号",
        "campaign": "活动",
        "colon": "：",
        "about": "（{}）",
    },
    "en": {
        "due": "Due",
        "key": "Notice key",
        "campaign": "Campaign",
        "colon": ": ",
        "about": " ({})",
    },
}
MESSAGE_ID_DOMAIN = "campaignkit"


def language(campaign: Campaign) -> str:
    """``zh`` for a campaign in Chinese, ``en`` for everything else."""
    return "zh" if (campaign.campaign.language or "").lower().startswith("zh") else "en"


def message_id(campaign: Campaign, notification: Notification) -> str:
    """The same notification always gets the same Message-ID, so a re-send is recognisable."""
    seed = f"{campaign.campaign.id}\n{notification.key}".encode()
    return f"<{hashlib.sha256(seed).hexdigest()[:40]}@{MESSAGE_ID_DOMAIN}>"


def subject(campaign: Campaign, notification: Notification, prefix: str = "") -> str:
    """``【前缀】提醒：要求名称`` — the kind, then what it is about, in the campaign's language."""
    lang = language(campaign)
    labels, words = LABELS[lang], LINES[lang]
    label = labels.get(notification.kind) or labels[None]
    requirement = campaign.requirements.get(notification.requirement or "")
    topic = requirement.name if requirement is not None else campaign.campaign.title
    about = ""
    if notification.about:
        unit = campaign.units.get(notification.about)
        about = words["about"].format(unit.name if unit is not None else notification.about)
    return f"{prefix}{label}{words['colon']}{topic}{about}"


def body(campaign: Campaign, notification: Notification) -> str:
    """The notification's text, then the due date, the campaign and the notice's key."""
    words = LINES[language(campaign)]
    colon = words["colon"]
    lines = [notification.text, ""]
    requirement = campaign.requirements.get(notification.requirement or "")
    if requirement is not None:
        lines.append(f"{words['due']}{colon}{requirement.due.isoformat()}")
    info = campaign.campaign
    title = f"{info.title}（{info.reference}）" if info.reference else info.title
    lines.append(f"{words['campaign']}{colon}{title}")
    lines.append(f"{words['key']}{colon}{notification.key}")
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
