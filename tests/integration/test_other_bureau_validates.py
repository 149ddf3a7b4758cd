"""The campaign another bureau wrote from the documentation alone (tests/data/
harbour_city_2021.toml, see tests/test_other_bureau.py) validates without a single problem
once the plugins it names are installed: its units are reached by e-mail, and its
`[plugins.email]` table is the e-mail plugin's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from test_other_bureau import HARBOUR_CITY


def test_validates_with_no_problems_at_all(run_cli: Callable[..., Any]) -> None:
    result = run_cli("validate", "--format", "json", HARBOUR_CITY)
    assert result.exit_code == 0, result.output
    assert result.json() == []


def test_validate_table_says_valid(run_cli: Callable[..., Any]) -> None:
    result = run_cli("validate", HARBOUR_CITY)
    assert result.exit_code == 0, result.output
    assert "harbour-city-2021" in result.stdout
    assert "valid" in result.stdout
    assert "warning" not in result.output
    assert "error" not in result.output
