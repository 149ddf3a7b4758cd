"""The portal's JSON API through Starlette's TestClient: every status a client can meet,
uploads streamed and capped, and no unit ever seeing or changing another's data."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import campaignkit_portal
import httpx
import pytest
from campaignkit_portal.app import create_app
from campaignkit_portal.downloads import content_disposition
from campaignkit_portal.logs import RedactTokens, redact
from portal_campaign import PLAN as PLAN_TABLE
from portal_campaign import SUMMARY, campaign_text
from starlette.testclient import TestClient

from campaignkit import (
    PluginHost,
    add_staff,
    issue_staff_token,
    issue_unit_tokens,
    load_campaign,
    open_ledger,
)

# Open until 2099; the summary asks for a plan (a text file, at most 1 MB) and photos.
CAMPAIGN = campaign_text(
    SUMMARY
    + PLAN_TABLE
    + """
[requirements.photos]
name = "Photos"
assignees = ["office"]
due = 2099-06-20
"""
)
PLAN = b"Evacuation plan: assemble at the east gate.\n"


class Portal:
    """A portal over a fresh ledger (an SQLite file, then a PostgreSQL database), with a
    token for east, west and a member of staff."""

    def __init__(self, tmp_path: Path, host: PluginHost, db: str | Path) -> None:
        self.file = tmp_path / "mini.toml"
        self.file.write_text(CAMPAIGN, encoding="utf-8")
        self.db = db
        # Where the files handed in go: beside an SQLite ledger; CAMPAIGNKIT_EVIDENCE's
        # folder (`ledger_target`) beside a database.
        self.store = tmp_path / "evidence" if isinstance(db, str) else db.with_suffix(".evidence")
        campaign = load_campaign(self.file, host=host).unwrap()
        now = dt.datetime.now(dt.UTC)
        with open_ledger(self.db) as ledger:
            east, west = issue_unit_tokens(campaign, ledger, ["east", "west"], now=now)
            add_staff(ledger, "li.wei", "$argon2id$not-used", now=now)
            staff = issue_staff_token(ledger, "li.wei", now=now)
        self.tokens = {"east": east.token, "west": west.token, "staff": staff.token}
        self.app = create_app(self.file, self.db, host=host)
        self.client = TestClient(self.app)

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def hand_in(self, who: str = "east", body: bytes = PLAN, **fields: str) -> httpx.Response:
        return self.client.post(
            "/api/v1/requirements/summary/submissions",
            headers=self.auth(who),
            files=[("plan", ("plan.txt", body, "text/plain"))],
            data=fields,
        )


@pytest.fixture
def portal(
    tmp_path: Path,
    plugin_host: PluginHost,
    register_plugin: Callable[..., Any],
    ledger_target: str | Path,
) -> Iterator[Portal]:
    register_plugin(campaignkit_portal, name="portal")
    made = Portal(tmp_path, plugin_host, ledger_target)
    yield made
    made.app.state.portal.ledgers.close()  # the client ran no lifespan: its pool, if any


@pytest.fixture
def uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the uploads stream into, to see that nothing stays in it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder


def test_me_lists_the_units_duties_with_the_deliverables_rules(portal: Portal) -> None:
    answer = portal.client.get("/api/v1/me", headers=portal.auth("east"))
    assert answer.status_code == 200
    body = answer.json()
    assert body["unit"] == {"id": "east", "name": "East district"}
    [duty] = body["duties"]
    assert (duty["requirement"], duty["name"], duty["state"]) == ("summary", "Summary", "pending")
    assert duty["due"] == "2099-06-28T23:59:59+08:00"
    assert duty["comment"] is None
    [plan] = duty["deliverables"]
    assert plan["id"] == "plan"
    assert plan["name"] == "The plan"
    assert (plan["formats"], plan["min_count"], plan["max_size_mb"]) == (["txt"], 1, 1)


def test_a_units_duties_show_its_extension_and_its_exemption(portal: Portal) -> None:
    from campaignkit import exempt, extend

    campaign = load_campaign(portal.file).unwrap()
    now = dt.datetime.now(dt.UTC)
    with open_ledger(portal.db) as ledger:
        extend(campaign, ledger, "east", "summary", "2099-07-10", "flood", "li.wei", now=now)
        exempt(campaign, ledger, "west", "summary", "merged", "li.wei", now=now)
    [east] = portal.client.get("/api/v1/me", headers=portal.auth("east")).json()["duties"]
    assert (east["state"], east["extended_until"]) == ("pending", "2099-07-10")
    assert east["due"] == "2099-07-10T23:59:59+08:00"
    [west] = portal.client.get("/api/v1/me", headers=portal.auth("west")).json()["duties"]
    assert (west["state"], west["extended_until"]) == ("exempt", None)


def test_staff_extend_a_unit_through_the_api_and_a_unit_may_not(portal: Portal) -> None:
    asked = {"action": "extend", "requirement": "summary", "until": "2099-07-10", "reason": "x"}
    url = "/api/v1/units/east/allowances"
    assert portal.client.post(url, json=asked, headers=portal.auth("east")).status_code == 403
    done = portal.client.post(url, json=asked, headers=portal.auth("staff"))
    assert done.status_code == 200, done.text
    assert done.json() | {"at": None} == {
        "id": 1,
        "kind": "extension",
        "unit": "east",
        "requirement": "summary",
        "until": "2099-07-10",
        "reason": "x",
        "by": "li.wei",
        "at": None,
        "revoked_at": None,
        "revoked_by": None,
    }
    again = portal.client.post(
        url, json=asked | {"until": "2099-06-01"}, headers=portal.auth("staff")
    )
    assert again.status_code == 400
    assert again.json()["error"] == "extension-refused"
    assert [p["path"] for p in again.json()["problems"]] == ["until"]


def test_a_unit_asks_for_more_time_through_the_api(portal: Portal) -> None:
    url = "/api/v1/requirements/summary/extension-requests"
    asked = {"until": "2099-07-10", "reason": "flood"}
    done = portal.client.post(url, json=asked, headers=portal.auth("east"))
    assert done.status_code == 201, done.text
    assert done.json() | {"at": None} == {
        "kind": "request",
        "unit": "east",
        "requirement": "summary",
        "until": "2099-07-10",
        "reason": "flood",
        "at": None,
    }
    no = {"action": "decline", "requirement": "summary", "reason": "no"}
    declined = portal.client.post(
        "/api/v1/units/east/allowances", json=no, headers=portal.auth("staff")
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["kind"] == "request"
    late = portal.client.post(
        url, json=asked | {"until": "2099-01-01"}, headers=portal.auth("west")
    )
    assert late.status_code == 400


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc"])
def test_a_missing_or_bad_token_is_401(portal: Portal, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    answer = portal.client.get("/api/v1/me", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"] == "unauthorized"
    assert answer.headers["www-authenticate"] == "Bearer"


def test_a_hand_in_is_201_with_its_receipt_and_is_recorded(portal: Portal, uploads: Path) -> None:
    answer = portal.hand_in(liaison_name="Wang Fang", liaison_phone="13800000000")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["accepted"], body["late"], body["reasons"]) == (True, False, [])
    assert body["receipt"]["number"] == f"mini-{body['id']:06d}"
    [file] = body["receipt"]["files"]
    assert (file["name"], file["size"]) == ("plan.txt", len(PLAN))
    assert len(file["sha256"]) == 64
    with open_ledger(portal.db) as ledger:
        [row] = ledger.submissions("mini")
    assert row.contact is not None
    assert row.contact.name == "Wang Fang"
    assert list(uploads.iterdir()) == []
    me = portal.client.get("/api/v1/me", headers=portal.auth("east")).json()
    assert me["duties"][0]["state"] == "on_time"


def test_a_rejected_hand_in_is_recorded_too(portal: Portal) -> None:
    answer = portal.hand_in(body=b"")
    assert answer.status_code == 201
    body = answer.json()
    assert body["accepted"] is False
    assert body["reasons"]
    me = portal.client.get("/api/v1/me", headers=portal.auth("east")).json()
    assert me["duties"][0]["state"] == "rejected"


def test_hand_in_errors(portal: Portal) -> None:
    post = portal.client.post
    unknown = post("/api/v1/requirements/sumary/submissions", headers=portal.auth("east"))
    assert unknown.status_code == 404
    assert unknown.json()["problems"][0]["path"] == "requirement"
    not_mine = post("/api/v1/requirements/photos/submissions", headers=portal.auth("east"))
    assert not_mine.status_code == 403
    assert not_mine.json()["error"] == "forbidden"
    staff = post("/api/v1/requirements/summary/submissions", headers=portal.auth("staff"))
    assert staff.status_code == 403
    nobody = post("/api/v1/requirements/summary/submissions")
    assert nobody.status_code == 401
    field = post(
        "/api/v1/requirements/summary/submissions",
        headers=portal.auth("east"),
        files=[("pictures", ("a.jpg", b"x", "image/jpeg"))],
    )
    assert field.status_code == 400
    assert field.json()["error"] == "unknown-field"
    assert "`pictures`" in field.json()["message"]
    not_a_form = post(
        "/api/v1/requirements/summary/submissions", headers=portal.auth("east"), json={}
    )
    assert not_a_form.status_code == 400
    with open_ledger(portal.db) as ledger:
        assert ledger.submissions("mini") == []


def test_a_file_over_its_cap_is_413_and_nothing_is_stored(portal: Portal, uploads: Path) -> None:
    answer = portal.hand_in(body=b"x" * 1_000_001)
    assert answer.status_code == 413
    assert answer.json()["error"] == "too-large"
    assert "larger than 1 MB" in answer.json()["message"]
    with open_ledger(portal.db) as ledger:
        assert ledger.submissions("mini") == []
    store = portal.store
    assert not store.exists() or not [p for p in store.rglob("*") if p.is_file()]
    assert list(uploads.iterdir()) == []


def test_an_upload_is_cut_off_while_it_streams(portal: Portal, uploads: Path) -> None:
    """50 MB against a 1 MB cap: the server stops reading a little after the first MB."""
    pulled = 0
    chunk = b"x" * 65_536

    async def body() -> AsyncIterator[bytes]:
        nonlocal pulled
        head = (
            b'--B\r\nContent-Disposition: form-data; name="plan"; filename="big.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n"
        )
        yield head
        for _ in range(50_000_000 // len(chunk)):
            pulled += len(chunk)
            yield chunk
        yield b"\r\n--B--\r\n"

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=portal.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
            return await client.post(
                "/api/v1/requirements/summary/submissions",
                headers={**portal.auth("east"), "Content-Type": "multipart/form-data; boundary=B"},
                content=body(),
            )

    answer = asyncio.run(send())
    assert answer.status_code == 413
    assert 1_000_000 < pulled < 1_000_000 + 4 * len(chunk)
    assert list(uploads.iterdir()) == []
    with open_ledger(portal.db) as ledger:
        assert ledger.submissions("mini") == []


def test_a_staff_review_returns_the_hand_in_with_its_comment(portal: Portal) -> None:
    number = portal.hand_in().json()["id"]
    asked = {"state": "has_issues", "comment": "Sign page 2.", "resubmit_by": "2099-06-29"}
    answer = portal.client.post(
        f"/api/v1/submissions/{number}/review", headers=portal.auth("staff"), json=asked
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["state"], body["reviewer"], body["submission"]) == ("has_issues", "li.wei", number)
    assert body["resubmit_by"] == "2099-06-29"
    [duty] = portal.client.get("/api/v1/me", headers=portal.auth("east")).json()["duties"]
    assert (duty["state"], duty["comment"]) == ("returned", "Sign page 2.")
    assert duty["due"] == "2099-06-29T23:59:59+08:00"


def test_review_errors(portal: Portal) -> None:
    number = portal.hand_in().json()["id"]
    post = portal.client.post
    by_unit = post(
        f"/api/v1/submissions/{number}/review",
        headers=portal.auth("east"),
        json={"state": "approved"},
    )
    assert by_unit.status_code == 403
    bad = post(
        f"/api/v1/submissions/{number}/review",
        headers=portal.auth("staff"),
        json={"state": "fine", "resubmit_by": "2000-01-01"},
    )
    assert bad.status_code == 400
    assert {p["path"] for p in bad.json()["problems"]} == {"state", "resubmit_by"}
    for missing in ("999", "abc"):
        unknown = post(
            f"/api/v1/submissions/{missing}/review",
            headers=portal.auth("staff"),
            json={"state": "approved"},
        )
        assert unknown.status_code == 404
    not_json = post(
        f"/api/v1/submissions/{number}/review", headers=portal.auth("staff"), content=b"{"
    )
    assert not_json.status_code == 400


def test_a_unit_sees_its_page_and_never_anothers(portal: Portal) -> None:
    portal.hand_in("east")
    get = portal.client.get
    mine = get("/api/v1/units/east", headers=portal.auth("east"))
    assert mine.status_code == 200
    [handed] = mine.json()["submissions"]
    assert handed["receipt"]["files"][0]["name"] == "plan.txt"
    assert handed["reviews"] == []
    assert get("/api/v1/units/east", headers=portal.auth("staff")).status_code == 200
    theirs = get("/api/v1/units/east", headers=portal.auth("west"))
    assert theirs.status_code == 404
    assert "plan.txt" not in theirs.text
    assert get("/api/v1/units/nowhere", headers=portal.auth("staff")).status_code == 404


def test_downloads_are_for_staff_and_the_unit_itself(portal: Portal) -> None:
    number = portal.hand_in("east").json()["id"]
    url = f"/api/v1/submissions/{number}/files/plan/1"
    for who in ("east", "staff"):
        answer = portal.client.get(url, headers=portal.auth(who))
        assert answer.status_code == 200
        assert answer.content == PLAN
        assert answer.headers["content-type"] == "application/octet-stream"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["content-disposition"].startswith("attachment;")
    assert portal.client.get(url, headers=portal.auth("west")).status_code == 404
    assert portal.client.get(url).status_code == 401
    for other in (
        f"/api/v1/submissions/{number}/files/plan/2",
        "/api/v1/submissions/9/files/plan/1",
    ):
        assert portal.client.get(other, headers=portal.auth("staff")).status_code == 404


def test_a_files_name_cannot_inject_a_header() -> None:
    said = content_disposition('evil"\r\nSet-Cookie: a=b;.txt')
    assert "\r" not in said
    assert "\n" not in said
    assert said.startswith('attachment; filename="evil___Set-Cookie: a=b;.txt"')
    assert "filename*=UTF-8''evil%22%0D%0ASet-Cookie%3A%20a%3Db%3B.txt" in said
    assert content_disposition("计划.txt").endswith("filename*=UTF-8''%E8%AE%A1%E5%88%92.txt")


def test_a_unit_signs_for_its_notice_and_not_for_anothers(portal: Portal) -> None:
    number = portal.hand_in("east").json()["id"]
    portal.client.post(
        f"/api/v1/submissions/{number}/review",
        headers=portal.auth("staff"),
        json={"state": "rejected", "comment": "Wrong file."},
    )
    listed = portal.client.get("/api/v1/notices", headers=portal.auth("east")).json()["notices"]
    [notice] = listed
    assert (notice["kind"], notice["state"], notice["signed_at"]) == ("rejected", "pending", None)
    assert "Wrong file." in notice["text"]
    key = notice["key"]
    assert portal.client.get("/api/v1/notices", headers=portal.auth("west")).json() == {
        "notices": []
    }
    theirs = portal.client.post(f"/api/v1/notices/{key}/ack", headers=portal.auth("west"))
    assert theirs.status_code == 404
    signed = portal.client.post(f"/api/v1/notices/{key}/ack", headers=portal.auth("east"))
    assert signed.status_code == 200
    assert signed.json()["key"] == key
    [after] = portal.client.get("/api/v1/notices", headers=portal.auth("east")).json()["notices"]
    assert after["signed_at"] == signed.json()["signed_at"]
    staff = portal.client.post(f"/api/v1/notices/{key}/ack", headers=portal.auth("staff"))
    assert staff.status_code == 403


def test_every_response_says_nosniff_and_allows_no_inline_script(portal: Portal) -> None:
    for answer in (
        portal.client.get("/api/v1/healthz"),
        portal.client.get("/api/v1/me"),
        portal.client.get("/nowhere"),
    ):
        assert answer.headers["x-content-type-options"] == "nosniff"
        policy = answer.headers["content-security-policy"]
        assert "default-src 'none'" in policy
        assert "unsafe-inline" not in policy
        assert answer.headers["referrer-policy"] == "no-referrer"
    assert portal.client.get("/nowhere").json()["error"] == "not-found"


def test_the_access_log_never_shows_a_units_link() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/u/Q2t9secret?next=/x", "1.1", 200), None,
    )  # fmt: skip
    assert RedactTokens().filter(record)
    assert "Q2t9secret" not in record.getMessage()
    assert "/u/[redacted]?next=/x" in record.getMessage()
    assert (
        redact("/portal/u/abc/receipt?token=xyz") == "/portal/u/[redacted]/receipt?token=[redacted]"
    )
