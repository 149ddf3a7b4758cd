"""Broken campaigns: what a person sees when a campaign file is wrong.

Each case is MINIMAL with one mistake. `campaignkit validate --format json` must exit 1 and
report the mistake at its key path, on the line where the key is written, with a message or
hint that helps; nothing may ever show a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import MINIMAL, CliResult

PROBLEM_KEYS = {"path", "line", "message", "hint", "severity", "code", "file", "subjects", "column"}


# -- building broken campaigns --------------------------------------------------------------------
def replace(old: str, new: str) -> str:
    """MINIMAL with `old` (which must occur exactly once) replaced by `new`."""
    assert MINIMAL.count(old) == 1, f"{old!r} must occur once in MINIMAL"
    return MINIMAL.replace(old, new)


def append(extra: str) -> str:
    """MINIMAL with more TOML after it."""
    return MINIMAL + "\n" + textwrap.dedent(extra)


def add_to_requirement(lines: str) -> str:
    """MINIMAL with `lines` added at the end of [requirements.summary]."""
    return replace("due = 2020-06-28\n", "due = 2020-06-28\n" + textwrap.dedent(lines))


def add_to_unit(lines: str) -> str:
    """MINIMAL with `lines` added at the end of [units.east]."""
    return replace('parent = "office"\n', 'parent = "office"\n' + textwrap.dedent(lines))


def with_group(line: str) -> str:
    """MINIMAL with one more line in [groups]."""
    return replace(
        'districts = { kinds = ["district"] }\n',
        f'districts = {{ kinds = ["district"] }}\n{line}\n',
    )


def activity(lines: str) -> str:
    """MINIMAL with an activity `day` made of `lines`."""
    return append('[activities.day]\nname = "Day"\n' + textwrap.dedent(lines))


def deliverable(lines: str) -> str:
    """MINIMAL with one deliverable of [requirements.summary] made of `lines`."""
    return append("[[requirements.summary.deliverables]]\n" + textwrap.dedent(lines))


def line_with(text: str, marker: str) -> int:
    """The 1-based number of the one line of `text` that contains `marker`."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(found) == 1, f"{marker!r} must be on exactly one line, found {found}"
    return found[0]


def problems_of(result: CliResult) -> list[dict[str, Any]]:
    problems: list[dict[str, Any]] = result.json()
    assert isinstance(problems, list)
    for problem in problems:
        assert set(problem) == PROBLEM_KEYS
    return problems


def only(problems: list[dict[str, Any]], path: str) -> dict[str, Any]:
    found = [p for p in problems if p["path"] == path]
    assert found, f"no problem at {path!r}; problems at {[p['path'] for p in problems]}"
    return found[0]


def shown(problem: dict[str, Any]) -> str:
    return f"{problem['message']} {problem['hint'] or ''}"


@attrs.frozen
class Case:
    text: str
    path: str
    at: str | None = None
    """A marker on the line the problem must point at (the key as written), if any."""
    words: tuple[str, ...] = ()
    """Words the message or hint must contain."""
    code: str | None = None
    unlocated: bool = False
    """The key is written nowhere (a missing table): the line must be null."""


def case(
    name: str,
    text: str,
    path: str,
    at: str | None = None,
    *words: str,
    code: str | None = None,
    unlocated: bool = False,
) -> Any:
    return pytest.param(Case(text, path, at, words, code, unlocated), id=name)


CASES = [
    # -- unknown keys, with "did you mean" --------------------------------------------------------
    case(
        "unknown-top-level-table",
        append('[activites.day]\nname = "Day"\non = 2020-06-16\n'),
        "activites",
        "[activites.day]",
        "did you mean `activities`?",
        code="unknown-key",
    ),
    case(
        "unknown-key-in-campaign",
        replace("issued_on = 2020-05-22", "isued_on = 2020-05-22"),
        "campaign.isued_on",
        "isued_on",
        "did you mean `issued_on`?",
        code="unknown-key",
    ),
    case(
        "unknown-key-case-matters",
        replace('title = "Minimal campaign"', 'Title = "Minimal campaign"'),
        "campaign.Title",
        "Title =",
        "did you mean `title`?",
    ),
    case(
        "unknown-key-in-phase",
        replace("end = 2020-06-30", "ends = 2020-06-30"),
        "phases.month.ends",
        "ends =",
        "did you mean `end`?",
    ),
    case(
        "unknown-key-in-unit",
        add_to_unit('parnet = "office"\n'),
        "units.east.parnet",
        "parnet",
        "did you mean `parent`?",
        code="unknown-key",
    ),
    case(
        "unknown-key-in-unit-no-close-match",
        add_to_unit('colour = "red"\n'),
        "units.east.colour",
        "colour",
        "allowed keys",
        "parent",
    ),
    case(
        "unknown-key-in-contact",
        add_to_unit('contact = { nmae = "Li Ming" }\n'),
        "units.east.contact.nmae",
        "nmae",
        "did you mean `name`?",
    ),
    case(
        "unknown-key-in-group",
        replace('districts = { kinds = ["district"] }', 'districts = { kind = ["district"] }'),
        "groups.districts.kind",
        "districts =",
        "did you mean `kinds`?",
    ),
    case(
        "unknown-key-in-role",
        append('[roles.head]\ntitle = "Head"\nunit = "office"\nhodler = "Li Ming"\n'),
        "roles.head.hodler",
        "hodler",
        "did you mean `holder`?",
    ),
    case(
        "unknown-key-in-activity",
        activity('on = 2020-06-16\norganiser = "office"\n'),
        "activities.day.organiser",
        "organiser",
        "did you mean `organizer`?",
    ),
    case(
        "asignees",
        replace("assignees =", "asignees ="),
        "requirements.summary.asignees",
        "asignees",
        "did you mean `assignees`?",
        code="unknown-key",
    ),
    case(
        "unknown-key-in-deliverable",
        deliverable('id = "clip"\nkind = "video"\nmin_widht = 1920\n'),
        "requirements.summary.deliverables[0].min_widht",
        "min_widht",
        "did you mean `min_width`?",
        code="unknown-key",
    ),
    case(
        "stray-id-in-id-table",
        replace("[units.east]\n", '[units.east]\nid = "east"\n'),
        "units.east.id",
        'id = "east"',
        "the table's key",
        code="unknown-key",
    ),
    # -- missing required keys --------------------------------------------------------------------
    case(
        "missing-campaign-title",
        replace('title = "Minimal campaign"\n', ""),
        "campaign.title",
        "[campaign]",
        "`title`",
        code="missing-key",
    ),
    case(
        "missing-phase-start",
        replace("start = 2020-06-01\n", ""),
        "phases.month.start",
        "[phases.month]",
        "`start`",
        code="missing-key",
    ),
    case(
        "missing-requirement-due",
        replace("due = 2020-06-28\n", ""),
        "requirements.summary.due",
        "[requirements.summary]",
        "`due`",
        code="missing-key",
    ),
    case(
        "missing-unit-kind",
        replace('kind = "district"\n', ""),
        "units.east.kind",
        "[units.east]",
        "`kind`",
        code="missing-key",
    ),
    case(
        "missing-role-unit",
        append('[roles.head]\ntitle = "Head"\n'),
        "roles.head.unit",
        "[roles.head]",
        "`unit`",
        code="missing-key",
    ),
    case(
        "missing-deliverable-kind",
        deliverable('id = "clip"\n'),
        "requirements.summary.deliverables[0].kind",
        "[[requirements.summary.deliverables]]",
        "`kind`",
        code="missing-key",
    ),
    case(
        "missing-activity-date",
        activity(""),
        "activities.day",
        "[activities.day]",
        "no date",
        "`on",
        code="missing-key",
    ),
    case(
        "missing-activity-end",
        activity("start = 2020-06-16\n"),
        "activities.day.end",
        "[activities.day]",
        "`end`",
        code="missing-key",
    ),
    case(
        "missing-units-table",
        replace(
            '[units.office]\nname = "Safety office"\nkind = "office"\n\n'
            '[units.east]\nname = "East district"\nkind = "district"\nparent = "office"\n',
            "",
        ),
        "units",
        None,
        "`units`",
        code="missing-key",
        unlocated=True,
    ),
    case(
        "empty-phases",
        replace(
            '[phases.month]\nname = "Safety month"\nstart = 2020-06-01\nend = 2020-06-30\n', ""
        ).replace("format = 1\n", "format = 1\nphases = {}\n"),
        "phases",
        "phases = {}",
        "at least one phase",
    ),
    case(
        "missing-format",
        replace("format = 1\n", ""),
        "format",
        None,
        "`format`",
        "format = 1",
        code="missing-key",
        unlocated=True,
    ),
    # -- wrong types ------------------------------------------------------------------------------
    case(
        "date-expression-naming-no-date",
        replace("due = 2020-06-28", 'due = "phases.mnth.end + 5d"'),
        "requirements.summary.due",
        "due =",
        "`phases.mnth.end` is not a date of this campaign",
        "did you mean `phases.month.end`?",
        code="unknown-reference",
    ),
    case(
        "string-for-date",
        replace("start = 2020-06-01", 'start = "2020-06-01"'),
        "phases.month.start",
        "start =",
        "expected a date",
        "without quotes",
        code="wrong-type",
    ),
    case(
        "date-time-for-date",
        replace("issued_on = 2020-05-22", "issued_on = 2020-05-22T10:00:00+08:00"),
        "campaign.issued_on",
        "issued_on",
        "date-time",
        "the day alone",
    ),
    case(
        "time-for-date",
        replace("due = 2020-06-28", "due = 17:00:00"),
        "requirements.summary.due",
        "due =",
        "expected a date",
        "a time",
    ),
    case(
        "integer-for-string",
        replace('name = "Summary"', "name = 5"),
        "requirements.summary.name",
        "name = 5",
        "expected a string",
        "integer",
        code="wrong-type",
    ),
    case(
        "table-for-string",
        replace('name = "East district"', 'name = { zh = "东区" }'),
        "units.east.name",
        "东区",
        "expected a string",
        "table",
    ),
    case(
        "string-for-table",
        add_to_unit('contact = "Li Ming"\n'),
        "units.east.contact",
        "contact =",
        "expected a table",
    ),
    case(
        "string-for-list",
        replace('assignees = ["districts"]', 'assignees = "districts"'),
        "requirements.summary.assignees",
        "assignees =",
        "expected an array",
        'write ["districts"]',
        code="wrong-type",
    ),
    case(
        "integer-for-list",
        add_to_requirement("remind = 3\n"),
        "requirements.summary.remind",
        "remind =",
        "expected an array",
    ),
    case(
        "integer-in-list-of-ids",
        replace('assignees = ["districts"]', 'assignees = ["districts", 1]'),
        "requirements.summary.assignees[1]",
        "assignees =",
        "expected a string",
    ),
    case(
        "float-for-int",
        add_to_requirement("escalate_after = 1.5\n"),
        "requirements.summary.escalate_after",
        "escalate_after",
        "expected a number of days",
        "1.5",
    ),
    case(
        "boolean-for-int",
        deliverable('id = "clip"\nkind = "video"\nmin_count = true\n'),
        "requirements.summary.deliverables[0].min_count",
        "min_count",
        "expected an integer",
        "boolean",
    ),
    case(
        "string-for-number",
        deliverable('id = "clip"\nkind = "video"\nmin_duration_s = "30"\n'),
        "requirements.summary.deliverables[0].min_duration_s",
        "min_duration_s",
        "expected a number",
    ),
    case(
        "integer-for-channel-address",
        add_to_unit("channels = { email = 5 }\n"),
        "units.east.channels.email",
        "channels =",
        "expected a string",
    ),
    case(
        "table-for-deliverables-array",
        append('[requirements.summary.deliverables]\nid = "clip"\nkind = "video"\n'),
        "requirements.summary.deliverables",
        "[requirements.summary.deliverables]",
        "expected an array",
    ),
    case(
        "string-for-plugins-table",
        replace("format = 1\n", "format = 1\nplugins = 3\n"),
        "plugins",
        "plugins =",
        "expected a table",
    ),
    # -- bad enum values --------------------------------------------------------------------------
    case(
        "bad-mode",
        activity('on = 2020-06-16\nmode = "offlne"\n'),
        "activities.day.mode",
        "mode =",
        "online, offline, hybrid",
        "did you mean `offline`?",
    ),
    case(
        "bad-mode-capitalised",
        activity('on = 2020-06-16\nmode = "Online"\n'),
        "activities.day.mode",
        "mode =",
        "did you mean `online`?",
    ),
    case(
        "bad-deliverable-kind",
        deliverable('id = "clip"\nkind = "vidoe"\n'),
        "requirements.summary.deliverables[0].kind",
        'kind = "vidoe"',
        "did you mean `video`?",
    ),
    case(
        "bad-deliverable-kind-inline",
        add_to_requirement(
            "deliverables = [\n"
            '  { id = "a", kind = "video" },\n'
            '  { id = "b", kind = "vidoe" },\n'
            "]\n"
        ),
        "requirements.summary.deliverables[1].kind",
        '{ id = "b"',
        "did you mean `video`?",
    ),
    case(
        "bad-rest-day",
        add_to_requirement('rest_day = "befor"\n'),
        "requirements.summary.rest_day",
        "rest_day",
        "keep, before, after",
        "did you mean `before`?",
    ),
    # -- unknown references -----------------------------------------------------------------------
    case(
        "unknown-parent",
        replace('parent = "office"', 'parent = "ofice"'),
        "units.east.parent",
        "parent =",
        "unknown unit `ofice`",
        "did you mean `office`?",
        code="unknown-reference",
    ),
    case(
        "unknown-issued-by",
        replace('issued_by = "office"', 'issued_by = "offce"'),
        "campaign.issued_by",
        "issued_by",
        "did you mean `office`?",
        code="unknown-reference",
    ),
    case(
        "unknown-role-unit",
        append('[roles.head]\ntitle = "Head"\nunit = "nowhere"\n'),
        "roles.head.unit",
        'unit = "nowhere"',
        "unknown unit `nowhere`",
        "known units: office, east",
    ),
    case(
        "unknown-organizer",
        activity('on = 2020-06-16\norganizer = "est"\n'),
        "activities.day.organizer",
        "organizer",
        "did you mean `east`?",
    ),
    case(
        "unknown-participant",
        activity('on = 2020-06-16\nparticipants = ["east", "wset"]\n'),
        "activities.day.participants[1]",
        "participants",
        "unknown unit or group `wset`",
        "known units or groups: office, east, districts",
    ),
    case(
        "unknown-phase",
        activity('on = 2020-06-16\nphase = "mnth"\n'),
        "activities.day.phase",
        "phase =",
        "unknown phase",
        "did you mean `month`?",
    ),
    case(
        "unknown-part-of",
        activity('on = 2020-06-16\npart_of = "week"\n'),
        "activities.day.part_of",
        "part_of",
        "unknown activity `week`",
        "known activities: day",
    ),
    case(
        "unknown-assignee",
        replace('assignees = ["districts"]', 'assignees = ["distrcts"]'),
        "requirements.summary.assignees[0]",
        "assignees",
        "did you mean `districts`?",
        code="unknown-reference",
    ),
    case(
        "unknown-submit-to",
        add_to_requirement('submit_to = "ofice"\n'),
        "requirements.summary.submit_to",
        "submit_to",
        "did you mean `office`?",
    ),
    case(
        "unknown-group-unit",
        with_group('everyone = { units = ["office", "weast"] }'),
        "groups.everyone.units[1]",
        "everyone =",
        "did you mean `east`?",
    ),
    case(
        "unknown-group-group",
        with_group('everyone = { groups = ["distrcts"] }'),
        "groups.everyone.groups[0]",
        "everyone =",
        "unknown group",
        "did you mean `districts`?",
    ),
    case(
        "name-both-unit-and-group",
        with_group('east = { units = ["east"] }').replace(
            'assignees = ["districts"]', 'assignees = ["east"]'
        ),
        "requirements.summary.assignees[0]",
        "assignees",
        "both a unit and a group",
        code="ambiguous-reference",
    ),
    # -- cycles -----------------------------------------------------------------------------------
    case(
        "parent-cycle",
        replace('kind = "office"\n', 'kind = "office"\nparent = "east"\n'),
        "units.office.parent",
        'parent = "east"',
        "cycle",
        "office → east → office",
        code="cycle",
    ),
    case(
        "own-parent",
        replace('kind = "office"\n', 'kind = "office"\nparent = "office"  # itself\n'),
        "units.office.parent",
        "# itself",
        "own parent",
        code="cycle",
    ),
    case(
        "group-cycle",
        with_group('a = { groups = ["b"] }\nb = { groups = ["a"] }'),
        "groups.a.groups",
        "a = {",
        "cycle",
        "a → b → a",
        code="cycle",
    ),
    case(
        "group-includes-itself",
        replace(
            'districts = { kinds = ["district"] }',
            'districts = { kinds = ["district"], groups = ["districts"] }',
        ),
        "groups.districts.groups",
        "districts =",
        "cycle",
    ),
    case(
        "part-of-cycle",
        append(
            '[activities.a]\nname = "A"\non = 2020-06-16\npart_of = "b"\n\n'
            '[activities.b]\nname = "B"\non = 2020-06-16\npart_of = "a"\n'
        ),
        "activities.a.part_of",
        'part_of = "b"',
        "cycle",
        code="cycle",
    ),
    case(
        "part-of-itself",
        activity('on = 2020-06-16\npart_of = "day"\n'),
        "activities.day.part_of",
        "part_of",
        "part of itself",
    ),
    # -- dates in the wrong order -----------------------------------------------------------------
    case(
        "phase-ends-before-start",
        replace("end = 2020-06-30", "end = 2020-05-30"),
        "phases.month.end",
        "end = 2020-05-30",
        "before it starts",
        code="date-order",
    ),
    case(
        "phase-ends-before-start-with-an-activity-inside",
        replace("end = 2020-06-30", "end = 2020-05-30")
        + '\n[activities.day]\nname = "Day"\nphase = "month"\non = 2020-06-16\n',
        "phases.month.end",
        "end = 2020-05-30",
        "before it starts",
        code="date-order",
    ),
    case(
        "empty-format",
        deliverable('id = "video"\nkind = "video"\nformats = [""]\n'),
        "requirements.summary.deliverables[0].formats[0]",
        "formats =",
        "cannot be empty",
    ),
    case(
        "activity-ends-before-start",
        activity("start = 2020-06-16\nend = 2020-06-10\n"),
        "activities.day.end",
        "end = 2020-06-10",
        "before it starts",
        code="date-order",
    ),
    case(
        "activity-outside-phase",
        activity('phase = "month"\non = 2020-07-16\n'),
        "activities.day.on",
        "on = 2020-07-16",
        "outside phase `month`",
        code="outside-phase",
    ),
    case(
        "span-activity-outside-phase",
        activity('phase = "month"\nstart = 2020-06-20\nend = 2020-07-05\n'),
        "activities.day.start",
        "start = 2020-06-20",
        "outside phase `month`",
        code="outside-phase",
    ),
    case(
        "sub-activity-outside-parent",
        append(
            '[activities.week]\nname = "Week"\nstart = 2020-06-08\nend = 2020-06-14\n\n'
            '[activities.day]\nname = "Day"\npart_of = "week"\non = 2020-06-16\n'
        ),
        "activities.day.on",
        "on = 2020-06-16",
        "outside `week`",
        code="outside-parent",
    ),
    case(
        "on-and-start",
        activity("on = 2020-06-16\nstart = 2020-06-16\n"),
        "activities.day.on",
        "on = 2020-06-16",
        "not both",
        code="conflicting-keys",
    ),
    case(
        "due-before-issued-on",
        replace("due = 2020-06-28", "due = 2020-05-01"),
        "requirements.summary.due",
        "due =",
        "before the campaign is issued",
        code="date-order",
    ),
    case(
        "due-on-the-first-day-ever",
        replace("due = 2020-06-28", "due = 0001-01-01"),
        "requirements.summary.due",
        "due =",
        "before the campaign is issued",
    ),
    # -- numbers out of range ---------------------------------------------------------------------
    case(
        "negative-reminder",
        add_to_requirement("remind = [3, -1]\n"),
        "requirements.summary.remind[1]",
        "remind =",
        "days before",
        "escalate_after",
    ),
    case(
        "duplicate-reminder",
        add_to_requirement("remind = [3, 3]\n"),
        "requirements.summary.remind[1]",
        "remind =",
        "twice",
        code="duplicate",
    ),
    case(
        "reminder-on-its-own-line",
        add_to_requirement("remind = [\n  3,\n  -1,\n]\n"),
        "requirements.summary.remind[1]",
        "-1,",
        "found -1",
    ),
    case(
        "reminder-absurdly-early",
        add_to_requirement("remind = [99999999999999999999]\n"),
        "requirements.summary.remind[0]",
        "remind =",
        "at most 366 days",
    ),
    case(
        "escalate-after-zero",
        add_to_requirement("escalate_after = 0\n"),
        "requirements.summary.escalate_after",
        "escalate_after",
        "at least 1",
    ),
    case(
        "escalate-after-past-the-calendar",
        add_to_requirement("escalate_after = 99999999\n"),
        "requirements.summary.escalate_after",
        "escalate_after",
        "past the end of the calendar",
    ),
    case(
        "max-count-below-min-count",
        deliverable('id = "pics"\nkind = "photo"\nmin_count = 3\nmax_count = 2\n'),
        "requirements.summary.deliverables[0].max_count",
        "max_count",
        "less than min_count",
    ),
    case(
        "negative-min-count",
        deliverable('id = "pics"\nkind = "photo"\nmin_count = -1\n'),
        "requirements.summary.deliverables[0].min_count",
        "min_count",
        "negative",
    ),
    case(
        "min-width-zero",
        deliverable('id = "pics"\nkind = "photo"\nmin_width = 0\n'),
        "requirements.summary.deliverables[0].min_width",
        "min_width",
        "positive",
    ),
    case(
        "min-width-negative-in-second-deliverable",
        deliverable(
            'id = "pics"\nkind = "photo"\n\n'
            '[[requirements.summary.deliverables]]\nid = "clip"\nkind = "video"\nmin_width = -5\n'
        ),
        "requirements.summary.deliverables[1].min_width",
        "min_width",
        "positive",
        "-5",
    ),
    case(
        "max-size-nan",
        deliverable('id = "clip"\nkind = "video"\nmax_size_mb = nan\n'),
        "requirements.summary.deliverables[0].max_size_mb",
        "max_size_mb",
        "positive",
    ),
    case(
        "negative-attendance",
        activity("on = 2020-06-16\nexpected_attendance = -200\n"),
        "activities.day.expected_attendance",
        "expected_attendance",
        "negative",
    ),
    case(
        "upper-case-format",
        deliverable('id = "clip"\nkind = "video"\nformats = ["mp4", ".MOV"]\n'),
        "requirements.summary.deliverables[0].formats[1]",
        "formats",
        "lower case",
        "write `mov`",
    ),
    # -- ids --------------------------------------------------------------------------------------
    case(
        "duplicate-deliverable-id",
        deliverable(
            'id = "pics"\nkind = "photo"\n\n'
            '[[requirements.summary.deliverables]]\nid = "pics"  # again\nkind = "video"\n'
        ),
        "requirements.summary.deliverables[1].id",
        "# again",
        "listed twice",
        code="duplicate",
    ),
    case(
        "deliverable-id-not-slug",
        deliverable('id = "Video 1"\nkind = "video"\n'),
        "requirements.summary.deliverables[0].id",
        'id = "Video 1"',
        "not a valid id",
        "`video-1`",
        code="bad-id",
    ),
    case(
        "capitalised-unit-id",
        replace("[units.east]", "[units.Futian]"),
        "units.Futian",
        "[units.Futian]",
        "not a valid id",
        "`futian`",
        code="bad-id",
    ),
    case(
        "chinese-unit-id",
        replace("[units.east]", '[units."福田"]'),
        "units.福田",
        "福田",
        "`福田` is not a valid id",
        code="bad-id",
    ),
    case(
        "chinese-unit-id-unquoted",
        replace("[units.east]", "[units.福田]"),
        "",
        "福田",
        "not valid TOML",
        code="toml",
    ),
    case(
        "campaign-id-not-slug",
        replace('id = "mini"', 'id = "Mini Campaign"'),
        "campaign.id",
        "Mini Campaign",
        "`mini-campaign`",
        code="bad-id",
    ),
    # -- the header and the format ----------------------------------------------------------------
    case(
        "unknown-timezone",
        replace('timezone = "Asia/Shanghai"', 'timezone = "Asia/Shanghi"'),
        "campaign.timezone",
        "timezone",
        "unknown time zone",
        "did you mean `Asia/Shanghai`?",
        code="bad-timezone",
    ),
    case(
        "timezone-is-a-path",
        replace('timezone = "Asia/Shanghai"', 'timezone = "../../etc/passwd"'),
        "campaign.timezone",
        "timezone",
        "unknown time zone",
        code="bad-timezone",
    ),
    case(
        "format-2",
        replace("format = 1", "format = 2"),
        "format",
        "format = 2",
        "format version 2",
        "format = 1",
        code="unknown-format",
    ),
    case(
        "format-as-string",
        replace("format = 1", 'format = "1"'),
        "format",
        "format =",
        "string",
        code="unknown-format",
    ),
    case(
        "extends-a-missing-file",
        replace("format = 1\n", 'format = 1\nextends = "../no-such-city.toml"\n'),
        "extends",
        "extends",
        "the campaign it extends, ../no-such-city.toml",
        "does not exist",
        code="unreadable",
    ),
    # -- not TOML ---------------------------------------------------------------------------------
    case(
        "duplicate-table",
        append('[units.office]  # again\nname = "Office again"\nkind = "office"\n'),
        "units.office",
        "# again",
        "[units.office] is declared twice",
        "ids are table keys",
        code="duplicate",
    ),
    case(
        "duplicate-key",
        replace('name = "Summary"\n', 'name = "Summary"\nname = "Summary again"\n'),
        "",
        "Summary again",
        "not valid TOML",
        code="toml",
    ),
    case(
        "unterminated-string",
        replace('name = "Summary"', 'name = "Summary'),
        "",
        'name = "Summary',
        "not valid TOML",
        code="toml",
    ),
    case(
        "array-of-tables-for-id-table",
        replace("[units.east]", "[[units]]"),
        "",
        "[[units]]",
        "not valid TOML",
        code="toml",
    ),
    case(
        "nul-byte",
        replace("format = 1", "format = 1\x00"),
        "",
        "format = 1",
        "not valid TOML",
        code="toml",
    ),
]


@pytest.mark.parametrize("broken", CASES)
def test_broken_campaign(
    broken: Case, run_cli: Callable[..., CliResult], write_campaign: Callable[..., Path]
) -> None:
    path = write_campaign(broken.text)
    result = run_cli("validate", path, "--format", "json")
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    problems = problems_of(result)
    # One mistake is reported once: no cascade of errors that follow from it.
    errors = [p for p in problems if p["severity"] == "error"]
    assert len(errors) == 1, errors
    problem = only(problems, broken.path)
    assert problem["severity"] == "error"
    assert problem["file"] == str(path)
    if broken.at is not None:
        assert problem["line"] == line_with(broken.text, broken.at), problem
    if broken.unlocated:
        assert problem["line"] is None
    for word in broken.words:
        assert word in shown(problem), problem
    if broken.code is not None:
        assert problem["code"] == broken.code


# -- whole-file problems --------------------------------------------------------------------------
def nested(depth: int, open_: str, close: str, inner: str = "") -> str:
    return "x = " + open_ * depth + inner + close * depth + "\n"


def _write(tmp: Path, data: bytes | str) -> Path:
    path = tmp / "campaign.toml"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _sparse(tmp: Path) -> Path:
    path = tmp / "huge.toml"
    with path.open("wb") as f:
        f.truncate(80 * 2**20)
    return path


GBK = 'format = 1\n\n[campaign]\ntitle = "深圳市安全生产月"\n'.encode("gbk")

WHOLE_FILE = [
    pytest.param(lambda t: _write(t, b""), None, ("empty",), id="empty-file"),
    pytest.param(lambda t: _write(t, " \n\t\n\n   "), None, ("empty",), id="whitespace-only"),
    pytest.param(lambda t: t, None, ("directory",), id="directory"),
    pytest.param(lambda t: t / "nosuch.toml", None, ("does not exist",), id="missing-file"),
    pytest.param(lambda t: _write(t, GBK), 4, ("not UTF-8", "GBK"), id="gbk-file"),
    pytest.param(
        lambda t: _write(t, "format = 1\n".encode("utf-16")), 1, ("not UTF-8",), id="utf-16-file"
    ),
    pytest.param(
        lambda t: _write(t, bytes(range(256)) * 64), None, ("not UTF-8",), id="binary-garbage"
    ),
    pytest.param(
        lambda t: _write(t, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        1,
        ("not UTF-8",),
        id="png-image",
    ),
    pytest.param(_sparse, None, ("80.0 MB", "CAMPAIGNKIT_MAX_FILE_MB"), id="80-mb-file"),
    pytest.param(
        lambda t: _write(t, nested(10_000, "[", "]")), None, ("nested",), id="arrays-10000-deep"
    ),
    pytest.param(
        lambda t: _write(t, nested(10_000, "{ a = ", " }", "1")),
        None,
        ("nested",),
        id="inline-tables-10000-deep",
    ),
    pytest.param(
        lambda t: _write(t, "[" + ".".join(["a"] * 5000) + "]\n"),
        None,
        ("nested",),
        id="dotted-header-5000-parts",
    ),
]


@pytest.mark.parametrize(("make", "line", "words"), WHOLE_FILE)
def test_whole_file_problem(
    make: Callable[[Path], Path],
    line: int | None,
    words: tuple[str, ...],
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    path = make(tmp_path)
    result = run_cli("validate", path, "--format", "json")
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    problems = problems_of(result)
    assert len(problems) == 1, problems
    problem = only(problems, "")
    assert problem["severity"] == "error"
    assert problem["file"] == str(path)
    for word in words:
        assert word in shown(problem), problem
    if line is not None:
        assert problem["line"] == line


@pytest.mark.slow
def test_huge_file_read_when_the_limit_is_raised(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    path = _sparse(tmp_path)  # 80 MB of NUL bytes: valid UTF-8, not TOML
    result = run_cli("validate", path, "--format", "json", env={"CAMPAIGNKIT_MAX_FILE_MB": "100"})
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    problem = only(problems_of(result), "")
    assert "not valid TOML" in problem["message"]
    assert problem["line"] == 1


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param(
            "format = 1\n" + "".join(f"[{'.'.join(['t'] * n)}]\n" for n in range(1, 41)),
            # The first table too deep is the one of 33 parts, on line 1 + 33.
            34,
            id="tables-40-deep-via-headers",
        ),
        pytest.param(
            "format = 1\n[" + ".".join(["t"] * 40) + "]\nk = 1\n", 2, id="one-header-40-parts"
        ),
        pytest.param("format = 1\n" + nested(40, "[", "]"), 2, id="arrays-40-deep"),
    ],
)
def test_too_deep_names_the_key(
    text: str, line: int, run_cli: Callable[..., CliResult], write_campaign: Callable[..., Path]
) -> None:
    """Nesting tomli accepts but format v1 never needs: reported at the first key too deep."""
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    [problem] = problems_of(result)
    assert problem["code"] == "too-deep"
    assert "nested more than 32 levels" in problem["message"]
    assert problem["path"].startswith(("t.t.t", "x[0][0]"))
    assert problem["line"] == line


# -- warnings alone -------------------------------------------------------------------------------
WARNINGS = [
    pytest.param(
        append("[plugins.nosuch]\nflavor = 1\n"),
        "plugins.nosuch",
        "[plugins.nosuch]",
        "unknown-plugin",
        id="table-of-missing-plugin",
    ),
    pytest.param(
        with_group('streets = { kinds = ["street"] }'),
        "groups.streets.kinds[0]",
        "streets =",
        "unused-kind",
        id="unused-group-kind",
    ),
    pytest.param(
        add_to_requirement("remind = [60, 1]\n"),
        "requirements.summary.remind[0]",
        "remind =",
        "reminder-before-issue",
        id="reminder-before-issue-date",
    ),
    pytest.param(
        replace('timezone = "Asia/Shanghai"', 'timezone = "Asia/Shanghai"\nlanguage = "fr"'),
        "campaign.language",
        "language =",
        "unknown-language",
        id="language-without-texts",
    ),
    pytest.param(
        replace("due = 2020-06-28", "due = 2020-12-28"),
        "requirements.summary.due",
        "due =",
        "after-campaign",
        id="due-after-last-phase",
    ),
    pytest.param(
        deliverable('id = "report"\nkind = "document"\nmin_width = 1920\n'),
        "requirements.summary.deliverables[0].min_width",
        "min_width",
        "unused-constraint",
        id="width-of-a-document",
    ),
    pytest.param(
        replace('issued_by = "office"\n', "").replace(
            'assignees = ["districts"]', 'assignees = ["districts", "office"]\nescalate_after = 3'
        ),
        "requirements.summary.escalate_after",
        "escalate_after",
        "no-escalation-target",
        id="escalation-with-nobody-to-receive-it",
    ),
]


@pytest.mark.parametrize(("text", "path", "at", "code"), WARNINGS)
def test_warnings_alone_exit_0(
    text: str,
    path: str,
    at: str,
    code: str,
    run_cli: Callable[..., CliResult],
    write_campaign: Callable[..., Path],
) -> None:
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    problems = problems_of(result)
    assert {p["severity"] for p in problems} == {"warning"}
    problem = only(problems, path)
    assert problem["code"] == code
    assert problem["line"] == line_with(text, at)


def test_warnings_in_the_table_output_still_say_valid(
    run_cli: Callable[..., CliResult], write_campaign: Callable[..., Path]
) -> None:
    result = run_cli("validate", write_campaign(append("[plugins.nosuch]\nflavor = 1\n")))
    assert result.exit_code == 0, result.output
    assert "2 warnings" in result.stdout  # and that east cannot be reached: it has no channel
    assert "plugins.nosuch" in result.stdout
    assert "is valid" in result.stdout


# -- the table people read ------------------------------------------------------------------------
def test_table_output_names_key_line_and_hint(
    run_cli: Callable[..., CliResult], write_campaign: Callable[..., Path]
) -> None:
    text = replace("assignees =", "asignees =")
    result = run_cli("validate", write_campaign(text))
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    assert "1 error" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "asignees" in line)
    assert "requirements.summary.asignees" in row
    assert str(line_with(text, "asignees")) in re.split(r"[\s│┃|]+", row)
    assert "did you mean `assignees`?" in row


def test_table_output_of_a_whole_file_problem(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("validate", tmp_path)
    assert result.exit_code == 1, result.output
    assert "(file)" in result.stdout
    assert "is a directory" in result.stdout


# -- every problem at once ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "paths"),
    [
        pytest.param(
            replace("issued_on = 2020-05-22", "isued_on = 2020-05-22")
            .replace("start = 2020-06-01", 'start = "2020-06-01"')
            .replace("due = 2020-06-28\n", 'due = 2020-06-28\nrest_day = "never"\n'),
            {
                "campaign.isued_on": "isued_on",
                "phases.month.start": "start =",
                "requirements.summary.rest_day": "rest_day",
            },
            id="three-structural-mistakes",
        ),
        pytest.param(
            replace('parent = "office"', 'parent = "ofice"')
            .replace("end = 2020-06-30", "end = 2020-05-30")
            .replace('assignees = ["districts"]', 'assignees = ["distrcts"]'),
            {
                "units.east.parent": "parent =",
                "phases.month.end": "end =",
                "requirements.summary.assignees[0]": "assignees =",
            },
            id="three-semantic-mistakes",
        ),
    ],
)
def test_all_problems_reported_at_once(
    text: str,
    paths: dict[str, str],
    run_cli: Callable[..., CliResult],
    write_campaign: Callable[..., Path],
) -> None:
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    problems = problems_of(result)
    errors = {p["path"]: p["line"] for p in problems if p["severity"] == "error"}
    assert errors == {path: line_with(text, at) for path, at in paths.items()}
    # Sorted in file order.
    lines = [p["line"] for p in problems if p["severity"] == "error"]
    assert lines == sorted(lines)


# -- the real console script ----------------------------------------------------------------------
def _console(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("CAMPAIGNKIT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "campaignkit", "validate", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("make", "words"),
    [
        pytest.param(lambda t: t, "is a directory", id="directory"),
        pytest.param(lambda t: _write(t, GBK), "not UTF-8", id="gbk-file"),
        pytest.param(
            lambda t: _write(t, nested(10_000, "[", "]")), "nested", id="arrays-10000-deep"
        ),
        pytest.param(
            lambda t: _write(t, nested(10_000, "{ a = ", " }", "1")),
            "nested",
            id="inline-tables-10000-deep",
        ),
    ],
)
def test_console_script(make: Callable[[Path], Path], words: str, tmp_path: Path) -> None:
    done = _console(make(tmp_path))
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == 1, done.stdout + done.stderr
    assert words in done.stdout


def test_the_depth_limit_is_exact_and_names_the_key() -> None:
    from campaignkit.tomlfile import MAX_DEPTH, _too_deep

    def nested(depth: int) -> object:
        value: object = "leaf"
        for _ in range(depth):
            value = [value]
        return value

    # `raw` is depth 0, the table `plugins` depth 1, so `x` holds MAX_DEPTH - 2 more levels.
    assert _too_deep({"plugins": {"x": nested(MAX_DEPTH - 2)}}) is None
    assert _too_deep({"plugins": {"x": nested(MAX_DEPTH - 1)}}) == "plugins.x" + "[0]" * (
        MAX_DEPTH - 1
    )
