"""The example campaigns: Futian's plan extends the city's; 2021's was made from 2020's."""

from __future__ import annotations

import pytest
from conftest import REPO

FUTIAN = REPO / "campaigns" / "futian_2020.toml"
SHENZHEN_2021 = REPO / "campaigns" / "shenzhen_2021.toml"


def shown(run_cli, path) -> dict:
    result = run_cli("show", path, "--format", "json")
    assert result.exit_code == 0, result.output
    return result.json()


@pytest.mark.parametrize("path", [FUTIAN, SHENZHEN_2021], ids=["futian-2020", "shenzhen-2021"])
def test_the_examples_validate_and_simulate(run_cli, path) -> None:
    assert run_cli("validate", path).exit_code == 0
    result = run_cli("simulate", path, "--compliance", "0.8", "--seed", "1", "--format", "json")
    assert result.exit_code == 0
    assert result.json()["notifications"]


def test_futian_inherits_the_city_and_adds_its_own(run_cli) -> None:
    data = shown(run_cli, FUTIAN)
    assert data["campaign"]["id"] == "futian-2020"
    assert data["campaign"]["issued_by"] == "futian"
    assert data["campaign"]["theme"] == "消除事故隐患，筑牢安全防线"  # the city's
    assert data["phases"]["safety-month"]["end"] == "2020-06-30"
    assert data["activities"]["consultation-day"]["venue"] == "深圳中心书城北广场"
    streets = data["groups"]["futian-streets"]["members"]
    assert len(streets) == 10
    assert {data["units"][s]["parent"] for s in streets} == {"futian"}
    assert data["activities"]["futian-launch"]["on"] == "2020-06-02"
    assert data["requirements"]["liaison-and-plan"]["assignees"] == ["futian"]


def test_futians_streets_are_due_before_the_city(run_cli) -> None:
    due = {k: r["due"] for k, r in shown(run_cli, FUTIAN)["requirements"].items()}
    assert due["street-plan"] == "2020-05-26" < due["liaison-and-plan"] == "2020-05-28"
    assert due["street-month-summary"] == "2020-07-01" < due["safety-month-summary"]
    assert due["street-wanlixing-summary"] == "2020-12-21" < due["wanlixing-summary"]


def test_2021_was_made_from_2020_and_reviewed(run_cli) -> None:
    data = shown(run_cli, SHENZHEN_2021)
    info = data["campaign"]
    assert (info["id"], info["theme"]) == ("shenzhen-2021", "落实安全责任，推动安全发展")
    assert info["issued_on"] == "2021-05-21"
    assert info["reference"] is None
    assert data["phases"]["safety-month"]["start"] == "2021-06-01"
    assert [r["due"] for r in data["requirements"].values()] == [
        "2021-05-28",
        "2021-07-05",
        "2021-12-28",
    ]
    text = SHENZHEN_2021.read_text(encoding="utf-8")
    assert "2020" not in text.replace("shenzhen_2020.toml", "")
    # The notes of 2020's file came along: its comment lines, apart from the header.
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    original = (REPO / "campaigns" / "shenzhen_2020.toml").read_text(encoding="utf-8")
    before = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) >= len(before) - 3
