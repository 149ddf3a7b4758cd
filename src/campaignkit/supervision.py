"""The records of format v1 with which an office supervises its units: the steps of an
escalation ladder, the figures a hand-in carries, and the year's assessment table. `model`
holds them in a `Campaign`, and exports them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from .recordfields import _doc

FigureType = Literal["integer", "decimal", "percent", "text", "date"]
RankBy = Literal["kind", "all"]


ESCALATION_TARGETS = ("unit", "parent", "issuer-parent")
"""The words a ladder's ``to`` may say instead of a unit or role id."""


@attrs.frozen
class Escalation:
    """One step of a requirement's escalation ladder, such as a yellow card (黄牌预警)."""

    after: int | str = _doc(
        'When: days after the due date, 2 or "2d", or working days, "1wd". Each step comes '
        "after the one before it."
    )
    to: str = _doc(
        "Who is told: `unit` (the unit itself), `parent` (the level above the office "
        "chasing it, as `escalate_after` goes), `issuer-parent` (the level above the "
        "issuing unit), or a role or unit id.",
        default="parent",
    )
    label: str | None = _doc(
        "What the step is called, such as 黄牌预警 or 约谈: it heads the notice and shows "
        "in reports.",
        default=None,
    )
    text: str | None = _doc(
        "The step's notice in the bureau's own words: a template with fields such as "
        "{unit} and {due} (docs/format.md lists them); by default the built-in words.",
        default=None,
    )


@attrs.frozen
class FigureField:
    """One figure a `figures` deliverable asks for, such as 排查隐患数 (hazards found)."""

    id: str = _doc(
        "The field's id, unique within its requirement: a letter, then letters, digits and "
        "single dashes, such as `hazards-found`; what `--figure ID=VALUE` and `checks` name."
    )
    type: FigureType = _doc("integer, decimal, percent (85 for 85%), text or date.")
    name: str | None = _doc(
        "What people call it, such as 排查隐患数: shown instead of the id.", default=None
    )
    min: float | None = _doc("The smallest value accepted (numbers only).", default=None)
    max: float | None = _doc("The largest value accepted (numbers only).", default=None)
    required: bool = _doc("True when a hand-in without it is rejected.", default=False)
    unit: str | None = _doc('What it counts, shown beside it, such as "人次".', default=None)
    weight: str | None = _doc(
        "For a percent: the integer or decimal field of the same deliverable that weighs "
        "each unit's value when figures roll up (a fix rate by hazards found); without it, "
        "the plain mean.",
        default=None,
    )

    @property
    def label(self) -> str:
        """What a person reads for it: its name, or its id when it has none."""
        return self.name or self.id


@attrs.frozen
class Assessment:
    """The ``[assessment]`` table (考核): points per requirement, deductions, a ranking."""

    scale: float = _doc("The full marks of a unit's total, such as 100.", default=100)
    points: Mapping[str, float] = _doc(
        "Each assessed requirement's points, by requirement id; they add up to at most "
        "`scale`. Without it, every requirement weighs the same.",
        factory=dict,
    )
    late_per_day: float = _doc(
        "Points lost per day late, up to the requirement's points.", default=0
    )
    rejected: float = _doc(
        "Share of the points kept, from 0 to 1, for a hand-in still rejected or returned "
        "at the close.",
        default=0,
    )
    missing: float = _doc(
        "Share of the points kept, from 0 to 1, when nothing was handed in.", default=0
    )
    rank_by: RankBy = _doc(
        "Rank units within each `kind` of unit, or `all` together.", default="kind"
    )
    per_occurrence: bool = _doc(
        "Score each occurrence of a recurring requirement, its points split evenly; "
        "otherwise the series counts once, by its worst occurrence.",
        default=False,
    )
    ladder_penalty: Mapping[str, float] = _doc(
        "Points lost by the highest escalation level reached, such as `{2 = 5, 3 = 10}`.",
        factory=dict,
    )
    commend: int = _doc("How many of the best units the circular commends.", default=3)
    criticise: int = _doc(
        "How many of the lowest units the circular criticises, besides those with nothing "
        "handed in.",
        default=3,
    )


NOTICE_KINDS = ("reminder", "overdue", "escalation", "rejected", "returned")
"""The notices a campaign may word its own way, by kind."""


@attrs.frozen
class NoticeText:
    """A notice in the bureau's own words (``[notices.KIND]``)."""

    text: str = _doc(
        "The notice's words: a template with fields in braces, such as "
        "`{unit}：请于{due:%Y年%-m月%-d日}前报送{requirement}`; docs/format.md lists the fields."
    )
