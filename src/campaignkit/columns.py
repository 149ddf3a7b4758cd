"""The columns plugins add to a report (``campaignkit_report_columns``): each unit row's
value, computed once when the report is built, so that every format and ``status`` show
the same values, and a plugin that fails does so before anything is written."""

from __future__ import annotations

import attrs

from .i18n import LANGUAGES, writing
from .model import language_of
from .pluginerrors import blaming
from .plugins import PluginHost
from .report import Report

HOOK = "campaignkit_report_columns"


def with_columns(report: Report, host: PluginHost) -> Report:
    """`report` with the plugins' columns, and every row's value in each."""
    found = host.report_columns(report.campaign)
    if not found:
        return report
    for name, contribution in found.items():
        for language in LANGUAGES:  # asked now, so that a failure is the column's
            with writing(language), blaming(contribution.plugin, HOOK):
                heading = contribution.record.heading(language)
                if not isinstance(heading, str):
                    raise TypeError(f"column `{name}` has a heading that is not a str")
    requirements = []
    with writing(language_of(report.campaign)):  # a value in words is the report's
        for status in report.requirements:
            rows = []
            for row in status.rows:
                values = []
                for name, contribution in found.items():
                    with blaming(contribution.plugin, HOOK):
                        value = contribution.record.value(report, status, row)
                        _check(name, value)
                    values.append((name, value))
                rows.append(attrs.evolve(row, columns=tuple(values)))
            requirements.append(attrs.evolve(status, rows=tuple(rows)))
    columns = tuple(contribution.record for contribution in found.values())
    return attrs.evolve(report, requirements=tuple(requirements), columns=columns)


def _check(name: str, value: object) -> None:
    if value is not None and not isinstance(value, str | int | float):
        kind = type(value).__name__
        raise TypeError(f"column `{name}` gave a {kind}; a value is a str, int, float or None")
