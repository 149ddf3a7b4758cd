"""`campaignkit submit` and `status`: real files judged by their content, kept once, and
where every unit stands."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from conftest import SHENZHEN

from campaignkit.builtin.probe import sniff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return path


@pytest.fixture(autouse=True)
def core_probe_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about campaignkit's own probe; the media plugin has its own."""
    monkeypatch.setenv("CAMPAIGNKIT_DISABLE_PLUGINS", "media")


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A copy of the Shenzhen campaign in a folder of its own, with some files to hand in."""
    campaign = tmp_path / "shenzhen_2020.toml"
    campaign.write_bytes(SHENZHEN.read_bytes())
    docx(tmp_path / "form.docx")
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.7\n" + b"x" * 200)
    (tmp_path / "renamed.docx").write_bytes(PNG)
    (tmp_path / "empty.pdf").write_bytes(b"")
    return campaign


def submit(
    run_cli, campaign: Path, *files: str, unit: str = "futian", at: str = "2020-05-27T10:00"
):
    args = ["submit", campaign, "--unit", unit, "--requirement", "liaison-and-plan", "--at", at]
    for item in files:
        name, _, path = item.partition("=")
        args += ["--deliverable", f"{name}={campaign.parent / path}"]
    return run_cli(*args, "--format", "json")


def test_the_right_files_are_accepted_on_time(run_cli, office) -> None:
    result = submit(run_cli, office, "liaison-form=form.docx", "activity-plan=plan.pdf")
    assert result.exit_code == 0, result.output
    outcome = result.json()
    assert (outcome["status"], outcome["accepted"], outcome["problems"]) == ("on_time", True, [])
    [form] = outcome["files"]["liaison-form"]
    assert (form["name"], form["kind"], form["format"]) == ("form.docx", "document", "docx")
    assert len(form["sha256"]) == 64
    assert outcome["at"] == "2020-05-27T10:00:00+08:00"


def test_a_file_is_judged_by_its_content_not_its_name(run_cli, office) -> None:
    result = submit(run_cli, office, "liaison-form=renamed.docx", "activity-plan=plan.pdf")
    assert result.exit_code == 1
    assert result.json()["problems"] == [
        "liaison-form 第 1 个文件（renamed.docx）：文件格式应为 docx，实为 png"
    ]


def test_an_empty_file_is_refused_with_a_reason(run_cli, office) -> None:
    result = submit(run_cli, office, "liaison-form=form.docx", "activity-plan=empty.pdf")
    assert result.exit_code == 1
    assert result.json()["problems"] == ["activity-plan 第 1 个文件（empty.pdf）：文件为空"]


@pytest.mark.parametrize(
    ("path", "slip"),
    [(".", "是文件夹，不是文件"), ("missing.pdf", "不存在")],
    ids=["directory", "missing"],
)
def test_a_wrong_path_is_a_slip_not_a_hand_in(run_cli, office, path, slip) -> None:
    result = submit(run_cli, office, "liaison-form=form.docx", f"activity-plan={path}")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    [problem] = result.json()
    assert (problem["path"], problem["code"]) == ("file", "unreadable")
    assert problem["message"] == f"{office.parent / path} {slip}"
    assert not office.with_suffix(".db").exists()


def test_a_pipe_is_refused_without_hanging(run_cli, office) -> None:
    os.mkfifo(office.parent / "pipe")
    result = submit(run_cli, office, "liaison-form=form.docx", "activity-plan=pipe")
    assert result.exit_code == 2
    assert result.json()[0]["message"] == f"{office.parent / 'pipe'} 不是普通文件"


def test_a_file_that_cannot_be_stored_records_nothing(run_cli, office, monkeypatch) -> None:
    from campaignkit.store import DirectoryStore

    def denied(self, source, cap=None):
        raise PermissionError(13, "Permission denied", str(source))

    monkeypatch.setattr(DirectoryStore, "put", denied)
    result = submit(run_cli, office, "liaison-form=form.docx", "activity-plan=plan.pdf")
    assert result.exit_code == 3
    assert f"{office.parent / 'form.docx'}：Permission denied" in result.stderr
    status = run_cli("status", office, "--at", "2020-05-27T12:00", "--format", "json").json()
    assert _unit(status, "liaison-and-plan", "futian")["status"] == "pending"


def test_each_file_is_stored_once_by_its_sha256(run_cli, office) -> None:
    for _ in range(2):
        assert (
            submit(run_cli, office, "liaison-form=form.docx", "activity-plan=plan.pdf").exit_code
            == 0
        )
    store = office.with_name("shenzhen_2020.evidence")
    stored = sorted(p for p in store.rglob("*") if p.is_file())
    assert len(stored) == 2
    assert all(p.name == p.parent.name + p.name[2:] and len(p.name) == 64 for p in stored)
    assert not list(store.rglob(".incoming-*"))


def test_a_rejected_unit_can_hand_in_again_and_status_shows_it(run_cli, office) -> None:
    assert (
        submit(run_cli, office, "liaison-form=renamed.docx", "activity-plan=plan.pdf").exit_code
        == 1
    )
    rejected = run_cli("status", office, "--at", "2020-05-27T12:00", "--format", "json").json()
    futian = _unit(rejected, "liaison-and-plan", "futian")
    assert futian["status"] == "rejected"
    assert futian["reasons"] == [
        "liaison-form 第 1 个文件（renamed.docx）：文件格式应为 docx，实为 png"
    ]
    again = submit(
        run_cli, office, "liaison-form=form.docx", "activity-plan=plan.pdf", at="2020-05-29T09:00"
    )
    assert again.json()["status"] == "late"
    later = run_cli("status", office, "--at", "2020-05-30", "--format", "json").json()
    assert _unit(later, "liaison-and-plan", "futian")["status"] == "late"
    assert _unit(later, "liaison-and-plan", "luohu")["status"] == "missing"
    assert _unit(later, "safety-month-summary", "futian")["status"] == "pending"


def test_status_table_colours_each_standing(run_cli, office) -> None:
    submit(run_cli, office, "liaison-form=form.docx", "activity-plan=plan.pdf")
    result = run_cli("status", office, "--at", "2020-06-01")
    assert result.exit_code == 0
    assert "按时 1 个，未报送 35 个" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "福田区" in line)
    assert "按时" in row
    assert "2020-05-27 10:00" in row


def test_status_without_a_ledger_says_how_to_start_one(run_cli, office) -> None:
    result = run_cli("status", office)
    assert result.exit_code == 1
    said = "shenzhen_2020.db 处没有台账；首次执行 `campaignkit submit` 时会新建台账"
    assert said in result.stderr


def test_wrong_options_are_usage_errors(run_cli, office) -> None:
    def hand_in(unit: str, requirement: str, deliverable: str):
        return run_cli(
            "submit", office, "--unit", unit, "--requirement", requirement,
            "--deliverable", deliverable,
        )  # fmt: skip

    unknown_unit = hand_in("futain", "liaison-and-plan", "x=y")
    assert unknown_unit.exit_code == 2
    assert "错误：--unit：方案中没有单位 `futain`" in unknown_unit.stderr
    assert "是否应为 `futian`？" in unknown_unit.stderr
    unknown_requirement = hand_in("futian", "liaison", "x=y")
    assert unknown_requirement.exit_code == 2
    assert "liaison-and-plan" in unknown_requirement.stderr
    bad = hand_in("futian", "liaison-and-plan", "form.docx")
    assert bad.exit_code == 2
    assert "`form.docx` 应写作 ID=PATH" in bad.stderr
    outsider = hand_in("sz-safety-office", "liaison-and-plan", "x=y")
    assert outsider.exit_code == 2
    assert "不是 `liaison-and-plan` 的责任单位" in outsider.stderr
    assert "未保存任何文件，也未作任何登记。" in outsider.stderr
    assert not office.with_suffix(".db").exists()


def test_an_unknown_deliverable_is_a_slip(run_cli, office) -> None:
    result = submit(
        run_cli, office, "liaison-form=form.docx", "activity-plan=plan.pdf", "activty-plan=plan.pdf"
    )
    assert result.exit_code == 2
    [slip] = result.json()
    assert (slip["path"], slip["code"]) == ("deliverable", "unknown-deliverable")
    assert slip["message"] == "`liaison-and-plan` 没有材料 `activty-plan`"
    assert not office.with_suffix(".db").exists()
    assert not office.with_name("shenzhen_2020.evidence").exists()


def _unit(status: dict, requirement: str, unit: str) -> dict:
    [req] = [r for r in status["requirements"] if r["id"] == requirement]
    [found] = [u for u in req["units"] if u["unit"] == unit]
    return found


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", ("jpg", "photo")),
        (PNG, ("png", "photo")),
        (b"GIF89a....", ("gif", "photo")),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", ("webp", "photo")),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", ("mp4", "video")),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", ("mov", "video")),
        (b"\x00\x00\x00\x18ftypheic", ("heif", "photo")),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", ("mkv", "video")),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", ("webm", "video")),
        (b"%PDF-1.4", ("pdf", "document")),
        (b"hello, plain text", ("txt", "document")),
        (b"\x00\x01\x02 some binary", (None, "other")),
    ],
    ids=[
        "jpg",
        "png",
        "gif",
        "webp",
        "mp4",
        "mov",
        "heif",
        "mkv",
        "webm",
        "pdf",
        "text",
        "unknown",
    ],
)
def test_formats_are_sniffed_from_the_first_bytes(head: bytes, expected, tmp_path) -> None:
    found = sniff(head, tmp_path / "ignored")
    assert (found.format, found.kind, found.problem) == (*expected, None)


def test_office_files_are_told_apart_by_their_insides(tmp_path) -> None:
    sheet = tmp_path / "book.bin"
    with zipfile.ZipFile(sheet, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    odt = tmp_path / "text.bin"
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    word = docx(tmp_path / "w.bin")
    for path, expected in (
        (sheet, ("xlsx", "spreadsheet")),
        (odt, ("odt", "document")),
        (word, ("docx", "document")),
    ):
        assert sniff(path.read_bytes()[:4096], path)[:2] == expected
