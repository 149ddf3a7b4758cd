"""The built-in check of the campaign's text: no control characters where none can be meant.

An ESC in a unit's name clears the screen of whoever prints it; a CR or LF in a name ends
up in an e-mail's subject, and every message fails. A campaign file from another bureau
is not to be trusted with either. Free text (a `description`) may have line breaks and
tabs; nothing else may have a control character. Part of the ``checks`` plugin.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from campaignkit.i18n import _
from campaignkit.model import Campaign
from campaignkit.problems import Problem, join_path, listed

FREE_TEXT = frozenset({"description"})
"""Keys whose text may run over several lines."""


def control_characters(text: str, free: bool = False) -> list[str]:
    """The control characters in `text` (line breaks and tabs allowed in free text)."""
    allowed = "\n\t" if free else ""
    return [c for c in text if unicodedata.category(c) == "Cc" and c not in allowed]


def check_text(campaign: Campaign) -> Iterator[Problem]:
    # The plugins' sections too: a CR or LF in an e-mail's subject prefix would make every
    # message fail, five retries each, instead of one error here.
    for name in (
        "campaign", "phases", "units", "groups", "roles", "activities", "requirements", "plugins"
    ):  # fmt: skip
        yield from _walk(getattr(campaign, name), name, free=False)


def _walk(value: Any, path: str, free: bool) -> Iterator[Problem]:
    if isinstance(value, str):
        found = control_characters(value, free)
        if found:
            codes = listed(f"U+{ord(c):04X}" for c in dict.fromkeys(found))
            yield Problem(
                path,
                _(
                    "contains a control character ({codes}), which can only be a copying slip "
                    "or an attack"
                ).format(codes=codes),
                _("retype the text; names, contacts and titles are plain text on one line"),
                code="control-character",
            )
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _walk(item, join_path(path, str(key)), free)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _walk(item, join_path(path, index), free)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            if field.name == "id":
                continue  # ids are slugs: checked as such
            yield from _walk(
                getattr(value, field.name), join_path(path, field.name), field.name in FREE_TEXT
            )
