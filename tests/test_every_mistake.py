"""What a clerk typing with a Chinese input method reads: every mistake in one run, and a
syntax slip shown where it is, with what to type instead."""

from __future__ import annotations

import pytest
from conftest import MINIMAL, without_reach

DRILL = '\n[activities.drill]\nname = "Drill"\nstart = 2020-06-20\nend = 2020-06-10\n'


def line_of(text: str, words: str) -> int:
    [index] = [i for i, line in enumerate(text.splitlines()) if words in line]
    return index + 1


def problems(run_cli, write_campaign, text: str) -> list[dict]:
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert result.exit_code == 1, result.output
    return without_reach(result.json())


def test_a_misspelt_key_an_unknown_assignee_and_a_reversed_span_are_all_said(
    run_cli, write_campaign
) -> None:
    text = (
        MINIMAL.replace('assignees = ["districts"]', 'assignees = ["towships"]').replace(
            "due = 2020-06-28\n", "due = 2020-06-28\nescalate_afer = 3\n"
        )
        + DRILL
    )
    found = {(p["path"], p["line"]) for p in problems(run_cli, write_campaign, text)}
    assert found == {
        ("requirements.summary.escalate_afer", line_of(text, "escalate_afer")),
        ("requirements.summary.assignees[0]", line_of(text, "towships")),
        ("activities.drill.end", line_of(text, "end = 2020-06-10")),
    }
    table = run_cli("validate", write_campaign(text))
    assert "3 errors" in table.stdout
    for words in ("escalate_afer", "towships", "ends (2020-06-10) before it starts"):
        assert words in table.stdout


def test_a_wrong_type_hides_nothing_beside_it(run_cli, write_campaign) -> None:
    text = (
        MINIMAL.replace('assignees = ["districts"]', 'assignees = ["towships"]')
        + '\n[[requirements.summary.deliverables]]\nid = "photos"\nkind = "photo"\n'
        'min_count = "3"\n' + DRILL
    )
    found = {p["path"]: p for p in problems(run_cli, write_campaign, text)}
    assert set(found) == {
        "requirements.summary.deliverables[0].min_count",
        "requirements.summary.assignees[0]",
        "activities.drill.end",
    }
    assert found["requirements.summary.deliverables[0].min_count"]["message"] == (
        'expected an integer, found a string ("3")'
    )


def test_a_missing_required_key_keeps_its_record_quiet_and_the_rest_checked(
    run_cli, write_campaign
) -> None:
    # East has no name: its record is mended with a placeholder for the checks, which say
    # nothing more about it; the activity elsewhere is still checked.
    text = MINIMAL.replace('[units.east]\nname = "East district"\n', "[units.east]\n") + DRILL
    found = {p["path"] for p in problems(run_cli, write_campaign, text)}
    assert found == {"units.east.name", "activities.drill.end"}


SLIPS = [
    ("due = 2022－12－05", "due = 2022", "全角连接号“－”", "请写成半角 2022-12-05", 11),
    ("due = ２０２２-12-05", "due = ", "全角数字“２”", "请写成半角 2022-12-05", 7),
    ("name = “城关镇”", "name = ", "中文引号“", '英文双引号 "…"', 8),
    (
        'audiences = ["enterprise"，"school"]',
        'audiences = ["enterprise"',
        "全角逗号“，”",
        "半角“,”",
        26,
    ),
    ("expected_attendance ＝ 500", "expected_attendance ", "全角等号“＝”", "半角“=”", 21),
    ('venue ： "广场"', "venue ", "全角冒号“：”", "半角等号“=”", 7),
    ('channels = ［"网站"］', "channels = ", "全角方括号“［”", "半角“[”", 12),
    ('venue\u3000= "广场"', "venue", "全角空格", "半角空格", 6),
    ("end = 2022-11-31", "end = 2022-11-", "日期无效：2022-11-31", "2022年11月只有30天", 15),
]


@pytest.mark.parametrize(("typed", "before", "says", "hint", "column"), SLIPS)
def test_an_input_method_slip_is_named_with_its_line_column_and_a_hint(
    run_cli, write_campaign, typed: str, before: str, says: str, hint: str, column: int
) -> None:
    text = (
        MINIMAL.replace(
            'timezone = "Asia/Shanghai"\n', 'timezone = "Asia/Shanghai"\nlanguage = "zh"\n'
        )
        + '\n[activities.fair]\nname = "消防宣传"\nstart = 2020-06-01\n'
        + typed
        + "\n"
    )
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert result.exit_code == 1
    [problem] = result.json()
    assert problem["line"] == line_of(text, typed)
    assert problem["column"] == column == len(before) + 1
    assert says in problem["message"]
    assert hint in problem["hint"]
    table = run_cli("validate", write_campaign(text))
    # The line itself, with a caret under the character; a Chinese character is two
    # columns wide on a terminal.
    [shown, caret] = [
        line
        for line in table.stdout.splitlines()
        if line.startswith((f"{problem['line']}| ", " " * len(str(problem["line"])) + "| "))
    ]
    assert shown == f"{problem['line']}| {typed}"
    width = sum(2 if "\u3000" <= c <= "\uffef" or "\u4e00" <= c <= "\u9fff" else 1 for c in before)
    assert caret.endswith("| " + " " * width + "^")


def test_an_english_campaign_gets_the_hint_in_english(run_cli, write_campaign) -> None:
    text = MINIMAL.replace("due = 2020-06-28", "due = 2020－06－28")
    [problem] = run_cli("validate", write_campaign(text), "--format", "json").json()
    assert problem["message"] == (
        "line 30, column 11 is a full-width hyphen “－”, which TOML does not read"
    )
    assert problem["hint"] == "full-width digits or dash: write the half-width 2020-06-28"


def test_a_quoted_date_with_full_width_digits_says_so(run_cli, write_campaign) -> None:
    text = MINIMAL.replace("due = 2020-06-28", 'due = "２０２０-06-28"')
    [problem] = problems(run_cli, write_campaign, text)
    assert problem["path"] == "requirements.summary.due"
    # Not "write it without quotes", which would only lead to a syntax error.
    assert problem["hint"] == (
        "full-width digits or dash: write the half-width 2020-06-28, without quotes"
    )


def test_a_date_written_in_chinese_keeps_its_hint(run_cli, write_campaign) -> None:
    text = MINIMAL.replace("due = 2020-06-28", 'due = "2020年6月28日"')
    [problem] = problems(run_cli, write_campaign, text)
    assert problem["path"] == "requirements.summary.due"
    assert "write a date (2020-06-01)" in problem["hint"]


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ('name = "East district"', 'name = "East\\u001b[2J district"'),
        ('name = "Safety office"', 'name = "Safety\\r\\noffice"'),
        ('title = "Minimal campaign"', 'title = "Minimal\\u0085campaign"'),
    ],
)
def test_a_control_character_in_a_name_is_refused(
    run_cli, write_campaign, where: str, text: str
) -> None:
    campaign = MINIMAL.replace(where, text, 1)
    [problem] = problems(run_cli, write_campaign, campaign)
    assert problem["code"] == "control-character"
    assert problem["line"] == line_of(campaign, text)
    assert "U+" in problem["message"]


def test_a_description_may_run_over_several_lines(run_cli, write_campaign) -> None:
    text = MINIMAL.replace(
        'name = "Summary"', 'name = "Summary"\ndescription = "one\\ntwo\\tthree"'
    )
    result = run_cli("validate", write_campaign(text), "--format", "json")
    assert (result.exit_code, without_reach(result.json())) == (0, [])


def test_a_control_character_from_a_file_never_reaches_the_terminal(
    run_cli, write_campaign
) -> None:
    # An unknown key written with an escape sequence: said, but shown as its code.
    text = MINIMAL.replace("due = 2020-06-28\n", 'due = 2020-06-28\n"x\\u001b[2J" = 1\n')
    result = run_cli("validate", write_campaign(text))
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "x\\x1b[2J" in result.output
