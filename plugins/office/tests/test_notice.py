"""`campaignkit notice`: one notice as a document, or one per unit in a zip."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

REPO = Path(__file__).resolve().parents[3]
NATIONAL = REPO / "campaigns" / "national_2021.toml"
AT = ("--at", "2021-07-25T10:00")


@pytest.fixture
def ledger(run_cli: Callable[..., Any], tmp_path: Path) -> Path:
    """A ledger where Guangdong handed in its plan, and nobody else anything."""
    db = tmp_path / "ledger.db"
    plan = tmp_path / "方案.pdf"
    plan.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    handed = run_cli(
        "submit", NATIONAL, "--db", db, "--unit", "guangdong", "--requirement", "plan",
        "--deliverable", f"plan={plan}", "--at", "2021-05-19T10:00:00+08:00",
    )  # fmt: skip
    assert handed.exit_code == 0, handed.output
    return db


def test_an_escalation_as_text_is_the_step_a_tick_sends(run_cli, ledger) -> None:
    result = run_cli(
        "notice", NATIONAL, "--db", ledger, "--unit", "广东省安全生产委员会",
        "--requirement", "month-summary", "--kind", "escalation", "--level", "2", *AT,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("【红牌督办】国务院安全生产委员会：截至2021年7月14日，广东省")


def test_a_summons_as_a_word_document_in_the_official_layout(run_cli, ledger, tmp_path) -> None:
    out = tmp_path / "督办单.docx"
    result = run_cli(
        "notice", NATIONAL, "--db", ledger, "--unit", "guangdong", "--requirement",
        "month-summary", "--kind", "escalation", "--level", "3", "-f", "docx", "-o", out, *AT,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[:3] == ["国务院安全生产委员会办公室", "安委办〔2021〕5号", "督办单（约谈）"]
    assert texts[3].startswith("【约谈】国务院安委会办公室主任：")
    assert texts[-1] == "2021年7月20日"  # the day the step went out, not the day asked about
    assert abs(document.sections[0].top_margin.mm - 37) <= 0.5


def test_every_unit_it_applies_to_gets_its_own_in_a_zip(run_cli, ledger, tmp_path) -> None:
    out = tmp_path / "逾期.zip"
    result = run_cli(
        "notice", NATIONAL, "--db", ledger, "--all", "--requirement", "plan",
        "--kind", "overdue", "-f", "txt", "-o", out, *AT,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(io.BytesIO(out.read_bytes())).namelist()
    assert len(names) == 36  # 37 assignees; Guangdong handed in
    assert "guangdong-overdue.txt" not in names
    assert "beijing-overdue.txt" in names


def test_a_unit_that_handed_in_gets_none_and_a_slip_is_named(run_cli, ledger) -> None:
    ask = ("notice", NATIONAL, "--db", ledger, "--requirement", "plan", *AT)
    none = run_cli(*ask, "--unit", "guangdong", "--kind", "overdue")
    assert none.exit_code == 1
    assert "广东省安全生产委员会" in none.stderr
    slip = run_cli(*ask, "--unit", "guangdong", "--kind", "overdu")
    assert slip.exit_code == 2
    assert "--kind" in slip.stderr
    assert "overdue" in slip.stderr
