"""The circular (情况通报) as a Word document in the layout of GB/T 9704-2012, the standard
for official documents (党政机关公文格式), with python-docx.

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: a type area of 156 × 225 mm.
- The 版头: the issuing office's name in red 小标宋, sized to fit the line, then the
  document number (发文字号: ``report --reference``, else the campaign's ``reference``) in
  3号仿宋, then a red rule the width of the type area.
- The title in 2号小标宋, centred; the body in 3号仿宋_GB2312 on a grid of 22 lines of 28
  characters; first-level headings in 3号黑体; paragraphs indented by two characters.
- The issuer's name and the date at the end, right-aligned, four characters in.
- Page numbers in 4号宋体 as ``— 1 —``, right on odd pages and left on even ones, each a
  character in from the edge.

The words are the campaign's circular (`campaignkit.circular_blocks`). Fonts are named, not
embedded: a machine without them shows Word's or WPS's substitutes (docs/reports.md says
which to install).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

import docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from campaignkit import circular_blocks, language_of, long_date

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    from campaignkit import Block, Campaign, Report

# The standard's fonts, by the names Chinese Word and WPS installations give them.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_FONT = "宋体"
# Sizes in points: 2号 22, 3号 16, 4号 14.
TITLE_SIZE = 22
BODY_SIZE = 16
PAGE_SIZE = 14
TABLE_SIZE = 12
RED = RGBColor(0xFF, 0x00, 0x00)
LINES = 22
"""Lines on a page: the type area's 225 mm over 22 lines is a pitch of 28.95 pt."""
LINE_PITCH = Pt(225 / 25.4 * 72 / LINES)
TYPE_WIDTH_PT = 156 / 25.4 * 72
"""The type area's width, 156 mm, in points: 28 characters of 3号."""


def circular_docx(report: Report) -> bytes:
    """The circular of `report` as a .docx file's bytes."""
    blocks = circular_blocks(report)  # refuses a campaign without [assessment]
    reference = report.reference or report.campaign.campaign.reference
    return official_docx(report.campaign, reference, blocks)


def official_docx(campaign: Campaign, reference: str | None, blocks: list[Block]) -> bytes:
    """`blocks` as a document of the campaign's issuing office, numbered `reference`."""
    document = docx.Document()
    _page(document)
    _masthead(document, campaign, reference)
    for block in blocks:
        _block(document, block, campaign)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document: Document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(21)  # the number's line 7 mm below the type area
    # The document grid: 22 lines of 28 characters, as the standard fixes them.
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    grid.set(qn("w:charSpace"), "0")
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    _east_asian(normal.element, BODY_FONT)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _east_asian(element: object, font: str) -> None:
    """Name `font` for every script of a style or run, Chinese included (``w:eastAsia``)."""
    properties = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), font)


def _run(paragraph: Paragraph, text: str, font: str, size: float, **style: object) -> Run:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.name = font
    _east_asian(run._r, font)
    run.font.bold = bool(style.get("bold", False))
    colour = style.get("colour")
    if isinstance(colour, RGBColor):
        run.font.color.rgb = colour
    return run


def _spaced(paragraph: Paragraph, *, before: float = 0, exact: bool = True) -> None:
    rule = paragraph.paragraph_format
    rule.space_before, rule.space_after = Pt(before), Pt(0)
    if exact:
        rule.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        rule.line_spacing = LINE_PITCH


def _masthead(document: Document, campaign: Campaign, reference: str | None) -> None:
    """The 版头: the office's name in red, the document number, a red rule."""
    info = campaign.campaign
    issuer = campaign.units.get(info.issued_by or "")
    name = issuer.name if issuer is not None else info.title
    size = min(36.0, TYPE_WIDTH_PT / max(len(name), 1))  # one line, however long the name
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spaced(head, exact=False)
    _run(head, name, TITLE_FONT, size, colour=RED)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spaced(number, before=BODY_SIZE)
    _run(number, reference or "", BODY_FONT, BODY_SIZE)
    _red_rule(number)


def _red_rule(paragraph: Paragraph) -> None:
    """A red line under `paragraph`, the width of the type area: the 版头's separator."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "12"),
        ("w:space", "6"),
        ("w:color", "FF0000"),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_number(paragraph: Paragraph, alignment: WD_ALIGN_PARAGRAPH) -> None:
    """``— N —`` with the page's number as a field, a character in from the edge."""
    paragraph.alignment = alignment
    side = "right_indent" if alignment == WD_ALIGN_PARAGRAPH.RIGHT else "left_indent"
    setattr(paragraph.paragraph_format, side, Pt(PAGE_SIZE))
    _run(paragraph, "— ", PAGE_FONT, PAGE_SIZE)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = _run(paragraph, "1", PAGE_FONT, PAGE_SIZE)
    field.append(number._r)
    paragraph._p.append(field)
    _run(paragraph, " —", PAGE_FONT, PAGE_SIZE)


def _block(document: Document, block: Block, campaign: Campaign) -> None:
    if block.kind == "table":
        _table(document, block)
        return
    paragraph = document.add_paragraph()
    _spaced(paragraph)
    indent = paragraph.paragraph_format
    if block.kind == "title":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spaced(paragraph, before=LINE_PITCH.pt, exact=False)
        _run(paragraph, block.text, TITLE_FONT, TITLE_SIZE)
    elif block.kind == "heading":
        indent.first_line_indent = Pt(2 * BODY_SIZE)
        _run(paragraph, block.text, HEADING_FONT, BODY_SIZE)
    elif block.kind in ("signature", "date"):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        indent.right_indent = Pt(4 * BODY_SIZE)
        language = language_of(campaign)
        day = dt.date.fromisoformat(block.text) if block.kind == "date" else None
        text = long_date(day, language) if day is not None else block.text
        _run(paragraph, text, BODY_FONT, BODY_SIZE)
    elif block.kind == "salutation":
        _run(paragraph, block.text, BODY_FONT, BODY_SIZE)
    else:  # a paragraph, a caption, an item of a list
        indent.first_line_indent = Pt(2 * BODY_SIZE)
        _run(paragraph, block.text, BODY_FONT, BODY_SIZE, bold=block.kind == "caption")


def _table(document: Document, block: Block) -> None:
    """A table the width of the type area: the first column (what a row is about) as wide
    as the numbers' columns leave it, each number's 18 mm; its lines off the page's grid,
    so that a cell is as tall as its text."""
    header, *rows = block.rows
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    numbers = len(header) - 1
    narrow = min(18.0, 96.0 / max(numbers, 1))
    widths = [Mm(156 - narrow * numbers), *(Mm(narrow) for _ in range(numbers))]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice and WPS lay out by
    for line, cells in enumerate((header, *rows)):
        for column, text in enumerate(cells):
            cell = table.cell(line, column)
            cell.width = widths[column]
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if column else WD_ALIGN_PARAGRAPH.LEFT
            rule = paragraph.paragraph_format
            rule.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            rule.line_spacing = Pt(TABLE_SIZE * 1.5)
            snap = OxmlElement("w:snapToGrid")
            snap.set(qn("w:val"), "0")
            paragraph._p.get_or_add_pPr().append(snap)
            _run(paragraph, text, BODY_FONT if line else HEADING_FONT, TABLE_SIZE)
