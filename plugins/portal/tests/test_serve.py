"""`campaignkit serve`: the portal as a real process, and a campaign with problems refused."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import campaignkit_portal
import httpx
import pytest
import uvicorn
from campaignkit_portal.app import DB_ENV, FILE_ENV
from campaignkit_portal.sessions import SECRET_ENV
from test_api import CAMPAIGN

from campaignkit import Ledger, PluginHost, add_staff, issue_staff_token
from campaignkit.testing import CliResult

SOURCES = [
    Path(campaignkit_portal.__file__).parents[1],
    Path(__import__("campaignkit").__file__).parents[1],
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.slow
def test_serve_runs_the_portal_and_logs_no_token(tmp_path: Path) -> None:
    plan = tmp_path / "mini.toml"
    plan.write_text(CAMPAIGN, encoding="utf-8")
    db = tmp_path / "mini.db"
    with Ledger(db) as ledger:
        now = dt.datetime.now(dt.UTC)
        add_staff(ledger, "li.wei", "$argon2id$not-used", now=now)
        token = issue_staff_token(ledger, "li.wei", now=now).token
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, SOURCES))}
    command = [sys.executable, "-m", "campaignkit", "serve", str(plan), "--db", str(db)]
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [*command, "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(f"{base}/api/v1/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the portal did not answer within 60 s"
            time.sleep(0.1)  # a poll's pause, not a wait for something to happen
        answer = httpx.get(
            f"{base}/api/v1/units/east", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200
        assert answer.json()["unit"] == {"id": "east", "name": "East district"}
        assert httpx.get(f"{base}/u/unit-secret-link").status_code == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    logged = (tmp_path / "serve.log").read_text()
    assert "GET /api/v1/units/east" in logged
    assert "/u/[redacted]" in logged
    assert "unit-secret-link" not in logged
    assert token not in logged


def test_serve_refuses_a_campaign_with_problems(
    run_cli: Callable[..., CliResult],
    plugin_host: PluginHost,
    register_plugin: Callable[..., Any],
    tmp_path: Path,
) -> None:
    register_plugin(campaignkit_portal, name="portal")
    broken = tmp_path / "bad.toml"
    broken.write_text(CAMPAIGN.replace('kind = "office"', 'knd = "office"'), encoding="utf-8")
    result = run_cli("serve", broken, "--db", tmp_path / "bad.db", host=plugin_host)
    assert result.exit_code == 1
    assert "knd" in result.stderr


@pytest.fixture
def mini(
    tmp_path: Path,
    plugin_host: PluginHost,
    register_plugin: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> list[dict[str, Any]]:
    """A good campaign, no secret in the environment, and uvicorn.run that records each call
    instead of serving."""
    register_plugin(campaignkit_portal, name="portal")
    (tmp_path / "mini.toml").write_text(CAMPAIGN, encoding="utf-8")
    monkeypatch.delenv(SECRET_ENV, raising=False)
    # serve hands the campaign and the ledger to its workers through the environment:
    # setenv first, so that the test's environment is put back afterwards.
    monkeypatch.setenv(FILE_ENV, "")
    monkeypatch.setenv(DB_ENV, "")
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    return calls


def test_serve_refuses_several_workers_without_a_secret(
    run_cli: Callable[..., CliResult],
    plugin_host: PluginHost,
    tmp_path: Path,
    mini: list[dict[str, Any]],
) -> None:
    plan = tmp_path / "mini.toml"
    result = run_cli(
        "serve", plan, "--db", tmp_path / "mini.db", "--workers", "2", host=plugin_host
    )
    assert result.exit_code == 2
    assert "CAMPAIGNKIT_PORTAL_SECRET" in result.stderr
    assert "--workers" in result.stderr
    assert mini == []


def test_serve_warns_that_sessions_end_at_a_restart_without_a_secret(
    run_cli: Callable[..., CliResult],
    plugin_host: PluginHost,
    tmp_path: Path,
    mini: list[dict[str, Any]],
) -> None:
    plan = tmp_path / "mini.toml"
    result = run_cli("serve", plan, "--db", tmp_path / "mini.db", host=plugin_host)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == (
        "CAMPAIGNKIT_PORTAL_SECRET is not set: sessions end when the portal restarts"
    )
    assert [call["workers"] for call in mini] == [1]


def test_serve_with_a_secret_runs_several_workers_and_says_nothing(
    run_cli: Callable[..., CliResult],
    plugin_host: PluginHost,
    tmp_path: Path,
    mini: list[dict[str, Any]],
) -> None:
    plan = tmp_path / "mini.toml"
    result = run_cli(
        "serve",
        plan,
        "--db",
        tmp_path / "mini.db",
        "--workers",
        "2",
        env={SECRET_ENV: "s" * 32},
        host=plugin_host,
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert [call["workers"] for call in mini] == [2]


def test_serve_refuses_an_evidence_store_no_plugin_opens(
    run_cli: Callable[..., CliResult],
    plugin_host: PluginHost,
    tmp_path: Path,
    mini: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_EVIDENCE", "s3://bucket")
    result = run_cli(
        "serve", tmp_path / "mini.toml", "--db", tmp_path / "mini.db", host=plugin_host
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "error: no installed plugin keeps evidence at `s3://` (installed: none)\n"
    )
    assert mini == []
