"""Built-in plugin ``rejections``: a rejected hand-in (``submission.rejected``) is told to
its unit, with every reason, unless the unit has handed in again since.

A plugin of its own, not part of ``escalations``: a unit must hear why its materials were
returned whichever way the office chases late units. A unit the office exempted is told
nothing; one whose deadline was moved is given its own date. Disable it by name
(``--disable rejections``) to replace the notice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from campaignkit import (
    Notification,
    hookimpl,
    language_of,
    notice_text,
    notice_values,
    render_notice_text,
)
from campaignkit.builtin.notices import fill, notice_key, notice_texts, shared_words

if TYPE_CHECKING:
    from campaignkit import Event, Run


@hookimpl
def campaignkit_on_event(event: Event, run: Run) -> list[Notification]:
    unit = event.unit
    if event.kind != "submission.rejected" or unit is None:
        return []
    campaign = run.campaign
    requirement = campaign.requirements[event.subject]
    if run.is_exempt(unit, requirement.id):
        return []
    due = run.deadline(unit, requirement.id).date()
    if due != requirement.due:  # the office moved the unit's deadline
        requirement = attrs.evolve(requirement, due=due)
    rejection = run.rejection(unit, requirement.id)
    if rejection is None or rejection.at != event.at:
        return []  # accepted since, or rejected again: that verdict speaks for itself
    at = run.schedule.next_send(event.at)
    words = shared_words(campaign, requirement, event, at)
    texts = notice_texts(language_of(campaign), words["days"])
    words["reasons"] = texts["separator"].join(rejection.problems)
    own = notice_text(campaign, requirement, "rejected")
    name = campaign.units[unit].name
    if own is not None:  # the bureau's own words
        values = notice_values(campaign, requirement, event, at, words)
        filled = {"unit": name, "unit_id": unit, "to": name, "reasons": words["reasons"]}
        said = render_notice_text(own, {**values, **filled}, language_of(campaign))
    else:
        said = fill(texts["rejected"], words).format(unit=name, to="")
    return [
        Notification(
            at,
            unit,
            "rejected",
            requirement.id,
            notice_key(campaign, event, "rejected", unit),
            said,
            chases=True,
            as_of=event.at,
            keeps_hours=True,
        )
    ]
