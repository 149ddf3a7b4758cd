"""A unit's duties: each requirement it must hand in for, its state, its deadline and what
the office said — the latest hand-in's review decides, and a unit may always hand in again."""

from __future__ import annotations

import datetime as dt

from conftest import MINIMAL

from campaignkit import Review, Verdict, duties, loads_campaign

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
CAMPAIGN = MINIMAL + (
    '\n[requirements.photos]\nname = "Photos"\nassignees = ["office"]\ndue = 2020-06-20\n'
)


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2020, 6, day, hour, tzinfo=SHANGHAI)


def campaign():
    loaded = loads_campaign(CAMPAIGN)
    assert loaded.ok, loaded.problems
    assert loaded.campaign is not None
    return loaded.campaign


def test_a_unit_sees_only_its_own_requirements_pending_before_the_deadline() -> None:
    [duty] = duties(campaign(), "east", [], as_of=at(10))
    assert (duty.requirement.id, duty.state, duty.hand_ins) == ("summary", "pending", 0)
    assert duty.due.isoformat() == "2020-06-28T23:59:59+08:00"
    assert duty.comment is None
    [after] = duties(campaign(), "east", [], as_of=at(29))
    assert after.state == "missing"


def test_another_units_hand_ins_do_not_count() -> None:
    rows = [Verdict("office", "photos", at(5), "on_time", id=1)]
    [duty] = duties(campaign(), "east", rows, as_of=at(10))
    assert duty.state == "pending"


def test_a_returned_hand_in_shows_the_comment_and_the_new_deadline() -> None:
    rows = [Verdict("east", "summary", at(20), "on_time", id=1)]
    returned = Review(1, "has_issues", "sign page 2", "li.wei", at(21), dt.date(2020, 7, 3))
    [duty] = duties(campaign(), "east", rows, [returned], as_of=at(22))
    assert (duty.state, duty.comment, duty.hand_ins) == ("returned", "sign page 2", 1)
    assert duty.review == returned
    assert duty.due.isoformat() == "2020-07-03T23:59:59+08:00"


def test_handing_in_again_after_a_return_decides_anew() -> None:
    rows = [
        Verdict("east", "summary", at(20), "on_time", id=1),
        Verdict("east", "summary", at(23), "on_time", id=2),
    ]
    returned = Review(1, "has_issues", "sign page 2", "li.wei", at(21))
    [duty] = duties(campaign(), "east", rows, [returned], as_of=at(24))
    assert (duty.state, duty.hand_ins, duty.comment) == ("on_time", 2, None)


def test_a_rejected_hand_in_says_why() -> None:
    rows = [Verdict("east", "summary", at(20), "rejected", ("the file is empty",), id=1)]
    [duty] = duties(campaign(), "east", rows, as_of=at(22))
    assert (duty.state, duty.reasons) == ("rejected", ("the file is empty",))
