"""China's official working-day calendar, backed by ``chinesecalendar``.

``chinese_calendar`` (the import name of the ``chinesecalendar`` distribution) is imported on
the first look-up, never when the plugin loads, so that ``campaignkit --help`` stays fast.
This module is also the one typed doorway to that untyped library.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from types import ModuleType
from typing import Literal

from campaignkit import translator

__all__ = ["NAME", "ChinaWorkdays"]

NAME = "cn-workdays"

# The plugin's messages in the language campaignkit speaks: the campaign's, when a date of
# it is worked out.
_ = translator("campaignkit_cn_workdays", Path(__file__).parent / "locale")


@functools.cache
def _library() -> ModuleType:
    import chinese_calendar  # type: ignore[import-untyped]

    module: ModuleType = chinese_calendar
    return module


@functools.cache
def _library_version() -> str:
    from importlib import metadata  # only for a message: it is slow to import

    try:
        return metadata.version("chinesecalendar")
    except metadata.PackageNotFoundError:
        return str(getattr(_library(), "__version__", "(unknown version)"))


@functools.cache
def _known_years() -> range:
    # The same bounds chinese_calendar itself checks against: the years of its holidays.
    holidays = _library().holidays
    return range(min(holidays).year, max(holidays).year + 1)


def _lookup_error(day: object, error: NotImplementedError) -> Exception:
    """What chinese_calendar's NotImplementedError means for `day`, as campaignkit says it."""
    if not isinstance(day, dt.date):
        # chinese_calendar raises NotImplementedError for a wrong type too.
        return TypeError(f"expected a datetime.date, got {type(day).__name__}: {day!r}")
    years = _known_years()
    first, last = years.start, years.stop - 1
    message = _(
        "the Chinese working-day calendar does not know {year}: chinesecalendar {version} "
        "has China's official working days for {first}–{last} only"
    ).format(year=day.year, version=_library_version(), first=first, last=last)
    if day.year > last:
        message += _(
            "; a newer chinesecalendar adds each year once the State Council publishes its "
            "holiday arrangements, usually late in the year before "
            "(pip install --upgrade chinesecalendar)"
        )
    return LookupError(message)


class ChinaWorkdays:
    """China's official working days: statutory holidays are rest days, and the make-up
    working days (调休) that the State Council moves onto a Saturday or Sunday are working
    days. Other Saturdays and Sundays are rest days, other weekdays working days.

    A year that the installed ``chinesecalendar`` has no data for is a `LookupError`, never
    a guess: a year's arrangements are published only late in the year before.
    """

    name: str

    def __init__(self) -> None:
        self.name = NAME

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    @property
    def years(self) -> range:
        """The years the installed ``chinesecalendar`` knows (imports it)."""
        return _known_years()

    def is_workday(self, day: dt.date) -> bool:
        """True if people in China work on `day`.

        :raises LookupError: for a year the installed ``chinesecalendar`` does not know;
            the message names the year and the years it does know.
        """
        library = _library()
        try:
            return bool(library.is_workday(day))
        except NotImplementedError as error:
            raise _lookup_error(day, error) from error

    def holiday_name(self, day: dt.date, *, language: Literal["en", "zh"] = "en") -> str | None:
        """The holiday that makes `day` a rest day or a make-up working day, else None.

        On a statutory holiday it is that holiday (``National Day``, or ``国庆节`` with
        ``language="zh"``); on a make-up working day (调休) it is the holiday the day was
        moved for — `is_workday` tells the two apart. An ordinary weekday or weekend has no
        name.

        :raises LookupError: for a year the installed ``chinesecalendar`` does not know.
        """
        library = _library()
        try:
            _, name = library.get_holiday_detail(day)
        except NotImplementedError as error:
            raise _lookup_error(day, error) from error
        if name is None:
            return None
        if language == "zh":
            try:
                return str(library.Holiday(name).chinese)
            except (AttributeError, ValueError):
                pass  # a name this chinesecalendar has no Chinese for: keep it as it is
        return str(name)
