"""Next year's campaign from this year's: the logic behind ``campaignkit new --from``.

Works on the TOML text with tomlkit, so comments and layout survive. Every literal TOML date
(and date-time) anywhere in the document moves by whole years, month and day kept (29 February
becomes 28 February in a year without one); date expressions are strings and stay as written,
so they follow their anchors. The years in ``campaign.id`` and ``campaign.title`` move too.
What a person must still look at is listed in a comment block at the top of the new file:
theme and document number (never changed), dates that now fall on rest days, 29 February,
and text and comments that still name the old year.

Nothing here reads or writes files or knows the command line; tomlkit is imported when a
document is shifted, not when this module is imported.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .dates import Workdays
    from .model import Campaign

HEADER_START = "# ── campaignkit new "
"""The first line of the block `next_year` adds; a block from an earlier run is replaced."""
HEADER_END = "# ── end of campaignkit new "
"""The last line of that block."""
SCHEMA_DIRECTIVE = "#:schema"

# Where format v1 puts a date: a string there is a date expression.
_DATE_KEYS = {
    "phases": ("start", "end"),
    "activities": ("on", "start", "end"),
    "requirements": ("due",),
}
WEEKDAYS = (
    ("Monday", "星期一"),
    ("Tuesday", "星期二"),
    ("Wednesday", "星期三"),
    ("Thursday", "星期四"),
    ("Friday", "星期五"),
    ("Saturday", "星期六"),
    ("Sunday", "星期日"),
)


class ShiftError(ValueError):
    """The source cannot be shifted: no literal date, or a date beyond year 9999."""


@attrs.frozen
class ShiftedDate:
    """One literal date that moved."""

    path: str
    old: dt.date
    new: dt.date

    @property
    def clamped(self) -> bool:
        """True when 29 February became 28 February."""
        return self.old.day != self.new.day


@attrs.frozen
class Change:
    """A value other than a date that `next_year` rewrote."""

    path: str
    old: str
    new: str


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


class RestDays:
    """Rest days by the installed working-day calendar, or Saturdays and Sundays without one.

    A year the calendar does not know (`LookupError`) falls back to Saturdays and Sundays and
    is remembered in `unknown_years`, so the review can say so.
    """

    def __init__(self, calendar: Workdays | None = None) -> None:
        self.calendar = calendar
        self.unknown_years: set[int] = set()

    @property
    def name(self) -> str:
        return str(getattr(self.calendar, "name", "calendar")) if self.calendar else "weekends"

    def __call__(self, day: dt.date) -> bool:
        if self.calendar is not None:
            try:
                return not self.calendar.is_workday(day)
            except LookupError:
                self.unknown_years.add(day.year)
        return day.weekday() >= 5


@attrs.frozen
class NewYear:
    """Next year's campaign: its TOML body (no review block yet) and what was done."""

    body: str
    source_name: str
    source_year: int
    year: int
    shifted: tuple[ShiftedDate, ...]
    expressions: tuple[tuple[str, str], ...]
    """(key path, expression) of every date expression, kept as written."""
    changed: tuple[Change, ...]
    review: tuple[ReviewItem, ...]
    newline: str = "\n"

    @property
    def years(self) -> int:
        return self.year - self.source_year

    def comment_review(self, offset: int) -> tuple[ReviewItem, ...]:
        """Comments that still name an old year, by line in the written file."""
        lines = _comment_lines(self.body, self._old_years())
        if not lines:
            return ()
        shown = ", ".join(str(n + offset) for n in lines[:40])
        more = f" and {len(lines) - 40} more" if len(lines) > 40 else ""
        years = "/".join(str(y) for y in self._old_years())
        return (
            ReviewItem(
                "comment",
                f"comments still mention {years} (仍写旧年份的注释), lines {shown}{more}",
            ),
        )

    def _old_years(self) -> list[int]:
        return sorted({d.old.year for d in self.shifted} | {self.source_year})

    def render(self, extra: Sequence[ReviewItem] = ()) -> tuple[str, tuple[ReviewItem, ...]]:
        """The new file's text, review block included, and every review item in it."""
        lines = self.body.split(self.newline)
        head = 1 if lines and lines[0].startswith(SCHEMA_DIRECTIVE) else 0
        review = (*self.review, *extra)
        block = self._block(review)
        # The block and a blank line go in after line `head`; the comment item adds a line.
        offset = len(block) + 2
        review = (*review, *self.comment_review(offset))
        block = self._block(review)
        text = self.newline.join([*lines[:head], *block, "", *lines[head:]])
        return text, review

    def _block(self, review: Sequence[ReviewItem]) -> list[str]:
        years = self.years
        by = f"{'+' if years > 0 else ''}{years} year{'s' * (abs(years) != 1)}"
        leap = [d for d in self.shifted if d.clamped]
        out = [
            f"{HEADER_START}{'─' * 60}",
            f"# {self.year} plan written by `campaignkit new` from {self.source_name}.",
            f"# 由 {self.source_name} 生成的 {self.year} 年方案。",
            f"# Shifted {len(self.shifted)} date{'s' * (len(self.shifted) != 1)} by {by}, "
            "month and day kept (日期按整年平移，月日不变)"
            + (f"; {len(leap)} × 29 February → 28 February." if leap else "."),
        ]
        if self.expressions:
            out.append(
                f"# Kept {len(self.expressions)} date expression"
                f"{'s' * (len(self.expressions) != 1)} as written: they follow their anchors."
            )
        for change in self.changed:
            out.append(f'# Changed: {change.path} "{change.old}" → "{change.new}"')
        out += [
            "#",
            "# REVIEW before issuing, then delete this block (发文前请复核，复核后删除本段):",
        ]
        for item in review:
            where = f"{item.path}: " if item.path else ""
            out.append(f"#   - {where}{item.message}")
        out.append(f"{HEADER_END}{'─' * 53}")
        return out


def source_year(doc: Any) -> int:
    """The year of ``campaign.issued_on``; if it is an expression, of the earliest date."""
    campaign = doc.get("campaign")
    issued = campaign.get("issued_on") if isinstance(campaign, dict) else None
    if isinstance(issued, dt.date):
        return issued.year
    dates = [value for _, _, _, value in _dates(doc)]
    if not dates:
        raise ShiftError("the campaign has no literal date to count the years from")
    return min(_day(d) for d in dates).year


def next_year(
    text: str,
    year: int | None = None,
    *,
    source_name: str,
    rest_days: Callable[[dt.date], bool] | None = None,
    move: tuple[PurePath, PurePath] | None = None,
) -> NewYear:
    """Next year's campaign from this year's TOML `text`.

    `year` is the year the new plan is issued in (by default the one after `source_year`):
    every literal date moves by ``year - source_year``. `rest_days` says whether a day is a
    rest day (a `RestDays`; Saturdays and Sundays by default). `move` is (old folder, new
    folder) when the file is written elsewhere: a relative ``extends`` is rewritten to name
    the same file.

    Raises `tomlkit.exceptions.ParseError` for text that is not TOML, `ShiftError` when it
    cannot be shifted.
    """
    import tomlkit

    newline = "\r\n" if "\r\n" in text else "\n"
    doc = tomlkit.parse(_without_old_block(text, newline))
    original = doc.unwrap()
    old = source_year(doc)
    year = old + 1 if year is None else year
    years = year - old
    rest = rest_days or RestDays()
    review: list[ReviewItem] = []
    campaign = doc.get("campaign")
    issued = campaign.get("issued_on") if isinstance(campaign, dict) else None
    if not isinstance(issued, dt.date):
        review.append(
            ReviewItem(
                "source",
                f"is not a date; the years were counted from the earliest date, in {old}",
                "campaign.issued_on",
            )
        )

    shifted: list[ShiftedDate] = []
    for parent, key, path, day in list(_dates(doc)):
        new = _shift(day, years, path)
        parent[key] = new
        shifted.append(ShiftedDate(path, _day(day), _day(new)))
    expressions = tuple(
        (path, str(value)) for path, value in _date_slots(doc) if isinstance(value, str)
    )
    old_years = sorted({d.old.year for d in shifted} | {old})

    changed: list[Change] = []
    if isinstance(campaign, dict):
        changed += _rename(campaign, old_years, years, review)
        review += _theme_and_reference(campaign, year)
    changed += _rebase_extends(doc, move, review)
    review += [_rest_day_item(doc, d.path, d.new, rest) for d in shifted if rest(d.new)]
    if isinstance(rest, RestDays) and rest.unknown_years:
        review.append(calendar_item(rest))
    review += [
        ReviewItem(
            "leap-day",
            f"{d.old} → {d.new}: {d.new.year} has no 29 February (无2月29日)",
            d.path,
            d.new,
        )
        for d in shifted
        if d.clamped
    ]
    review += _old_year_text(doc, old_years, {path for path, _ in expressions})

    body = doc.as_string()
    _verify(original, tomlkit.parse(body).unwrap(), years, changed)
    return NewYear(
        body=body,
        source_name=source_name,
        source_year=old,
        year=year,
        shifted=tuple(shifted),
        expressions=expressions,
        changed=tuple(changed),
        review=tuple(review),
        newline=newline,
    )


def _rename(
    campaign: Any, old_years: Sequence[int], years: int, review: list[ReviewItem]
) -> list[Change]:
    """The years in ``campaign.id`` and ``campaign.title`` moved by `years`."""
    changed = []
    for key in ("id", "title"):
        value = campaign.get(key)
        if not isinstance(value, str):
            continue
        new = _replace_years(value, old_years, years)
        if new != value:
            campaign[key] = new
            changed.append(Change(f"campaign.{key}", str(value), new))
        elif key == "id":
            review.append(
                ReviewItem(
                    "id",
                    f"has no year to change ({value}); give next year's campaign its own id "
                    "if both will be run",
                    "campaign.id",
                )
            )
    return changed


def _theme_and_reference(campaign: Any, year: int) -> list[ReviewItem]:
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


def _old_year_text(doc: Any, old_years: Sequence[int], expressions: set[str]) -> list[ReviewItem]:
    """Strings that still name an old year (the id and title are rewritten, the theme and
    document number reviewed on their own)."""
    skip = {"campaign.id", "campaign.title", "campaign.theme", "campaign.reference"}
    years = "/".join(str(y) for y in old_years)
    return [
        ReviewItem("old-year", f"still says {years} (仍写旧年份)", path)
        for path, value in _strings(doc)
        if path not in skip and path not in expressions and _mentions(value, old_years)
    ]


def rest_day_item(path: str, day: dt.date, rest: Callable[[dt.date], bool]) -> ReviewItem:
    """A review item for a date on a rest day."""
    english, chinese = WEEKDAYS[day.weekday()]
    kind = f"rest day, a {english}," if day.weekday() < 5 else f"{english}"
    name = f" by `{rest.name}`" if isinstance(rest, RestDays) and rest.calendar else ""
    return ReviewItem("rest-day", f"{day} is a {kind}{name} ({chinese}，休息日)", path, day)


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
    years = ", ".join(str(y) for y in sorted(rest.unknown_years))
    return ReviewItem(
        "calendar",
        f"the working-day calendar `{rest.name}` does not know {years}: "
        "Saturdays and Sundays were taken as the rest days",
    )


# ── walking the document ────────────────────────────────────────────────────────────────


def _items(container: Any, path: str) -> Iterator[tuple[Any, Any, str, Any]]:
    """(parent, key, key path, value) for every value in the document, depth first."""
    if isinstance(container, dict):
        for key, value in list(container.items()):
            sub = f"{path}.{key}" if path else str(key)
            yield container, key, sub, value
            yield from _items(value, sub)
    elif isinstance(container, list):
        for index, value in enumerate(container):
            sub = f"{path}[{index}]"
            yield container, index, sub, value
            yield from _items(value, sub)


def _dates(doc: Any) -> Iterator[tuple[Any, Any, str, dt.date]]:
    for parent, key, path, value in _items(doc, ""):
        if isinstance(value, dt.date):
            yield parent, key, path, value


def _strings(doc: Any) -> Iterator[tuple[str, str]]:
    for _, _, path, value in _items(doc, ""):
        if isinstance(value, str):
            yield path, value


def _date_slots(doc: Any) -> Iterator[tuple[str, Any]]:
    """(key path, value) wherever format v1 puts a date."""
    campaign = doc.get("campaign")
    if isinstance(campaign, dict) and "issued_on" in campaign:
        yield "campaign.issued_on", campaign["issued_on"]
    for table, keys in _DATE_KEYS.items():
        entries = doc.get(table)
        if isinstance(entries, dict):
            for item_id, entry in entries.items():
                if isinstance(entry, dict):
                    for key in keys:
                        if key in entry:
                            yield f"{table}.{item_id}.{key}", entry[key]


def _day(value: dt.date) -> dt.date:
    return (
        value.date()
        if isinstance(value, dt.datetime)
        else dt.date(value.year, value.month, value.day)
    )


def _shifted_day(day: dt.date, years: int, path: str) -> dt.date:
    year = day.year + years
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ShiftError(f"{path} = {day} would move to the year {year}")
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=year, day=28)


def _shift(value: Any, years: int, path: str) -> Any:
    """The tomlkit item `value` moved by `years`, with its comment and its spelling."""
    from tomlkit import items

    day = _shifted_day(_day(value), years, path)
    trivia = value.trivia
    raw = value.as_string()
    spelled = day.isoformat() + raw[10:] if len(raw) >= 10 else day.isoformat()
    if isinstance(value, dt.datetime):
        return items.DateTime(
            day.year,
            day.month,
            day.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            value.tzinfo,
            trivia,
            spelled,
        )
    return items.Date(day.year, day.month, day.day, trivia, spelled)


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _replace_years(text: str, old_years: Sequence[int], years: int) -> str:
    """Each of `old_years` in `text` moved by `years`, all at once (2020-2021 → 2021-2022)."""
    known = {str(y) for y in old_years}
    return _YEAR.sub(
        lambda m: str(int(m.group(1)) + years) if m.group(1) in known else m.group(1), text
    )


def _mentions(text: str, old_years: Sequence[int]) -> bool:
    known = {str(y) for y in old_years}
    return any(m.group(1) in known for m in _YEAR.finditer(text))


def _rest_day_item(
    doc: Any, path: str, day: dt.date, rest: Callable[[dt.date], bool]
) -> ReviewItem:
    item = rest_day_item(path, day, rest)
    parts = path.split(".")
    if parts[0] == "requirements" and parts[-1] == "due":
        requirement = doc.get("requirements", {}).get(parts[1], {})
        rule = requirement.get("rest_day") if isinstance(requirement, dict) else None
        if isinstance(rule, str):
            item = attrs.evolve(item, message=f'{item.message}; rest_day = "{rule}"')
    return item


def _rebase_extends(
    doc: Any, move: tuple[PurePath, PurePath] | None, review: list[ReviewItem]
) -> list[Change]:
    """A relative ``extends`` keeps naming the same file from the new file's folder."""
    value = doc.get("extends")
    if not isinstance(value, str):
        return []
    changes = []
    new = value
    if move is not None and move[0] != move[1] and not PurePath(value).is_absolute():
        old_dir, new_dir = move
        try:
            new = PurePath(os.path.relpath(old_dir / value, new_dir)).as_posix()
        except ValueError:  # another drive on Windows: leave it as it is
            new = value
        if new != value:
            doc["extends"] = new
            changes.append(Change("extends", value, new))
    review.append(
        ReviewItem(
            "extends",
            f"still extends {new}, last year's parent: write next year's parent with "
            "`campaignkit new` too, and point `extends` at it",
            "extends",
        )
    )
    return changes


def _without_old_block(text: str, newline: str) -> str:
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
        if _mentions(comment, old_years):
            found.append(number)
    return found


def _verify(before: Any, after: Any, years: int, changed: Sequence[Change]) -> None:
    """The new document must be the old one with dates moved and `changed` applied, nothing
    else: a check on tomlkit, which rewrites the text."""
    renamed = {change.path: change.new for change in changed}

    def expect(value: Any, path: str) -> Any:
        if path in renamed:
            return renamed[path]
        if isinstance(value, dict):
            return {k: expect(v, f"{path}.{k}" if path else k) for k, v in value.items()}
        if isinstance(value, list):
            return [expect(v, f"{path}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, dt.datetime):
            day = _shifted_day(value.date(), years, path)
            return value.replace(year=day.year, month=day.month, day=day.day)
        if isinstance(value, dt.date):
            return _shifted_day(value, years, path)
        return value

    if expect(before, "") != after:
        raise RuntimeError("rewriting the dates changed more than the dates (a tomlkit bug?)")
