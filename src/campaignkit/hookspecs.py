"""Every hook campaignkit calls. These docstrings are the hook reference.

A plugin implements a hook by defining a function of the same name decorated with
``campaignkit.hookimpl``; it may accept any subset of the arguments listed here. Registry
hooks (``*_sections``, ``*_notifiers``, ``*_formats``, ``*_columns``, ``*_commands``) return
lists of typed records; the core flattens them and refuses two plugins claiming one name
(except evidence formats, which several probers may know).

The order in which hooks run::

    load plugins ─► campaignkit_config_sections ─► campaignkit_evidence_formats
      ─► campaignkit_configure ─► campaignkit_check_campaign ─► campaignkit_timeline
      ─► (for each event) campaignkit_on_event ─► campaignkit_notifiers (deliver)
    submit ─► campaignkit_evidence_stores ─► campaignkit_probe_evidence
      ─► campaignkit_check_submission
    report, status ─► campaignkit_report_columns ─► campaignkit_report_formats (report)
    date expressions and rest days ─► campaignkit_workdays
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .dates import Workdays
    from .evidence import EvidenceFacts, EvidenceFormat
    from .model import Campaign, Requirement
    from .notify import Notification
    from .problems import Problem
    from .records import CliCommand, ConfigSection, Notifier, ReportFormat
    from .report import ReportColumn
    from .run import Run
    from .schedule import Schedule
    from .store import EvidenceBackend
    from .submissions import Submission
    from .timeline import Event

PROJECT = "campaignkit"

hookspec = pluggy.HookspecMarker(PROJECT)


# ── configuration ──────────────────────────────────────────────────────────────────────


@hookspec
def campaignkit_config_sections() -> Sequence[ConfigSection]:
    """Declare the ``[plugins.NAME]`` tables this plugin reads.

    Called once, when a campaign is loaded, before any check runs.

    If it raises, the command stops with exit code 3 and a message naming the plugin and
    this hook; nothing has been written.

    :returns: `ConfigSection` records. Each names its table and the frozen attrs class the
        table is structured into; unknown keys in the table are errors, reported with their
        key path and line like any other problem, and the class is part of the JSON Schema.
        A ``[plugins.NAME]`` table that no installed plugin declares is a warning, not an
        error: one campaign file travels between bureaus with different plugins.

    .. versionadded:: 0.1
    """
    raise NotImplementedError


@hookspec
def campaignkit_configure(config: dict[str, Any], campaign: Campaign) -> None:
    """See a loaded campaign's structured plugin settings.

    Called once per loaded campaign and plugin host, when the campaign has loaded and
    passed its checks (``validate`` included), before its timeline is built; a plugin
    registered later is called for each campaign loaded before. Most plugins need no
    state of their own: the settings are ``campaign.plugins[NAME]``, and a notifier
    receives the campaign in its `Context`.

    If it raises, the command stops with exit code 3, naming the plugin and this hook, before
    any event is processed.

    :param config: each ``[plugins.NAME]`` table structured into its section's class, by name.
    :param campaign: the loaded campaign.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 once per loaded campaign, and by ``validate`` too.
    """


@hookspec
def campaignkit_cli_commands() -> Sequence[CliCommand]:
    """Add subcommands to the ``campaignkit`` command line.

    If it raises, or a command's ``load`` raises, that command stops with exit code 3 naming
    the plugin and this hook. Only a plugin's own commands and ``campaignkit plugins`` call
    it, so the built-in commands keep working.

    :returns: `CliCommand` records. Each command's ``load`` is called only when that command
        runs, so heavy imports stay out of ``campaignkit --help``.

    .. versionadded:: 0.1
    """
    raise NotImplementedError


# ── checking a campaign ────────────────────────────────────────────────────────────────


@hookspec
def campaignkit_check_campaign(campaign: Campaign) -> Sequence[Problem]:
    """Check a structurally valid campaign for semantic mistakes.

    Called once per load, after the file has been parsed and structured; every
    implementation runs, and all their problems are reported together. The built-in
    ``checks`` plugin resolves references, finds cycles and compares dates.

    If it raises, the command stops with exit code 3 and a message naming the plugin and
    this hook; loading writes nothing, so nothing is left half-done.

    :param campaign: the structured campaign.
    :returns: `Problem` records with key paths (``requirements.summary.due``); the loader
        adds line numbers. A problem with ``severity="warning"`` does not fail ``validate``.

    .. versionadded:: 0.1
    """
    raise NotImplementedError


# ── the timeline and the engine ───────────────────────────────────────────────────────


@hookspec
def campaignkit_timeline(campaign: Campaign, schedule: Schedule) -> Sequence[Event]:
    """Contribute events to the campaign's timeline.

    Called once per run, after the checks. The built-in ``standard-timeline`` plugin
    contributes phase, activity and requirement events; other plugins may add their own
    kinds. The core sorts all events once: by time, then a fixed order of kinds, then id.

    If it raises, the command stops with exit code 3 naming the plugin and this hook, before
    any event is processed.

    :param campaign: the checked campaign.
    :param schedule: when the campaign's notices may go out: its ``send_at``, its quiet
        hours (22:00 to 07:00), and its working-day calendar. ``schedule.next_send(moment)``
        is the first send time at or after a moment; ``schedule.after(day, delay)`` counts
        days or working days.
    :returns: `Event` records with timezone-aware times in the campaign's time zone.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 receives ``schedule``.
    """
    raise NotImplementedError


@hookspec
def campaignkit_on_event(event: Event, run: Run) -> Sequence[Notification]:
    """React to one event as the clock reaches it.

    Called once per event, in timeline order, by ``simulate`` on the virtual clock and by
    ``tick`` on the real one. Fan out to units inside the implementation: one hook call per
    event, not one per unit.

    The built-in notices are four plugins implementing it, each disableable by name:
    ``reminders``, ``overdue``, ``escalations`` and ``rejections`` (``obligations``, their
    old name, disables all four). A plugin replaces one with notices of its own, made on
    events of its own, while that one is disabled: the page "An escalation ladder" of the
    plugin guide does it.

    If it raises, the run stops, with exit code 3 and a message naming the plugin and this
    hook. Events are recorded together with the notifications they produced, in one
    transaction per batch, so the ledger never holds an event without its notifications:
    the next ``tick`` processes the unrecorded events again. A ``simulate --db`` that fails
    removes the ledger file it created.

    :param event: the event reached; a rejected hand-in is an event of its own, of kind
        ``submission.rejected``, with the ``unit`` that handed it in.
    :param run: the run, with the campaign and the clock's current time; ``run.schedule``
        says when notices may go out, ``run.rejection(unit, requirement)`` why a unit's
        last hand-in was refused.
    :returns: the `Notification` records to queue for delivery. A notification's ``at`` is
        when it is to be sent: ``run.schedule.next_send(event.at)`` keeps to the campaign's
        send time and quiet hours. Set ``chases=True`` on a notice that asks a unit to hand
        something in, so that it is skipped as stale once the unit has; ``expires`` on one
        that stops being true at a moment.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 notifications are settled when they go out: stale ones are
       skipped, and ``at`` is the send time.
    """
    raise NotImplementedError


@hookspec
def campaignkit_notifiers() -> Sequence[Notifier]:
    """Declare named delivery channels.

    If the hook raises, the command stops with exit code 3 naming the plugin. If a
    notifier's ``deliver`` raises, that is no stop: the attempt is recorded as failed on
    that channel, the notification's other channels still deliver, and the failed channel
    is tried again on a later tick after 1, 2, 4, 8 … minutes. A `DeliveryError` with
    ``retryable=False``, or the fifth failure, makes the notification dead; ``status``
    shows it and ``tick --retry-dead`` queues it again.

    A notification goes to the channel it names, if it names one; otherwise to every
    channel of the addressee's ``channels`` table that an installed notifier serves;
    otherwise, marked as forwarded, to the nearest unit above it that a channel reaches;
    otherwise it reaches no one, and is recorded and counted as ``unreached``. A notifier
    with ``reaches_unit=False`` (the built-in ``console``) keeps a record for the office:
    sending there does not count as reaching a unit. A notification that is stale when its
    time comes is skipped, and no notifier sees it. ``simulate`` delivers only with
    ``--deliver``; ``tick`` always does.

    A notifier may answer instead of sending: `Defer` (``Defer(until)``: try again at
    ``until``, after quiet hours say, without spending an attempt) or `Decline` (a kind of
    notice its channel does not carry: recorded as ``declined`` on that channel, never
    tried there again; a notice that every channel open to it declines is ``declined``,
    not delivered).

    :returns: `Notifier` records such as ``console``, ``email`` or ``wecom``: each a name
        and a ``deliver(notification, address, context)`` function (see `Notifier`); the
        `Context` carries the campaign and its settings, the clock and the calendar.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 no fallback to ``console``: a notice no channel reaches is
       ``unreached``; ``deliver`` receives the `Context`, and may `Defer` or `Decline`.
    """
    raise NotImplementedError


# ── evidence ───────────────────────────────────────────────────────────────────────────


@hookspec
def campaignkit_evidence_formats() -> Sequence[EvidenceFormat]:
    """Declare the file formats this plugin recognises, by the names its prober reports.

    Called once per load, before the checks, by every command that loads a campaign. A
    deliverable's ``formats`` may list only names (or aliases) that an installed plugin
    declares: any other name could never match a file, so it is an error, with a "did you
    mean" (``jepg``: did you mean ``jpg``?), at ``requirements.ID.deliverables[N].formats[M]``
    and its line. An alias is loaded as its format's name (``jpeg`` as ``jpg``). Unlike the
    other registry hooks, several plugins may declare one name; the first declaration of a
    name or an alias counts, and built-in plugins are registered first.

    WPS Office saves its ``.wps``, ``.et`` and ``.dps`` files in Word's, Excel's and
    PowerPoint's formats. The built-in prober reports such a file by its content (``doc``,
    ``xls``, ``ppt``); the built-in evidence rules declare ``wps``, ``et``, ``dps`` (and
    ``csv``) and accept a file for them by its name when its content fits: ``wps`` accepts
    a WPS file, and ``doc`` a ``.wps`` file in Word's format, by its content.

    If it raises, the command stops with exit code 3 and a message naming the plugin and
    this hook; nothing has been written.

    :returns: `EvidenceFormat` records: each name your ``campaignkit_probe_evidence`` may put
        in ``EvidenceFacts.format``, with its kind, how it is recognised, and its aliases.

    .. versionadded:: 0.2
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def campaignkit_probe_evidence(path: Path) -> EvidenceFacts | None:
    """Find out what an evidence file really is, from its content.

    Called once per submitted file. First result wins: a specialised prober (images,
    videos) returns facts for what it recognises and None otherwise, and the built-in
    prober, marked ``trylast``, answers for everything else.

    If it raises, ``submit`` stops with exit code 3 naming the plugin and this hook, and
    records no submission.

    :param path: the file, already copied into the evidence store.
    :returns: `EvidenceFacts`, or None to let the next prober try.

    .. versionadded:: 0.1
    """
    raise NotImplementedError


@hookspec
def campaignkit_check_submission(
    submission: Submission, requirement: Requirement
) -> Sequence[Problem]:
    """Judge a submission's evidence against its requirement's deliverables.

    Called once per submission, whether its facts were probed from real files or declared
    by a simulation. Any error rejects the submission. The built-in ``evidence-rules``
    judge the files, and ``figure-rules`` the figures typed in for `figures` deliverables
    (``submission.figures``, by field id, as the unit wrote them; see `figure_problems`).

    If it raises, ``submit`` stops with exit code 3 naming the plugin and this hook, and
    records no submission; a rehearsal stops the same way.

    :param submission: the unit's submission, with the facts of each file per deliverable,
        and its figures.
    :param requirement: the requirement it answers.
    :returns: `Problem` records naming the deliverable, what was expected and what was found.

    .. versionadded:: 0.1
    """
    raise NotImplementedError


@hookspec
def campaignkit_evidence_stores() -> Sequence[EvidenceBackend]:
    """Provide kinds of evidence store, such as object storage, beside the local directory.

    Called when a command or a portal worker opens its evidence store and the operator chose
    a location ``SCHEME://…``: with ``--evidence`` (``submit``, ``ledger check``) or the
    environment variable ``CAMPAIGNKIT_EVIDENCE``, which ``serve`` passes to its workers.
    The campaign file never chooses: where files are kept is the machine's business. Any
    other location is a directory (a local one, or one several machines mount); without
    one, the directory beside the ledger file.

    A store keeps each file once, named by its sha256: ``put`` stores a file whole or not at
    all and returns a `StoredFile` whose ``path`` is a local file the probers read;
    ``open``, ``size`` and ``exists`` find a file by its sha256, and ``sha256s`` lists them
    all for ``ledger check``. Subclass `EvidenceStore` and keep its methods thread-safe: a
    portal worker calls them from several threads.

    If it raises, the command stops with exit code 3 naming the plugin and this hook, before
    any file is stored. A backend's ``open`` raising ValueError is the operator's mistake,
    not the plugin's: the command says why, with exit code 2.

    :returns: `EvidenceBackend` records: each a scheme (``s3``), and a function opening the
        store at a location such as ``s3://bucket/prefix``. A scheme two plugins declare is
        refused, naming both.

    .. versionadded:: 0.2
    """
    raise NotImplementedError


# ── reports and calendars ──────────────────────────────────────────────────────────────


@hookspec
def campaignkit_report_formats() -> Sequence[ReportFormat]:
    """Declare named report renderers (``md``, ``json``, ``csv``, ``html``, ``ics``…).

    A format's ``render`` returns the whole report; one whose report grows with the campaign
    also gives ``write``, which ``report`` calls instead (`ReportFormat.write`).

    If the hook or a format's ``render`` or ``write`` raises, ``report`` stops with exit code
    3 naming the plugin and this hook, and writes no output file, not even part of one.

    :returns: `ReportFormat` records; ``campaignkit report --format NAME`` picks one.

    .. versionadded:: 0.1
    """
    raise NotImplementedError


@hookspec
def campaignkit_report_columns(campaign: Campaign) -> Sequence[ReportColumn]:
    """Add columns to each unit's row in the built-in reports and in ``status``.

    Called once per report, by ``report`` (whatever its format) and ``status``, when the
    report is built; each column's ``value`` is then called once per unit and requirement,
    and the values travel in the `Report`: the ``md`` and ``csv`` reports and the ``status``
    table show a column under its ``heading``, the ``html`` report in each cell of its
    grid, and the JSON of ``report`` and ``status --format json`` in each unit's
    ``columns``, keyed by the column's ``name``. A format of a plugin's own finds them in
    `AssigneeStatus.columns`.

    If it raises, or a column's ``value`` raises, the command stops with exit code 3 naming
    the plugin and this hook, and writes no report.

    :param campaign: the loaded campaign: a plugin may add its columns only to campaigns
        that have its ``[plugins.NAME]`` table.
    :returns: `ReportColumn` records; a name two plugins declare is refused, naming both.

    .. versionadded:: 0.2
    """
    raise NotImplementedError


@hookspec(firstresult=True)
def campaignkit_workdays(timezone: str) -> Workdays | None:
    """Provide the working-day calendar for a campaign.

    Used for ``wd`` in date expressions and to move due dates off rest days (``rest_day``).
    First result wins; without a calendar, Saturdays and Sundays are the rest days.

    If the hook raises, the command stops with exit code 3 naming the plugin and this hook.
    A calendar's ``is_workday`` raises `LookupError` for a year it does not know; that
    becomes a problem on the date that needed it.

    :param timezone: the campaign's IANA time zone, so that a national calendar answers
        only for campaigns in its country (China's for ``Asia/Shanghai``, not for
        ``America/New_York``).
    :returns: a `Workdays` calendar, or None to defer to another plugin.

    .. versionadded:: 0.1
    """
    raise NotImplementedError
