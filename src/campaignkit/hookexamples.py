"""A minimal, runnable ``@hookimpl`` for each hook: what a plugin module would contain. The
hook reference shows them, and tests/test_hookdocs.py runs every one."""

from __future__ import annotations

EXAMPLES: dict[str, str] = {
    "campaignkit_config_sections": """
import attrs

from campaignkit import ConfigSection, hookimpl


@attrs.frozen
class SmsSettings:
    # A campaign file travels between offices: it names the variable the operator sets
    # (starting with CAMPAIGNKIT_), never the gateway's address or a secret itself.
    gateway_env: str = "CAMPAIGNKIT_SMS_GATEWAY"
    sender: str = "campaignkit"


@hookimpl
def campaignkit_config_sections():
    return [ConfigSection("sms", SmsSettings, "the SMS sender; the gateway from the environment")]
""",
    "campaignkit_configure": """
import logging
import os

from campaignkit import hookimpl


@hookimpl
def campaignkit_configure(config, campaign):
    # Once per loaded campaign, `validate` included: the moment to tell the operator what
    # is missing. The settings themselves need no keeping: a notifier's context has them.
    settings = config.get("sms")
    if settings is not None and not os.environ.get(settings.gateway_env):
        logging.getLogger("campaignkit_sms").warning(
            "%s: set %s before text messages can go out", campaign.campaign.id,
            settings.gateway_env,
        )
""",
    "campaignkit_cli_commands": '''
from campaignkit import CliCommand, hookimpl


def load_hello():
    import typer  # imported only when `campaignkit hello` runs

    def hello(name: str = "world") -> None:
        """Say hello."""
        typer.echo(f"hello, {name}")

    return hello


@hookimpl
def campaignkit_cli_commands():
    return [CliCommand("hello", load_hello, "say hello")]
''',
    "campaignkit_check_campaign": """
from campaignkit import Problem, hookimpl


@hookimpl
def campaignkit_check_campaign(campaign):
    return [
        Problem(
            f"requirements.{req.id}.description",
            "a requirement should say what is expected",
            severity="warning",
            code="no-description",
        )
        for req in campaign.requirements.values()
        if not req.description
    ]
""",
    "campaignkit_timeline": """
from campaignkit import Event, hookimpl


@hookimpl
def campaignkit_timeline(campaign, schedule):
    # A drill on the first day of each phase, at the campaign's send time (09:00 local
    # unless its `send_at` says otherwise), or the next working day's when that is a rest
    # day and the campaign does not send on rest days.
    return [
        Event(
            schedule.local(schedule.sending_day(phase.start), schedule.send_at),
            "drill.start",
            phase.id,
        )
        for phase in campaign.phases.values()
    ]
""",
    "campaignkit_on_event": """
from campaignkit import Notification, hookimpl


@hookimpl
def campaignkit_on_event(event, run):
    if event.kind != "drill.start":
        return []
    return [
        Notification(
            at=event.at,
            to=unit,
            kind="drill",
            requirement=None,
            # Unique and stable: the outbox sends a key once, whichever campaign it is.
            key=f"{run.campaign.campaign.id}/drill-{event.subject}/{unit}",
            text=f"The drill of phase {event.subject} starts now.",
        )
        for unit in run.campaign.units
    ]
""",
    "campaignkit_notifiers": """
import os

from campaignkit import Decline, DeliveryError, Notifier, hookimpl


def send_sms(notification, address, context):
    settings = context.settings("sms")  # the campaign's [plugins.sms] table, or None
    if settings is None:
        return Decline("the campaign has no [plugins.sms] table")
    if address is None:
        raise DeliveryError(f"{notification.to} has no sms number", retryable=False)
    gateway = os.environ.get(settings.gateway_env)  # the operator's, never the file's
    if not gateway:
        raise DeliveryError(f"{settings.gateway_env} is not set", retryable=False)
    import urllib.error  # heavy imports inside the function
    import urllib.request

    request = urllib.request.Request(
        gateway, data=notification.text.encode(), headers={"X-To": address}
    )
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except urllib.error.HTTPError as error:
        # A 4xx is the gateway refusing this message: sending it again cannot help. A 5xx
        # or 429 may pass later, after the wait the gateway asks for.
        wait = error.headers.get("Retry-After")
        raise DeliveryError(
            f"the gateway answered HTTP {error.code}",
            retryable=error.code >= 500 or error.code == 429,
            retry_after=float(wait) if wait and wait.isdigit() else None,
        ) from None


@hookimpl
def campaignkit_notifiers():
    return [Notifier("sms", send_sms, "text messages through the SMS gateway")]
""",
    "campaignkit_evidence_formats": """
from campaignkit import EvidenceFormat, hookimpl


@hookimpl
def campaignkit_evidence_formats():
    # The names this plugin's campaignkit_probe_evidence puts in EvidenceFacts.format.
    return [
        EvidenceFormat("dwg", "document", "AutoCAD drawing: starts with AC10"),
        EvidenceFormat("mp3", "other", "MP3 audio: an ID3 tag or an MPEG audio frame", ("mpga",)),
    ]
""",
    "campaignkit_probe_evidence": """
from campaignkit import EvidenceFacts, hookimpl


@hookimpl
def campaignkit_probe_evidence(path):
    if path.read_bytes()[:5] != b"%PDF-":
        return None  # not ours: let the next prober try
    return EvidenceFacts(path, kind="document", format="pdf", size_bytes=path.stat().st_size)
""",
    "campaignkit_evidence_stores": """
from pathlib import Path
from urllib.parse import urlsplit

from campaignkit import DirectoryStore, EvidenceBackend, hookimpl


def open_share(location):
    # CAMPAIGNKIT_EVIDENCE=nas://evidence/2020 → the share mounted at /mnt/nas/evidence/2020
    parts = urlsplit(location)
    if not parts.netloc:
        raise ValueError("say which share: nas://SHARE/FOLDER")
    return DirectoryStore(Path("/mnt/nas", parts.netloc, parts.path.lstrip("/")))


@hookimpl
def campaignkit_evidence_stores():
    return [EvidenceBackend("nas", open_share, "a share of the office's NAS, mounted")]
""",
    "campaignkit_check_submission": """
from campaignkit import Problem, hookimpl


@hookimpl
def campaignkit_check_submission(submission, requirement):
    return [
        Problem(
            f"deliverables.{deliverable}",
            f"{facts.path.name} is empty",
            code="empty-file",
        )
        for deliverable, files in submission.evidence.items()
        for facts in files
        if facts.size_bytes == 0
    ]
""",
    "campaignkit_report_formats": """
from campaignkit import ReportFormat, hookimpl


def render_text(report):
    lines = [report.campaign.campaign.title]
    for status in report.requirements:
        lines.append(f"{status.requirement.id}: due {status.due_at:%Y-%m-%d}")
    return "\\n".join(lines) + "\\n"


@hookimpl
def campaignkit_report_formats():
    return [ReportFormat("txt", ".txt", "text/plain", render_text, "plain text")]
""",
    "campaignkit_report_columns": """
from campaignkit import ReportColumn, hookimpl

HEADINGS = {"en": "days late", "zh": "逾期天数"}


def days_late(report, status, row):
    # A number, words or None (an empty cell): the unit's delay past the deadline.
    if row.standing != "late" or row.submitted_at is None:
        return None
    return (row.submitted_at - status.due_at).days + 1


@hookimpl
def campaignkit_report_columns(campaign):
    return [ReportColumn("days_late", HEADINGS.__getitem__, days_late, "days past the deadline")]
""",
    "campaignkit_workdays": """
import datetime as dt

from campaignkit import hookimpl


class FridaySaturdayWeekend:
    name = "friday-saturday"

    def is_workday(self, day: dt.date) -> bool:
        return day.weekday() not in (4, 5)


@hookimpl
def campaignkit_workdays(timezone):
    if timezone != "Asia/Riyadh":
        return None  # not our country: defer to another plugin
    return FridaySaturdayWeekend()
""",
}
