"""The campaign's language: one rule, for the checks and for everything a person reads."""

from __future__ import annotations

import pytest
from conftest import MINIMAL, without_reach


def with_language(tag: str) -> str:
    return MINIMAL.replace(
        'timezone = "Asia/Shanghai"\n', f'timezone = "Asia/Shanghai"\nlanguage = "{tag}"\n'
    )


@pytest.mark.parametrize("tag", ["zh", "zh-CN", "zh_CN", "zh-Hans", "zh-SG", "ZH-cn"])
def test_a_chinese_tag_chooses_the_chinese_texts_without_a_word(
    run_cli, write_campaign, tag: str
) -> None:
    path = write_campaign(with_language(tag))
    checked = run_cli("validate", path, "--format", "json")
    assert (checked.exit_code, without_reach(checked.json())) == (0, [])
    data = run_cli("simulate", path, "--compliance", "0", "--outbox", path.with_suffix(".jsonl"))
    assert data.exit_code == 0
    assert path.with_suffix(".jsonl").read_text(encoding="utf-8").count("【提醒】") == 2


@pytest.mark.parametrize("tag", ["zh-TW", "zh-Hant", "zh-Hant-HK"])
def test_traditional_chinese_gets_the_simplified_texts_and_says_so(
    run_cli, write_campaign, tag: str
) -> None:
    checked = run_cli("validate", write_campaign(with_language(tag)), "--format", "json")
    [warning] = without_reach(checked.json())
    assert (warning["code"], warning["path"]) == ("nearest-language", "campaign.language")


@pytest.mark.parametrize("tag", ["fr", "en-GB"])
def test_english_for_any_other_language(run_cli, write_campaign, tag: str) -> None:
    found = without_reach(
        run_cli("validate", write_campaign(with_language(tag)), "--format", "json").json()
    )
    assert [p["code"] for p in found] == (["unknown-language"] if tag == "fr" else [])


@pytest.mark.parametrize(
    ("title", "reminder"),
    [("城关县2020年安全生产月活动方案", "【提醒】"), ("Minimal campaign", "Reminder to")],
    ids=["chinese-title", "english-title"],
)
def test_without_a_language_the_title_decides_for_every_reader(
    run_cli, write_campaign, title: str, reminder: str
) -> None:
    """A clerk who leaves out `language` reads the checks, the tables and the units' notices
    in one language: the title's."""
    text = MINIMAL.replace('title = "Minimal campaign"', f'title = "{title}"')
    path = write_campaign(text.replace('assignees = ["districts"]', 'assignees = ["distrcts"]'))
    [problem] = without_reach(run_cli("validate", path, "--format", "json").json())
    chinese = reminder == "【提醒】"
    assert problem["message"] == (
        "单位或分组 `distrcts` 不存在" if chinese else "unknown unit or group `distrcts`"
    )
    path = write_campaign(text)
    outbox = path.with_suffix(".jsonl")
    data = run_cli("simulate", path, "--compliance", "0", "--outbox", outbox)
    assert data.exit_code == 0
    assert outbox.read_text(encoding="utf-8").count(reminder) == 2
    assert ("方案印发" in run_cli("timeline", path).stdout) is chinese


def test_days_are_worded_by_babel_in_each_language() -> None:
    import datetime as dt

    from campaignkit import long_date

    day = dt.date(2020, 6, 8)
    assert (long_date(day, "zh"), long_date(day, "en")) == ("2020年6月8日", "8 June 2020")
