"""Render a `Report` as self-contained HTML pages with Jinja2.

Imported only when a report is rendered, so that loading the plugin (``campaignkit --help``,
``campaignkit plugins``) never imports Jinja2.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import jinja2

from campaignkit import Report, language_of, writing

from .national import Reading, is_national, national_view, page_name, paged
from .view import build_view

TEMPLATE = "report.html.j2"
NATIONAL = "national.html.j2"


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
    """The report as one HTML page: styles inline, nothing fetched from the network. A
    small campaign's page has a row per unit; a large one's, or any with ``--depth``, is
    the national view of the levels asked for."""
    if not is_national(report):
        return environment().get_template(TEMPLATE).render(view=build_view(report))
    language = language_of(report.campaign)
    with writing(language):
        reading = Reading(report, folder=False)
        view = national_view(reading, None)
    return environment().get_template(NATIONAL).render(view=view)


def render_pages(report: Report) -> Iterator[tuple[str, bytes]]:
    """The national view as a folder: the top page, then a page per branch with branches
    below it, each made when it is asked for, so that only one is held at a time."""
    language = language_of(report.campaign)
    template = environment().get_template(NATIONAL)
    with writing(language):
        reading = Reading(report, folder=True)
    for unit in paged(reading):
        # The language is taken again for each page: a generator holds none across yields.
        with writing(language):
            text = template.render(view=national_view(reading, unit))
        yield page_name(unit), text.encode("utf-8")
