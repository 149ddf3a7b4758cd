"""Notices in the bureau's own words: templates of documented fields, checked at `validate`
and written into the outbox as they render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from campaignkit import NOTICE_FIELDS, Campaign, check_notice_text, render_notice_text
from campaignkit.builtin.notices import notice_texts

CST = dt.timezone(dt.timedelta(hours=8))

REMINDER = (
    "【提醒】{unit}：请于{due:%Y年%-m月%-d日}前报送{requirement}（{reference}），"
    "距截止还有{days_left}天。联系人：{issuer.contact.name} {issuer.contact.phone}"
)
DRILL = """\
format = 1

[campaign]
id = "words-drill"
title = "县安全生产月"
issued_on = 2021-06-01
issued_by = "office"
reference = "县安办〔2021〕3号"
timezone = "Asia/Shanghai"

[phases.month]
name = "安全生产月"
start = 2021-06-01
end = 2021-06-30

[units.county]
name = "县人民政府"
kind = "government"

[units.office]
name = "县安委办"
kind = "office"
parent = "county"
contact = { name = "李伟", phone = "0755-1234" }

[units.east]
name = "东镇"
kind = "town"
parent = "office"

[notices.reminder]
text = "@REMINDER@"

[notices.overdue]
text = "【逾期】{unit}（{unit_id}）：{requirement}已于{due}截止。"

[requirements.plan]
name = "活动方案"
assignees = ["east"]
due = 2021-06-10
remind = [3]
escalate_after = 2

[requirements.plan.notices.escalation]
text = "【督办】请{to}督促{unit}报送{requirement}，已逾期{days_late}天。"

[[requirements.plan.deliverables]]
id = "plan"
kind = "document"
""".replace("@REMINDER@", REMINDER)


def test_the_outbox_holds_each_notice_as_its_template_renders(
    campaign_from_toml: Callable[[str], Campaign], virtual_clock: Any
) -> None:
    campaign = campaign_from_toml(DRILL)
    virtual_clock.set("2021-06-20T10:00:00+08:00")
    virtual_clock.tick(campaign)
    texts = {
        row.notification.kind: row.notification.text
        for row in virtual_clock.ledger(campaign).outbox("words-drill")
    }
    assert texts == {
        "reminder": (
            "【提醒】东镇：请于2021年6月10日前报送活动方案（县安办〔2021〕3号），距截止还有3天。"
            "联系人：李伟 0755-1234"
        ),
        "overdue": "【逾期】东镇（east）：活动方案已于2021年6月10日截止。",
        "escalation": "【督办】请县人民政府督促东镇报送活动方案，已逾期3天。",
    }


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{unti}：请报送", "unit"),
        ("{due:d}", "due"),
        ("{days_left:%Y}", "days_left"),
        ("{unit.__class__}", "unit.__class__"),
        ("{unit!r}", "unit"),
        ("{unit", "{{"),
        ("距截止还有｛days_left｝天", "{days_left}"),  # typed with the Chinese input method
        ("{due:%Y年%-m月%-d日｝截止", "{due:%Y年%-m月%-d日}"),
    ],
)
def test_a_template_slip_is_refused_at_its_key_and_line(
    problems_from_toml: Callable[[str], list[Any]], text: str, words: str
) -> None:
    toml = DRILL.replace(
        'text = "【逾期】{unit}（{unit_id}）：{requirement}已于{due}截止。"', f"text = {text!r}"
    ).replace("'", '"')
    problems = [p for p in problems_from_toml(toml) if p.is_error]
    assert [(p.path, p.line) for p in problems] == [("notices.overdue.text", 35)]
    assert words in problems[0].message + (problems[0].hint or "")


def test_an_unknown_kind_is_named_with_the_nearest(
    problems_from_toml: Callable[[str], list[Any]],
) -> None:
    problems = [
        p
        for p in problems_from_toml(DRILL.replace("[notices.overdue]", "[notices.overdu]"))
        if p.is_error
    ]
    assert [p.path for p in problems] == ["notices.overdu"]
    assert "overdue" in (problems[0].hint or "")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_built_in_words_are_templates_of_the_same_syntax(language: str) -> None:
    for kind, text in notice_texts(language, 3).items():
        if kind != "separator":
            assert check_notice_text(text, kind) == [], (language, kind)


def test_a_date_takes_a_pattern_and_words_a_width() -> None:
    values = {"due": dt.date(2021, 7, 9), "unit": "东镇", "days_left": 3}
    assert set(values) <= set(NOTICE_FIELDS)
    said = render_notice_text("{due:%-m月%-d日}|{due}|{unit:>4}|{days_left:02d}", values, "zh")
    assert said == "7月9日|2021年7月9日|  东镇|03"


def test_a_refusal_and_a_return_speak_the_bureaus_words(
    campaign_from_toml: Callable[[str], Campaign], virtual_clock: Any
) -> None:
    from campaignkit import Submission, review

    words = """
[notices.rejected]
text = "【退回】{unit}：{requirement}未通过：{reasons}"

[notices.returned]
text = "【修改】{unit}：请按意见修改{requirement}（{reasons}），{due:%-m月%-d日}前重报。"
"""
    campaign = campaign_from_toml(DRILL + words)
    virtual_clock.set("2021-06-05T10:00:00+08:00")
    empty = Submission("east", "plan", dt.datetime(2021, 6, 5, 9, 0, tzinfo=CST))
    virtual_clock.tick(campaign, [empty])  # nothing handed in for the plan: refused
    ledger = virtual_clock.ledger(campaign)
    [row] = ledger.submissions("words-drill")
    assert row.id is not None
    review(
        campaign, ledger, row.id, "has_issues", "补充附件", "li",
        resubmit_by="2021-06-15", now=dt.datetime(2021, 6, 5, 11, 0, tzinfo=CST),
    )  # fmt: skip
    texts = {r.notification.kind: r.notification.text for r in ledger.outbox("words-drill")}
    assert texts["rejected"].startswith("【退回】东镇：活动方案未通过：")
    assert texts["returned"] == "【修改】东镇：请按意见修改活动方案（补充附件），6月15日前重报。"
