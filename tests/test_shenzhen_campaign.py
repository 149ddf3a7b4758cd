"""campaigns/shenzhen_2020.toml holds every fact of 深安办〔2020〕79号.

Each test reads the campaign as the CLI loads it (`campaignkit show --format json`) and checks one
group of facts against the notice, as a reader of the notice would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import SHENZHEN

DISTRICTS = {
    "futian": "福田区",
    "luohu": "罗湖区",
    "yantian": "盐田区",
    "nanshan": "南山区",
    "baoan": "宝安区",
    "longgang": "龙岗区",
    "longhua": "龙华区",
    "pingshan": "坪山区",
    "guangming": "光明区",
    "dapeng": "大鹏新区",
    "shenshan": "深汕特别合作区",
}

SUMMARIES = ["safety-month-summary", "wanlixing-summary"]


@pytest.fixture
def campaign(run_cli: Any) -> dict[str, Any]:
    result = run_cli("show", SHENZHEN, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = result.json()
    return data


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _span(activity: dict[str, Any]) -> tuple[dt.date, dt.date]:
    if activity["on"] is not None:
        return _day(activity["on"]), _day(activity["on"])
    return _day(activity["start"]), _day(activity["end"])


def _children(campaign: dict[str, Any], parent: str) -> dict[str, dict[str, Any]]:
    return {i: a for i, a in campaign["activities"].items() if a["part_of"] == parent}


def test_validate_accepts_the_file(run_cli: Any) -> None:
    result = run_cli("validate", SHENZHEN)
    assert result.exit_code == 0, result.output


def test_header_reference_issuer_date_theme(campaign: dict[str, Any]) -> None:
    info = campaign["campaign"]
    assert campaign["format"] == 1
    assert campaign["extends"] is None
    assert info["id"] == "shenzhen-2020"
    assert info["title"] == "深圳市2020年“安全生产月”和“安全生产万里行”活动方案"
    assert info["reference"] == "深安办〔2020〕79号"
    assert info["issued_on"] == "2020-05-22"
    assert info["theme"] == "消除事故隐患，筑牢安全防线"
    assert info["timezone"] == "Asia/Shanghai"
    assert info["language"] == "zh"
    assert "第19个全国“安全生产月”" in info["description"]
    assert "疫情防控常态化" in info["description"]
    assert info["issued_by"] == "sz-safety-office"
    issuer = campaign["units"]["sz-safety-office"]
    assert "安全生产委员会办公室" in issuer["name"]
    assert "应急管理局" in issuer["name"]
    assert issuer["parent"] == "sz-safety-committee"


def test_phases_dates(campaign: dict[str, Any]) -> None:
    month = campaign["phases"]["safety-month"]
    assert (month["name"], month["start"], month["end"]) == (
        "安全生产月",
        "2020-06-01",
        "2020-06-30",
    )
    assert "贯穿全年" in month["description"]
    tour = campaign["phases"]["wanlixing"]
    assert (tour["name"], tour["start"], tour["end"]) == (
        "安全生产万里行",
        "2020-06-01",
        "2020-12-31",
    )
    assert set(campaign["phases"]) == {"safety-month", "wanlixing"}


def test_eleven_districts_by_name(campaign: dict[str, Any]) -> None:
    units = campaign["units"]
    districts = {i: u for i, u in units.items() if u["kind"] == "district"}
    assert set(districts) == set(DISTRICTS)
    for unit_id, district in DISTRICTS.items():
        assert districts[unit_id]["name"].startswith(district), unit_id
        assert districts[unit_id]["name"].endswith("安全生产委员会"), unit_id
        assert districts[unit_id]["parent"] == "sz-safety-committee"
    assert units["sz-safety-committee"]["name"] == "深圳市安全生产委员会"
    assert units["sz-safety-committee"]["kind"] == "committee"


def test_member_units_are_departments_of_the_committee(campaign: dict[str, Any]) -> None:
    members = {u["name"]: u for u in campaign["units"].values() if u["kind"] == "department"}
    for name in [
        "中共深圳市委宣传部",
        "深圳市教育局",
        "深圳市工业和信息化局",
        "深圳市公安局",
        "深圳市人力资源和社会保障局",
        "深圳市规划和自然资源局",
        "深圳市生态环境局",
        "深圳市住房和建设局",
        "深圳市交通运输局",
        "深圳市水务局",
        "深圳市商务局",
        "深圳市文化广电旅游体育局",
        "深圳市卫生健康委员会",
        "深圳市人民政府国有资产监督管理委员会",
        "深圳市市场监督管理局",
        "深圳市城市管理和综合执法局",
        "深圳市消防救援支队",
        "深圳海事局",
        "深圳市气象局",
    ]:
        assert name in members, name
        assert members[name]["parent"] == "sz-safety-committee", name


def test_organizing_committee_and_its_office(campaign: dict[str, Any]) -> None:
    units = campaign["units"]
    committee = units["organizing-committee"]
    assert committee["name"] == "2020年深圳市“安全生产月”和“安全生产万里行”活动组委会"
    assert committee["parent"] == "sz-safety-committee"
    office = units["organizing-committee-office"]
    assert office["parent"] == "organizing-committee"
    assert "组委会办公室" in office["name"]
    assert "市安委办" in office["name"]


def test_people_with_title_and_position(campaign: dict[str, Any]) -> None:
    roles = {
        r["title"]: (r["holder"], r["position"], r["unit"]) for r in campaign["roles"].values()
    }
    assert roles == {
        "组委会主任": ("刘庆生", "市委常委、常务副市长", "organizing-committee"),
        "组委会副主任": ("王刚", "市政府副秘书长", "organizing-committee"),
        "组委会成员": (None, "由市安委会各成员单位分管负责人担任", "organizing-committee"),
        "办公室主任": ("王延奎", "市安委办主任、市应急管理局局长", "organizing-committee-office"),
    }


def test_groups_resolve_to_districts_and_member_units(campaign: dict[str, Any]) -> None:
    units = campaign["units"]
    groups = campaign["groups"]
    departments = {i for i, u in units.items() if u["kind"] == "department"}
    assert set(groups["districts"]["members"]) == set(DISTRICTS)
    assert set(groups["member-units"]["members"]) == departments
    assert set(groups["targets"]["members"]) == set(DISTRICTS) | departments
    assert "sz-safety-office" not in groups["targets"]["members"]


def test_study_of_xi_remarks(campaign: dict[str, Any]) -> None:
    parts = _children(campaign, "study-xi-remarks")
    assert {a["name"] for a in parts.values()} == {
        "理论学习中心组专题学习",
        "网络课堂培训",
        "开设专栏专题",
    }
    course = campaign["activities"]["online-course-training"]
    assert course["mode"] == "online"
    assert course["organizer"] == "sz-safety-office"
    assert course["channels"] == ["学习强安APP"]
    columns = campaign["activities"]["study-columns"]
    assert {"学习强安APP", "报刊", "广播", "新媒体"} <= set(columns["channels"])


def test_launch_ceremony_on_june_first_online(campaign: dict[str, Any]) -> None:
    launch = campaign["activities"]["launch-ceremony"]
    assert launch["on"] == "2020-06-01"
    assert launch["mode"] == "online"
    assert "启动仪式暨安全宣传“五进”活动推进会" in launch["name"]
    assert set(launch["channels"]) == {"网络视频会", "网络直播"}
    assert launch["participants"] == ["targets"]
    assert campaign["units"][launch["organizer"]]["kind"] == "national"


def test_consultation_day(campaign: dict[str, Any]) -> None:
    day = campaign["activities"]["consultation-day"]
    assert day["on"] == "2020-06-16"
    assert day["mode"] == "hybrid"
    assert day["organizer"] == "sz-safety-office"
    assert day["venue"] == "深圳中心书城北广场"
    assert day["expected_attendance"] == 200

    parts = _children(campaign, "consultation-day")
    offline = [a for a in parts.values() if a["mode"] == "offline"]
    assert len(offline) == 1
    assert offline[0]["venue"] == "深圳中心书城北广场"
    assert offline[0]["expected_attendance"] == 200
    assert offline[0]["on"] == "2020-06-16"
    for item in ["“学习强安”全新升级发布仪式", "“有限空间科学救援”实操表演", "安全科技产品展示"]:
        assert item in offline[0]["description"], item

    clouds = {a["name"]: a for a in parts.values() if a["mode"] == "online"}
    assert set(clouds) == {"云直播", "云互动", "云科普", "云体验"}
    assert all(a["on"] == "2020-06-16" for a in clouds.values())
    assert set(clouds["云直播"]["channels"]) == {"网易深圳", "学习强安", "深圳应急管理微信"}
    assert "大家来找茬" in clouds["云互动"]["description"]
    assert "主播走现场" in clouds["云科普"]["description"]


def test_units_online_activities_and_hazchem_drills(campaign: dict[str, Any]) -> None:
    activities = campaign["activities"]
    online = activities["online-safety-activities"]
    assert online["mode"] == "online"
    assert online["participants"] == ["targets"]
    drill = activities["hazchem-emergency-drills"]
    assert drill["name"] == "危险化学品重大危险源企业应急演练"
    assert drill["part_of"] == "accident-drills"
    assert "fire-rescue" in drill["participants"]


def test_inspection_in_progress(campaign: dict[str, Any]) -> None:
    topic = campaign["activities"]["inspection-in-progress"]
    assert topic["name"] == "“排查整治进行时”专题活动"
    assert set(topic["channels"]) == {"学习强安APP", "深圳应急管理官方微博", "网易深圳应急360频道"}
    parts = {a["name"]: a for a in _children(campaign, "inspection-in-progress").values()}
    assert set(parts) == {"加强示范引领和警示教育宣传", "开展排查整治活动"}
    text = parts["开展排查整治活动"]["description"]
    for drive in [
        "安全生产啄木鸟",
        "企业风险扫描仪",
        "隐患排查显微镜",
        "查找身边隐患",
        "专项整治纠察员",
    ]:
        assert f"“{drive}”" in text, drive


def test_cloud_classroom(campaign: dict[str, Any]) -> None:
    classroom = campaign["activities"]["cloud-classroom"]
    assert "安全生产大家谈" in classroom["name"]
    assert classroom["mode"] == "online"
    assert classroom["organizer"] == "sz-safety-office"
    assert classroom["channels"] == ["学习强安APP"]
    viewing = _children(campaign, "cloud-classroom")
    assert len(viewing) == 1
    (units_part,) = viewing.values()
    assert units_part["participants"] == ["targets"]
    for form in ["“公开课”", "“微课堂”", "“公益讲座”"]:
        assert form in units_part["description"], form


def test_five_entries(campaign: dict[str, Any]) -> None:
    parent = campaign["activities"]["five-entries"]
    assert parent["mode"] == "hybrid"
    entries = {a["name"]: a for a in _children(campaign, "five-entries").values()}
    assert {name: a["audiences"] for name, a in entries.items()} == {
        "进企业": ["enterprise"],
        "进农村": ["rural"],
        "进社区": ["community"],
        "进学校": ["school"],
        "进家庭": ["family"],
    }
    assert entries["进农村"]["participants"] == ["shenshan"]
    assert "深汕特别合作区" in entries["进农村"]["description"]
    assert entries["进学校"]["channels"] == ["学习强安APP"]
    assert "安全第一课" in entries["进学校"]["description"]


def test_wanlixing_regional_thematic_online_tours(campaign: dict[str, Any]) -> None:
    tours = {a["name"]: a for a in _children(campaign, "wanlixing-coverage").values()}
    assert set(tours) == {"区域行", "专题行", "网上行"}
    for tour in tours.values():
        assert tour["phase"] == "wanlixing"
        assert (tour["start"], tour["end"]) == ("2020-06-01", "2020-12-31")
        assert tour["participants"] == ["targets"]
    assert tours["网上行"]["mode"] == "online"


def test_hotline_12350(campaign: dict[str, Any]) -> None:
    hotline = campaign["activities"]["hotline-12350"]
    assert hotline["phase"] == "wanlixing"
    assert (hotline["start"], hotline["end"]) == ("2020-06-01", "2020-12-31")
    assert set(hotline["channels"]) == {"12350举报投诉热线", "微信", "微博"}
    assert "举报重大隐患" in hotline["description"]


def test_public_space_publicity(campaign: dict[str, Any]) -> None:
    publicity = campaign["activities"]["public-space-publicity"]
    assert publicity["mode"] == "offline"
    assert "过街天桥" in publicity["venue"]
    assert "楼宇广告屏" in publicity["channels"]


def test_due_dates_and_assignees(campaign: dict[str, Any]) -> None:
    requirements = campaign["requirements"]
    assert {i: r["due"] for i, r in requirements.items()} == {
        "liaison-and-plan": "2020-05-28",
        "safety-month-summary": "2020-07-05",
        "wanlixing-summary": "2020-12-28",
    }
    members = set(campaign["groups"]["targets"]["members"])
    departments = {i for i, u in campaign["units"].items() if u["kind"] == "department"}
    assert set(DISTRICTS) | departments <= members
    for requirement in requirements.values():
        assert requirement["assignees"] == ["targets"]
        assert requirement["submit_to"] == "sz-safety-office"
        assert requirement["escalate_after"] is not None
        assert requirement["escalate_after"] > 0


def test_liaison_form_and_activity_plan(campaign: dict[str, Any]) -> None:
    requirement = campaign["requirements"]["liaison-and-plan"]
    deliverables = {d["id"]: d for d in requirement["deliverables"]}
    assert set(deliverables) == {"liaison-form", "activity-plan"}
    assert deliverables["liaison-form"]["kind"] == "document"
    assert deliverables["liaison-form"]["formats"] == ["docx"]
    assert deliverables["activity-plan"]["kind"] == "document"
    issued = _day(campaign["campaign"]["issued_on"])
    due = _day(requirement["due"])
    assert requirement["remind"]
    for days in requirement["remind"]:
        assert due - dt.timedelta(days=days) >= issued, days


@pytest.mark.parametrize("requirement_id", SUMMARIES)
def test_summary_evidence_constraints(campaign: dict[str, Any], requirement_id: str) -> None:
    deliverables = {d["kind"]: d for d in campaign["requirements"][requirement_id]["deliverables"]}
    assert set(deliverables) == {"document", "video", "photo"}
    video = deliverables["video"]
    assert video["formats"] == ["mp4"]
    assert (video["min_width"], video["min_height"]) == (1920, 1080)
    assert video["min_count"] >= 1
    photo = deliverables["photo"]
    assert photo["formats"] == ["jpg"]
    assert (photo["min_width"], photo["min_height"]) == (1920, 1080)
    assert photo["min_count"] >= 1


def test_safety_month_summary_due_on_a_sunday_is_kept(campaign: dict[str, Any]) -> None:
    requirement = campaign["requirements"]["safety-month-summary"]
    assert _day(requirement["due"]).weekday() == 6  # 5 July 2020 was a Sunday
    assert requirement["rest_day"] == "keep"


def test_every_activity_lies_within_its_phase(campaign: dict[str, Any]) -> None:
    phases = campaign["phases"]
    for activity_id, activity in campaign["activities"].items():
        assert activity["phase"] in phases, activity_id
        phase = phases[activity["phase"]]
        first, last = _span(activity)
        assert _day(phase["start"]) <= first <= last <= _day(phase["end"]), activity_id


def test_every_sub_activity_lies_within_its_parent(campaign: dict[str, Any]) -> None:
    activities = campaign["activities"]
    children = [(i, a) for i, a in activities.items() if a["part_of"] is not None]
    assert len(children) >= 20
    for activity_id, activity in children:
        parent = activities[activity["part_of"]]
        first, last = _span(activity)
        parent_first, parent_last = _span(parent)
        assert parent_first <= first <= last <= parent_last, activity_id
        assert activity["phase"] == parent["phase"], activity_id


def test_no_plugin_tables(campaign: dict[str, Any]) -> None:
    assert campaign["plugins"] == {}
