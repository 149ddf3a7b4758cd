"""The checks and the evidence rules speak the campaign's language: a Chinese campaign's
mistakes are told in Chinese, in the table and in ``--format json`` (whose codes stay
English); a refused hand-in's reasons are written in Chinese for the ledger and the notice
to the unit, whatever language the operator pinned for the terminal. An English campaign
is told everything in English, as before."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import MINIMAL

from campaignkit import EvidenceFacts, loads_campaign
from campaignkit.builtin.evidence_rules import campaignkit_check_submission
from campaignkit.handin import judge
from campaignkit.i18n import for_command, speaking
from campaignkit.plugins import load_plugins
from campaignkit.submissions import Submission

# A county's campaign with a slip in each of several checks.
MISTAKES = """\
format = 1

[campaign]
id = "county-fire-2022"
title = "城关县2022年“消防安全月”活动方案"
issued_on = 2022-10-08
issued_by = "county-office"
timezone = "Asia/Shanghi"
language = "zh"

[phases.month]
name = "消防安全月"
start = 2022-11-01
end = 2022-11-30

[units.county-office]
name = "县安全生产委员会办公室"
kind = "office"

[units.chengguan]
name = "城关镇"
kind = "township"
parent = "county-ofice"

[units.hexi]
name = "河西乡"
kind = "township"
parent = "county-office"

[groups]
townships = { kinds = ["township"] }

[activities.drill]
name = "消防应急演练"
phase = "month"
on = 2022-12-05

[requirements.liaison-and-plan]
name = "报送联络员及活动方案"
assignees = ["townships"]
due = 2022-10-01
remind = [1, 1]

[[requirements.liaison-and-plan.deliverables]]
id = "plan"
name = "活动方案"
kind = "document"
formats = ["DOCX", "pdf"]
min_width = 800
"""

# (path, code, message, hint) of each mistake, in Chinese and in English.
TOLD = {
    "zh": [
        (
            "campaign.timezone",
            "bad-timezone",
            "未知的时区 `Asia/Shanghi`",
            "是否应为 `Asia/Shanghai`？",
        ),
        (
            "units.chengguan.parent",
            "unknown-reference",
            "单位 `county-ofice` 不存在",
            "是否应为 `county-office`？",
        ),
        (
            "activities.drill.on",
            "outside-phase",
            "活动 `drill`（2022-12-05）不在阶段 `month`（2022-11-01 至 2022-11-30）之内",
            None,
        ),
        (
            "requirements.liaison-and-plan.due",
            "date-order",
            "截止日期 2022-10-01 早于活动方案印发日期（2022-10-08）",
            None,
        ),
        (
            "requirements.liaison-and-plan.remind[1]",
            "duplicate",
            "截止日期前 1 天的提醒重复列出",
            None,
        ),
        (
            "requirements.liaison-and-plan.deliverables[0].formats[0]",
            "invalid",
            "文件格式 `DOCX` 应写成小写，且不带点",
            "请改为 `docx`",
        ),
        (
            "requirements.liaison-and-plan.remind[0]",
            "reminder-before-issue",
            "2022-10-01 前 1 天的提醒早于活动方案印发日期（2022-10-08），不会发送",
            None,
        ),
        (
            "requirements.liaison-and-plan.deliverables[0].min_width",
            "unused-constraint",
            "`min_width` 仅适用于照片和视频，不适用于类型为 `document` 的材料",
            None,
        ),
    ],
    "en": [
        (
            "campaign.timezone",
            "bad-timezone",
            "unknown time zone `Asia/Shanghi`",
            "did you mean `Asia/Shanghai`?",
        ),
        (
            "units.chengguan.parent",
            "unknown-reference",
            "unknown unit `county-ofice`",
            "did you mean `county-office`?",
        ),
        (
            "activities.drill.on",
            "outside-phase",
            "activity `drill` (2022-12-05) falls outside phase `month` (2022-11-01 to 2022-11-30)",
            None,
        ),
        (
            "requirements.liaison-and-plan.due",
            "date-order",
            "due 2022-10-01, before the campaign is issued (2022-10-08)",
            None,
        ),
        (
            "requirements.liaison-and-plan.remind[1]",
            "duplicate",
            "reminder 1 days before is listed twice",
            None,
        ),
        (
            "requirements.liaison-and-plan.deliverables[0].formats[0]",
            "invalid",
            "format `DOCX` should be written in lower case without a dot",
            "write `docx`",
        ),
        (
            "requirements.liaison-and-plan.remind[0]",
            "reminder-before-issue",
            "the reminder 1 days before 2022-10-01 would fall before the campaign is issued "
            "(2022-10-08) and is dropped",
            None,
        ),
        (
            "requirements.liaison-and-plan.deliverables[0].min_width",
            "unused-constraint",
            "min_width only applies to photos and videos, not a document",
            None,
        ),
    ],
}


def in_language(text: str, language: str) -> str:
    return text.replace('language = "zh"', f'language = "{language}"')


@pytest.mark.parametrize("language", ["zh", "en"])
def test_validate_tells_the_mistakes_in_the_campaigns_language(
    run_cli, write_campaign, language: str
) -> None:
    path = write_campaign(in_language(MISTAKES, language))
    result = run_cli("validate", path, "--format", "json")
    assert result.exit_code == 1
    told = [(p["path"], p["code"], p["message"], p["hint"]) for p in result.json()]
    assert told == TOLD[language]


def test_the_table_of_a_chinese_campaign_is_chinese(run_cli, write_campaign) -> None:
    result = run_cli("validate", write_campaign(MISTAKES))
    assert result.exit_code == 1
    rows = result.stdout.splitlines()
    for path, _code, message, hint in TOLD["zh"]:
        [row] = [line for line in rows if f" {path} " in line]
        assert message in row
        assert hint is None or hint in row
    assert not any(word in result.stdout for word in ("unknown", "did you mean", "should be"))


def test_the_operators_pin_is_what_validate_prints(run_cli, write_campaign) -> None:
    # What validate prints is for the operator: a pinned English stays English.
    path = write_campaign(MISTAKES)
    result = run_cli("validate", path, "--format", "json", env={"CAMPAIGNKIT_LANGUAGE": "en"})
    told = [(p["path"], p["code"], p["message"], p["hint"]) for p in result.json()]
    assert told == TOLD["en"]


# ── a refused hand-in ──────────────────────────────────────────────────────────────────

HAND_IN = """\
format = 1

[campaign]
id = "county-fire-2022"
title = "城关县2022年“消防安全月”活动方案"
issued_on = 2022-10-08
issued_by = "county-office"
timezone = "Asia/Shanghai"
language = "zh"

[phases.month]
name = "消防安全月"
start = 2022-11-01
end = 2022-11-30

[units.county-committee]
name = "县安全生产委员会"
kind = "committee"

[units.county-office]
name = "县安全生产委员会办公室"
kind = "office"
parent = "county-committee"

[units.chengguan]
name = "城关镇"
kind = "township"
parent = "county-office"

[requirements.liaison-and-plan]
name = "报送联络员及活动方案"
assignees = ["chengguan"]
due = 2022-10-28

[[requirements.liaison-and-plan.deliverables]]
id = "photos"
name = "活动照片"
kind = "photo"
formats = ["jpg", "png"]
min_count = 2

[[requirements.liaison-and-plan.deliverables]]
id = "plan"
name = "活动方案"
kind = "document"
formats = ["docx", "pdf", "ofd"]
"""
REASONS = {
    "zh": [
        "活动照片：文件数量应不少于 2 个，实为 1 个",
        "活动照片 第 1 个文件（plan.txt）：文件格式应为 jpg 或 png，实为 txt",
        "活动方案 第 1 个文件（plan.txt）：文件格式应为 docx、pdf 或 ofd，实为 txt",
    ],
    "en": [
        "活动照片: count should be at least 2 file(s), found 1",
        "活动照片 file 1 (plan.txt): format should be jpg or png, found txt",
        "活动方案 file 1 (plan.txt): format should be docx, pdf or ofd, found txt",
    ],
}


@pytest.fixture
def county(tmp_path: Path) -> Path:
    (tmp_path / "plan.txt").write_text("活动方案（草稿）", encoding="utf-8")
    return tmp_path


def hand_in(
    run_cli, folder: Path, language: str, *options: str, env: dict[str, str] | None = None
) -> Any:
    campaign = folder / "county.toml"
    campaign.write_text(in_language(HAND_IN, language), encoding="utf-8")
    plan = folder / "plan.txt"
    return run_cli(
        "submit",
        campaign,
        "--unit",
        "chengguan",
        "--requirement",
        "liaison-and-plan",
        "--deliverable",
        f"photos={plan}",
        "--deliverable",
        f"plan={plan}",
        "--db",
        folder / "county.db",
        "--at",
        "2022-10-26T15:00",
        *options,
        env=env,
    )


def notice(run_cli, folder: Path, env: dict[str, str] | None = None) -> str:
    """The text of the notice that tells the unit its hand-in was returned."""
    outbox = folder / "outbox.jsonl"
    ticked = run_cli(
        "tick",
        folder / "county.toml",
        "--db",
        folder / "county.db",
        "--now",
        "2022-10-26T16:00",
        "--outbox",
        outbox,
        env=env,
    )
    assert ticked.exit_code == 0, ticked.output
    lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]
    [told] = [line for line in lines if line["kind"] == "rejected"]
    text: str = told["text"]
    return text


def stored(run_cli, folder: Path) -> list[str]:
    """The reasons the ledger keeps, as `status` shows them."""
    status = run_cli(
        "status",
        folder / "county.toml",
        "--db",
        folder / "county.db",
        "--at",
        "2022-10-26T16:00",
        "--format",
        "json",
    ).json()
    [row] = [
        unit
        for requirement in status["requirements"]
        for unit in requirement["units"]
        if unit["unit"] == "chengguan"
    ]
    reasons: list[str] = row["reasons"]
    return reasons


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_refused_hand_in_is_told_why_in_the_campaigns_language(
    run_cli, county: Path, language: str
) -> None:
    result = hand_in(run_cli, county, language, "--format", "json")
    assert result.exit_code == 1
    assert result.json()["problems"] == REASONS[language]
    assert stored(run_cli, county) == REASONS[language]
    text = notice(run_cli, county)
    for reason in REASONS[language]:
        assert reason in text


def test_the_submit_table_lists_the_chinese_reasons(run_cli, county: Path) -> None:
    result = hand_in(run_cli, county, "zh")
    assert result.exit_code == 1
    lines = [line.strip() for line in result.stdout.splitlines()]
    for reason in REASONS["zh"]:
        assert f"- {reason}" in lines


def test_the_operators_pin_leaves_the_units_reasons_in_chinese(run_cli, county: Path) -> None:
    pinned = {"CAMPAIGNKIT_LANGUAGE": "en"}
    result = hand_in(run_cli, county, "zh", "--format", "json", env=pinned)
    assert result.exit_code == 1
    # The ledger keeps the reasons the unit is told: in the campaign's language.
    assert result.json()["problems"] == REASONS["zh"]
    assert stored(run_cli, county) == REASONS["zh"]
    text = notice(run_cli, county, env=pinned)
    assert text.startswith("【退回】城关镇")
    for reason in REASONS["zh"]:
        assert reason in text


# ── every way evidence misses, in Chinese ──────────────────────────────────────────────

EVIDENCE = (
    MINIMAL.replace('timezone = "Asia/Shanghai"\n', 'timezone = "Asia/Shanghai"\nlanguage = "zh"\n')
    + """
[[requirements.summary.deliverables]]
id = "video"
name = "汇报视频"
kind = "video"
formats = ["mp4"]
min_width = 1920
min_height = 1080
min_duration_s = 30
max_size_mb = 200

[[requirements.summary.deliverables]]
id = "photos"
name = "活动照片"
kind = "photo"
formats = ["jpg", "png"]
min_count = 2
max_count = 3
"""
)
AT = dt.datetime(2020, 6, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def video(**facts: object) -> EvidenceFacts:
    good = {
        "format": "mp4",
        "width": 1920,
        "height": 1080,
        "duration_s": 60.0,
        "size_bytes": 50_000_000,
    }
    return EvidenceFacts(path=Path("汇报.mp4"), kind="video", **{**good, **facts})  # type: ignore[arg-type]


def photo(fmt: str | None = "jpg") -> EvidenceFacts:
    return EvidenceFacts(path=Path("现场.jpg"), kind="photo", format=fmt, width=4000, height=3000)


@pytest.fixture(scope="module")
def chinese():
    host = load_plugins(entry_points=False)
    return host, loads_campaign(EVIDENCE, host=host).unwrap()


@pytest.mark.parametrize(
    ("evidence", "reason"),
    [
        (
            {"video": (video(format="mkv"),)},
            "汇报视频 第 1 个文件（汇报.mp4）：文件格式应为 mp4，实为 mkv",
        ),
        (
            {"video": (video(width=1280),)},
            "汇报视频 第 1 个文件（汇报.mp4）：宽度应不小于 1920 像素，实为 1280 像素",
        ),
        (
            {"video": (video(height=720),)},
            "汇报视频 第 1 个文件（汇报.mp4）：高度应不小于 1080 像素，实为 720 像素",
        ),
        (
            {"video": (video(duration_s=12.5),)},
            "汇报视频 第 1 个文件（汇报.mp4）：时长应不少于 30 秒，实为 12.5 秒",
        ),
        (
            {"video": (video(duration_s=None),)},
            "汇报视频 第 1 个文件（汇报.mp4）：时长应不少于 30 秒，实际时长无法测得",
        ),
        (
            {"video": (video(size_bytes=250_000_000),)},
            "汇报视频 第 1 个文件（汇报.mp4）：文件大小应不超过 200 MB，实为 250.0 MB",
        ),
        ({"video": ()}, "汇报视频：文件数量应不少于 1 个，实为 0 个"),
        ({"photos": (photo(),) * 4}, "活动照片：文件数量应不超过 3 个，实为 4 个"),
        (
            {"photos": (photo(), photo("gif"))},
            "活动照片 第 2 个文件（现场.jpg）：文件格式应为 jpg 或 png，实为 gif",
        ),
        (
            {"photos": (photo(), photo(None))},
            "活动照片 第 2 个文件（现场.jpg）：文件格式应为 jpg 或 png，实际格式无法识别",
        ),
        (
            {"video": (EvidenceFacts(path=Path("汇报.mp4"), problems=("文件为空",)),)},
            "汇报视频 第 1 个文件（汇报.mp4）：文件为空",
        ),
        ({"vidoe": (video(),)}, "报送要求 `summary` 没有材料 `vidoe`"),
    ],
    ids=[
        "format",
        "width",
        "height",
        "duration",
        "unknown-duration",
        "size",
        "too-few",
        "too-many",
        "photo-format",
        "unknown-format",
        "bad-file",
        "unknown-deliverable",
    ],
)
def test_every_reason_reads_as_chinese(chinese, evidence: dict, reason: str) -> None:
    host, campaign = chinese
    complete = {"video": (video(),), "photos": (photo(), photo()), **evidence}
    row = judge(host, campaign, Submission("east", "summary", AT, complete))
    assert row.status == "rejected"
    assert reason in row.problems


def test_an_unknown_deliverable_names_those_there_are(chinese) -> None:
    _host, campaign = chinese
    requirement = campaign.requirements["summary"]
    submission = Submission("east", "summary", AT, {"slides": (video(),)})
    with speaking("zh"):
        [problem] = [
            p
            for p in campaignkit_check_submission(submission=submission, requirement=requirement)
            if p.code == "unknown-deliverable"
        ]
    assert problem.hint == "该要求的材料：video、photos"


def test_judge_writes_the_campaigns_language_under_any_pin(chinese, monkeypatch) -> None:
    host, campaign = chinese
    evidence = {"video": (video(format="mkv"),), "photos": (photo(), photo())}
    reason = "汇报视频 第 1 个文件（汇报.mp4）：文件格式应为 mp4，实为 mkv"
    monkeypatch.setenv("CAMPAIGNKIT_LANGUAGE", "en")
    with for_command():
        assert judge(host, campaign, Submission("east", "summary", AT, evidence)).problems == (
            reason,
        )
    # The same objects judged for another language get that language's reasons, not the
    # verdict remembered for the first.
    submission = Submission("east", "summary", AT, evidence)
    requirement = campaign.requirements["summary"]
    for language, expected in (
        ("zh", reason),
        ("en", "汇报视频 file 1 (汇报.mp4): format should be mp4, found mkv"),
    ):
        with speaking(language):
            found = campaignkit_check_submission(submission=submission, requirement=requirement)
        assert [p.message for p in found] == [expected]
