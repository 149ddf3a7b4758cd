"""Figures through the portal: the unit's form asks for them (with their units and rules),
the API takes them as ``figure.ID`` fields, and the receipt shows them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import campaignkit_portal
import pytest
from portal_campaign import SUMMARY, campaign_text
from test_api import Portal
from test_pages import Site, csrf, open_link

from campaignkit import PluginHost

FIGURES = """
[[requirements.summary.deliverables]]
id = "figures"
kind = "figures"
name = "隐患排查整治情况"
fields = [
  { id = "hazards-found", name = "排查隐患数", type = "integer", min = 0, required = true },
  { id = "hazards-fixed", name = "整改隐患数", type = "integer", min = 0, unit = "处" },
]
checks = ["hazards-fixed <= hazards-found"]
"""


class FiguresPortal(Portal):
    def figures(self, who: str = "east", **figures: str):
        return self.client.post(
            "/api/v1/requirements/summary/submissions",
            headers=self.auth(who),
            files=[(f"figure.{key}", (None, value)) for key, value in figures.items()],
        )


@pytest.fixture
def portal(
    tmp_path: Path,
    plugin_host: PluginHost,
    register_plugin: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    ledger_target: str | Path,
) -> Iterator[FiguresPortal]:
    register_plugin(campaignkit_portal, name="portal")
    monkeypatch.setattr("test_api.CAMPAIGN", campaign_text(SUMMARY + FIGURES))
    made = FiguresPortal(tmp_path, plugin_host, ledger_target)
    yield made
    made.app.state.portal.ledgers.close()


def test_the_api_lists_the_fields_of_a_figures_deliverable(portal: FiguresPortal) -> None:
    [duty] = portal.client.get("/api/v1/me", headers=portal.auth("east")).json()["duties"]
    [figures] = duty["deliverables"]
    assert figures["kind"] == "figures"
    assert [f["id"] for f in figures["fields"]] == ["hazards-found", "hazards-fixed"]
    assert figures["fields"][1]["unit"] == "处"
    assert figures["checks"] == ["hazards-fixed <= hazards-found"]


def test_the_api_takes_figures_and_judges_them(portal: FiguresPortal) -> None:
    good = portal.figures(**{"hazards-found": "12", "hazards-fixed": "10"})
    assert good.status_code == 201, good.text
    body = good.json()
    assert (body["status"], body["reasons"]) == ("on_time", [])
    assert body["figures"] == {"hazards-found": "12", "hazards-fixed": "10"}
    bad = portal.figures(**{"hazards-found": "3", "hazards-fixed": "5"})
    assert bad.status_code == 201, bad.text
    assert bad.json()["status"] == "rejected"
    assert bad.json()["reasons"] == [
        "隐患排查整治情况: the check `hazards-fixed <= hazards-found` fails"
        " (整改隐患数 = 5, 排查隐患数 = 3)"
    ]


def test_a_figure_the_requirement_does_not_ask_for_is_refused_unrecorded(
    portal: FiguresPortal,
) -> None:
    answer = portal.figures(**{"hazards-fond": "12"})
    assert answer.status_code == 400
    assert "hazards-fond" in answer.text
    assert "hazards-found" in answer.text  # did you mean
    [duty] = portal.client.get("/api/v1/me", headers=portal.auth("east")).json()["duties"]
    assert duty["hand_ins"] == 0


@pytest.fixture
def site(
    tmp_path: Path,
    plugin_host: PluginHost,
    register_plugin: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> Site:
    register_plugin(campaignkit_portal, name="portal")
    monkeypatch.setattr("test_pages.CAMPAIGN", SUMMARY + FIGURES)
    return Site(
        tmp_path, plugin_host, tmp_path / "mini.db", east="东区", language='language = "zh"'
    )


def test_the_units_form_asks_for_the_figures_and_the_receipt_shows_them(site: Site) -> None:
    unit = site.browser()
    page = open_link(unit, site.links["east"])
    assert 'name="figure.hazards-found"' in page.text
    assert "排查隐患数" in page.text
    assert "整改隐患数 (处)" in page.text
    assert "<code>hazards-fixed &lt;= hazards-found</code>" in page.text
    assert 'type="file"' not in page.text
    sent = unit.post(
        "/unit/requirements/summary",
        data={"csrftoken": csrf(page)},
        files=[("figure.hazards-found", (None, "12")), ("figure.hazards-fixed", (None, ""))],
    )
    assert sent.status_code == 303, sent.text
    receipt = unit.get(sent.headers["location"])
    assert receipt.status_code == 200
    assert "排查隐患数" in receipt.text
    assert ">12<" in receipt.text
