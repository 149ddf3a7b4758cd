"""What a person must check in next year's plan before it is issued, and the block of
comments at the top of the new file that lists it.

`next_year` moves the dates and the years of the id and title; what it cannot decide is
listed for a clerk: the theme and the document number (never changed), dates that now fall
on rest days (literal ones here, date expressions by `expression_review` once the new file
is loaded), a working-day calendar that does not know a year, and text and comments that
still name an old year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .dates import RestDays, walk

if TYPE_CHECKING:
    from .model import Campaign

HEADER_START = "# ── campaignkit new "
"""The first line of the review block; a block from an earlier run is replaced."""
HEADER_END = "# ── end of campaignkit new "
"""The last line of that block."""
SCHEMA_DIRECTIVE = "#:schema"
"""The start of the first line that names a campaign's JSON schema: the block goes after it."""
WEEKDAYS = (
    ("Monday", "星期一"),
    ("Tuesday", "星期二"),
    ("Wednesday", "星期三"),
    ("Thursday", "星期四"),
    ("Friday", "星期五"),
    ("Saturday", "星期六"),
    ("Sunday", "星期日"),
)
YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
"""A year written in text: four digits, not part of a longer number."""


@attrs.frozen
class ReviewItem:
    """Something a person must check before the new plan is issued."""

    kind: str
    """theme, reference, rest-day, leap-day, extends, id, old-year, comment, calendar, source."""
    message: str
    path: str | None = None
    date: dt.date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "date": self.date.isoformat() if self.date else None,
            "message": self.message,
        }


def theme_and_reference(campaign: Any, year: int) -> list[ReviewItem]:
    """The theme and the document number: never changed, always to review."""
    items = []
    for key, label, what in (
        ("theme", "主题", "the theme"),
        ("reference", "文号", "the document number"),
    ):
        value = campaign.get(key)
        message = (
            f"NOT changed ({label}未改): still “{value}”; set {what} of {year}"
            if isinstance(value, str)
            else f"not set; add {what} of {year} ({label})"
        )
        items.append(ReviewItem(key, message, f"campaign.{key}"))
    return items


def old_year_text(doc: Any, old_years: Sequence[int], expressions: set[str]) -> list[ReviewItem]:
    """Strings that still name an old year (the id and title are rewritten, the theme and
    document number reviewed on their own)."""
    skip = {"campaign.id", "campaign.title", "campaign.theme", "campaign.reference"}
    years = "/".join(str(y) for y in old_years)
    return [
        ReviewItem("old-year", f"still says {years} (仍写旧年份)", path)
        for _, _, path, value in walk(doc)
        if isinstance(value, str)
        and path not in skip
        and path not in expressions
        and mentions(value, old_years)
    ]


def mentions(text: str, old_years: Sequence[int]) -> bool:
    """True when `text` names one of `old_years`."""
    known = {str(y) for y in old_years}
    return any(m.group(1) in known for m in YEAR.finditer(text))


def rest_day_item(path: str, day: dt.date, rest: Callable[[dt.date], bool]) -> ReviewItem:
    """A review item for a date on a rest day."""
    english, chinese = WEEKDAYS[day.weekday()]
    kind = f"rest day, a {english}," if day.weekday() < 5 else f"{english}"
    name = f" by `{rest.name}`" if isinstance(rest, RestDays) and rest.calendar else ""
    return ReviewItem("rest-day", f"{day} is a {kind}{name} ({chinese}，休息日)", path, day)


def literal_rest_day_item(
    doc: Any, path: str, day: dt.date, rest: Callable[[dt.date], bool]
) -> ReviewItem:
    """A review item for a literal date of `doc` on a rest day, with its requirement's
    ``rest_day`` when it is a due date."""
    item = rest_day_item(path, day, rest)
    parts = path.split(".")
    if parts[0] == "requirements" and parts[-1] == "due":
        requirement = doc.get("requirements", {}).get(parts[1], {})
        rule = requirement.get("rest_day") if isinstance(requirement, dict) else None
        if isinstance(rule, str):
            item = attrs.evolve(item, message=f'{item.message}; rest_day = "{rule}"')
    return item


def expression_review(
    expressions: Sequence[tuple[str, str]], campaign: Campaign, rest: Callable[[dt.date], bool]
) -> list[ReviewItem]:
    """Date expressions whose date, as `campaign` resolved them, falls on a rest day."""
    found = []
    for path, expression in expressions:
        parts = path.split(".")
        try:
            record: Any = campaign.campaign
            if parts[0] != "campaign":
                record = getattr(campaign, parts[0])[parts[1]]
            day = getattr(record, parts[-1])
        except (AttributeError, KeyError, TypeError):
            continue
        if isinstance(day, dt.date) and rest(day):
            item = rest_day_item(path, day, rest)
            found.append(attrs.evolve(item, message=f"{item.message}, from “{expression}”"))
    return found


def calendar_item(rest: RestDays) -> ReviewItem:
    """The years the working-day calendar of `rest` did not know."""
    years = ", ".join(str(y) for y in sorted(rest.unknown_years))
    return ReviewItem(
        "calendar",
        f"the working-day calendar `{rest.name}` does not know {years}: "
        "Saturdays and Sundays were taken as the rest days",
    )


# ── the review block ────────────────────────────────────────────────────────────────────


def with_review_block(
    body: str,
    newline: str,
    summary: Sequence[str],
    review: tuple[ReviewItem, ...],
    old_years: Sequence[int],
) -> tuple[str, tuple[ReviewItem, ...]]:
    """`body` with the review block at its top: the `summary` lines (what was done), then
    every item of `review` and the comments of `body` that still name one of `old_years`.
    Returns the text and every review item in it."""
    lines = body.split(newline)
    head = 1 if lines and lines[0].startswith(SCHEMA_DIRECTIVE) else 0
    block = _block(summary, review)
    # The block and a blank line go in after line `head`; the comment item adds a line.
    offset = len(block) + 2
    review = (*review, *_comment_review(body, old_years, offset))
    block = _block(summary, review)
    text = newline.join([*lines[:head], *block, "", *lines[head:]])
    return text, review


def _block(summary: Sequence[str], review: Sequence[ReviewItem]) -> list[str]:
    out = [
        f"{HEADER_START}{'─' * 60}",
        *summary,
        "#",
        "# REVIEW before issuing, then delete this block (发文前请复核，复核后删除本段):",
    ]
    for item in review:
        where = f"{item.path}: " if item.path else ""
        out.append(f"#   - {where}{item.message}")
    out.append(f"{HEADER_END}{'─' * 53}")
    return out


def _comment_review(body: str, old_years: Sequence[int], offset: int) -> tuple[ReviewItem, ...]:
    """Comments that still name an old year, by line in the written file."""
    lines = _comment_lines(body, old_years)
    if not lines:
        return ()
    shown = ", ".join(str(n + offset) for n in lines[:40])
    more = f" and {len(lines) - 40} more" if len(lines) > 40 else ""
    years = "/".join(str(y) for y in old_years)
    return (
        ReviewItem(
            "comment",
            f"comments still mention {years} (仍写旧年份的注释), lines {shown}{more}",
        ),
    )


def without_review_block(text: str, newline: str) -> str:
    """`text` without the review block of an earlier `campaignkit new`."""
    lines = text.split(newline)
    start = 1 if lines and lines[0].startswith(SCHEMA_DIRECTIVE) else 0
    if len(lines) > start and lines[start].startswith(HEADER_START):
        for end in range(start + 1, len(lines)):
            if lines[end].startswith(HEADER_END):
                after = end + 1
                if after < len(lines) and not lines[after].strip():
                    after += 1
                return newline.join(lines[:start] + lines[after:])
            if not lines[end].startswith("#"):
                break
    return text


def _comment_lines(body: str, old_years: Sequence[int]) -> list[int]:
    """1-based numbers of the lines of `body` whose comment names one of `old_years`."""
    found = []
    for number, line in enumerate(body.splitlines(), 1):
        hash_at = line.find("#")
        comment = line[hash_at:] if hash_at >= 0 and not line.startswith(SCHEMA_DIRECTIVE) else ""
        if mentions(comment, old_years):
            found.append(number)
    return found
