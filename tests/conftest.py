"""Shared test data. The fixtures `run_cli` and `write_campaign` come from
`campaignkit.testing`, the pytest plugin campaignkit installs for plugin authors."""

from __future__ import annotations

from pathlib import Path

from campaignkit.testing import CliResult

__all__ = ["MINIMAL", "REPO", "SHENZHEN", "CliResult", "east_channels", "without_reach"]

REPO = Path(__file__).resolve().parent.parent
SHENZHEN = REPO / "campaigns" / "shenzhen_2020.toml"

# The smallest campaign that validates; tests append to it or replace parts of it.
MINIMAL = """\
format = 1

[campaign]
id = "mini"
title = "Minimal campaign"
issued_on = 2020-05-22
issued_by = "office"
timezone = "Asia/Shanghai"

[phases.month]
name = "Safety month"
start = 2020-06-01
end = 2020-06-30

[units.office]
name = "Safety office"
kind = "office"

[units.east]
name = "East district"
kind = "district"
parent = "office"

[groups]
districts = { kinds = ["district"] }

[requirements.summary]
name = "Summary"
assignees = ["districts"]
due = 2020-06-28
"""


def east_channels(channels: str) -> str:
    """MINIMAL with the east district's `channels` table, such as `recording = "desk"`."""
    return MINIMAL.replace(
        'parent = "office"\n', f'parent = "office"\nchannels = {{ {channels} }}\n', 1
    )


def without_reach(problems: list[dict]) -> list[dict]:
    """Problems (as JSON) other than `unreachable`: whether a notifier reaches a unit depends
    on the plugins installed, not on the file, and most tests are about the file."""
    return [p for p in problems if p["code"] != "unreachable"]
