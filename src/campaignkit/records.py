"""What registry hooks return: typed records, never dicts.

The core flattens the records every plugin returns and refuses two plugins claiming one
name, naming both (evidence formats excepted: several probers may know one format). Heavy
work belongs inside the callables these records carry, so that listing plugins never
imports a plugin's heavy dependencies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import attrs

if TYPE_CHECKING:
    from .notify import Notification
    from .report import Report


@attrs.frozen
class ConfigSection:
    """A plugin's ``[plugins.NAME]`` table: structured into `cls`, unknown keys refused."""

    name: str
    cls: type[Any]
    description: str = ""


class DeliveryError(Exception):
    """A notifier could not deliver: raise it from `Notifier.deliver`.

    `retryable` says whether trying again later may succeed (a network error, an HTTP 5xx,
    a platform's rate-limit code) or not (a bad address, a refused message); `retry_after`
    is the number of seconds the platform asked to wait, if it said. Any other exception
    from a notifier counts as retryable.
    """

    def __init__(self, message: str, *, retryable: bool = True, retry_after: float | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


@attrs.frozen
class Notifier:
    """A named channel that delivers notifications (``console``, ``email``, ``wecom``…).

    `deliver` is called with one notification and the addressee's address on this channel:
    the value in the unit's ``channels`` table, or None when the notification names this
    channel but the unit has no address on it. It
    returns normally when the notification was delivered (its return value is ignored),
    and raises `DeliveryError` (or any exception) otherwise; it is then tried again later.

    The notification carries ``campaign`` (the campaign's id, to find settings kept from
    ``campaignkit_configure``) and ``contact`` (the addressee's liaison officer). Its
    ``text`` may hold several lines. `deliver` must never print or log a secret.
    """

    name: str
    deliver: Callable[[Notification, str | None], None]
    description: str = ""
    reaches_unit: bool = True
    """False for a channel that only keeps a record for the office (``console``): sending
    there does not count as reaching the unit, and a unit with only such channels is not
    reached."""


@attrs.frozen
class ReportFormat:
    """A named renderer: ``report --format NAME`` writes what `render` returns."""

    name: str
    suffix: str
    media_type: str
    render: Callable[[Report], bytes | str]
    description: str = ""


@attrs.frozen
class CliCommand:
    """A subcommand a plugin adds: ``campaignkit NAME``.

    `load` is called only when the command runs: it imports the command's code and returns
    either a function, whose parameters Typer turns into arguments and options (annotate
    them as for ``typer.command``), or a ``typer.Typer`` app, for a command with
    subcommands. The command ends with ``raise typer.Exit(code)``: 0 fine, 1 the input has
    problems, 2 usage, 3 a failure, as campaignkit's own commands do. A plugin that imports
    ``typer`` lists it in its own dependencies.
    """

    name: str
    load: Callable[[], Any]
    help: str = ""


@attrs.frozen
class EvidenceFormat:
    """A file format a plugin recognises, under the name a deliverable's ``formats`` lists.

    A prober reports `name` in `EvidenceFacts.format`. `aliases` are other names a campaign
    may write for it (``jpeg`` for ``jpg``); the loaded campaign has the name in their
    place. Several plugins may declare one name: two probers may both know JPEG.

    A few formats are told by a file's name on top of its content, and the built-in
    evidence rules, which do so, declare them. WPS Office saves its ``.wps``, ``.et`` and
    ``.dps`` files in Word's, Excel's and PowerPoint's 97–2003 formats, so the prober
    reports such a file as ``doc``, ``xls`` or ``ppt``: a deliverable that lists ``wps``,
    ``et`` or ``dps`` accepts it by its name, one that lists ``doc``, ``xls`` or ``ppt`` by
    its content. A ``.csv`` file is plain text (``txt``) named so.
    """

    name: str
    kind: str
    """The kind of deliverable it suits: document, spreadsheet, video, photo or other."""
    description: str = ""
    """What it is and how it is recognised, for people: ``PDF: starts with %PDF-``."""
    aliases: tuple[str, ...] = ()


@attrs.frozen
class EvidenceFacts:
    """What a probe found out about one evidence file, from its content."""

    path: Path
    kind: str | None = None
    """document, spreadsheet, video, photo or other."""
    format: str | None = None
    """The real format by content, lower case: ``jpg``, ``mp4``, ``docx``; one of the names
    the prober declares with ``campaignkit_evidence_formats``."""
    size_bytes: int | None = None
    width: int | None = None
    """Width as displayed, in pixels (after any rotation)."""
    height: int | None = None
    duration_s: float | None = None
    codec: str | None = None
    """For videos, the video codec (``avc``, ``hevc``); for images, the colour mode."""
    rotation: int | None = None
    """Degrees the picture is turned when displayed (EXIF orientation, video rotation)."""
    problems: tuple[str, ...] = ()
    """What is wrong with the file itself: truncated, unreadable, not what it claims."""


class Workdays(Protocol):
    """A working-day calendar, for ``wd`` in date expressions and for ``rest_day``."""

    @property
    def name(self) -> str:
        """The calendar's name, for messages (``cn-workdays``, ``weekends``)."""
        ...

    def is_workday(self, day: dt.date) -> bool:
        """True on a working day; raises `LookupError` for a year the calendar does not know."""
        ...
