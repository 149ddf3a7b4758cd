"""The Gantt chart of the page: every coordinate computed from the campaign's dates, with
the axis labelled in the language being written. Nothing here imports Jinja2."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs

from campaignkit import Report, translator

_ = translator("campaignkit_html", Path(__file__).parent / "locale")

# The chart's geometry, in SVG user units (CSS pixels at 100 %).
WIDTH = 1200
LABEL_X = 8
CHART_X0 = 420
CHART_X1 = WIDTH - 12
AXIS_H = 42
ROW_H = 22
FONT_PX = 12
INDENT_PX = 16
MODES = ("online", "offline", "hybrid", "other")


@attrs.frozen
class Tick:
    x: float
    label: str
    major: bool


@attrs.frozen
class GanttRow:
    """One row of the chart: a section heading, a bar, or a deadline with its reminders."""

    kind: str
    """``section``, ``phase``, ``activity`` or ``deadline``."""
    y: float
    label: str
    """The name, shortened to fit the label column; `title` has it whole."""
    title: str
    indent: float = 0.0
    level: int = 0
    mode: str = ""
    x: float = 0.0
    width: float = 0.0
    marks: tuple[tuple[float, str], ...] = ()
    """Deadline rows: reminders and escalations as (x, ``reminder`` or ``escalation``)."""
    chase: tuple[float, float] | None = None
    """Deadline rows: the span from the first reminder to the escalation."""


@attrs.frozen
class Gantt:
    width: int
    height: float
    chart_x0: float
    chart_x1: float
    axis_h: float
    row_h: float
    ticks: tuple[Tick, ...]
    rows: tuple[GanttRow, ...]
    today_x: float | None
    today_label: str
    today_anchor: str
    """``start``, or ``end`` when the line is too near the right edge for its label."""
    modes: tuple[tuple[str, str], ...]
    """The activity modes in the chart, with their labels, for the legend."""


def day_text(day: dt.date) -> str:
    return day.isoformat()


def moment_text(at: dt.datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def span_text(first: dt.date | None, last: dt.date | None) -> str:
    if first is None:
        return ""
    if last is None or last == first:
        return day_text(first)
    return f"{day_text(first)} – {day_text(last)}"


def text_width(text: str, font_px: float = FONT_PX) -> float:
    """Roughly how wide `text` is in a sans-serif font: CJK characters are a full em."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.58 for c in text)
    return ems * font_px


def fit(text: str, room: float, font_px: float = FONT_PX) -> str:
    """`text`, shortened with an ellipsis so that it fits in `room` pixels."""
    if text_width(text, font_px) <= room:
        return text
    out = ""
    for char in text:
        if text_width(out + char + "…", font_px) > room:
            break
        out += char
    return out + "…"


class _Scale:
    """Dates and moments to x, over [first day 00:00, day after the last day 00:00)."""

    def __init__(self, first: dt.date, last: dt.date, tz: ZoneInfo) -> None:
        self.first = first
        self.end = last + dt.timedelta(days=1)
        self.tz = tz
        self.days = (self.end - first).days
        self.per_day = (CHART_X1 - CHART_X0) / self.days

    def day(self, day: dt.date) -> float:
        return CHART_X0 + (day - self.first).days * self.per_day

    def moment(self, at: dt.datetime) -> float:
        """Wall-clock time in the campaign's zone, so 09:00 sits at the same place every day."""
        local = at.astimezone(self.tz).replace(tzinfo=None)
        elapsed = local - dt.datetime.combine(self.first, dt.time())
        return CHART_X0 + elapsed.total_seconds() / 86400 * self.per_day

    def contains(self, at: dt.datetime) -> bool:
        return self.first <= at.astimezone(self.tz).date() < self.end


def _month_starts(first: dt.date, end: dt.date) -> list[dt.date]:
    day = first.replace(day=1)
    out = []
    while day < end:
        if day >= first:
            out.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


TICK_PX = 11
"""The axis labels' font size (``.tick-label`` in the template)."""


def _ticks(scale: _Scale) -> list[Tick]:
    """The axis, labelled in the language being written: ``Nov 2022``, ``Dec``, ``Oct 20``;
    ``2022年11月``, ``12月``, ``10月20日``."""
    # `day` is a date: a translation picks its parts, {day.year}, {day.month}, {day.day}, or
    # a strftime format, {day:%b}.
    months = _month_starts(scale.first, scale.end)
    step = 1
    while 30 * step * scale.per_day < 40:
        step += 1
    ticks = []
    for i, day in enumerate(months):
        if i % step:
            label = ""
        elif i == 0 or day.month == 1:
            label = _("{day:%b} {day.year}").format(day=day)
        else:
            label = _("{day:%b}").format(day=day)
        ticks.append(Tick(scale.day(day), label, True))
    if scale.days <= 62:  # a short campaign: a minor tick every Monday
        majors = [t for t in ticks if t.major]
        monday = scale.first + dt.timedelta(days=-scale.first.weekday() % 7)
        while monday < scale.end:
            x = scale.day(monday)
            label = _("{day.month}/{day.day}").format(day=monday)
            crowded = any(_overlap(t.x, t.label, x, label) for t in majors)
            ticks.append(Tick(x, "" if crowded else label, False))
            monday += dt.timedelta(days=7)
    first = scale.first
    label = _("{day:%b} {day.day}").format(day=first)
    # Name the first day when no labelled tick starts there and its label has room.
    if not any(t.label and _overlap(t.x, t.label, CHART_X0, label) for t in ticks):
        ticks.insert(0, Tick(CHART_X0, label, False))
    # A label that would run off the right edge is left out; its tick stays.
    return [
        t if t.x + 3 + text_width(t.label, TICK_PX) <= WIDTH else attrs.evolve(t, label="")
        for t in ticks
    ]


def _overlap(x0: float, label0: str, x1: float, label1: str) -> bool:
    """Whether two tick labels, each drawn from 3 px right of its tick, would touch."""
    if x1 < x0:
        x0, label0, x1, label1 = x1, label1, x0, label0
    return x1 - x0 < text_width(label0, TICK_PX) + 6


def _dates(report: Report, tz: ZoneInfo) -> Iterable[dt.date]:
    c = report.campaign
    yield c.campaign.issued_on
    for phase in c.phases.values():
        yield phase.start
        yield phase.end
    for item in report.activities:
        for day in (item.activity.first_day, item.activity.last_day):
            if day is not None:
                yield day
    for req in report.requirements:
        yield req.due_at.astimezone(tz).date()
    for event in report.events:
        yield event.at.astimezone(tz).date()


def build_gantt(report: Report, labels: Mapping[str, str], tz: ZoneInfo) -> Gantt:
    """The chart, every coordinate computed from the dates."""
    days = list(_dates(report, tz))
    scale = _Scale(min(days), max(days), tz)
    rows: list[GanttRow] = []
    y = float(AXIS_H)
    room = CHART_X0 - LABEL_X - 10

    def section(name: str) -> None:
        nonlocal y
        rows.append(GanttRow("section", y, name, name))
        y += ROW_H

    section(labels["phases"])
    for phase in report.campaign.phases.values():
        x0, x1 = scale.day(phase.start), scale.day(phase.end + dt.timedelta(days=1))
        title = f"{phase.name}\n{span_text(phase.start, phase.end)}"
        rows.append(GanttRow("phase", y, fit(phase.name, room), title, x=x0, width=x1 - x0))
        y += ROW_H

    if report.activities:
        section(labels["activities"])
    modes: dict[str, str] = {}
    for item in report.activities:
        act = item.activity
        indent = item.level * INDENT_PX
        mode = act.mode or "other"
        modes[mode] = labels.get(mode, mode)
        title = "\n".join(
            part
            for part in (
                act.name,
                span_text(act.first_day, act.last_day),
                labels.get(mode, mode) if act.mode else "",
                act.venue or "",
            )
            if part
        )
        x = width = 0.0
        if act.first_day is not None and act.last_day is not None:
            x = scale.day(act.first_day)
            width = max(scale.day(act.last_day + dt.timedelta(days=1)) - x, 3.0)
        rows.append(
            GanttRow(
                "activity",
                y,
                fit(act.name, room - indent),
                title,
                indent=indent,
                level=item.level,
                mode=mode,
                x=x,
                width=width,
            )
        )
        y += ROW_H

    if report.requirements:
        section(labels["deadlines"])
    for req in report.requirements:
        rid = req.requirement.id
        marks = tuple(
            (scale.moment(e.at), "reminder" if e.kind.endswith("remind") else "escalation")
            for e in report.events
            # The requirement's own marks: not those of a unit whose deadline was moved.
            if e.subject == rid
            and e.unit is None
            and e.kind in ("requirement.remind", "requirement.escalate")
        )
        xs = [x for x, _ in marks] + [scale.moment(req.due_at)]
        due = _("due {moment}").format(moment=moment_text(req.due_at, tz))
        title = f"{req.requirement.name}\n{due}"
        rows.append(
            GanttRow(
                "deadline",
                y,
                fit(req.requirement.name, room),
                title,
                x=scale.moment(req.due_at),
                marks=marks,
                chase=(min(xs), max(xs)) if len(xs) > 1 else None,
            )
        )
        y += ROW_H

    today_x = None
    today_label = ""
    if report.as_of is not None and scale.contains(report.as_of):
        today_x = scale.moment(report.as_of)
        today_label = _("as of {date}").format(date=f"{report.as_of.astimezone(tz):%Y-%m-%d}")
    return Gantt(
        width=WIDTH,
        height=y + 8,
        chart_x0=CHART_X0,
        chart_x1=CHART_X1,
        axis_h=AXIS_H,
        row_h=ROW_H,
        ticks=tuple(_ticks(scale)),
        rows=tuple(rows),
        today_x=today_x,
        today_label=today_label,
        today_anchor="end" if today_x is not None and today_x > CHART_X1 - 140 else "start",
        modes=tuple(
            sorted(modes.items(), key=lambda m: MODES.index(m[0]) if m[0] in MODES else len(MODES))
        ),
    )
