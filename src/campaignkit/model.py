"""Campaign format v1 as frozen attrs records.

Plain data: the keys of the TOML file are the attribute names, ids are the table keys, and
every record carries its own ``id``. Dates are `datetime.date`. The loader builds these; nothing
here reads files or knows the command line. Each field's ``doc`` metadata feeds the JSON
Schema (and so the editor's hover text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from .i18n import language_for
from .recordfields import _doc, _items
from .recordfields import toml_key as toml_key
from .supervision import ESCALATION_TARGETS as ESCALATION_TARGETS
from .supervision import Assessment as Assessment
from .supervision import Escalation as Escalation
from .supervision import FigureField as FigureField
from .supervision import FigureType as FigureType
from .supervision import NoticeText as NoticeText
from .supervision import RankBy as RankBy

FORMAT_VERSION = 1

Mode = Literal["online", "offline", "hybrid"]
DeliverableKind = Literal["document", "spreadsheet", "video", "photo", "other", "figures"]
RestDay = Literal["keep", "before", "after"]
Every = Literal["week", "month"]


@attrs.frozen
class CampaignInfo:
    """The ``[campaign]`` table: what the campaign is and who issued it."""

    id: str = _doc("The campaign's id, a slug such as `shenzhen-2020`.")
    title: str = _doc("The plan's full title.")
    issued_on: dt.date = _doc("The date the plan was issued.")
    issued_by: str | None = _doc("The unit that issued the plan.", default=None)
    reference: str | None = _doc("The document number, such as 深安办〔2020〕79号.", default=None)
    theme: str | None = _doc("The campaign's theme or slogan.", default=None)
    timezone: str = _doc("IANA time zone for every date and deadline.", default="UTC")
    language: str | None = _doc(
        "Language of notices and messages, a BCP 47 tag such as `zh-CN` or `en`; without it, "
        "Chinese when the title is written in Chinese, English otherwise.",
        default=None,
    )
    description: str | None = _doc("Free text: the guiding idea, background.", default=None)
    send_at: dt.time = _doc(
        'When notices go out, local time, such as "09:00": reminders, and the overdue '
        "notices and escalations of the night before. Between 07:00 and 22:00.",
        default=dt.time(9, 0),
    )
    send_on_rest_days: bool = _doc(
        "False to hold notices that fall on a rest day until the next working day's send "
        "time (China's calendar with the cn-workdays plugin, else Saturdays and Sundays).",
        default=True,
    )


@attrs.frozen
class Phase:
    """A named span of the campaign, such as the Safety Production Month."""

    id: str
    name: str = _doc("The phase's name.")
    start: dt.date = _doc("First day of the phase.")
    end: dt.date = _doc("Last day of the phase (inclusive).")
    description: str | None = _doc("Free text.", default=None)


@attrs.frozen
class Contact:
    """A person to reach at a unit."""

    name: str | None = _doc("The contact's name.", default=None)
    phone: str | None = _doc("A telephone or mobile number.", default=None)
    email: str | None = _doc("An e-mail address.", default=None)


@attrs.frozen
class Unit:
    """An organisation that issues, organises or must hand something in."""

    id: str
    name: str = _doc("The unit's name.")
    kind: str = _doc("What sort of unit it is, such as `district` or `department`.")
    parent: str | None = _doc("The unit above it: escalations go there.", default=None)
    contact: Contact | None = _doc("Who to reach at the unit.", default=None)
    channels: Mapping[str, str] = _doc(
        'Notifier name to the unit\'s address on it, e.g. `email = "ops@example.org"`.',
        factory=dict,
    )


@attrs.frozen
class Group:
    """A named set of units: the union of units of some kinds, listed units and other groups."""

    id: str
    kinds: tuple[str, ...] = _items("Every unit of these kinds.")
    units: tuple[str, ...] = _items("These units.")
    groups: tuple[str, ...] = _items("Every member of these groups.")


@attrs.frozen
class Role:
    """A post in the campaign's organisation, such as the committee's director."""

    id: str
    title: str = _doc("The post, such as 组委会主任.")
    unit: str = _doc("The unit the post belongs to.")
    holder: str | None = _doc("Who holds it.", default=None)
    position: str | None = _doc("The holder's own position.", default=None)


@attrs.frozen
class Activity:
    """Something that happens on a day (``on``) or over a span (``start`` to ``end``)."""

    id: str
    name: str = _doc("The activity's name.")
    on: dt.date | None = _doc("The day of a one-day activity.", default=None)
    start: dt.date | None = _doc("First day of a span (with `end`).", default=None)
    end: dt.date | None = _doc("Last day of a span, inclusive (with `start`).", default=None)
    phase: str | None = _doc("The phase it belongs to; it must fall inside it.", default=None)
    part_of: str | None = _doc("The activity this one is part of.", default=None)
    mode: Mode | None = _doc("online, offline or hybrid.", default=None)
    organizer: str | None = _doc("The unit that organises it.", default=None)
    participants: tuple[str, ...] = _items("Units or groups that take part.")
    venue: str | None = _doc("Where it takes place.", default=None)
    expected_attendance: int | None = _doc("How many people are expected.", default=None)
    audiences: tuple[str, ...] = _items("Who it is for, e.g. enterprise, school, family.")
    channels: tuple[str, ...] = _items("Platforms and media it runs on.")
    description: str | None = _doc("Free text.", default=None)

    @property
    def first_day(self) -> dt.date | None:
        return self.on if self.on is not None else self.start

    @property
    def last_day(self) -> dt.date | None:
        return self.on if self.on is not None else self.end


@attrs.frozen
class Deliverable:
    """One piece of what a requirement asks for, with the constraints its evidence must meet."""

    id: str = _doc("The deliverable's id within its requirement.")
    kind: DeliverableKind = _doc(
        "document, spreadsheet, video, photo or other: files; figures: numbers and words "
        "typed in (`fields`)."
    )
    name: str | None = _doc(
        "What people call it, such as 活动照片: shown instead of the id in messages, "
        "reports and notices.",
        default=None,
    )
    formats: tuple[str, ...] = _items(
        "Accepted file formats, lower case: mp4, jpg, docx; names the installed probers know."
    )
    min_count: int = _doc("Fewest files accepted.", default=1)
    max_count: int | None = _doc("Most files accepted.", default=None)
    min_width: int | None = _doc("Smallest width in pixels, as displayed.", default=None)
    min_height: int | None = _doc("Smallest height in pixels, as displayed.", default=None)
    min_duration_s: float | None = _doc("Shortest duration of a video, seconds.", default=None)
    max_size_mb: float | None = _doc("Largest size of one file, in megabytes.", default=None)
    fields: tuple[FigureField, ...] = _items("For `figures`: the figures asked for.")
    checks: tuple[str, ...] = _items(
        "For `figures`: rules its figures must keep, such as `hazards-fixed <= hazards-found` "
        "(comparisons of field ids and numbers, with + - * / and parentheses; subtract with "
        "spaces, `a - b`)."
    )

    @property
    def label(self) -> str:
        """What a person reads for it: its name, or its id when it has none."""
        return self.name or self.id


@attrs.frozen
class Requirement:
    """What assignees must hand in, to whom and by when."""

    id: str
    name: str = _doc("What is to be handed in.")
    assignees: tuple[str, ...] = _doc("Units or groups that must hand it in.")
    due: dt.date = _doc(
        "Due by the end of this day, in the campaign's time zone. For a recurring "
        'requirement, an expression in its period: "period.end + 1d".'
    )
    every: Every | None = _doc(
        "week or month: a recurring requirement, handed in once per ISO week or calendar "
        "month from `from` to `until`; each period is an occurrence, `ID@2020-W23`, "
        "`ID@2020-06`.",
        default=None,
    )
    from_: dt.date | None = _doc(
        "The first day of a recurring requirement's first period.", key="from", default=None
    )
    until: dt.date | None = _doc(
        "The last day of a recurring requirement's last period.", default=None
    )
    submit_to: str | None = _doc("The unit receiving it; defaults to `issued_by`.", default=None)
    remind: tuple[int, ...] = _doc("Days before the due date to remind.", default=(3, 1))
    escalate_after: int | str | None = _doc(
        'Days after the due date to escalate a missing unit to the level above: 3, or "3d"; '
        '"3wd" counts working days.',
        default=None,
    )
    escalate_to: str | None = _doc(
        "A unit or role to escalate to when a unit's parent is the office chasing it "
        "(`submit_to`); by default that office's own parent.",
        default=None,
    )
    escalation: tuple[Escalation, ...] = _items(
        "An escalation ladder: each step a notice about every unit still missing, to the "
        "unit, its leadership, or a role. Instead of `escalate_after`."
    )
    rest_day: RestDay = _doc(
        "A due date on a rest day: keep it, or move it to the working day before or after.",
        default="keep",
    )
    description: str | None = _doc("Free text.", default=None)
    deliverables: tuple[Deliverable, ...] = _items("The pieces to hand in.")
    notices: Mapping[str, NoticeText] = _doc(
        "This requirement's notices in the bureau's own words, by kind: in place of the "
        "campaign's `[notices]`.",
        factory=dict,
    )

    @property
    def series(self) -> str:
        """The id the campaign file gives it: for an occurrence of a recurring requirement
        (``weekly@2020-W23``), the recurring requirement's (``weekly``)."""
        return series_id(self.id)

    @property
    def occurrence(self) -> str | None:
        """For an occurrence of a recurring requirement, its period's key: ``2020-W23``
        (an ISO week) or ``2020-06`` (a month); None for a requirement handed in once."""
        return occurrence_key(self.id)

    @property
    def ladder(self) -> tuple[Escalation, ...]:
        """The steps of its escalation: `escalation`, or the one step `escalate_after`
        makes (to ``parent``); none when it has neither."""
        if self.escalation:
            return self.escalation
        if self.escalate_after is None:
            return ()
        return (Escalation(self.escalate_after),)


@attrs.frozen(kw_only=True)
class Campaign:
    """A whole campaign in format v1."""

    format: int = _doc("The format version; only 1 is known.")
    extends: str | None = _doc("A campaign file this one starts from.", default=None)
    campaign: CampaignInfo = _doc("What the campaign is.")
    phases: Mapping[str, Phase] = _doc("The campaign's phases, by id.")
    units: Mapping[str, Unit] = _doc("Every unit, by id.")
    groups: Mapping[str, Group] = _doc("Named sets of units.", factory=dict)
    roles: Mapping[str, Role] = _doc("Posts in the organisation.", factory=dict)
    activities: Mapping[str, Activity] = _doc("What happens, by id.", factory=dict)
    requirements: Mapping[str, Requirement] = _doc("What must be handed in, by id.", factory=dict)
    assessment: Assessment | None = _doc(
        "How units are assessed (考核) at the close: `report --format assessment`.", default=None
    )
    notices: Mapping[str, NoticeText] = _doc(
        "The notices in the bureau's own words, by kind: reminder, overdue, escalation, "
        "rejected, returned.",
        factory=dict,
    )
    plugins: Mapping[str, Any] = _doc(
        "Each plugin's own table, checked by that plugin.", factory=dict
    )

    @property
    def timezone(self) -> str:
        return self.campaign.timezone

    @property
    def issuer(self) -> str | None:
        return self.campaign.issued_by


# The tables whose keys are ids, and the record each holds: the loader adds the key as `id`.
ID_TABLES: Mapping[str, type] = {
    "phases": Phase,
    "units": Unit,
    "groups": Group,
    "roles": Role,
    "activities": Activity,
    "requirements": Requirement,
}


def series_id(requirement: str) -> str:
    """The id the campaign file gives a requirement: ``weekly`` for its occurrence
    ``weekly@2020-W23``, any other id as it is."""
    return requirement.partition("@")[0]


def occurrence_name(name: str, key: str, language: str) -> str:
    """An occurrence's name: its requirement's, with the period (``周报（2020-W23）``)."""
    return f"{name}（{key}）" if language == "zh" else f"{name} ({key})"


def series_name(name: str, key: str | None) -> str:
    """The requirement's name again, from an occurrence's (`occurrence_name`)."""
    return name.removesuffix(f"（{key}）").removesuffix(f" ({key})") if key else name


def occurrence_key(requirement: str) -> str | None:
    """The period of an occurrence's id (``weekly@2020-W23``: ``2020-W23``); None for the
    id of a requirement handed in once."""
    return requirement.partition("@")[2] or None


def language_of(campaign: Campaign) -> str:
    """The language of a campaign's notices and human output, ``zh`` or ``en``: the one its
    ``language`` declares, else Chinese for a campaign titled in Chinese. One rule for every
    check and renderer."""
    return language_for(campaign.campaign.language, campaign.campaign.title)


def notice_text(
    campaign: Campaign, requirement: Requirement, kind: str, level: int | None = None
) -> str | None:
    """The bureau's own words for a notice of `kind` about `requirement`, if it wrote them:
    the ladder step's ``text`` for an escalation, else the requirement's ``[notices]``, else
    the campaign's; None for the built-in words."""
    if kind == "escalation" and level is not None and 1 <= level <= len(requirement.ladder):
        step = requirement.ladder[level - 1].text
        if step is not None:
            return step
    own = requirement.notices.get(kind) or campaign.notices.get(kind)
    return own.text if own is not None else None
