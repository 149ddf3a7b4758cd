"""The campaign the portal's tests run on: open until 2099, an office and two districts.

`campaign_text(requirements, language=…, east=…)` is it with the requirements a test asks
for (TOML text); the districts are the group `districts`."""

from __future__ import annotations

BASE = """\
format = 1

[campaign]
id = "mini"
title = "Minimal campaign"
issued_on = 2099-05-22
issued_by = "office"
timezone = "Asia/Shanghai"
{language}

[phases.month]
name = "Safety month"
start = 2099-06-01
end = 2099-06-30

[units.office]
name = "Safety office"
kind = "office"

[units.east]
name = "{east}"
kind = "district"
parent = "office"

[units.west]
name = "West district"
kind = "district"
parent = "office"

[groups]
districts = {{ kinds = ["district"] }}
"""

SUMMARY = """
[requirements.summary]
name = "Summary"
assignees = ["districts"]
due = 2099-06-28
"""

PLAN = """
[[requirements.summary.deliverables]]
id = "plan"
name = "The plan"
kind = "document"
formats = ["txt"]
max_size_mb = 1
"""


def campaign_text(requirements: str, *, language: str = "", east: str = "East district") -> str:
    """The campaign with `requirements`; `language` is a line of [campaign] (or none)."""
    return BASE.format(language=language, east=east) + requirements
