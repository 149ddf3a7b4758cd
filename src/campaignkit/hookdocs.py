"""Render the plugin hook reference from the hookspecs' signatures and docstrings.

``python -m campaignkit.hookdocs > docs/plugins/hooks.md`` regenerates the reference;
``tests/test_hookdocs.py`` fails the day a hook changes without it.
"""

from __future__ import annotations

import inspect
import re
import textwrap
import types
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from . import hookspecs

REGENERATE = "python -m campaignkit.hookdocs > docs/plugins/hooks.md"

_BANNER = re.compile(r"^# ── (.+?) ─+$")
_FIELD = re.compile(r"^:(param (\w+)|returns):\s*(.*)$")
_VERSIONADDED = re.compile(r"^\.\. versionadded:: (\S+)$")

# A minimal, runnable `@hookimpl` for each hook: what a plugin module would contain.
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
from campaignkit import hookimpl

SETTINGS = {}


@hookimpl
def campaignkit_configure(config, campaign):
    SETTINGS["sms"] = config.get("sms")
    SETTINGS["timezone"] = campaign.campaign.timezone
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
            key=f"{event.key}:{unit}",
            text=f"The drill of phase {event.subject} starts now.",
        )
        for unit in run.campaign.units
    ]
""",
    "campaignkit_notifiers": """
from campaignkit import DeliveryError, Notifier, hookimpl


def send_sms(notification, address):
    if address is None:
        raise DeliveryError(f"{notification.to} has no sms number", retryable=False)
    import urllib.request  # heavy imports inside the function

    urllib.request.urlopen(
        urllib.request.Request(
            "https://sms.example.org/send",
            data=notification.text.encode(),
            headers={"X-To": address},
        ),
        timeout=10,
    )


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


def hooks() -> list[Callable[..., Any]]:
    """Every hookspec in `campaignkit.hookspecs`, in source order."""
    found = [
        value
        for name, value in vars(hookspecs).items()
        if name.startswith("campaignkit_") and hasattr(value, "campaignkit_spec")
    ]
    return sorted(found, key=lambda func: func.__code__.co_firstlineno)


def signature(func: Callable[..., Any]) -> str:
    """The hook's signature as written in the source: ``def name(arg: Type) -> Return: ...``."""
    sig = inspect.signature(func)
    params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
    return f"def {func.__name__}({params}) -> {sig.return_annotation}: ..."


def _sections() -> Iterator[tuple[str, list[Callable[..., Any]]]]:
    """The section banners of hookspecs.py, each with the hooks below it."""
    lines = inspect.getsource(hookspecs).splitlines()
    banners = [
        (number, match.group(1))
        for number, line in enumerate(lines, start=1)
        if (match := _BANNER.match(line))
    ]
    for index, (start, title) in enumerate(banners):
        end = banners[index + 1][0] if index + 1 < len(banners) else len(lines) + 1
        yield title, [f for f in hooks() if start < f.__code__.co_firstlineno < end]


def _inline(text: str) -> str:
    """reStructuredText inline literals (double backticks) to Markdown code."""
    return re.sub(r"``(.+?)``", r"`\1`", text)


def _docstring(func: Callable[..., Any]) -> str:
    """The docstring as Markdown: prose, then Arguments, Returns and Since."""
    prose: list[str] = []
    fields: list[tuple[str, list[str]]] = []  # ("param NAME" or "returns", its lines)
    since: str | None = None
    current: list[str] | None = None  # the field a continuation line belongs to
    for line in (inspect.getdoc(func) or "").splitlines():
        field = _FIELD.match(line)
        version = _VERSIONADDED.match(line)
        if field:
            current = [field.group(3)]
            fields.append((field.group(1), current))
        elif version:
            since, current = version.group(1), None
        elif current is not None and line.startswith(" "):
            current.append(line.strip())
        else:
            current = None
            prose.append(line)
    out = [_inline(line) for line in "\n".join(prose).strip().splitlines()]
    params = [
        (key[len("param ") :], _inline(" ".join(text))) for key, text in fields if key != "returns"
    ]
    returns = [_inline(" ".join(text)) for key, text in fields if key == "returns"]
    if params:
        out += ["", "**Arguments**", ""]
        out += [f"- `{name}`: {text}" for name, text in params]
    for text in returns:
        out += ["", f"**Returns** {text}"]
    if since is not None:
        out += ["", f"*Since {since}.*"]
    return "\n".join(out)


def _options(func: Callable[..., Any]) -> str:
    options = getattr(func, f"{hookspecs.PROJECT}_spec")
    marks = []
    if options.get("firstresult"):
        marks.append("**firstresult**: the first implementation to return a non-None value wins")
    if options.get("historic"):
        marks.append("**historic**: a plugin registered later still receives the call")
    if not marks:
        return "Every implementation is called; the results are collected in a list."
    return "; ".join(marks) + "."


def hook_reference() -> str:
    """The hook reference as Markdown: every hook, in source order, under its section."""
    out = [
        "# Plugin hooks",
        "",
        "> Generated from the docstrings in `campaignkit/hookspecs.py`;"
        f" regenerate with `{REGENERATE}`.",
        "",
        "Every hook campaignkit calls, in the order they are declared. A plugin implements a",
        "hook with a function of the same name decorated with `campaignkit.hookimpl`; it may",
        "accept any subset of the arguments. See [the plugin guide](index.md) for how",
        "plugins are installed, listed and disabled.",
    ]
    for title, funcs in _sections():
        out += ["", f"## {title[0].upper()}{title[1:]}"]
        for func in funcs:
            out += [
                "",
                f"### {func.__name__}",
                "",
                "```python",
                signature(func),
                "```",
                "",
                _options(func),
                "",
                _docstring(func),
                "",
                "Example:",
                "",
                "```python",
                textwrap.dedent(EXAMPLES[func.__name__]).strip(),
                "```",
            ]
    out += _records()
    return "\n".join(out) + "\n"


def _records() -> list[str]:
    """The records hooks return and receive, from their classes' docstrings and fields."""
    import campaignkit

    out = [
        "",
        "## Records",
        "",
        "What hooks return and receive, all importable from `campaignkit`"
        " (`from campaignkit import Notifier`).",
    ]
    for name in RECORDS:
        cls = getattr(campaignkit, name)
        out += ["", f"### {name}", "", inspect.cleandoc(cls.__doc__ or "")]
        if attrs.has(cls):
            out += ["", "| field | type | default |", "| --- | --- | --- |"]
            for field in attrs.fields(cls):
                default = "" if field.default is attrs.NOTHING else f"`{field.default!r}`"
                if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                    default = "empty"
                kind = str(field.type).replace("|", "\\|")
                out.append(f"| `{field.name}` | `{kind}` | {default} |")
    return out


# The records a plugin author meets, in the order of the hooks that use them.
RECORDS = (
    "ConfigSection",
    "CliCommand",
    "Problem",
    "Event",
    "Schedule",
    "Notification",
    "Notifier",
    "DeliveryError",
    "EvidenceFormat",
    "EvidenceFacts",
    "Submission",
    "ReportFormat",
    "Workdays",
)


def example_module(name: str) -> types.ModuleType:
    """The example implementation of hook `name`, executed as a module of its own."""
    module = types.ModuleType(f"campaignkit_example_{name}")
    code = compile(textwrap.dedent(EXAMPLES[name]), f"<example {name}>", "exec")
    exec(code, module.__dict__)
    return module


if __name__ == "__main__":
    print(hook_reference(), end="")
