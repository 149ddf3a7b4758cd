"""`report --format docx`: the circular (情况通报) in the layout of GB/T 9704-2012, read back
with python-docx as Word would lay it out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from docx.shared import Pt

REPO = Path(__file__).resolve().parents[3]
NATIONAL = REPO / "campaigns" / "national_2021.toml"
SHENZHEN = REPO / "campaigns" / "shenzhen_2020.toml"
SIM = ("--simulate", "--compliance", "0.8", "--seed", "2")


def circular(run_cli: Callable[..., Any], tmp_path: Path) -> Any:
    out = tmp_path / "通报.docx"
    result = run_cli("report", NATIONAL, *SIM, "--format", "docx", "-o", out)
    assert result.exit_code == 0, result.output
    return docx.Document(str(out))


def east_asian(run: Any) -> str | None:
    fonts = run._r.rPr.rFonts
    return fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")


def test_the_page_is_a4_with_the_standards_margins(run_cli, tmp_path) -> None:
    [section] = circular(run_cli, tmp_path).sections
    for measured, wanted in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert abs(measured.mm - wanted) <= 0.5


def test_the_masthead_title_and_body_have_the_standards_fonts(run_cli, tmp_path) -> None:
    document = circular(run_cli, tmp_path)
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    office, number, title = paragraphs[:3]
    assert office.text == "国务院安全生产委员会办公室"
    assert office.runs[0].font.color.rgb == docx.shared.RGBColor(0xFF, 0, 0)
    assert number.text == "安委办〔2021〕5号"  # the campaign's reference: its 发文字号
    assert title.text == "关于2021年全国“安全生产月”活动考核情况的通报"
    assert (east_asian(title.runs[0]), title.runs[0].font.size) == ("方正小标宋简体", Pt(22))
    body = next(p for p in paragraphs if p.text.startswith("本次共考核"))
    assert (east_asian(body.runs[0]), body.runs[0].font.size) == ("仿宋_GB2312", Pt(16))
    assert body.paragraph_format.first_line_indent == Pt(32)
    heading = next(p for p in paragraphs if p.text == "一、基本情况")
    assert east_asian(heading.runs[0]) == "黑体"
    signature = paragraphs[-1]  # a rehearsal has no date of its own: the issuer signs
    assert (signature.text, signature.alignment) == ("国务院安全生产委员会办公室", 2)


def test_page_numbers_sit_right_on_odd_pages_and_left_on_even(run_cli, tmp_path) -> None:
    document = circular(run_cli, tmp_path)
    assert document.settings.odd_and_even_pages_header_footer
    [section] = document.sections
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (2, 0)  # right, left
    for footer in (odd, even):
        # "— N —": the number is a field Word fills in, between the dashes.
        assert [run.text for run in footer.runs] == ["— ", " —"]
        assert 'w:instr="PAGE"' in footer._p.xml
        assert footer.runs[0].font.size == Pt(14)


def test_the_units_commended_and_criticised_are_the_circulars(run_cli, tmp_path) -> None:
    document = circular(run_cli, tmp_path)
    markdown = run_cli("report", NATIONAL, *SIM, "--format", "circular").stdout
    items = [line[2:] for line in markdown.splitlines() if line.startswith("- ")]
    named = [p.text for p in document.paragraphs if p.text in items]
    assert named == items
    assert any("通报批评" in p.text for p in document.paragraphs)
    assert len(document.tables) >= 2  # the facts, and the figures handed in


def test_a_campaign_without_an_assessment_is_refused_by_name(run_cli, tmp_path) -> None:
    result = run_cli("report", SHENZHEN, *SIM, "--format", "docx", "-o", tmp_path / "x.docx")
    assert result.exit_code == 1
    assert "[assessment]" in result.output
    assert not (tmp_path / "x.docx").exists()


def test_the_document_number_is_reference_when_given(run_cli, tmp_path) -> None:
    out = tmp_path / "通报.docx"
    made = run_cli(
        "report", NATIONAL, *SIM, "--format", "docx", "--reference", "安委办〔2021〕12号",
        "-o", out,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts[1] == "安委办〔2021〕12号"
