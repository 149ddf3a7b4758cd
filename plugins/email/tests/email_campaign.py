"""The campaign the e-mail plugin's tests send notices for: Shenzhen's committee, its office
and two districts, Futian reached at the address in its `channels` table, Luohu through its
liaison officer."""

from __future__ import annotations

FUTIAN = "liaison@futian.example.org"
LUOHU_CONTACT = "wang@luohu.example.org"

TEMPLATE = """\
format = 1

[campaign]
id = "mail-test"
title = "深圳市2020年“安全生产月”活动方案"
reference = "深安办〔2020〕79号"
issued_on = 2020-05-22
issued_by = "office"
timezone = "Asia/Shanghai"
language = "{language}"

[phases.month]
name = "安全生产月"
start = 2020-06-01
end = 2020-06-30

[units.committee]
name = "深圳市安委会"
kind = "committee"
channels = {{ email = "committee@example.org" }}

[units.office]
name = "深圳市安委办"
kind = "office"
parent = "committee"

[units.futian]
name = "福田区安委会"
kind = "district"
parent = "office"
[units.futian.channels]
email = "{futian}"

[units.luohu]
name = "罗湖区安委会"
kind = "district"
parent = "office"
contact = {{ name = "王五", email = "{luohu}" }}
[units.luohu.channels]
email = ""

[requirements.summary]
name = "报送活动总结材料"
assignees = ["futian", "luohu"]
due = 2020-06-28
remind = [3, 1]
escalate_after = 2
"""


def campaign_text(language: str = "zh", futian: str = FUTIAN, luohu: str = LUOHU_CONTACT) -> str:
    """The campaign's TOML, in `language`, with these units' addresses."""
    return TEMPLATE.format(language=language, futian=futian, luohu=luohu)
