"""What registry hooks return: typed records, never dicts.

The core flattens the records every plugin returns and refuses two plugins claiming one
name, naming both (evidence formats excepted: several probers may know one format). Heavy
work belongs inside the callables these records carry, so that listing plugins never
imports a plugin's heavy dependencies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

import attrs

if TYPE_CHECKING:
    from .problems import Problem
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
class Defer:
    """What `Notifier.deliver` returns to send the notification on its channel later, at
    `until` (after quiet hours, say): it is tried again then, and no attempt is spent.

    `until` is the earliest the channel is asked again: a notification that keeps the
    campaign's sending hours (``keeps_hours``, as the built-in notices do) still waits for
    the next send time after it. A moment already past is taken as a minute from now."""

    until: dt.datetime
    reason: str = ""


@attrs.frozen
class Decline:
    """What `Notifier.deliver` returns for a notification its channel does not carry (a
    kind it leaves to others): recorded as declined on that channel, not as delivered, and
    not tried again there."""

    reason: str = ""


@attrs.frozen
class Notifier:
    """A named channel that delivers notifications (``console``, ``email``, ``wecom``…).

    `deliver` is called with one notification, the addressee's address on this channel (the
    value in the unit's ``channels`` table, or None when the notification names this channel
    but the unit has no address on it) and, when it takes a third argument, the `Context`:
    the campaign (``context.settings(NAME)`` is the plugin's own table), the clock
    (``context.now``), the calendar and sending hours (``context.schedule``), the addressee's
    liaison officer (``context.contact``), and ``context.resource(key, make)`` for a
    connection kept for the round.

    It returns None when the notification was delivered, `Defer` to be tried again later
    without spending an attempt, or `Decline` for a notification this channel does not
    carry; it raises `DeliveryError` (or any exception) when delivery failed, and is tried
    again later. Its ``text`` may hold several lines. `deliver` must never print or log a
    secret.

    A 0.1 ``deliver(notification, address)`` keeps working; it finds the campaign's id and
    the liaison officer on ``notification.campaign`` and ``notification.contact``
    (deprecated: use the context).
    """

    name: str
    deliver: Callable[..., Defer | Decline | None]
    description: str = ""
    reaches_unit: bool = True
    """False for a channel that only keeps a record for the office (``console``): sending
    there does not count as reaching the unit, and a unit with only such channels is not
    reached."""


@attrs.frozen
class ReportFormat:
    """A named renderer: ``report --format NAME`` writes what `render` returns.

    A format with `variants` follows the suffix of ``--output``: a file ending in one of
    their keys (``.json``, ``.csv``, ``.html``) gets that variant's rendering, and ``--json``
    asks for the ``.json`` one on standard output; anything else gets `render`. A format
    without variants writes `render` whatever the file is called. A renderer that cannot
    render a campaign (it lacks a table the format needs) raises `ReportRefused`.

    A format whose reports grow with the campaign also gives `write`, which writes the
    report as it is made, so that a national report never exists whole in memory.
    """

    name: str
    suffix: str
    media_type: str
    render: Callable[[Report], bytes | str]
    description: str = ""
    variants: Mapping[str, Callable[[Report], bytes | str]] = attrs.field(factory=dict)
    write: Callable[[Report, BinaryIO], None] | None = None
    """When given, ``report`` calls it with the open output (the file, or standard output's
    buffer) instead of `render`, so a large report is written as it is made; `render`
    stays, for library callers, and gives the same bytes. ``report`` uses it for the
    format's main rendering, never for a variant. It writes bytes and leaves the output
    open; one that refuses the campaign raises `ReportRefused` before it writes anything.
    ``report -o FILE`` writes beside the file and puts it in place only once `write`
    returns, so a failure leaves no partial file."""
    pages: Callable[[Report], Iterable[tuple[str, bytes]]] | None = None
    """When given and ``--output`` names a folder (it ends with ``/``, or is a folder
    already), ``report`` writes each (relative name, content) it yields into that folder:
    one page per branch of the campaign (`campaignkit.branch_tree`), each linking to the
    others by those relative names. A name is a relative path with ``/`` between its parts
    and no ``..``; a format without `pages` writes one file only."""


class ReportRefused(Exception):
    """Raised by a format's renderer for a campaign it cannot render, such as
    ``--format assessment`` for a campaign without ``[assessment]``: ``report`` shows the
    `problems` and exits 1, blaming no plugin."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = tuple(problems)


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
