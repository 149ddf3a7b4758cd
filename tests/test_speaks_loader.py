"""The loader speaks the campaign's language: a Chinese campaign's mistakes — a misspelt key,
a value of the wrong type, a missing key, a bad date, an input method's slip — are told in
Chinese, an English one's in English, and an operator who pins English reads English. The
`code` and `path` of a problem stay as they are, for programs."""

from __future__ import annotations

from conftest import MINIMAL, without_reach

CHINESE = """\
format = 1

[campaign]
id = "mini"
title = "安全生产月活动"
issued_on = 2020-05-22
issued_by = "office"
timezone = "Asia/Shanghai"
language = "zh"

[phases.month]
name = "安全生产月"
start = 2020-06-01
end = 2020-06-30

[units.office]
name = "安委办"
kind = "office"

[units.east]
name = "东区安委会"
kind = "district"
parent = "office"

[groups]
districts = { kinds = ["district"] }

[requirements.summary]
name = "活动总结"
assignees = ["districts"]
due = 2020-06-28
"""

# Five mistakes a clerk makes: a misspelt key, a number in quotes, a unit without its name,
# a date in quotes and a date expression naming a date that is not there.
MISTAKES = [
    ("due = 2020-06-28\n", 'due = "phases.month.ende - 2d"\nescalate_afer = 3\n'),
    ('name = "东区安委会"\n', ""),
    ("start = 2020-06-01\n", 'start = "2020-06-01"\n'),
]
DELIVERABLE = (
    '\n[[requirements.summary.deliverables]]\nid = "photos"\nkind = "photo"\nmin_count = "3"\n'
)

# path → (code, message, hint) in Chinese, and the same in English.
SAID = {
    "requirements.summary.escalate_afer": (
        "unknown-key",
        "未知的键 `escalate_afer`",
        "是否应为 `escalate_after`？",
    ),
    "requirements.summary.deliverables[0].min_count": (
        "wrong-type",
        '应为整数，实为字符串 "3"',
        None,
    ),
    "units.east.name": ("missing-key", "缺少必填的键 `name`", None),
    "phases.month.start": (
        "wrong-type",
        '应为日期，实为字符串 "2020-06-01"',
        "请写 TOML 日期，不加引号，例如 2020-06-01",
    ),
    "requirements.summary.due": (
        "unknown-reference",
        "`phases.month.ende` 不是本活动方案中的日期",
        "是否应为 `phases.month.end`？",
    ),
}
SAID_IN_ENGLISH = {
    "requirements.summary.escalate_afer": (
        "unknown key `escalate_afer`",
        "did you mean `escalate_after`?",
    ),
    "requirements.summary.deliverables[0].min_count": (
        'expected an integer, found a string ("3")',
        None,
    ),
    "units.east.name": ("missing required key `name`", None),
    "phases.month.start": (
        'expected a date, found a string ("2020-06-01")',
        "write a TOML date without quotes, such as 2020-06-01",
    ),
    "requirements.summary.due": (
        "`phases.month.ende` is not a date of this campaign",
        "did you mean `phases.month.end`?",
    ),
}


def mistaken(text: str) -> str:
    for before, after in MISTAKES:
        assert before in text
        text = text.replace(before, after, 1)
    return text + DELIVERABLE


def found(result) -> dict[str, dict]:
    assert result.exit_code == 1, result.output
    return {p["path"]: p for p in without_reach(result.json())}


def test_a_chinese_campaigns_mistakes_are_told_in_chinese(run_cli, write_campaign) -> None:
    path = write_campaign(mistaken(CHINESE))
    problems = found(run_cli("validate", path, "--format", "json"))
    assert {p: (q["code"], q["message"], q["hint"]) for p, q in problems.items()} == SAID
    assert {q["severity"] for q in problems.values()} == {"error"}  # values stay English
    table = run_cli("validate", path)
    assert table.exit_code == 1
    for _code, message, hint in SAID.values():
        assert message in table.stdout
        assert hint is None or hint in table.stdout
    assert "expected" not in table.stdout
    assert "unknown key" not in table.stdout


def test_an_english_campaigns_mistakes_stay_in_english(run_cli, write_campaign) -> None:
    text = mistaken(CHINESE.replace('language = "zh"', 'language = "en"'))
    problems = found(run_cli("validate", write_campaign(text), "--format", "json"))
    assert {p: (q["message"], q["hint"]) for p, q in problems.items()} == SAID_IN_ENGLISH
    assert {p: q["code"] for p, q in problems.items()} == {p: s[0] for p, s in SAID.items()}


def test_an_operator_who_pins_english_reads_english(run_cli, write_campaign) -> None:
    path = write_campaign(mistaken(CHINESE))
    pinned = {"CAMPAIGNKIT_LANGUAGE": "en"}
    problems = found(run_cli("validate", path, "--format", "json", env=pinned))
    assert {p: (q["message"], q["hint"]) for p, q in problems.items()} == SAID_IN_ENGLISH
    table = run_cli("validate", path, env=pinned)
    assert "unknown key `escalate_afer`" in table.stdout
    assert "未知的键" not in table.stdout


def test_a_slip_of_the_input_method_is_told_in_the_campaigns_language(
    run_cli, write_campaign
) -> None:
    text = CHINESE + '\n[activities.fair]\nname = "消防宣传"\nstart = 2020-06-01\nvenue ＝ "广场"\n'
    path = write_campaign(text)
    [problem] = run_cli("validate", path, "--format", "json").json()
    assert (problem["code"], problem["path"]) == ("toml", "")
    assert problem["message"] == f"第{problem['line']}行第7列是全角等号“＝”，TOML 不认"
    assert problem["hint"] == "请改用半角“=”"
    assert "全角等号“＝”" in run_cli("validate", path).stdout
    [pinned] = run_cli(
        "validate", path, "--format", "json", env={"CAMPAIGNKIT_LANGUAGE": "en"}
    ).json()
    assert pinned["message"] == (
        f"line {problem['line']}, column 7 is a full-width equals sign “＝”, "
        "which TOML does not read"
    )
    assert pinned["hint"] == "write the half-width “=” instead"


def test_a_misspelt_required_key_is_said_once_in_chinese_too(run_cli, write_campaign) -> None:
    # `asignees` makes `assignees` missing as well: said once, at the typo, whatever the
    # language of the hint that names what was meant.
    text = CHINESE.replace("assignees = ", "asignees = ")
    [problem] = without_reach(run_cli("validate", write_campaign(text), "--format", "json").json())
    assert (problem["path"], problem["code"]) == ("requirements.summary.asignees", "unknown-key")
    assert problem["hint"] == "是否应为 `assignees`？"


def test_a_district_that_leaves_the_language_to_the_city_speaks_it(run_cli, write_campaign) -> None:
    # The district's own file has no `language` line and hardly any Chinese: the city's
    # campaign it extends says Chinese, and so does what its clerk reads.
    write_campaign(CHINESE, name="city.toml")
    district = write_campaign(
        'extends = "city.toml"\nformat = 1\n\n[requirements.summary]\nescalate_afer = 3\n',
        name="district.toml",
    )
    [problem] = without_reach(run_cli("validate", district, "--format", "json").json())
    assert problem["message"] == "未知的键 `escalate_afer`"
    english = write_campaign(
        'extends = "city.toml"\nformat = 1\n\n[campaign]\nlanguage = "en"\n\n'
        "[requirements.summary]\nescalate_afer = 3\n",
        name="english.toml",
    )
    [problem] = without_reach(run_cli("validate", english, "--format", "json").json())
    assert problem["message"] == "unknown key `escalate_afer`"


def test_a_file_that_is_not_utf8_or_empty_is_told_so(run_cli, write_campaign, tmp_path) -> None:
    # Nothing of the file can be read: the language is the operator's, English by default.
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes(CHINESE.encode("gbk"))
    [problem] = run_cli("validate", gbk, "--format", "json").json()
    assert problem["code"] == "not-utf8"
    assert problem["message"].startswith("the file is not UTF-8")
    [pinned] = run_cli(
        "validate", gbk, "--format", "json", env={"CAMPAIGNKIT_LANGUAGE": "zh"}
    ).json()
    assert pinned["message"].startswith("文件不是 UTF-8 编码（第 ")
    assert pinned["hint"] == "请另存为 UTF-8 编码；GBK、GB18030 编码的文件须先转换"


def test_an_english_campaign_still_reads_as_before(run_cli, write_campaign) -> None:
    text = MINIMAL.replace("due = 2020-06-28\n", "due = 2020-06-28\nescalate_afer = 3\n")
    [problem] = without_reach(run_cli("validate", write_campaign(text), "--format", "json").json())
    assert (problem["message"], problem["hint"]) == (
        "unknown key `escalate_afer`",
        "did you mean `escalate_after`?",
    )
