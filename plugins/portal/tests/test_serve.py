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
