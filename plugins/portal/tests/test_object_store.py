"""Evidence kept by a plugin's store (object storage), chosen by the operator's
environment or command line: `submit`, the portal's upload and its download all go through
it, and nothing is kept beside the ledger."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import campaignkit_portal
import pytest
from campaignkit_portal.app import create_app
from object_store import ObjectStorePlugin
from portal_campaign import PLAN, SUMMARY, campaign_text
from starlette.testclient import TestClient

from campaignkit import Ledger, StoreRefused, issue_unit_tokens, load_campaign

CAMPAIGN = campaign_text(SUMMARY + PLAN)
TEXT = b"Evacuation plan: assemble at the east gate.\n"


@pytest.fixture
def objects(tmp_path, register_plugin) -> ObjectStorePlugin:
    return register_plugin(ObjectStorePlugin(tmp_path / "buckets"), "objects")


@pytest.fixture
def plan(tmp_path) -> Path:
    (tmp_path / "mini.toml").write_text(CAMPAIGN, encoding="utf-8")
    (tmp_path / "plan.txt").write_bytes(TEXT)
    return tmp_path / "mini.toml"


def submit(run_cli, plan: Path, host, *more: str, env: dict[str, str] | None = None):
    return run_cli(
        "submit",
        plan,
        "--unit",
        "east",
        "--requirement",
        "summary",
        "--deliverable",
        f"plan={plan.parent / 'plan.txt'}",
        "--at",
        "2099-06-20T10:00:00+08:00",
        *more,
        env=env,
        host=host,
    )


def test_submit_keeps_the_file_in_the_store_the_environment_names(
    run_cli, plan, objects, plugin_host
) -> None:
    result = submit(run_cli, plan, plugin_host, env={"CAMPAIGNKIT_EVIDENCE": "objects://evidence"})
    assert result.exit_code == 0, result.output
    sha256 = hashlib.sha256(TEXT).hexdigest()
    assert objects.objects("evidence") == [sha256]
    assert objects.calls["put"] == 1
    assert not (plan.parent / "mini.evidence").exists()
    with Ledger(plan.with_suffix(".db")) as ledger:
        [row] = ledger.submissions("mini")
    assert row.status == "on_time"
    assert row.evidence["plan"][0]["sha256"] == sha256


def test_the_command_line_chooses_over_the_environment(run_cli, plan, objects, plugin_host):
    env = {"CAMPAIGNKIT_EVIDENCE": "objects://elsewhere"}
    result = submit(run_cli, plan, plugin_host, "--evidence", "objects://evidence", env=env)
    assert result.exit_code == 0, result.output
    assert objects.objects("evidence") != []
    assert objects.objects("elsewhere") == []


def test_a_location_no_plugin_opens_is_refused_and_nothing_is_recorded(
    run_cli, plan, objects, plugin_host
) -> None:
    unknown = submit(run_cli, plan, plugin_host, "--evidence", "s3://bucket")
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        "error: no installed plugin keeps evidence at `s3://` (installed: `objects://`)\n"
    )
    refused = submit(run_cli, plan, plugin_host, "--evidence", "objects://")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "error: the evidence store `objects://` refused its location: "
        "say which bucket: objects://BUCKET\n"
    )
    assert not plan.with_suffix(".db").exists() or not _rows(plan)


def _rows(plan: Path) -> list[object]:
    with Ledger(plan.with_suffix(".db")) as ledger:
        return list(ledger.submissions("mini"))


def test_the_portal_stores_and_sends_back_files_through_the_store(
    plan, objects, plugin_host, register_plugin, monkeypatch
) -> None:
    register_plugin(campaignkit_portal, name="portal")
    monkeypatch.setenv("CAMPAIGNKIT_EVIDENCE", "objects://evidence")
    campaign = load_campaign(plan, host=plugin_host).unwrap()
    with Ledger(plan.with_suffix(".db")) as ledger:
        [east] = issue_unit_tokens(campaign, ledger, ["east"], now=dt.datetime.now(dt.UTC))
    client = TestClient(create_app(plan, plan.with_suffix(".db"), host=plugin_host))
    auth = {"Authorization": f"Bearer {east.token}"}
    handed = client.post(
        "/api/v1/requirements/summary/submissions",
        headers=auth,
        files=[("plan", ("plan.txt", TEXT, "text/plain"))],
    )
    assert handed.status_code == 201, handed.text
    assert len(objects.objects("evidence")) == 1
    assert not (plan.parent / "mini.evidence").exists()

    opened = objects.calls["open"]
    got = client.get(f"/api/v1/submissions/{handed.json()['id']}/files/plan/1", headers=auth)
    assert got.status_code == 200
    assert got.content == TEXT
    assert got.headers["content-length"] == str(len(TEXT))
    assert got.headers["content-disposition"].startswith("attachment;")
    assert objects.calls["open"] == opened + 1  # streamed from the store


def test_a_portal_whose_store_cannot_open_does_not_start(
    plan, objects, plugin_host, monkeypatch
) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_EVIDENCE", "s3://bucket")
    with pytest.raises(StoreRefused, match="s3://"):
        create_app(plan, plan.with_suffix(".db"), host=plugin_host)
