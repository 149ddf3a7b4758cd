"""Mending a ledger after its campaign file was edited: move what was recorded under an id
that the file renamed, so that `tick` neither chases units for work they handed in nor
sends again what was sent; or retire an id the file dropped on purpose."""

from __future__ import annotations

import attrs

from .i18n import _
from .ledger import Ledger
from .ledger.maintenance import Table, rename_requirement, rename_unit, retire
from .model import Campaign
from .problems import Problem, did_you_mean

__all__ = ["Moved", "Table", "rename", "retire_id"]


@attrs.frozen
class Moved:
    """What a rename moved from the old id to the new one."""

    submissions: int
    events: int
    notifications: int


def rename(
    campaign: Campaign, ledger: Ledger, table: Table, old: str, new: str
) -> Moved | list[Problem]:
    """Move everything the ledger holds under `old` to `new`, in one transaction.

    `new` must be in the campaign file and `old` no longer: the file is renamed first, the
    ledger follows it. Returns what moved, or the problems that stop it (nothing is moved).
    """
    ids = campaign.requirements if table == "requirements" else campaign.units
    problems = []
    if new not in ids:
        listed = ", ".join(list(ids)[:12])
        if table == "requirements":
            message = _("the campaign file has no requirement `{id}`")
            hint = _("the file's requirements: {ids}")
        else:
            message = _("the campaign file has no unit `{id}`")
            hint = _("the file's units: {ids}")
        problems.append(
            Problem(
                f"{table}.{new}",
                message.format(id=new),
                did_you_mean(new, ids) or hint.format(ids=listed),
            )
        )
    if old in ids:
        problems.append(
            Problem(
                f"{table}.{old}",
                _still_has(table, old),
                _("rename it to `{new}` in the file first; the ledger then follows").format(
                    new=new
                ),
            )
        )
    if problems:
        return problems
    move = rename_requirement if table == "requirements" else rename_unit
    counts = move(ledger, campaign.campaign.id, old, new)
    return Moved(counts["submissions"], counts["events"], counts["notifications"])


def retire_id(campaign: Campaign, ledger: Ledger, table: Table, old: str) -> int | list[Problem]:
    """Stop following `old`, dropped from the campaign file on purpose: what was recorded
    under it stays, and its notifications still waiting are skipped (their count is
    returned). `old` must no longer be in the file."""
    ids = campaign.requirements if table == "requirements" else campaign.units
    if old in ids:
        return [
            Problem(
                f"{table}.{old}",
                _still_has(table, old),
                _("only an id the file no longer has can be retired"),
            )
        ]
    return retire(ledger, campaign.campaign.id, table, old)


def _still_has(table: Table, old: str) -> str:
    if table == "requirements":
        return _("the campaign file still has requirement `{id}`").format(id=old)
    return _("the campaign file still has unit `{id}`").format(id=old)
