"""The format reference documents every key the model accepts, and nothing it does not."""

from __future__ import annotations

import re

import attrs
import pytest
from conftest import REPO

from campaignkit import model

FORMAT_MD = (REPO / "docs" / "format.md").read_text(encoding="utf-8")

# Each record, and the heading of its section in docs/format.md.
SECTIONS = {
    model.Campaign: "## Top level",
    model.CampaignInfo: "## `[campaign]`",
    model.Phase: "## `[phases.ID]`",
    model.Unit: "## `[units.ID]`",
    model.Group: "## `[groups]`",
    model.Role: "## `[roles.ID]`",
    model.Activity: "## `[activities.ID]`",
    model.Requirement: "## `[requirements.ID]`",
    model.Deliverable: "### `[[requirements.ID.deliverables]]`",
    model.Escalation: "### `[[requirements.ID.escalation]]`",
    model.Assessment: "## `[assessment]`",
    model.NoticeText: "## `[notices.KIND]`",
    model.FigureField: "### Figures (`fields`)",
}


def documented_keys(heading: str) -> set[str]:
    start = FORMAT_MD.index(heading)
    end = FORMAT_MD.find("\n#", start + len(heading))
    section = FORMAT_MD[start : end if end > 0 else None]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M))


@pytest.mark.parametrize("record", list(SECTIONS), ids=lambda r: r.__name__)
def test_every_key_is_documented(record: type) -> None:
    keyed = record in model.ID_TABLES.values()
    keys = {model.toml_key(f) for f in attrs.fields(record) if not (keyed and f.name == "id")}
    assert documented_keys(SECTIONS[record]) == keys


def test_every_key_has_a_description_for_editors() -> None:
    for record in SECTIONS:
        for field in attrs.fields(record):
            if field.name != "id" or record in (model.Deliverable, model.FigureField):
                assert field.metadata.get("doc"), f"{record.__name__}.{field.name}"


def test_every_page_is_in_the_site_navigation() -> None:
    """A page missing from mkdocs.yml would build, but nobody could find it."""
    import re

    nav = set(re.findall(r":\s+(\S+\.md)\s*$", (REPO / "mkdocs.yml").read_text("utf-8"), re.M))
    pages = {p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*.md")}
    assert pages == nav
