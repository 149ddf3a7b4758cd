"""Problems point at the line where their key is written, however the TOML is laid out."""

from __future__ import annotations

import pytest

from campaignkit.locate import key_lines, line_of

TEXT = '''\
format = 1  # a comment with [brackets] and "quotes"

[campaign]
id = "x"
title = """a title
[phases.fake]
spanning lines"""
issued_on = 2020-05-22

[groups]
districts = { kinds = ["district"], units = [
    "a",
    "b",
] }

[requirements.summary]
remind = [
  7,
  1,
]
[[requirements.summary.deliverables]]
id = "doc"

[[requirements.summary.deliverables]]
id = "video"
min_width = 1920

[units."quoted-key"]
name.first = "dotted"
'''


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("format", 1),
        ("campaign", 3),
        ("campaign.title", 5),
        ("campaign.issued_on", 8),
        ("groups.districts.kinds[0]", 11),
        ("groups.districts.units[1]", 13),
        ("requirements.summary.remind[1]", 19),
        ("requirements.summary.deliverables[0].id", 22),
        ("requirements.summary.deliverables[1].min_width", 26),
        ("units.quoted-key.name.first", 29),
    ],
)
def test_key_paths_map_to_their_lines(path: str, line: int) -> None:
    assert key_lines(TEXT)[path] == line


def test_text_inside_a_multiline_string_is_not_a_table() -> None:
    assert "phases.fake" not in key_lines(TEXT)


def test_a_missing_key_points_at_its_table() -> None:
    lines = key_lines(TEXT)
    assert line_of(lines, "requirements.summary.deliverables[1].max_count") == 24
    assert line_of(lines, "requirements.summary.due") == 16
    assert line_of(lines, "nowhere.at.all") is None
