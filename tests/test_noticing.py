"""One notice on demand (`campaignkit.notices_for`): the one the outbox holds, or the one a
tick would make, about one unit or every assignee it applies to."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from campaignkit import (
    EvidenceFacts,
    Ledger,
    Submission,
    extend,
    load_plugins,
    loads_campaign,
    tick,
)
from campaignkit.handin import judge
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


def test_after_a_tick_the_notice_is_the_one_in_the_outbox(national) -> None:
    campaign, host = national
    with Ledger(":memory:") as ledger:
        tick(campaign, host, ledger, now=NOW)
        [sent] = [
            row.notification
            for row in ledger.outbox(campaign.campaign.id)
            if (row.notification.kind, row.notification.requirement, row.notification.level)
            == ("escalation", "month-summary", 2)
            and row.notification.chased == "guangdong"
        ]
        [asked] = notices_for(
            campaign, host, ledger, requirement="month-summary", kind="escalation",
            unit="guangdong", level=2, now=NOW,
        )  # fmt: skip
    assert asked == sent


def test_a_queued_notice_no_longer_true_is_not_given(national) -> None:
    """The overdue notice about the plan was queued at the tick; Guangdong handed in
    since: as a tick would skip it, the notice is no longer Guangdong's."""
    campaign, host = national
    with Ledger(":memory:") as ledger:
        tick(campaign, host, ledger, now=NOW)
        queued = [
            row for row in ledger.outbox(campaign.campaign.id)
            if (row.notification.kind, row.notification.requirement, row.notification.chased)
            == ("overdue", "plan", "guangdong")
        ]  # fmt: skip
        assert len(queued) == 1
        plan = EvidenceFacts(Path("方案.docx"), "document", "docx", 2048)
        handed = Submission("guangdong", "plan", NOW, {"plan": (plan,)})
        ledger.record_submission(campaign.campaign.id, judge(host, campaign, handed))
        with pytest.raises(NoticeRefused) as refused:
            notices_for(
                campaign, host, ledger, requirement="plan", kind="overdue", unit="guangdong",
                now=NOW + dt.timedelta(hours=1),
            )  # fmt: skip
    assert refused.value.problems[0].code == "no-notice"


def test_a_unit_given_more_time_is_told_of_its_own_deadline(national) -> None:
    """No tick has run: the notice is made from the unit's own events, as a tick makes
    them, not from the campaign's deadline it no longer has (20 May)."""
    campaign, host = national
    with Ledger(":memory:") as ledger:
        extend(campaign, ledger, "guangdong", "plan", "2021-06-10", "防汛", "li.wei", now=NOW)
        [late] = notices_for(
            campaign, host, ledger, requirement="plan", kind="overdue", unit="guangdong",
            now=dt.datetime(2021, 6, 12, 12, 0, tzinfo=CST),
        )  # fmt: skip
    assert late.at == dt.datetime(2021, 6, 11, 9, 0, tzinfo=CST)
    assert "已于2021年6月10日截止" in late.text
