"""Next year's campaign from this year's: the logic behind ``campaignkit new --from``.

Works on the TOML text with tomlkit, so comments and layout survive. Every literal TOML date
(and date-time) anywhere in the document moves by whole years, month and day kept (29 February
becomes 28 February in a year without one); date expressions are strings and stay as written,
so they follow their anchors. The years in ``campaign.id`` and ``campaign.title`` move too.
What a person must still look at is listed in a comment block at the top of the new file:
theme and document number (never changed), dates that now fall on rest days, 29 February,
and text and comments that still name the old year (`newyear_review` makes the items and
the block).

Nothing here reads or writes files or knows the command line; tomlkit is imported when a
document is shifted, not when this module is imported.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import Any

import attrs

from .dates import RestDays, date_paths, literal_dates
from .newyear_review import (
    YEAR,
    ReviewItem,
    calendar_item,
    literal_rest_day_item,
    old_year_text,
    theme_and_reference,
    with_review_block,
    without_review_block,
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

    def render(self, extra: Sequence[ReviewItem] = ()) -> tuple[str, tuple[ReviewItem, ...]]:
        """The new file's text, review block included, and every review item in it: the
        plan's, `extra`, and the comments that still name an old year."""
        old_years = sorted({d.old.year for d in self.shifted} | {self.source_year})
        review = (*self.review, *extra)
        return with_review_block(self.body, self.newline, self._summary(), review, old_years)

    def _summary(self) -> list[str]:
        """The lines of the review block that say what was done."""
        years = self.years
        by = f"{'+' if years > 0 else ''}{years} year{'s' * (abs(years) != 1)}"
        leap = [d for d in self.shifted if d.clamped]
        out = [
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
        return out


def source_year(doc: Any) -> int:
    """The year of ``campaign.issued_on``; if it is an expression, of the earliest date."""
    campaign = doc.get("campaign")
    issued = campaign.get("issued_on") if isinstance(campaign, dict) else None
    if isinstance(issued, dt.date):
        return issued.year
    dates = [value for _, _, _, value in literal_dates(doc)]
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
    doc = tomlkit.parse(without_review_block(text, newline))
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
    for parent, key, path, day in list(literal_dates(doc)):
        new = _shift(day, years, path)
        parent[key] = new
        shifted.append(ShiftedDate(path, _day(day), _day(new)))
    expressions = tuple(
        (path, str(value)) for path, value in date_paths(doc) if isinstance(value, str)
    )
    old_years = sorted({d.old.year for d in shifted} | {old})

    changed: list[Change] = []
    if isinstance(campaign, dict):
        changed += _rename(campaign, old_years, years, review)
        review += theme_and_reference(campaign, year)
    changed += _rebase_extends(doc, move, review)
    # A recurring requirement's span may start or end on any day: its due dates are flagged.
    days = [d for d in shifted if not d.path.endswith((".from", ".until"))]
    review += [literal_rest_day_item(doc, d.path, d.new, rest) for d in days if rest(d.new)]
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
    review += old_year_text(doc, old_years, {path for path, _ in expressions})

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


def _replace_years(text: str, old_years: Sequence[int], years: int) -> str:
    """Each of `old_years` in `text` moved by `years`, all at once (2020-2021 → 2021-2022)."""
    known = {str(y) for y in old_years}
    return YEAR.sub(
        lambda m: str(int(m.group(1)) + years) if m.group(1) in known else m.group(1), text
    )


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
