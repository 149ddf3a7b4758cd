"""Handing in: a unit's files for a requirement, stored, probed, judged and recorded.

The one use case behind ``campaignkit submit``. What it is asked to record is checked first,
and a slip of the person asking is not a hand-in: a unit, a requirement or a deliverable the
campaign does not have, a unit that is not an assignee, a file that is not there or cannot
be read. Each is a problem with a did-you-mean, and then nothing is stored and nothing is
recorded; otherwise a unit would show as returned for a typo. A unit and a deliverable may be
named by their id or by their exact name (``城关镇``, ``活动照片``).

What the unit's files are is judged, not checked: an empty file, a file of the wrong format
or a file over its size cap makes a rejected hand-in, recorded with its reasons, in the
campaign's language, for the notice that tells the unit.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .evidence import EvidenceFacts
from .figures import figure_fields
from .i18n import _, spoken, writing
from .model import Campaign, Contact, Requirement, language_of
from .org import expand, resolve_groups
from .problems import Problem, did_you_mean
from .recurrence import occurrence_id, occurrences_of
from .reviews import deadline_for
from .store import MB, EvidenceStore, TooLarge, size_cap
from .submissions import Submission, Verdict, verdict
from .timeline import due_at

if TYPE_CHECKING:
    from .ledger import Ledger
    from .plugins import PluginHost


@attrs.frozen
class HandIn:
    """What a unit hands in, as a person asks for it to be recorded."""

    unit: str
    """The unit's id or its exact name."""
    requirement: str
    files: tuple[tuple[str, Path], ...]
    """Each file with the deliverable it is for, by the deliverable's id or exact name."""
    at: dt.datetime
    """When it was handed in, with its time zone."""
    contact: Contact | None = None
    """The liaison officer the unit names with it, if any."""
    occurrence: str | None = None
    """For a recurring requirement: the period it is for (``2020-W23``). Without it, the
    earliest occurrence the unit has not handed in yet (`hand_in` chooses)."""
    figures: tuple[tuple[str, str], ...] = ()
    """Each figure typed in for a `figures` deliverable: the field, by its id or exact name,
    and the value as the unit wrote it (``("hazards-found", "12")``)."""


def check_hand_in(campaign: Campaign, asked: HandIn) -> tuple[HandIn, list[Problem]]:
    """`asked` with its unit, deliverables and figures named by their ids, and every slip
    that stops it from being recorded (the problems' paths are ``unit``, ``requirement``,
    ``deliverable``, ``file`` and ``figure``)."""
    problems: list[Problem] = []
    unit = _unit(campaign, asked.unit, problems)
    asked = _occurrence(campaign, asked, problems)
    series = occurrences_of(campaign, asked.requirement)
    # A recurring requirement named without its period: `hand_in` takes the earliest open.
    requirement = campaign.requirements.get(series[0] if series else asked.requirement)
    if problems and problems[-1].path == "occurrence":
        requirement = None
    elif requirement is None:
        ids = list(dict.fromkeys(r.series for r in campaign.requirements.values()))
        problems.append(
            Problem(
                "requirement",
                _("the campaign has no requirement `{requirement}`").format(
                    requirement=asked.requirement
                ),
                did_you_mean(asked.requirement, ids)
                or _("its requirements: {ids}").format(ids=", ".join(ids)),
                code="unknown-requirement",
            )
        )
    elif unit is not None:
        assignees = expand(campaign, requirement.assignees, resolve_groups(campaign))
        if unit not in assignees:
            problems.append(
                Problem(
                    "unit",
                    _("{unit} ({id}) is not an assignee of `{requirement}`").format(
                        unit=campaign.units[unit].name, id=unit, requirement=requirement.id
                    ),
                    did_you_mean(unit, assignees)
                    or _("`campaignkit show FILE` lists each requirement's assignees"),
                    code="not-assignee",
                )
            )
    files = []
    for name, path in asked.files:
        deliverable = name if requirement is None else _deliverable(requirement, name, problems)
        problems.extend(_file_problems(path))
        files.append((deliverable or name, path))
    figures = asked.figures if requirement is None else _figures(requirement, asked, problems)
    checked = attrs.evolve(asked, unit=unit or asked.unit, files=tuple(files), figures=figures)
    return checked, problems


def _occurrence(campaign: Campaign, asked: HandIn, problems: list[Problem]) -> HandIn:
    """`asked` for the occurrence it names (``--occurrence 2020-W23``), if it names one."""
    if asked.occurrence is None:
        return asked
    series = occurrences_of(campaign, asked.requirement)
    wanted = occurrence_id(asked.requirement, asked.occurrence)
    if wanted in series:
        return attrs.evolve(asked, requirement=wanted, occurrence=None)
    keys = [rid.partition("@")[2] for rid in series]
    if not series:
        message = _("`{requirement}` does not recur: it has no occurrences")
        hint = _("leave out --occurrence")
    else:
        message = _("`{requirement}` has no occurrence `{occurrence}`")
        hint = did_you_mean(asked.occurrence, keys) or _("its occurrences: {keys}").format(
            keys=", ".join(keys)
        )
    problems.append(
        Problem(
            "occurrence",
            message.format(requirement=asked.requirement, occurrence=asked.occurrence),
            hint,
            code="unknown-occurrence",
        )
    )
    return asked


def open_occurrence(campaign: Campaign, ledger: Ledger, unit: str, series: str) -> str:
    """The earliest occurrence of `series` that `unit` has no accepted hand-in for: what
    a hand-in that names no period is for. The last, when it has handed in every one."""
    occurrences = occurrences_of(campaign, series)
    done = {
        row.requirement
        for row in ledger.submissions(campaign.campaign.id)
        if row.unit == unit and row.status in ("on_time", "late")
    }
    return next((rid for rid in occurrences if rid not in done), occurrences[-1])


def _unit(campaign: Campaign, given: str, problems: list[Problem]) -> str | None:
    if given in campaign.units:
        return given
    named = [uid for uid, unit in campaign.units.items() if unit.name == given]
    if len(named) == 1:
        return named[0]
    if named:
        problems.append(
            Problem(
                "unit",
                _("{count} units are named {name}: {ids}").format(
                    count=len(named), name=given, ids=", ".join(named)
                ),
                _("give the unit's id"),
                code="ambiguous-unit",
            )
        )
        return None
    names = {unit.name: uid for uid, unit in campaign.units.items()}
    near = did_you_mean(given, [*campaign.units, *names])
    problems.append(
        Problem(
            "unit",
            _("the campaign has no unit `{unit}`").format(unit=given),
            near or _("`campaignkit show FILE` lists the units"),
            code="unknown-unit",
        )
    )
    return None


def _deliverable(requirement: Requirement, given: str, problems: list[Problem]) -> str | None:
    # Figures are typed in (`HandIn.figures`), never a file.
    files = [item for item in requirement.deliverables if item.kind != "figures"]
    ids = [item.id for item in files]
    if given in ids:
        return given
    named = [item.id for item in files if item.name == given]
    if len(named) == 1:
        return named[0]
    names = [item.name for item in files if item.name]
    problems.append(
        Problem(
            "deliverable",
            _("`{requirement}` has no deliverable `{deliverable}`").format(
                requirement=requirement.id, deliverable=given
            ),
            did_you_mean(given, [*ids, *names])
            or _("its deliverables: {ids}").format(ids=", ".join(ids)),
            code="unknown-deliverable",
        )
    )
    return None


def _figures(
    requirement: Requirement, asked: HandIn, problems: list[Problem]
) -> tuple[tuple[str, str], ...]:
    """`asked`'s figures by their fields' ids; a figure the requirement does not ask for,
    and one given twice, are slips. What a figure's value is, is judged."""
    fields = figure_fields(requirement)
    names = {item.name: key for key, (_d, item) in fields.items() if item.name}
    out: dict[str, str] = {}
    for given, value in asked.figures:
        key = given if given in fields else names.get(given)
        if key is None:
            known = list(fields)
            problems.append(
                Problem(
                    "figure",
                    _("`{requirement}` has no figure `{name}`").format(
                        requirement=requirement.id, name=given
                    ),
                    did_you_mean(given, [*known, *names])
                    or (
                        _("its figures: {names}").format(names=", ".join(known))
                        if known
                        else _("it asks for no figures")
                    ),
                    code="unknown-figure",
                )
            )
        elif key in out:
            problems.append(
                Problem(
                    "figure",
                    _("figure `{name}` is given twice").format(name=key),
                    code="duplicate",
                )
            )
        else:
            out[key] = value
    return tuple(out.items())


def _file_problems(path: Path) -> list[Problem]:
    """Why `path` cannot be handed in at all: the person asking gave a wrong path."""
    try:
        found = path.stat()
    except FileNotFoundError:
        message = _("{path} does not exist")
    except PermissionError:
        message = _("{path} cannot be reached: permission denied")
    except (OSError, ValueError):
        message = _("{path} cannot be a file's name")
    else:
        import stat

        if stat.S_ISDIR(found.st_mode):
            message = _("{path} is a folder, not a file")
        elif not stat.S_ISREG(found.st_mode):  # a pipe or a device would block the read
            message = _("{path} is not an ordinary file")
        elif not os.access(path, os.R_OK):
            message = _("{path} cannot be read: permission denied")
        else:
            return []
    return [Problem("file", message.format(path=path), code="unreadable")]


def hand_in(
    host: PluginHost,
    campaign: Campaign,
    ledger: Ledger,
    store: EvidenceStore,
    asked: HandIn,
) -> Verdict | list[Problem]:
    """Check `asked`, then store and probe each file, judge the hand-in and record it.

    Returns the recorded row, with its id (`Verdict.id`), or the slips that stopped it, and
    then nothing was stored or recorded. An `OSError` storing a file (a full disk) is
    raised, and nothing is recorded.
    """
    checked, problems = check_hand_in(campaign, asked)
    if problems:
        return problems
    if occurrences_of(campaign, checked.requirement):
        chosen = open_occurrence(campaign, ledger, checked.unit, checked.requirement)
        checked = attrs.evolve(checked, requirement=chosen)
    requirement = campaign.requirements[checked.requirement]
    caps = {item.id: size_cap(item.max_size_mb) for item in requirement.deliverables}
    evidence: dict[str, tuple[EvidenceFacts, ...]] = {}
    recorded: dict[str, list[dict[str, Any]]] = {}
    # What the files are is said in the campaign's language: it is kept for the unit.
    with writing(language_of(campaign)):
        for name, path in checked.files:
            facts, entry = _take(host, store, path, caps[name])
            evidence[name] = (*evidence.get(name, ()), facts)
            recorded.setdefault(name, []).append(entry)
    at = checked.at.astimezone(zoneinfo.ZoneInfo(campaign.campaign.timezone))
    cid = campaign.campaign.id
    # An extension, or a hand-in the office returned with a `resubmit_by`, moves the
    # unit's deadline.
    reviews = ledger.reviews(cid)
    allowances = ledger.allowances(cid)
    deadline = None
    if reviews or allowances.until(checked.unit, checked.requirement) is not None:
        rows = ledger.submissions(cid)
        deadline = deadline_for(
            campaign, checked.unit, checked.requirement, rows, reviews, allowances
        )
    handed = Submission(checked.unit, checked.requirement, at, evidence, dict(checked.figures))
    row = judge(host, campaign, handed, deadline=deadline)
    row = attrs.evolve(row, evidence=recorded, contact=checked.contact)
    return ledger.record_submission(cid, row)


def judge(
    host: PluginHost,
    campaign: Campaign,
    submission: Submission,
    *,
    deadline: dt.datetime | None = None,
    check: Callable[[Submission, Requirement], list[Problem]] | None = None,
) -> Verdict:
    """Check a submission through ``campaignkit_check_submission``; on time, late or rejected.

    `deadline` is the requirement's, and `check` the hook (`PluginHost.submission_checker`),
    when the caller has them already: the engine judges thousands of submissions.

    The reasons of a rejection are written in the campaign's language, whatever the
    operator reads: the ledger keeps them, and the notice to the unit quotes them.
    """
    requirement = campaign.requirements[submission.requirement]
    check = check or host.submission_checker()
    language = language_of(campaign)
    if spoken() == language:  # already so, as in a rehearsal: no context to switch
        problems = check(submission, requirement)
    else:
        with writing(language):
            problems = check(submission, requirement)
    return verdict(submission, problems, deadline or due_at(campaign, requirement.due))


def _take(
    host: PluginHost, store: EvidenceStore, path: Path, cap: int
) -> tuple[EvidenceFacts, dict[str, Any]]:
    """Store one file and probe the stored copy; a file larger than `cap` bytes is not
    stored, and that is its problem."""
    entry: dict[str, Any] = {"name": path.name}
    try:
        stored = store.put(path, cap)
    except TooLarge as error:
        trouble = _("the file is larger than {size} MB; it was not stored")
        trouble = trouble.format(size=f"{error.cap / MB:g}")
        entry["problems"] = [trouble]
        return EvidenceFacts(path=path, problems=(trouble,)), entry
    facts = host.probe_evidence(stored.path)
    if facts is None:  # every prober declined: the built-in one never does
        facts = EvidenceFacts(path=stored.path, size_bytes=stored.size)
    facts = attrs.evolve(facts, path=path)  # problems name the file the unit handed in
    entry.update(
        sha256=stored.sha256,
        size=stored.size,
        kind=facts.kind,
        format=facts.format,
        width=facts.width,
        height=facts.height,
        duration_s=facts.duration_s,
        codec=facts.codec,
        rotation=facts.rotation,
        problems=list(facts.problems),
    )
    return facts, entry
