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

from campaignkit import hookimpl
from campaignkit.builtin.probe import FORMATS
from campaignkit.model import Deliverable, Requirement
from campaignkit.problems import Problem, did_you_mean, join_path
from campaignkit.records import EvidenceFacts, EvidenceFormat

if TYPE_CHECKING:
    from campaignkit.submissions import Submission

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


# The rules are a function of the requirement and the evidence alone, and a rehearsal hands
# in one declared evidence object for thousands of units: each verdict is worked out once
# per pair of objects. Both are kept with the verdict, so a reused id can never match.
_Verdict = tuple[Requirement, Mapping[str, tuple[EvidenceFacts, ...]], tuple[Problem, ...]]
_verdicts: dict[tuple[int, int], _Verdict] = {}
MAX_VERDICTS = 10_000


@hookimpl
def campaignkit_check_submission(submission: Submission, requirement: Requirement) -> list[Problem]:
    evidence = submission.evidence
    key = (id(requirement), id(evidence))
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
    """Every way `evidence` misses `requirement`'s deliverables."""
    problems: list[Problem] = []
    known = [d.id for d in requirement.deliverables]
    for name in evidence:
        if name not in known:
            problems.append(
                Problem(
                    name,
                    f"`{requirement.id}` has no deliverable `{name}`",
                    did_you_mean(name, known) or f"its deliverables: {', '.join(known) or 'none'}",
                    code="unknown-deliverable",
                )
            )
    for deliverable in requirement.deliverables:
        problems.extend(check_deliverable(deliverable, evidence.get(deliverable.id, ())))
    return problems


def check_deliverable(item: Deliverable, files: tuple[EvidenceFacts, ...]) -> list[Problem]:
    """Every way `files` miss `item`'s constraints."""
    out: list[Problem] = []
    count = len(files)
    if count < item.min_count:
        out.append(
            _miss(item.id, item.label, "count", f"at least {item.min_count} file(s)", f"{count}")
        )
    if item.max_count is not None and count > item.max_count:
        out.append(
            _miss(item.id, item.label, "count", f"at most {item.max_count} file(s)", f"{count}")
        )
    for index, facts in enumerate(files):
        where = join_path(item.id, index)
        label = f"{item.label} file {index + 1} ({facts.path.name})"
        if facts.problems:
            # A file that is broken or unreadable has no measurements worth comparing.
            out.extend(Problem(where, f"{label}: {t}", code="bad-file") for t in facts.problems)
            continue
        if item.formats and not any(accepts(f, facts) for f in item.formats):
            out.append(
                _miss(where, label, "format", " or ".join(item.formats), facts.format or "unknown")
            )
        for key, fact, least in (
            ("width", facts.width, item.min_width),
            ("height", facts.height, item.min_height),
            ("duration", facts.duration_s, item.min_duration_s),
        ):
            if key not in APPLIES[item.kind]:
                continue  # `validate` warns that the constraint does not apply
            if least is not None and (fact is None or fact < least):
                unit = " s" if key == "duration" else " px"
                found = "unknown" if fact is None else f"{fact:g}{unit}"
                out.append(_miss(where, label, key, f"at least {least:g}{unit}", found))
        if item.max_size_mb is not None and facts.size_bytes is not None:
            size_mb = facts.size_bytes / 1_000_000
            if size_mb > item.max_size_mb:
                out.append(
                    _miss(
                        where,
                        label,
                        "size",
                        f"at most {item.max_size_mb:g} MB",
                        f"{size_mb:.1f} MB",
                    )
                )
    return out


def _miss(where: str, label: str, key: str, expected: str, found: str) -> Problem:
    return Problem(
        join_path(where, key),
        f"{label}: {key} should be {expected}, found {found}",
        code=f"evidence-{key}",
    )
