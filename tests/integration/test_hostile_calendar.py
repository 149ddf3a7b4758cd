"""Hostile input in the `ics` plugin's calendar feed (issue 14, §7.5): what a campaign file
holds never adds lines of its own to a calendar."""

from __future__ import annotations

import pytest
from conftest import MINIMAL
from test_hostile import SIM, python, run

# `validate` refuses a line break in a title; the feed must not rely on it, and escapes it.
CALENDAR = """
import sys, attrs
from campaignkit import loads_campaign
from campaignkit.report import build_report
from campaignkit_ics.feed import render_calendar
campaign = loads_campaign(sys.stdin.read()).unwrap()
title = "Drill\\r\\nBEGIN:VEVENT\\r\\nSUMMARY:forged"
campaign = attrs.evolve(campaign, campaign=attrs.evolve(campaign.campaign, title=title))
sys.stdout.write(render_calendar(build_report(campaign, [], [], [], source="ledger")).decode())
"""
FREE_TEXT = MINIMAL.replace(
    "end = 2020-06-30\n", 'end = 2020-06-30\ndescription = "Drill\\nEND:VCALENDAR\\nBEGIN:VEVENT"\n'
)


def calendar_lines(output: str) -> list[str]:
    lines = output.splitlines()
    assert lines.count("BEGIN:VCALENDAR") == lines.count("END:VCALENDAR") == 1
    assert lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 2  # the phase and the requirement's deadline
    return lines


@pytest.mark.slow
@pytest.mark.parametrize("optimize", ["", "1"], ids=["asserts", "PYTHONOPTIMIZE"])
def test_text_cannot_add_lines_to_the_calendar(write_campaign, optimize: str) -> None:
    env = {"PYTHONOPTIMIZE": optimize}
    made = python("-c", CALENDAR, env=env, stdin=MINIMAL)
    assert made.returncode == 0, made.stderr
    lines = calendar_lines(made.stdout)
    assert "X-WR-CALNAME:Drill\\nBEGIN:VEVENT\\nSUMMARY:forged" in lines
    assert "NAME:Drill\\nBEGIN:VEVENT\\nSUMMARY:forged" in lines
    described = run("report", write_campaign(FREE_TEXT), *SIM, "-f", "ics", env=env)
    assert described.returncode == 0, described.stderr
    assert "DESCRIPTION:Drill\\nEND:VCALENDAR\\nBEGIN:VEVENT" in calendar_lines(described.stdout)
