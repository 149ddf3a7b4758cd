"""A unit's standing in words, as the ``md`` and ``csv`` reports write it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaignkit import gettext as _

if TYPE_CHECKING:
    from campaignkit import AssigneeStatus


def standing_text(names: dict[str, str], row: AssigneeStatus, extended: str) -> str:
    """A unit's standing in words, with the day its deadline was moved to (`extended`,
    the words for it in the language being written), if it was."""
    said = names[row.standing]
    if row.extended_until is not None:
        said += extended.format(date=row.extended_until.isoformat())
    return said


def extended_words() -> str:
    """How a moved deadline is said after a standing, in the language being written."""
    return _(" (extended to {date})")
