"""TOML syntax errors in a clerk's words: where, exactly, and what was most likely meant.

People type campaign files with a Chinese input method, and its slips — a full-width
equals sign, Chinese quotation marks, a full-width comma or digit — are what TOML most often
refuses. tomli says "Invalid value" at a position; this says which character it is, shows
the line with a caret under it, and what to type instead, in the campaign's language (read
from its ``language`` line, or guessed from the Chinese in it: the file did not parse).
"""

from __future__ import annotations

import calendar
import re
import unicodedata

import tomli

from .i18n import CHINESE, _, language_for
from .problems import Problem

# The characters an input method slips in (`_name` says what each is called).
SLIPS = frozenset("“”‘’，、＝：［］｛｝（）－—．。＃\u3000")
# What each should have been, where NFKC does not say it.
HALF_WIDTH = {"“": '"', "”": '"', "‘": "'", "’": "'", "、": ",", "—": "-", "。": "."}


def _name(char: str) -> str:
    """What `char`, a slip of the input method, is called, in the language spoken."""
    names = {
        "“": _("a Chinese quotation mark “"),
        "”": _("a Chinese quotation mark ”"),
        "‘": _("a Chinese single quotation mark ‘"),
        "’": _("a Chinese single quotation mark ’"),
        "，": _("a full-width comma “，”"),
        "、": _("an enumeration comma “、”"),
        "＝": _("a full-width equals sign “＝”"),
        "：": _("a full-width colon “：”"),
        "［": _("a full-width bracket “［”"),
        "］": _("a full-width bracket “］”"),
        "｛": _("a full-width brace “｛”"),
        "｝": _("a full-width brace “｝”"),
        "（": _("a full-width parenthesis “（”"),
        "）": _("a full-width parenthesis “）”"),
        "－": _("a full-width hyphen “－”"),
        "—": _("a dash “—”"),
        "．": _("a full-width full stop “．”"),
        "。": _("an ideographic full stop “。”"),
        "＃": _("a full-width number sign “＃”"),
        "\u3000": _("a full-width space"),
    }
    if char in names:
        return names[char]
    if char.isdigit():
        return _("a full-width digit “{char}”").format(char=char)
    return _("the full-width “{char}”").format(char=char)


LANGUAGE_LINE = re.compile(r'^\s*language\s*=\s*"([^"]*)"', re.M)
TITLE_LINE = re.compile(r'^\s*title\s*=\s*"([^"]*)"', re.M)
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
FULL_WIDTH_DATE = re.compile(r"[0-9０-９]{4}[-－—][0-9０-９]{1,2}[-－—][0-9０-９]{1,2}")
_DECLARED_TWICE = re.compile(r"Cannot declare \((.*)\) twice")


def language_of_text(text: str) -> str:
    """The campaign's language read from its text, by `i18n.language_for`'s rule, before it
    is parsed (it may not parse): its ``language`` line, else its ``title`` line; a file
    that has neither is Chinese when it is mostly written in Chinese."""
    declared = LANGUAGE_LINE.search(text)
    title = TITLE_LINE.search(text)
    if declared is None and title is None:
        return "zh" if len(CHINESE.findall(text)) >= 4 else "en"
    return language_for(declared and declared.group(1), title and title.group(1))


def half_width(text: str) -> str:
    """`text` with full-width forms and the input method's punctuation made ASCII."""
    return "".join(HALF_WIDTH.get(c, unicodedata.normalize("NFKC", c)) for c in text)


def toml_problem(error: tomli.TOMLDecodeError, text: str) -> Problem:
    """tomli's error as a problem with its line, column, the line itself and a hint, in the
    language spoken: the loader speaks `language_of_text` of the campaign it loads, and a
    file it extends is told in the same words."""
    message = getattr(error, "msg", str(error))
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    twice = _DECLARED_TWICE.fullmatch(message)
    if twice:
        path = ".".join(re.findall(r"'((?:[^'\\]|\\.)*)'", twice.group(1)))
        return Problem(
            path,
            _("[{path}] is declared twice").format(path=path),
            _("ids are table keys, so each may appear once; merge the two tables or rename one"),
            line=line,
            code="duplicate",
        )
    if message == "Cannot overwrite a value":
        message = _("a key is given a value twice")
    lines = text.splitlines()
    snippet = lines[line - 1] if line is not None and 0 < line <= len(lines) else None
    problem = Problem(
        "",
        _("not valid TOML: {message}").format(message=message),
        line=line,
        code="toml",
        column=column,
        snippet=snippet,
    )
    if snippet is None or column is None:
        return problem
    return _slip(problem, snippet, column - 1) or problem


def _slip(problem: Problem, snippet: str, index: int) -> Problem | None:
    """The input-method slip at or near `index` of the line, said plainly; None if none."""
    date = FULL_WIDTH_DATE.search(snippet)
    if date is not None and half_width(date.group()) != date.group():
        fixed = half_width(date.group())
        column = date.start() + next(i for i, c in enumerate(date.group()) if half_width(c) != c)
        hint = _("full-width digits or dash: write the half-width {fixed}").format(fixed=fixed)
        return _said(problem, column, hint, snippet)
    bad = DATE.match(snippet, index)
    if bad is not None:
        year, month, day = (int(part) for part in bad.groups())
        if 1 <= month <= 12 and day > calendar.monthrange(year, month)[1]:
            days = calendar.monthrange(year, month)[1]
            hint = _("month {month} of {year} has only {days} days").format(
                year=year, month=month, days=days
            )
            message = _("no such date: {date}").format(date=bad.group())
            return Problem(
                problem.path,
                message,
                hint,
                line=problem.line,
                code="toml",
                column=bad.start(3) + 1,
                snippet=snippet,
            )
    # The first slip at the position tomli stopped at, or before it on the line (tomli
    # stops after a key written with a full-width space, for instance).
    for at in [index, *range(index - 1, -1, -1)]:
        if 0 <= at < len(snippet) and snippet[at] in SLIPS:
            char = snippet[at]
            if char in "“”‘’":
                hint = _('write strings in plain double quotes "…"')
            elif char == "：":
                hint = _("write the half-width equals sign “=” instead")
            elif char == "\u3000":
                hint = _("write a plain space instead")
            else:
                hint = _("write the half-width “{half}” instead").format(
                    half=half_width(char).strip() or " "
                )
            return _said(problem, at, hint, snippet)
    return None


def _said(problem: Problem, index: int, hint: str, snippet: str) -> Problem:
    message = _("line {line}, column {column} is {name}, which TOML does not read").format(
        line=problem.line, column=index + 1, name=_name(snippet[index])
    )
    return Problem(
        problem.path,
        message,
        hint,
        line=problem.line,
        code="toml",
        column=index + 1,
        snippet=snippet,
    )
