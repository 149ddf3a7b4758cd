"""The evidence rules: every miss names the deliverable, what was expected, what was found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import MINIMAL

from campaignkit import EvidenceFacts, loads_campaign
from campaignkit.handin import judge
from campaignkit.plugins import load_plugins
from campaignkit.submissions import Submission

CAMPAIGN = (
    MINIMAL
    + """
[[requirements.summary.deliverables]]
id = "video"
kind = "video"
formats = ["mp4"]
min_width = 1920
min_height = 1080
min_duration_s = 30
max_size_mb = 200

[[requirements.summary.deliverables]]
id = "photos"
kind = "photo"
formats = ["jpg"]
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
    return EvidenceFacts(path=Path("v.mp4"), kind="video", **{**good, **facts})  # type: ignore[arg-type]


def photo(fmt: str = "jpg") -> EvidenceFacts:
    return EvidenceFacts(path=Path("p"), kind="photo", format=fmt, width=4000, height=3000)


@pytest.fixture(scope="module")
def verdict():
    host = load_plugins(entry_points=False)
    campaign = loads_campaign(CAMPAIGN, host=host).unwrap()

    def check(evidence: dict, at: dt.datetime = AT):
        return judge(host, campaign, Submission("east", "summary", at, evidence))

    return check


def test_evidence_that_meets_every_constraint_is_accepted(verdict) -> None:
    row = verdict({"video": (video(),), "photos": (photo(), photo("jpeg"))})
    assert (row.status, row.problems) == ("on_time", ())


def test_after_the_deadline_it_is_late(verdict) -> None:
    late = dt.datetime(2020, 6, 29, 0, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert verdict({"video": (video(),), "photos": (photo(), photo())}, late).status == "late"


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        (
            {"video": (video(format="mkv"),)},
            "video file 1 (v.mp4): format should be mp4, found mkv",
        ),
        (
            {"video": (video(width=1280, height=720),)},
            "video file 1 (v.mp4): width should be at least 1920 px, found 1280 px",
        ),
        (
            {"video": (video(width=1280, height=720),)},
            "video file 1 (v.mp4): height should be at least 1080 px, found 720 px",
        ),
        (
            {"video": (video(duration_s=12.5),)},
            "video file 1 (v.mp4): duration should be at least 30 s, found 12.5 s",
        ),
        (
            {"video": (video(size_bytes=250_000_000),)},
            "video file 1 (v.mp4): size should be at most 200 MB, found 250.0 MB",
        ),
        (
            {"video": (video(width=None),)},
            "video file 1 (v.mp4): width should be at least 1920 px, found unknown",
        ),
        ({"video": ()}, "video: count should be at least 1 file(s), found 0"),
        ({"photos": (photo(),) * 4}, "photos: count should be at most 3 file(s), found 4"),
        ({"photos": (photo("png"), photo())}, "photos file 1 (p): format should be jpg, found png"),
        (
            {"video": (EvidenceFacts(path=Path("v"), problems=("the file is truncated",)),)},
            "video file 1 (v): the file is truncated",
        ),
        ({"vidoe": (video(),)}, "`summary` has no deliverable `vidoe`"),
    ],
    ids=[
        "format",
        "width",
        "height",
        "duration",
        "size",
        "unknown-width",
        "too-few",
        "too-many",
        "photo-format",
        "bad-file",
        "unknown-deliverable",
    ],
)
def test_each_miss_is_listed(verdict, evidence: dict, message: str) -> None:
    full = {"video": (video(),), "photos": (photo(), photo()), **evidence}
    row = verdict(full)
    assert row.status == "rejected"
    assert message in row.problems


def test_every_miss_is_listed_not_only_the_first(verdict) -> None:
    row = verdict({"video": (video(format="mov", width=640),), "photos": (photo("png"),)})
    assert len(row.problems) == 4  # video format, video width, photo count, photo format
