"""Submissions for a simulation: from a scenario file, or from a compliance model.

The compliance model, ``--compliance P --seed N``: for each requirement and each assignee,
in file order,

- with probability P the unit hands in on time, with evidence that meets every
  constraint, at a random moment between a few days before the first reminder and the
  deadline (so reminders still reach those who have not handed in yet);
- otherwise, with probability P again, it tries and fails: half of these hand in late (after
  the deadline, sometimes after the escalation), half on time with evidence that misses one
  constraint, which the evidence rules reject;
- the rest never hand in.

So ``--compliance 1`` means everyone is on time, ``--compliance 0`` means nobody hands in
anything, and the same seed gives the same submissions. Each hand-in of a requirement with
`figures` deliverables carries plausible figures (`synthetic_figures`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

import attrs

from .evidence import EvidenceFacts
from .i18n import _
from .model import Campaign, Deliverable, Requirement
from .org import expand, resolve_groups
from .problems import Problem, join_path
from .recurrence import occurrence_id
from .schedule import parse_delay
from .structuring import structure
from .submissions import Submission
from .synthetic_figures import with_figures
from .timeline import due_at, local

T = TypeVar("T")

LEAD_DAYS = 3
"""How many days before the first reminder the earliest submissions come."""

# What a unit sends when a deliverable names no format, and what it sends by mistake.
TYPICAL = {"document": "pdf", "spreadsheet": "xlsx", "video": "mp4", "photo": "jpg", "other": "zip"}
WRONG = {"document": "txt", "spreadsheet": "csv", "video": "mkv", "photo": "png", "other": "exe"}


def good_files(item: Deliverable) -> tuple[EvidenceFacts, ...]:
    """Files that meet every constraint of `item` (none for figures, typed in)."""
    if item.kind == "figures":
        return ()
    media = item.kind in ("photo", "video")
    facts = EvidenceFacts(
        path=Path(f"{item.id}.{item.formats[0] if item.formats else TYPICAL[item.kind]}"),
        kind=item.kind,
        format=item.formats[0] if item.formats else TYPICAL[item.kind],
        size_bytes=int((item.max_size_mb or 10) * 500_000),
        width=(item.min_width or 1920) if media else None,
        height=(item.min_height or 1080) if media else None,
        duration_s=(item.min_duration_s or 60.0) if item.kind == "video" else None,
    )
    return (facts,) * max(item.min_count, 1 if item.max_count != 0 else 0)


def broken_ways(item: Deliverable) -> list[tuple[EvidenceFacts, ...]]:
    """Each way of handing in files that misses exactly one of `item`'s constraints."""
    files = good_files(item)
    if not files:
        return []
    first = files[0]
    ways: list[tuple[EvidenceFacts, ...]] = []
    if item.formats:
        wrong = WRONG[item.kind] if WRONG[item.kind] not in item.formats else "bin"
        ways.append((attrs.evolve(first, format=wrong), *files[1:]))
    if item.min_width:
        ways.append((attrs.evolve(first, width=item.min_width // 2), *files[1:]))
    if item.min_height:
        ways.append((attrs.evolve(first, height=item.min_height // 2), *files[1:]))
    if item.min_duration_s:
        ways.append((attrs.evolve(first, duration_s=item.min_duration_s / 2), *files[1:]))
    if item.max_size_mb:
        ways.append((attrs.evolve(first, size_bytes=int(item.max_size_mb * 2_000_000)), *files[1:]))
    if item.min_count >= 1:
        ways.append(files[1:])
    return ways


def _pick(draw: float, choices: Sequence[T]) -> tuple[T, float]:
    """A uniform choice made with one draw in [0, 1), and what is left of the draw, uniform in
    [0, 1) too, for a choice that depends on this one."""
    scaled = draw * len(choices)
    index = min(int(scaled), len(choices) - 1)
    return choices[index], scaled - index


def _at(start: dt.datetime, span_seconds: int, draw: float) -> dt.datetime:
    """A moment from `start` to `start` + `span_seconds`, to the second, uniformly."""
    return start + dt.timedelta(seconds=int(draw * (span_seconds + 1)))


def synthetic_submissions(campaign: Campaign, compliance: float, seed: int) -> list[Submission]:
    """Submissions drawn from the compliance model, in time order."""
    rng = random.Random(seed)
    draw = rng.random
    groups = resolve_groups(campaign)
    opened = local(campaign, campaign.campaign.issued_on, dt.time(0, 0))
    out: list[Submission] = []
    for req in campaign.requirements.values():
        deadline = due_at(campaign, req.due)
        lead = max(req.remind, default=0) + LEAD_DAYS
        earliest = max(opened, local(campaign, req.due - dt.timedelta(days=lead), dt.time(0, 0)))
        on_time = max(0, int((deadline - earliest).total_seconds()))
        after = deadline + dt.timedelta(seconds=1)
        late = int(dt.timedelta(days=2 * escalation_days(req)).total_seconds()) - 1
        good = {d.id: good_files(d) for d in req.deliverables if d.kind != "figures"}
        # Per deliverable that can be missed, each way of missing it, as shared evidence.
        breakable = [
            [{**good, d.id: files} for files in misses]
            for d in req.deliverables
            if (misses := broken_ways(d))
        ]
        for unit in expand(campaign, req.assignees, groups):
            # Five draws per unit whatever its outcome, so that one unit's outcome never
            # shifts another's; drawn from one generator, which is cheap for 100,000 units.
            roll, attempt, is_late, when, which = draw(), draw(), draw(), draw(), draw()
            if roll < compliance:
                out.append(Submission(unit, req.id, _at(earliest, on_time, when), good))
            elif attempt < compliance and is_late < 0.5:
                out.append(Submission(unit, req.id, _at(after, late, when), good))
            elif attempt < compliance and breakable:
                choices, rest = _pick(which, breakable)
                evidence, _ = _pick(rest, choices)
                out.append(Submission(unit, req.id, _at(earliest, on_time, when), evidence))
    return sorted(with_figures(campaign, out, seed), key=lambda s: s.at)


# -- scenario files --------------------------------------------------------------------------


@attrs.frozen
class DeclaredFiles:
    """What a scenario declares about one deliverable's files."""

    format: str | None = None
    width: int | None = None
    height: int | None = None
    count: int = 1
    duration_s: float | None = None
    size_mb: float | None = None


@attrs.frozen
class ScenarioSubmission:
    unit: str
    requirement: str
    submitted_at: dt.datetime
    deliverables: Mapping[str, DeclaredFiles] = attrs.field(factory=dict)
    occurrence: str | None = None
    """For a recurring requirement: the period it is for, such as ``2020-W23``."""
    figures: Mapping[str, Any] = attrs.field(factory=dict)
    """Each figure, by field id: a number or a string, judged as a unit's would be."""


ScenarioKind = Literal["toml", "csv"]


@attrs.frozen
class Scenario:
    submissions: tuple[ScenarioSubmission, ...] = ()


def load_scenario(path: Path, campaign: Campaign) -> tuple[list[Submission], list[Problem]]:
    """Read a scenario file (TOML, or CSV by its suffix) into submissions, or the problems
    with it."""
    from .tomlfile import read_text

    text, problem = read_text(path)
    if problem is not None:
        return [], [problem]
    kind: ScenarioKind = "csv" if path.suffix.lower() == ".csv" else "toml"
    return loads_scenario(text, campaign, source=str(path), kind=kind)


def loads_scenario(
    text: str, campaign: Campaign, *, source: str = "<scenario>", kind: ScenarioKind = "toml"
) -> tuple[list[Submission], list[Problem]]:
    """A scenario's text, TOML or CSV, as submissions, or the problems with it, each with
    its line and `source` as its file."""
    raw, problems = _csv_rows(text) if kind == "csv" else _toml_rows(text)
    if problems:
        return [], problems
    scenario, problems = structure(raw, Scenario)
    if scenario is None:
        return [], _locate(problems, text, source, kind)
    out, problems = [], []
    groups = resolve_groups(campaign)
    for index, item in enumerate(scenario.submissions):
        base = join_path("submissions", index)
        named = item.requirement
        if item.occurrence is not None:
            named = occurrence_id(named, item.occurrence)
        req = campaign.requirements.get(named)
        if req is None:
            message = _("unknown requirement `{id}`").format(id=named)
            problems.append(Problem(join_path(base, "requirement"), message))
            continue
        if item.unit not in expand(campaign, req.assignees, groups):
            message = _("`{unit}` is not an assignee of `{requirement}`").format(
                unit=item.unit, requirement=req.id
            )
            problems.append(Problem(join_path(base, "unit"), message))
            continue
        at = item.submitted_at
        if at.tzinfo is None:
            at = local(campaign, at.date(), at.time())
        evidence = {name: _declared(name, req, files) for name, files in item.deliverables.items()}
        figures = _figures(item.figures, join_path(base, "figures"), problems)
        out.append(Submission(item.unit, req.id, at, evidence, figures))
    return sorted(out, key=lambda s: s.at), _locate(problems, text, source, kind)


def _figures(given: Mapping[str, Any], path: str, problems: list[Problem]) -> dict[str, str]:
    """A scenario's figures as a unit writes them; a value that is neither a number nor a
    string is a problem."""
    out = {}
    for name, value in given.items():
        if isinstance(value, str):
            out[name] = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[name] = repr(value)
        else:
            message = _("figure `{name}` should be a number or a string").format(name=name)
            problems.append(Problem(join_path(path, name), message))
    return out


def _declared(name: str, req: Requirement, files: DeclaredFiles) -> tuple[EvidenceFacts, ...]:
    kind = next((d.kind for d in req.deliverables if d.id == name), None)
    facts = EvidenceFacts(
        path=Path(f"{name}.{files.format or 'bin'}"),
        kind=kind,
        format=files.format,
        size_bytes=None if files.size_mb is None else int(files.size_mb * 1_000_000),
        width=files.width,
        height=files.height,
        duration_s=files.duration_s,
    )
    return (facts,) * max(files.count, 0)


def _toml_rows(text: str) -> tuple[dict[str, Any], list[Problem]]:
    import tomli

    try:
        return tomli.loads(text), []
    except tomli.TOMLDecodeError as error:
        message = _("not valid TOML: {message}").format(message=error.msg)
        return {}, [Problem("", message, line=error.lineno, code="toml")]
    except RecursionError:
        return {}, [Problem("", _("not usable TOML: nested too deeply"), code="too-deep")]


CSV_COLUMNS = (
    "unit",
    "requirement",
    "submitted_at",
    "deliverable",
    "format",
    "width",
    "height",
    "count",
    "duration_s",
    "size_mb",
    "figure",
    "value",
)


def _csv_rows(text: str) -> tuple[dict[str, Any], list[Problem]]:
    """One row per deliverable; rows with the same unit, requirement and time are one
    submission."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS[:3] if c not in (reader.fieldnames or ())]
    if missing:
        return {}, [
            Problem(
                "",
                _("the CSV has no column {columns}").format(columns=", ".join(missing)),
                _("columns: {columns}").format(columns=", ".join(CSV_COLUMNS)),
                line=1,
            )
        ]
    grouped: dict[tuple[str, str, str], dict[str, Any]] = {}
    problems = []
    for number, row in enumerate(reader, start=2):
        try:
            at = dt.datetime.fromisoformat((row.get("submitted_at") or "").strip())
        except ValueError:
            problems.append(
                Problem(
                    f"row {number}.submitted_at",
                    _("`{value}` is not a date and time").format(value=row.get("submitted_at")),
                    _("write it like 2020-07-03T10:00:00+08:00"),
                    line=number,
                )
            )
            continue
        key = (row["unit"].strip(), row["requirement"].strip(), at.isoformat())
        entry = grouped.setdefault(
            key, {"unit": key[0], "requirement": key[1], "submitted_at": at, "deliverables": {}}
        )
        figure = (row.get("figure") or "").strip()
        if figure:  # a row may give a figure instead of, or beside, a deliverable's files
            entry.setdefault("figures", {})[figure] = (row.get("value") or "").strip()
        name = (row.get("deliverable") or "").strip()
        if name:
            declared: dict[str, Any] = {}
            for column, kind in (
                ("format", str),
                ("width", int),
                ("height", int),
                ("count", int),
                ("duration_s", float),
                ("size_mb", float),
            ):
                value = (row.get(column) or "").strip()
                if not value:
                    continue
                try:
                    declared[column] = kind(value)
                except ValueError:
                    problems.append(
                        Problem(
                            f"row {number}.{column}",
                            _("`{value}` is not a valid {column}").format(
                                value=value, column=column
                            ),
                            line=number,
                        )
                    )
            entry["deliverables"][name] = declared
    return {"submissions": list(grouped.values())}, problems


def _locate(problems: list[Problem], text: str, source: str, kind: ScenarioKind) -> list[Problem]:
    from .locate import key_lines, line_of

    lines = key_lines(text) if kind == "toml" else {}
    return [attrs.evolve(p, line=p.line or line_of(lines, p.path), file=source) for p in problems]


def escalation_days(requirement: Requirement) -> int:
    """About how many calendar days after the deadline a requirement's last escalation
    comes (3 when it has none): a working day counts as two, to be sure to reach past it,
    so that late hand-ins come before and after every step of its ladder."""
    delays = [parse_delay(step.after) for step in requirement.ladder]
    days = [d.count * (2 if d.unit == "wd" else 1) for d in delays if d is not None]
    return max(days, default=3)
