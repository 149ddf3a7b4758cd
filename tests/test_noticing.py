"""One notice on demand (`campaignkit.notices_for`): the one the outbox holds, or the one a
tick would make, about one unit or every assignee it applies to."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from campaignkit import EvidenceFacts, Ledger, Submission, load_plugins, loads_campaign
from campaignkit.noticing import NoticeRefused, notices_for

NATIONAL = REPO / "campaigns" / "national_2021.toml"
CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2021, 7, 25, 12, 0, tzinfo=CST)


@pytest.fixture(scope="module")
def national() -> tuple[Any, Any]:
    host = load_plugins(entry_points=False)
    loaded = loads_campaign(NATIONAL.read_text("utf-8"), host=host)
    assert loaded.campaign is not None
    return loaded.campaign, host


def test_each_step_of_the_ladder_is_the_notice_a_tick_makes(national) -> None:
    campaign, host = national
    with Ledger(":memory:") as ledger:
        [red] = notices_for(
            campaign, host, ledger, requirement="month-summary", kind="escalation",
            unit="广东省安全生产委员会", level=2, now=NOW,
        )  # fmt: skip
    assert (red.to, red.about, red.level, red.label) == (
        "state-safety-committee",
        "guangdong",
        2,
        "红牌督办",
    )
    assert red.at == dt.datetime(2021, 7, 15, 9, 0, tzinfo=CST)
    assert red.text.startswith("【红牌督办】国务院安全生产委员会：截至2021年7月14日，广东省")


def test_a_unit_that_handed_in_gets_none_and_is_told_why(national) -> None:
    campaign, host = national
    with Ledger(":memory:") as ledger:
        from campaignkit.handin import judge

        plan = EvidenceFacts(Path("方案.docx"), "document", "docx", 2048)
        at = dt.datetime(2021, 5, 18, tzinfo=CST)
        handed = Submission("guangdong", "plan", at, {"plan": (plan,)})
        ledger.record_submission(campaign.campaign.id, judge(host, campaign, handed))
        with pytest.raises(NoticeRefused) as refused:
            notices_for(
                campaign, host, ledger, requirement="plan", kind="overdue", unit="guangdong",
                now=NOW,
            )  # fmt: skip
        assert refused.value.problems[0].code == "no-notice"
        every = notices_for(campaign, host, ledger, requirement="plan", kind="overdue", now=NOW)
    assert len(every) == 36  # 37 assignees, one of whom handed in
    assert "guangdong" not in {n.chased for n in every}


@pytest.mark.parametrize(
    ("asked", "path", "words"),
    [
        ({"requirement": "month-sumary"}, "requirement", "month-summary"),
        ({"requirement": "monthly-cases"}, "occurrence", "2021-06"),
        ({"requirement": "monthly-cases", "occurrence": "2021-6"}, "occurrence", "2021-06"),
        ({"kind": "escalaton"}, "kind", "escalation"),
        ({"unit": "guangdon"}, "unit", "guangdong"),
        ({"kind": "escalation", "level": 4}, "level", "3"),
    ],
)
def test_a_slip_names_what_was_asked_for(national, asked, path, words) -> None:
    campaign, host = national
    ask = {"requirement": "month-summary", "kind": "overdue", "unit": "guangdong", **asked}
    with Ledger(":memory:") as ledger, pytest.raises(NoticeRefused) as refused:
        notices_for(campaign, host, ledger, now=NOW, **ask)
    [problem] = refused.value.problems
    assert problem.path == path
    assert words in problem.message + (problem.hint or "")
