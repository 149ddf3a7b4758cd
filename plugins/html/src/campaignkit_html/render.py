"""Render a `Report` as one self-contained HTML page with Jinja2.

Imported only when a report is rendered, so that loading the plugin (``campaignkit --help``,
``campaignkit plugins``) never imports Jinja2.
"""

from __future__ import annotations

import functools

import jinja2

from campaignkit import Report

from .view import build_view

TEMPLATE = "report.html.j2"


def _num(value: float) -> str:
    """A coordinate for SVG: at most two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@functools.cache
def environment() -> jinja2.Environment:
    """The template environment: templates from this package, autoescaping always on."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("campaignkit_html", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = _num
    return env


def render(report: Report) -> str:
    """The report as one HTML page: styles inline, nothing fetched from the network."""
    return environment().get_template(TEMPLATE).render(view=build_view(report))
