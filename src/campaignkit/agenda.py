"""The campaign's activities as people read them: by date, each followed by its parts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from .model import Activity, Campaign


@attrs.frozen
class AgendaItem:
    activity: Activity
    level: int
    """0 for an activity of its own, 1 for a part of one, and so on."""


def agenda(campaign: Campaign, only: Iterable[str] | None = None) -> list[AgendaItem]:
    """Activities in date order, each followed by its parts; `only` keeps some ids."""
    keep = None if only is None else set(only)
    parts: dict[str | None, list[Activity]] = {}
    for act in campaign.activities.values():
        parent = act.part_of if act.part_of in campaign.activities else None
        parts.setdefault(parent, []).append(act)
    out: list[AgendaItem] = []
    seen: set[str] = set()

    def visit(parent: str | None, level: int) -> None:
        by_date = sorted(
            parts.get(parent, ()),
            key=lambda a: (a.first_day or dt.date.max, a.last_day or dt.date.max),
        )
        for act in by_date:
            if act.id in seen:  # a part_of cycle, reported by `validate`
                continue
            seen.add(act.id)
            shown = keep is None or act.id in keep
            if shown:
                out.append(AgendaItem(act, level))
            visit(act.id, level + 1 if shown else level)

    visit(None, 0)
    return out
