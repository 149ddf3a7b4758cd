"""A unit's duties: each requirement it is an assignee of, where it stands on it, by when it
must hand in, and what the office said — what a unit's page of the portal shows, and its API.

Where a unit stands is the standings' rule (`campaignkit.status.standings`) over the verdicts
as the office's reviews make them (`campaignkit.reviews.reviewed`): a unit may always hand in
again, every hand-in is kept, and a review of its latest one decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from .extensions import Allowances
from .model import Campaign, Requirement
from .reviews import deadline_for, reviewed
from .status import Standing, standings
from .submissions import Review, Verdict


@attrs.frozen
class Duty:
    """One requirement a unit must hand in for, and where it stands on it."""

    requirement: Requirement
    due: dt.datetime
    """The deadline its next hand-in is judged against: the requirement's, the end of the
    day of its extension, or the ``resubmit_by`` of the review that returned its hand-in."""
    state: Standing
    hand_ins: int
    """How many hand-ins the ledger keeps for it, rejected and returned ones too."""
    review: Review | None = None
    """The office's latest review of the hand-in that decides the state, if any."""
    reasons: tuple[str, ...] = ()
    """Why that hand-in was rejected, or the office's comment when its review rejected or
    returned it."""

    extended_until: dt.date | None = None
    """The day the office moved its deadline to, if it did."""

    @property
    def comment(self) -> str | None:
        """The office's comment on the hand-in that decides the state; None without one."""
        return self.review.comment if self.review is not None and self.review.comment else None


def duties(
    campaign: Campaign,
    unit: str,
    rows: Iterable[Verdict],
    reviews: Iterable[Review] = (),
    *,
    as_of: dt.datetime,
    allowances: Allowances | None = None,
) -> list[Duty]:
    """`unit`'s duties at `as_of`, in the campaign's order of requirements: the ledger's
    hand-ins (`rows`, any unit's), the office's `reviews` and its extensions and exemptions
    (`allowances`) decide each one's state."""
    mine = [row for row in rows if row.unit == unit]
    reviews = list(reviews)
    judged = reviewed(campaign, mine, reviews, allowances)
    table = standings(campaign, judged, as_of, allowances)
    out = []
    for requirement in campaign.requirements.values():
        state = table[requirement.id].get(unit)
        if state is None:
            continue  # not an assignee
        handed = [row for row in judged if row.requirement == requirement.id]
        deciding = _deciding(handed)
        out.append(
            Duty(
                requirement,
                deadline_for(campaign, unit, requirement.id, mine, reviews, allowances),
                state,
                sum(row.requirement == requirement.id for row in mine),
                deciding.review if deciding is not None else None,
                deciding.problems if deciding is not None else (),
                allowances.until(unit, requirement.id) if allowances else None,
            )
        )
    return out


def _deciding(handed: list[Verdict]) -> Verdict | None:
    """The hand-in a standing comes from: the first accepted one, else the latest."""
    for row in handed:
        if row.status in ("on_time", "late"):
            return row
    return handed[-1] if handed else None
