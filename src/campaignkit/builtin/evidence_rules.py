"""Built-in plugin ``evidence-rules``: a submission's evidence against its deliverables.

The same rules judge facts a simulation declares and facts probed from real files: the
format, the number of files, and each file's width, height, duration and size. Every miss
is listed, naming the deliverable (by its name, if it has one), what was expected and what
was found. A few formats are told by a file's name on top of its content (`BY_NAME`): WPS
Office's, and CSV; the plugin declares them (``campaignkit_evidence_formats``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from campaignkit import (
    Deliverable,
    EvidenceFacts,
    EvidenceFormat,
    Problem,
    Requirement,
    alternatives,
    did_you_mean,
    hookimpl,
    join_path,
    listed,
    spoken,
)
from campaignkit import gettext as _
from campaignkit.builtin.probe import FORMATS

if TYPE_CHECKING:
    from campaignkit import Submission

# The loader writes a campaign's aliases as their formats' names; facts a scenario declares
# may still use the built-in ones (`jpeg`).
ALIASES = {alias: known.name for known in FORMATS for alias in known.aliases}

# Formats a file is by its name when its content is one of these. WPS Office writes its .wps,
# .et and .dps files in Word's, Excel's and PowerPoint's formats; older WPS files are compound
# files of their own, whose streams are not documented (the probe's `ole`). CSV is text.
BY_NAME = {"wps": ("doc", "ole"), "et": ("xls", "ole"), "dps": ("ppt", "ole"), "csv": ("txt",)}
NAMED_FORMATS = (
    EvidenceFormat("wps", "document", "WPS Writer: a .wps file in Word 97–2003's format (doc)"),
    EvidenceFormat("et", "spreadsheet", "WPS Spreadsheets: a .et file in Excel 97–2003's (xls)"),
    EvidenceFormat(
        "dps", "document", "WPS Presentation: a .dps file in PowerPoint 97–2003's (ppt)"
    ),
    EvidenceFormat("csv", "spreadsheet", "CSV: a plain text file (txt) named .csv"),
)

# Which measurements each kind of deliverable has.
APPLIES = {
    "photo": ("width", "height"),
    "video": ("width", "height", "duration"),
    "document": (),
    "spreadsheet": (),
    "other": (),
    "figures": (),
}


def accepts(wanted: str, facts: EvidenceFacts) -> bool:
    """True when the file of `facts` is of format `wanted`: by its content, or, for the
    formats of `BY_NAME`, by its name and a content that such a file may have."""
    if facts.format is None:
        return False
    found = ALIASES.get(facts.format.lower(), facts.format.lower())
    wanted = ALIASES.get(wanted, wanted)
    if found == wanted:
        return True
    return found in BY_NAME.get(wanted, ()) and facts.path.suffix.lower() == f".{wanted}"


@hookimpl
def campaignkit_evidence_formats() -> tuple[EvidenceFormat, ...]:
    return NAMED_FORMATS


# The rules are a function of the requirement and the evidence alone (and of the language
# their reasons are written in), and a rehearsal hands in one declared evidence object for
# thousands of units: each verdict is worked out once per pair of objects and language.
# Both objects are kept with the verdict, so a reused id can never match.
_Verdict = tuple[Requirement, Mapping[str, tuple[EvidenceFacts, ...]], tuple[Problem, ...]]
_verdicts: dict[tuple[int, int, str], _Verdict] = {}
MAX_VERDICTS = 10_000


@hookimpl
def campaignkit_check_submission(submission: Submission, requirement: Requirement) -> list[Problem]:
    evidence = submission.evidence
    key = (id(requirement), id(evidence), spoken())
    known = _verdicts.get(key)
    if known is None or known[0] is not requirement or known[1] is not evidence:
        if len(_verdicts) >= MAX_VERDICTS:
            _verdicts.clear()
        known = _verdicts[key] = (
            requirement,
            evidence,
            tuple(evidence_problems(requirement, evidence)),
        )
    return list(known[2])


def evidence_problems(
    requirement: Requirement, evidence: Mapping[str, tuple[EvidenceFacts, ...]]
) -> list[Problem]:
    """Every way `evidence` misses `requirement`'s deliverables, in the language spoken."""
    problems: list[Problem] = []
    known = [d.id for d in requirement.deliverables if d.kind != "figures"]
    for name in evidence:
        if name not in known:
            problems.append(
                Problem(
                    name,
                    _("`{requirement}` has no deliverable `{name}`").format(
                        requirement=requirement.id, name=name
                    ),
                    did_you_mean(name, known)
                    or (
                        _("its deliverables: {names}").format(names=listed(known))
                        if known
                        else _("it has no deliverables")
                    ),
                    code="unknown-deliverable",
                )
            )
    for deliverable in requirement.deliverables:
        if deliverable.kind != "figures":  # typed in, not files: the figure rules judge them
            problems.extend(check_deliverable(deliverable, evidence.get(deliverable.id, ())))
    return problems


def check_deliverable(item: Deliverable, files: tuple[EvidenceFacts, ...]) -> list[Problem]:
    """Every way `files` miss `item`'s constraints, each naming the deliverable (and the
    file) first: ``活动照片第 1 个文件（a.txt）：文件格式应为 jpg 或 png，实为 txt``."""
    out: list[Problem] = []
    count = len(files)
    if count < item.min_count:
        message = _("{label}: count should be at least {least} file(s), found {count}")
        out.append(
            _miss(
                item.id,
                "count",
                message.format(label=item.label, least=item.min_count, count=count),
            )
        )
    if item.max_count is not None and count > item.max_count:
        message = _("{label}: count should be at most {most} file(s), found {count}")
        out.append(
            _miss(
                item.id, "count", message.format(label=item.label, most=item.max_count, count=count)
            )
        )
    for index, facts in enumerate(files):
        where = join_path(item.id, index)
        label = _("{deliverable} file {number} ({name})").format(
            deliverable=item.label, number=index + 1, name=facts.path.name
        )
        if facts.problems:
            # A file that is broken or unreadable has no measurements worth comparing.
            out.extend(
                Problem(
                    where, _("{label}: {problem}").format(label=label, problem=t), code="bad-file"
                )
                for t in facts.problems
            )
            continue
        if item.formats and not any(accepts(f, facts) for f in item.formats):
            formats = alternatives(item.formats)
            if facts.format is None:
                message = _("{label}: format should be {formats}, found unknown").format(
                    label=label, formats=formats
                )
            else:
                message = _("{label}: format should be {formats}, found {found}").format(
                    label=label, formats=formats, found=facts.format
                )
            out.append(_miss(where, "format", message))
        for key, fact, least in (
            ("width", facts.width, item.min_width),
            ("height", facts.height, item.min_height),
            ("duration", facts.duration_s, item.min_duration_s),
        ):
            if key not in APPLIES[item.kind]:
                continue  # `validate` warns that the constraint does not apply
            if least is not None and (fact is None or fact < least):
                out.append(_miss(where, key, _too_small(key, label, least, fact)))
        if item.max_size_mb is not None and facts.size_bytes is not None:
            size_mb = facts.size_bytes / 1_000_000
            if size_mb > item.max_size_mb:
                message = _("{label}: size should be at most {most} MB, found {found} MB")
                found = f"{size_mb:.1f}"
                out.append(
                    _miss(
                        where,
                        "size",
                        message.format(label=label, most=f"{item.max_size_mb:g}", found=found),
                    )
                )
    return out


def _too_small(key: str, label: str, least: float, fact: float | None) -> str:
    """A file's width, height or duration below the least the deliverable asks."""
    if key == "width":
        message = (
            _("{label}: width should be at least {least} px, found unknown")
            if fact is None
            else _("{label}: width should be at least {least} px, found {found} px")
        )
    elif key == "height":
        message = (
            _("{label}: height should be at least {least} px, found unknown")
            if fact is None
            else _("{label}: height should be at least {least} px, found {found} px")
        )
    else:
        message = (
            _("{label}: duration should be at least {least} s, found unknown")
            if fact is None
            else _("{label}: duration should be at least {least} s, found {found} s")
        )
    found = "" if fact is None else f"{fact:g}"
    return message.format(label=label, least=f"{least:g}", found=found)


def _miss(where: str, key: str, message: str) -> Problem:
    return Problem(join_path(where, key), message, code=f"evidence-{key}")
