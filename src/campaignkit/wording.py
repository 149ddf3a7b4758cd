"""Notices in the bureau's own words: the templates of ``[notices.KIND]``.

A template is text with fields in braces, ``{unit}``, ``{due:%Y年%-m月%-d日}``: Python's
``str.format`` syntax, but only the fields documented here, by their whole names
(``{issuer.contact.phone}`` is one name, looked up as it is: nothing is walked, so
``{unit.__class__}`` is an unknown field, refused). No conversion (``!r``) and no nested
fields in a format. A date's format is a ``strftime`` pattern, with ``%-m``, ``%-d`` and
``%-H`` for numbers without a leading zero on every system; a number's is a number format
(``{days_left:02d}``); words take a width and an alignment (``{unit:>10}``).

`check_notice_text` finds every mistake of a template, for ``validate``;
`render_notice_text` writes it. The
built-in notices are templates in this syntax too (docs/format.md lists them).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from .i18n import _, long_date
from .problems import Problem, did_you_mean

if TYPE_CHECKING:
    from .model import Campaign, Requirement
    from .timeline import Event

FieldType = Literal["words", "date", "number"]

NOTICE_FIELDS: Mapping[str, FieldType] = {
    "unit": "words",
    "unit_id": "words",
    "to": "words",
    "requirement": "words",
    "requirement_id": "words",
    "occurrence": "words",
    "task": "words",
    "recipient": "words",
    "due": "date",
    "as_of": "date",
    "days": "number",
    "days_left": "number",
    "days_late": "number",
    "reasons": "words",
    "level": "number",
    "label": "words",
    "campaign": "words",
    "reference": "words",
    "issuer": "words",
    "issuer.contact.name": "words",
    "issuer.contact.phone": "words",
    "issuer.contact.email": "words",
}
"""Every field a template may name, and what it holds."""

SAMPLES: Mapping[FieldType, object] = {"words": "x", "date": dt.date(2020, 6, 1), "number": 1}
UNPADDED = {"%-m": "month", "%-d": "day", "%-H": "hour"}


def check_notice_text(text: str, path: str) -> list[Problem]:
    """Every mistake of template `text`, each at `path`: a brace that does not close, a
    field not documented (with a did-you-mean), a conversion, a format that does not fit
    the field."""
    typed = list(_typed_full_width(text, path))
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as error:
        if typed:  # the brace typed full-width is why the others do not match
            return typed
        message = _("the text's braces do not match ({error})").format(error=error)
        hint = _("write a brace itself twice: {twice}").format(twice="{{ or }}")
        return [Problem(path, message, hint, code="bad-template")]
    return [*typed, *_fields(parts, path)]


FULL_WIDTH_FIELD = re.compile(r"[｛{]\s*([A-Za-z_][\w.]*)(?::[^｝}]*)?\s*[｝}]")


def _typed_full_width(text: str, path: str) -> Iterator[Problem]:
    """A field typed with a Chinese input method's brace, ``｛days_left｝``: it would be
    sent as typed, never filled."""
    for found in FULL_WIDTH_FIELD.finditer(text):
        written = found.group(0)
        if "｛" not in written and "｝" not in written:
            continue
        if found.group(1).partition(".")[0] not in {f.partition(".")[0] for f in NOTICE_FIELDS}:
            continue
        fixed = written.replace("｛", "{").replace("｝", "}")
        message = _("`{written}` is typed with a full-width brace: it would be sent as it is")
        hint = _("write the half-width {fixed}").format(fixed=fixed)
        yield Problem(path, message.format(written=written), hint, code="full-width")


def _fields(
    parts: list[tuple[str, str | None, str | None, str | None]], path: str
) -> Iterator[Problem]:
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in NOTICE_FIELDS:
            message = _("the text names `{field}`, which a notice does not have").format(
                field=name or "{}"
            )
            hint = did_you_mean(name, NOTICE_FIELDS) or _("its fields: {fields}").format(
                fields=", ".join(NOTICE_FIELDS)
            )
            yield Problem(path, message, hint, code="unknown-field")
            continue
        if conversion is not None or (spec and "{" in spec):
            message = _("`{field}` takes a format, not {what}").format(
                field=name, what=f"!{conversion}" if conversion else _("a field in its format")
            )
            yield Problem(path, message, code="bad-template")
            continue
        kind = NOTICE_FIELDS[name]
        try:
            if kind == "date" and spec and "%" not in spec:  # a pattern, or it is no date
                raise ValueError(_("a date's format is a pattern such as %Y年%-m月%-d日"))
            _formatted(SAMPLES[kind], spec or "", "en")
        except (ValueError, TypeError) as error:
            message = _("`{{{field}:{spec}}}` does not fit a {kind} ({error})").format(
                field=name, spec=spec, kind=_kind(kind), error=error
            )
            yield Problem(path, message, code="bad-format")


def _kind(kind: FieldType) -> str:
    return {"words": _("text"), "date": _("date"), "number": _("number")}[kind]


def render_notice_text(text: str, values: Mapping[str, object], language: str) -> str:
    """`text` with its fields filled from `values` (a field with no value is empty), dates
    without a format written as the language writes them (2020年6月1日)."""
    out = []
    for literal, name, spec, _conversion in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(_formatted(values.get(name), spec or "", language))
    return "".join(out)


def _formatted(value: object, spec: str, language: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        if not spec:
            return long_date(value, language)
        for token, attribute in UNPADDED.items():
            spec = spec.replace(token, str(getattr(value, attribute, 0)))
        return value.strftime(spec)
    return format(value, spec)


def notice_values(
    campaign: Campaign,
    requirement: Requirement,
    event: Event | None,
    at: dt.datetime,
    words: dict[str, Any],
) -> dict[str, object]:
    """The fields of a notice about `requirement` sent at `at` that are the same for every
    unit; `words` are the built-in notices' (the task, the receiving office, the days)."""
    info = campaign.campaign
    issuer = campaign.units.get(info.issued_by or "")
    contact = issuer.contact if issuer is not None else None
    left = (requirement.due - at.date()).days
    return {
        "requirement": requirement.name,
        "requirement_id": requirement.id,
        "occurrence": requirement.occurrence,
        "task": words.get("task"),
        "recipient": words.get("recipient"),
        "due": requirement.due,
        "as_of": (event.at if event is not None else at).date(),
        "days": words.get("days"),
        "days_left": max(left, 0),
        "days_late": max(-left, 0),
        "level": event.level if event is not None else None,
        "campaign": info.title,
        "reference": info.reference,
        "issuer": issuer.name if issuer is not None else None,
        "issuer.contact.name": contact.name if contact is not None else None,
        "issuer.contact.phone": contact.phone if contact is not None else None,
        "issuer.contact.email": contact.email if contact is not None else None,
    }
