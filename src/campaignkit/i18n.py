"""The language of what campaignkit says to people: gettext catalogs, chosen per campaign.

A message a person reads is written in English in the code, inside `_()` (or `ngettext`),
and translated by the catalog of the language being spoken:
``locale/<language>/LC_MESSAGES/campaignkit.po``, compiled to the ``.mo`` beside it. Babel
extracts the messages and compiles the catalogs (see docs/contributing.md); a test keeps
every message translated and every ``.mo`` up to date.

Which language is spoken is a context variable. The loader speaks the campaign's while it
checks it, so that its problems are written in it; a command speaks it from the moment it
has loaded the campaign. The operator may *pin* another language for what a command
prints (``CAMPAIGNKIT_LANGUAGE=en``); what leaves the command for others to read (notices,
reports, the reasons a hand-in was refused) is written in the campaign's language whatever
the operator reads (`writing`).

Placeholders are named, ``_("no unit `{unit}`").format(unit=…)``, so that a translation can
put them in its own order.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path

DOMAIN = "campaignkit"
LOCALES = Path(__file__).parent / "locale"
PIN_VARIABLE = "CAMPAIGNKIT_LANGUAGE"
"""The environment variable in which an operator pins the language of what commands print."""

LANGUAGES = ("zh", "en")
"""The languages campaignkit's own texts are written in."""


def language_tag(tag: str | None) -> tuple[str | None, bool]:
    """The language of campaignkit's texts a BCP 47 tag chooses, and whether it is only the
    nearest one: ``zh-CN``, ``zh_CN``, ``zh-Hans``, ``zh-SG`` → ``zh``; ``zh-TW``, ``zh-Hant``
    → ``zh`` too, nearest (no traditional texts yet); ``en-GB`` → ``en``; an unknown
    language → None (English is used)."""
    parts = (tag or "").strip().replace("_", "-").lower().split("-")
    if parts[0] not in LANGUAGES:
        return None, False
    traditional = parts[0] == "zh" and any(p in ("hant", "tw", "hk", "mo") for p in parts[1:])
    return parts[0], traditional


CHINESE = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=64)  # asked for each notice and hand-in of a rehearsal
def language_for(declared: str | None, title: str | None = None) -> str:
    """The language a campaign is spoken to in: the one its ``language`` declares (see
    `language_tag`; English for one campaignkit has no texts in), or, when it declares none,
    Chinese for a campaign whose title is written in Chinese, English otherwise. The one rule
    for checks, commands, notices and reports."""
    if declared:
        return language_tag(declared)[0] or "en"
    return "zh" if title and len(CHINESE.findall(title)) >= 2 else "en"


_spoken: ContextVar[str] = ContextVar("campaignkit_spoken", default="en")
_pinned: ContextVar[str | None] = ContextVar("campaignkit_pinned", default=None)


@cache
def translations(
    language: str, domain: str = DOMAIN, directory: Path = LOCALES
) -> _gettext.NullTranslations:
    """The catalog of `language` (``zh``, ``en``); English, the messages as written, when
    there is none."""
    return _gettext.translation(domain, directory, languages=[language], fallback=True)


def spoken() -> str:
    """The language being spoken now: the pinned one, else the campaign's, else English."""
    return _pinned.get() or _spoken.get()


def gettext(message: str) -> str:
    """`message` (campaignkit's own), in the language being spoken. The built-in plugins
    import it as ``_``; a plugin with a catalog of its own uses `translator`."""
    return translations(spoken()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, count: int) -> str:
    """`singular` or `plural` (campaignkit's own) as `count` asks, in the language being
    spoken."""
    return translations(spoken()).ngettext(singular, plural, count)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak `language` inside the block (unless the operator pinned another)."""
    token = _spoken.set(language)
    try:
        yield
    finally:
        _spoken.reset(token)


@contextmanager
def writing(language: str) -> Iterator[None]:
    """Write `language` inside the block, whatever the operator pinned: for what leaves the
    command for others to read, such as a notice, a rejection's reasons kept in the ledger,
    or a report."""
    spoken_token = _spoken.set(language)
    pinned_token = _pinned.set(None)
    try:
        yield
    finally:
        _pinned.reset(pinned_token)
        _spoken.reset(spoken_token)


def speak(language: str) -> None:
    """Speak `language` from now on, in this context: a command, once it knows the campaign.
    The command line resets it when the command ends (see `for_command`)."""
    _spoken.set(language)


@contextmanager
def for_command() -> Iterator[None]:
    """One command's language: English until it loads a campaign, unless the operator pinned
    one in ``CAMPAIGNKIT_LANGUAGE``; whatever it was before, afterwards."""
    spoken_token = _spoken.set("en")
    pinned = os.environ.get(PIN_VARIABLE)
    pinned_token = _pinned.set(language_tag(pinned)[0] if pinned else None)
    try:
        yield
    finally:
        _pinned.reset(pinned_token)
        _spoken.reset(spoken_token)


def translator(domain: str, directory: Path) -> Callable[[str], str]:
    """A `_` for a plugin's own catalog (`domain` in `directory`), speaking the language that
    campaignkit speaks when it is called."""

    def translate(message: str) -> str:
        return translations(spoken(), domain, directory).gettext(message)

    return translate


BEIJING = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"})
"""The time zones whose time people in China call Beijing time."""


BABEL_LOCALES = {"zh": "zh_CN", "en": "en_GB"}
"""The Babel locale each language's dates and numbers are written in: a new language is a
catalog and a line here, not code."""


def long_date(day: dt.date, language: str) -> str:
    """A day as a notice or a document words it, by Babel's long format for the language:
    ``2020年6月8日``, ``8 June 2020``."""
    from babel.dates import format_date  # only when a notice is written: start-up stays light

    return str(format_date(day, "long", locale=BABEL_LOCALES.get(language, "en_GB")))


def local_time(moment: dt.datetime, timezone: str, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A moment as people read it, on the clock of `timezone` and naming it:
    ``2022-11-14 10:00 CST``; in Chinese ``2022-11-14 10:00（北京时间）``."""
    from zoneinfo import ZoneInfo

    here = moment.astimezone(ZoneInfo(timezone))
    zone = here.tzname() or ""
    if timezone in BEIJING and spoken() == "zh":
        zone = _("Beijing time")
    return _("{time} {zone}").format(time=here.strftime(pattern), zone=zone)
