"""The circular (通报), drafted for an office to edit and send, as Markdown: the words of
`campaignkit.circular_blocks` — the facts of the hand-ins, the units commended and those
criticised by the assessment, and the figures handed in. Part of the built-in plugin
``assessment-reports`` (``report --format circular``); ``docx`` lays out the same words in
the official layout (campaignkit-office)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from campaignkit import circular_blocks
from campaignkit.builtin.reports import _table, _text

if TYPE_CHECKING:
    from campaignkit import Block, Report


def render_circular(report: Report) -> str:
    """The circular in the campaign's language, as Markdown."""
    return "\n".join(_markdown(circular_blocks(report))) + "\n"


def _markdown(blocks: list[Block]) -> Iterator[str]:
    listing = False
    for block in blocks:
        if listing and block.kind != "item":
            yield ""  # a list ends with a blank line
        listing = block.kind == "item"
        if block.kind == "title":
            yield "# " + _text(block.text)
        elif block.kind == "heading":
            yield "## " + _text(block.text)
        elif block.kind == "caption":
            yield f"**{_text(block.text)}**"
        elif block.kind == "item":
            yield "- " + _text(block.text)
            continue
        elif block.kind == "table":
            header, *rows = block.rows
            yield from _table(list(header), [list(row) for row in rows])
            continue  # a table ends with a blank line of its own
        else:
            yield _text(block.text)
        yield ""
