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

from .i18n import language_tag
from .problems import Problem

# The characters an input method slips in, and their names.
NAMES = {
    "“": ("中文引号“", "a Chinese quotation mark “"),
    "”": ("中文引号”", "a Chinese quotation mark ”"),
    "‘": ("中文单引号‘", "a Chinese single quotation mark ‘"),
    "’": ("中文单引号’", "a Chinese single quotation mark ’"),
    "，": ("全角逗号“，”", "a full-width comma “，”"),
    "、": ("顿号“、”", "an enumeration comma “、”"),
    "＝": ("全角等号“＝”", "a full-width equals sign “＝”"),
    "：": ("全角冒号“：”", "a full-width colon “：”"),
    "［": ("全角方括号“［”", "a full-width bracket “［”"),
    "］": ("全角方括号“］”", "a full-width bracket “］”"),
    "｛": ("全角花括号“｛”", "a full-width brace “｛”"),
    "｝": ("全角花括号“｝”", "a full-width brace “｝”"),
    "（": ("全角括号“（”", "a full-width parenthesis “（”"),
    "）": ("全角括号“）”", "a full-width parenthesis “）”"),
    "－": ("全角连接号“－”", "a full-width hyphen “－”"),
    "—": ("破折号“—”", "a dash “—”"),
    "．": ("全角句点“．”", "a full-width full stop “．”"),
    "。": ("句号“。”", "an ideographic full stop “。”"),
    "＃": ("全角井号“＃”", "a full-width number sign “＃”"),
    "\u3000": ("全角空格", "a full-width space"),
}
# What each should have been, where NFKC does not say it.
HALF_WIDTH = {"“": '"', "”": '"', "‘": "'", "’": "'", "、": ",", "—": "-", "。": "."}

TEXTS = {
    "zh": {
        "invalid": "TOML 语法错误：{message}",
        "slip": "第{line}行第{column}列是{name}，TOML 不认",
        "write": "请改用半角“{half}”",
        "colon": "请改用半角等号“=”",
        "space": "请改用半角空格",
        "quote": '字符串请用英文双引号 "…"',
        "digits": "全角数字或连接号：请写成半角 {fixed}",
        "day": "{year}年{month}月只有{days}天",
        "date": "日期无效：{date}",
    },
    "en": {
        "invalid": "not valid TOML: {message}",
        "slip": "line {line}, column {column} is {name}, which TOML does not read",
        "write": "write the half-width “{half}” instead",
        "colon": "write the half-width equals sign “=” instead",
        "space": "write a plain space instead",
        "quote": 'write strings in plain double quotes "…"',
        "digits": "full-width digits or dash: write the half-width {fixed}",
        "day": "{month_name} {year} has {days} days",
        "date": "no such date: {date}",
    },
}

LANGUAGE_LINE = re.compile(r'^\s*language\s*=\s*"([^"]*)"', re.M)
CJK = re.compile(r"[\u4e00-\u9fff]")
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
FULL_WIDTH_DATE = re.compile(r"[0-9０-９]{4}[-－—][0-9０-９]{1,2}[-－—][0-9０-９]{1,2}")
_DECLARED_TWICE = re.compile(r"Cannot declare \((.*)\) twice")


def language_of_text(text: str) -> str:
    """``zh`` for a file whose ``language`` line says Chinese, or, with none, that is
    mostly written in Chinese; ``en`` otherwise. For files that did not parse."""
    declared = LANGUAGE_LINE.search(text)
    if declared is not None:
        return language_tag(declared.group(1))[0] or "en"
    return "zh" if len(CJK.findall(text)) >= 4 else "en"


def half_width(text: str) -> str:
    """`text` with full-width forms and the input method's punctuation made ASCII."""
    return "".join(HALF_WIDTH.get(c, unicodedata.normalize("NFKC", c)) for c in text)


def toml_problem(error: tomli.TOMLDecodeError, text: str) -> Problem:
    """tomli's error as a problem with its line, column, the line itself and a hint."""
    message = getattr(error, "msg", str(error))
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    twice = _DECLARED_TWICE.fullmatch(message)
    if twice:
        path = ".".join(re.findall(r"'((?:[^'\\]|\\.)*)'", twice.group(1)))
        return Problem(
            path,
            f"[{path}] is declared twice",
            "ids are table keys, so each may appear once; merge the two tables or rename one",
            line=line,
            code="duplicate",
        )
    if message == "Cannot overwrite a value":
        message = "a key is given a value twice"
    words = TEXTS[language_of_text(text)]
    lines = text.splitlines()
    snippet = lines[line - 1] if line is not None and 0 < line <= len(lines) else None
    problem = Problem(
        "",
        words["invalid"].format(message=message),
        line=line,
        code="toml",
        column=column,
        snippet=snippet,
    )
    if snippet is None or column is None:
        return problem
    return _slip(problem, snippet, column - 1, words) or problem


def _slip(problem: Problem, snippet: str, index: int, words: dict[str, str]) -> Problem | None:
    """The input-method slip at or near `index` of the line, said plainly; None if none."""
    date = FULL_WIDTH_DATE.search(snippet)
    if date is not None and half_width(date.group()) != date.group():
        fixed = half_width(date.group())
        column = date.start() + next(i for i, c in enumerate(date.group()) if half_width(c) != c)
        return _said(problem, column, words["digits"].format(fixed=fixed), snippet, words)
    bad = DATE.match(snippet, index)
    if bad is not None:
        year, month, day = (int(part) for part in bad.groups())
        if 1 <= month <= 12 and day > calendar.monthrange(year, month)[1]:
            days = calendar.monthrange(year, month)[1]
            hint = words["day"].format(
                year=year, month=month, month_name=calendar.month_name[month], days=days
            )
            message = words["date"].format(date=bad.group())
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
        if 0 <= at < len(snippet) and snippet[at] in NAMES:
            char = snippet[at]
            if char in "“”‘’":
                hint = words["quote"]
            elif char == "：":
                hint = words["colon"]
            elif char == "\u3000":
                hint = words["space"]
            else:
                hint = words["write"].format(half=half_width(char).strip() or " ")
            return _said(problem, at, hint, snippet, words)
    return None


def _said(problem: Problem, index: int, hint: str, snippet: str, words: dict[str, str]) -> Problem:
    char = snippet[index]
    if char in NAMES:
        zh, en = NAMES[char]
    elif char.isdigit():
        zh, en = f"全角数字“{char}”", f"a full-width digit “{char}”"
    else:
        zh, en = f"全角字符“{char}”", f"the full-width “{char}”"
    name = zh if words is TEXTS["zh"] else en
    message = words["slip"].format(line=problem.line, column=index + 1, name=name)
    return Problem(
        problem.path,
        message,
        hint,
        line=problem.line,
        code="toml",
        column=index + 1,
        snippet=snippet,
    )
