"""Names that mean something: the formats a deliverable lists are those the installed plugins
recognise, Chinese offices' files are recognised by their content, WPS's by their names on
top of it, and a deliverable's name is what people read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import MINIMAL, without_reach
from office_files import compound_file, pdf_file, zip_file

from campaignkit import EvidenceFormat, Submission, hookimpl, loads_campaign
from campaignkit.handin import judge

AT = "2020-06-20T10:00:00+08:00"


def campaign(formats: str, extra: str = "") -> str:
    return MINIMAL + (
        "\n[[requirements.summary.deliverables]]\n"
        f'id = "report"\nname = "总结报告"\nkind = "document"\nformats = {formats}\n{extra}'
    )


def probe(host, path: Path):
    return host.call("campaignkit_probe_evidence", path=path)


# ── recognised by content ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("streams", "expected"),
    [
        (("WordDocument", "1Table", "\x05SummaryInformation"), ("doc", "document")),
        (("WordDocument", "1Table", "WpsCustomData"), ("doc", "document")),
        (("Workbook", "\x05SummaryInformation"), ("xls", "spreadsheet")),
        (("Book",), ("xls", "spreadsheet")),
        (("PowerPoint Document", "Current User"), ("ppt", "document")),
        (("Contents", "WpsCustomData"), ("ole", "other")),
    ],
    ids=["word", "word-by-wps", "excel", "excel-5", "powerpoint", "no-office-stream"],
)
def test_compound_files_are_told_apart_by_their_streams(
    plugin_host, tmp_path, streams, expected
) -> None:
    # The store names a file by its SHA-256: the probe never sees the name.
    facts = probe(plugin_host, compound_file(tmp_path / "3f9a0c", *streams))
    assert (facts.format, facts.kind, facts.problems) == (*expected, ())


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (("[Content_Types].xml", "word/"), ("docx", "document")),
        (("[Content_Types].xml", "xl/", "xl/worksheets/"), ("xlsx", "spreadsheet")),
        (("[Content_Types].xml", "ppt/", "ppt/slides/"), ("pptx", "document")),
        (("OFD.xml", "Doc_0/", "Doc_0/Pages/Page_0/"), ("ofd", "document")),
        (("photos/", "notes.txt"), ("zip", "other")),
    ],
    ids=["docx", "xlsx", "pptx", "ofd", "plain-zip"],
)
def test_zipped_documents_are_told_apart_by_their_members(
    plugin_host, tmp_path, members, expected
) -> None:
    facts = probe(plugin_host, zip_file(tmp_path / "3f9a0c", *members))
    assert (facts.format, facts.kind, facts.problems) == (*expected, ())


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("单位,联系人,电话\n福田区,张三,0755-1234\n".encode("gbk"), ("txt", "document")),
        ("单位,联系人\n".encode("utf-16"), ("txt", "document")),
        (b"\xef\xbb\xbf<!DOCTYPE html>\n<html><body>ok</body></html>", ("html", "document")),
        (b"Rar!\x1a\x07\x01\x00" + b"\x00" * 32, ("rar", "other")),
        (b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 32, ("7z", "other")),
    ],
    ids=["gbk-text", "utf16-text", "html", "rar", "7z"],
)
def test_text_and_archives_are_told_by_their_bytes(
    plugin_host, tmp_path, content, expected
) -> None:
    path = tmp_path / "3f9a0c"
    path.write_bytes(content)
    facts = probe(plugin_host, path)
    assert (facts.format, facts.kind, facts.problems) == (*expected, ())


def test_a_real_pdf_is_a_pdf(plugin_host, tmp_path) -> None:
    facts = probe(plugin_host, pdf_file(tmp_path / "3f9a0c"))
    assert (facts.format, facts.kind) == ("pdf", "document")


def test_damaged_and_locked_files_are_refused_with_a_reason(plugin_host, tmp_path) -> None:
    whole = compound_file(tmp_path / "whole", "WordDocument", "1Table").read_bytes()
    cut = tmp_path / "cut"
    cut.write_bytes(whole[:700])  # an upload that stopped early
    locked = compound_file(tmp_path / "locked", "EncryptionInfo", "EncryptedPackage")
    docx = zip_file(tmp_path / "docx", "[Content_Types].xml", "word/").read_bytes()
    cut_zip = tmp_path / "cut-zip"
    cut_zip.write_bytes(docx[:60])
    assert [probe(plugin_host, p).problems for p in (cut, locked, cut_zip)] == [
        (
            "the file is damaged: it starts like an Office 97–2003 or WPS file, "
            "but its contents cannot be read",
        ),
        ("the file is locked with a password: hand it in without one",),
        (
            "the file is damaged: it starts like a zip archive (docx, xlsx, pptx, ofd…), "
            "but its contents cannot be read",
        ),
    ]


# ── WPS's names, and CSV's, on top of the content ─────────────────────────────────────


WORD = ("WordDocument", "1Table", "WpsCustomData")
OWN = ("WpsContent",)  # a compound file with none of Office's streams


@pytest.mark.parametrize(
    ("formats", "name", "streams", "problem"),
    [
        ('["wps"]', "总结.wps", WORD, None),
        ('["doc"]', "总结.wps", WORD, None),
        ('["wps"]', "总结.wps", OWN, None),
        ('["doc"]', "总结.wps", OWN, "format should be doc, found ole"),
        ('["wps"]', "总结.doc", WORD, "format should be wps, found doc"),
        ('["et"]', "台账.et", ("Workbook",), None),
        ('["xls"]', "台账.et", ("Workbook",), None),
        ('["dps"]', "汇报.dps", ("PowerPoint Document",), None),
        ('["ppt"]', "汇报.dps", ("PowerPoint Document",), None),
        ('["et"]', "台账.xls", ("Workbook",), "format should be et, found xls"),
    ],
)
def test_a_wps_file_is_accepted_by_its_name_or_its_content(
    run_cli, write_campaign, plugin_host, tmp_path, formats, name, streams, problem
) -> None:
    path = write_campaign(campaign(formats))
    handed_in = compound_file(tmp_path / name, *streams)
    result = submit(run_cli, plugin_host, path, handed_in, tmp_path / "mini.db")
    expected = [] if problem is None else [f"总结报告 file 1 ({name}): {problem}"]
    assert result.json()["problems"] == expected
    assert result.exit_code == (0 if problem is None else 1)


@pytest.mark.parametrize(
    ("name", "problem"),
    [("名单.csv", None), ("名单.txt", "format should be csv, found txt")],
)
def test_a_csv_file_is_text_named_so(
    run_cli, write_campaign, plugin_host, tmp_path, name, problem
) -> None:
    path = write_campaign(campaign('["csv"]'))
    handed_in = tmp_path / name
    handed_in.write_bytes("单位,联系人\n福田区,张三\n".encode("gbk"))
    result = submit(run_cli, plugin_host, path, handed_in, tmp_path / "mini.db")
    assert result.json()["problems"] == (
        [] if problem is None else [f"总结报告 file 1 ({name}): {problem}"]
    )


def submit(run_cli, host, campaign_path: Path, file: Path, db: Path, *, table: bool = False):
    args = ["--deliverable", f"report={file}", "--db", db, "--at", AT]
    fmt = [] if table else ["--format", "json"]
    return run_cli(
        "submit",
        campaign_path,
        "--unit",
        "east",
        "--requirement",
        "summary",
        *args,
        *fmt,
        host=host,
    )


# ── the names a campaign may write ─────────────────────────────────────────────────────


def test_a_format_no_plugin_recognises_is_an_error_with_a_suggestion(
    run_cli, write_campaign, plugin_host
) -> None:
    text = campaign('["docx", "jepg"]')
    line = text.splitlines().index('formats = ["docx", "jepg"]') + 1
    path = write_campaign(text)
    result = run_cli("validate", path, "--format", "json", host=plugin_host)
    assert result.exit_code == 1
    [problem] = result.json()
    assert (problem["path"], problem["line"], problem["hint"]) == (
        "requirements.summary.deliverables[0].formats[1]",
        line,
        "did you mean `jpg`?",
    )
    assert problem["message"] == (
        "no installed plugin recognises the format `jepg`: no file could ever match it"
    )


def test_a_rehearsal_refuses_it_too(run_cli, write_campaign, plugin_host) -> None:
    # A rehearsal hands in the format the deliverable lists, so it would pass; a unit's
    # real photo would be refused. Every command stops at the name instead.
    path = write_campaign(campaign('["jepg"]'))
    result = run_cli("simulate", path, host=plugin_host)
    assert result.exit_code == 1
    assert "did you mean `jpg`?" in result.output


def test_a_name_far_from_any_lists_the_formats_of_its_kind(
    run_cli, write_campaign, plugin_host
) -> None:
    path = write_campaign(campaign('["dwg"]'))
    [problem] = run_cli("validate", path, "--format", "json", host=plugin_host).json()
    assert problem["hint"] == (
        "known document formats: doc, docx, dps, html, odp, odt, ofd, pdf, ppt, pptx, rtf, txt, wps"
    )


def test_the_names_chinese_offices_use_are_valid(run_cli, write_campaign, plugin_host) -> None:
    path = write_campaign(campaign('["doc", "docx", "wps", "pdf", "ofd", "et", "dps", "csv"]'))
    result = run_cli("validate", path, "--format", "json", host=plugin_host)
    assert (result.exit_code, without_reach(result.json())) == (0, [])


class Drawings:
    @hookimpl
    def campaignkit_evidence_formats(self):
        return [EvidenceFormat("dwg", "document", "AutoCAD drawing", ("autocad",))]


def test_an_alias_is_loaded_as_its_name_and_a_plugin_adds_names(
    run_cli, write_campaign, register_plugin, plugin_host
) -> None:
    register_plugin(Drawings(), "drawings")
    path = write_campaign(campaign('["jpeg", "heic", "autocad", "htm"]'))
    result = run_cli("show", path, "--format", "json", host=plugin_host)
    assert result.exit_code == 0, result.output
    [report] = result.json()["requirements"]["summary"]["deliverables"]
    assert report["formats"] == ["jpg", "heif", "dwg", "html"]


def test_a_photo_written_with_an_alias_is_accepted(
    run_cli, write_campaign, plugin_host, tmp_path
) -> None:
    path = write_campaign(campaign('["heic"]').replace('kind = "document"', 'kind = "photo"'))
    photo = tmp_path / "IMG_0001.HEIC"
    photo.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64)
    result = submit(run_cli, plugin_host, path, photo, tmp_path / "mini.db")
    assert (result.exit_code, result.json()["problems"]) == (0, [])


# ── a deliverable's name is what people read ───────────────────────────────────────────


def test_show_and_submit_name_the_deliverable(
    run_cli, write_campaign, plugin_host, tmp_path
) -> None:
    path = write_campaign(campaign('["pdf"]'))
    shown = run_cli("show", path, host=plugin_host)
    assert "总结报告 (report): document PDF" in shown.stdout
    handed_in = pdf_file(tmp_path / "总结.pdf")
    table = submit(run_cli, plugin_host, path, handed_in, tmp_path / "mini.db", table=True)
    row = next(line for line in table.stdout.splitlines() if "总结.pdf" in line)
    assert "总结报告" in row
    assert "report" not in row


def test_the_evidence_rules_name_the_deliverable(plugin_host) -> None:
    loaded = loads_campaign(campaign('["pdf"]', "min_count = 2\n"), host=plugin_host)
    at = dt.datetime.fromisoformat(AT)
    row = judge(plugin_host, loaded.unwrap(), Submission("east", "summary", at, {"report": ()}))
    assert row.problems == ("总结报告: count should be at least 2 file(s), found 0",)
