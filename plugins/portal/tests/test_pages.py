"""The portal's pages through Starlette's TestClient: a unit's link, duties, hand-in and
receipt; the staff's sign-in, grid and review; sessions, CSRF and who may see what."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import campaignkit_portal
import httpx
import pytest
from campaignkit_portal.app import create_app
from campaignkit_portal.passwords import hash_password
from portal_campaign import PLAN as PLAN_TABLE
from portal_campaign import SUMMARY, campaign_text
from starlette.testclient import TestClient

from campaignkit import PluginHost, add_staff, issue_unit_tokens, load_campaign, open_ledger

CAMPAIGN = (
    SUMMARY
    + PLAN_TABLE
    + """
[[requirements.summary.deliverables]]
id = "photo"
name = "A photo"
kind = "photo"
formats = ["jpg"]
min_count = 0
"""
)
PLAN = b"Evacuation plan: assemble at the east gate.\n"
PASSWORD = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2099, 6, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


class Site:
    """A portal over a fresh ledger: a link for east and west, and li.wei on the staff."""

    def __init__(
        self, tmp_path: Path, host: PluginHost, db: str | Path, *, east: str, language: str
    ) -> None:
        self.file = tmp_path / "mini.toml"
        text = campaign_text(CAMPAIGN, east=east, language=language)
        self.file.write_text(text, encoding="utf-8")
        self.db = db
        campaign = load_campaign(self.file, host=host).unwrap()
        now = dt.datetime.now(dt.UTC)
        with open_ledger(self.db) as ledger:
            east_link, west_link = issue_unit_tokens(campaign, ledger, ["east", "west"], now=now)
            add_staff(ledger, "li.wei", hash_password(PASSWORD), now=now)
        self.links = {"east": east_link.token, "west": west_link.token}
        self.clock = Clock()
        self.app = create_app(self.file, self.db, host=host, secret="s" * 32, clock=self.clock)

    def browser(self) -> TestClient:
        return TestClient(self.app, follow_redirects=False)


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def open_link(client: TestClient, token: str) -> httpx.Response:
    opened = client.get(f"/u/{token}")
    assert opened.status_code == 303
    assert opened.headers["location"] == "/unit"
    return client.get("/unit")


def sign_in(client: TestClient, name: str = "li.wei", password: str = PASSWORD) -> httpx.Response:
    form = client.get("/staff/login")
    data = {"csrftoken": csrf(form), "name": name, "password": password}
    return client.post("/staff/login", data=data)


@pytest.fixture
def site(
    tmp_path: Path,
    plugin_host: PluginHost,
    register_plugin: Callable[..., Any],
    ledger_target: str | Path,
) -> Iterator[Site]:
    register_plugin(campaignkit_portal, name="portal")
    east = "East <script>alert(1)</script>"
    made = Site(tmp_path, plugin_host, ledger_target, east=east, language="")
    yield made
    made.app.state.portal.ledgers.close()  # the client ran no lifespan: its pool, if any


def hand_in(client: TestClient, page: httpx.Response, files: list[Any]) -> httpx.Response:
    # The token first, as the form has it: the CSRF check reads no further.
    return client.post(
        "/unit/requirements/summary",
        data={"csrftoken": csrf(page), "liaison_name": "Wang Fang"},
        files=files,
    )


def test_the_whole_walkthrough(site: Site) -> None:
    unit = site.browser()
    page = open_link(unit, site.links["east"])
    assert page.status_code == 200
    assert "Summary" in page.text
    assert "pending" in page.text
    assert "2099-06-28 23:59:59" in page.text
    assert site.links["east"] not in page.text

    bad = hand_in(
        unit,
        page,
        [
            ("plan", ("plan.txt", PLAN, "text/plain")),
            ("photo", ("photo.jpg", b"not a picture", "image/jpeg")),
        ],
    )
    assert bad.status_code == 303, bad.text
    receipt = unit.get(bad.headers["location"])
    assert receipt.status_code == 200
    assert "Not accepted" in receipt.text
    assert "photo.jpg" in receipt.text

    good = hand_in(unit, page, [("plan", ("plan.txt", PLAN, "text/plain"))])
    receipt = unit.get(good.headers["location"])
    assert "Accepted" in receipt.text
    assert "mini-000002" in receipt.text
    assert str(len(PLAN)) in receipt.text
    assert hashlib.sha256(PLAN).hexdigest() in receipt.text

    staff = site.browser()
    assert sign_in(staff).headers["location"] == "/staff"
    grid = staff.get("/staff")
    assert grid.status_code == 200
    assert "on time" in grid.text
    east = staff.get("/staff/units/east")
    assert "plan.txt" in east.text
    assert "/api/v1/submissions/2/files/plan/1" in east.text
    download = staff.get("/api/v1/submissions/2/files/plan/1")
    assert download.status_code == 200
    assert download.content == PLAN
    returned = staff.post(
        "/staff/submissions/2/review",
        data={
            "csrftoken": csrf(east),
            "state": "has_issues",
            "comment": "Sign page 2.",
            "resubmit_by": "2099-06-29",
        },
    )
    assert returned.status_code == 303
    assert returned.headers["location"] == "/staff/units/east"
    assert "Sign page 2." in staff.get("/staff/units/east").text

    page = unit.get("/unit")
    assert "Sign page 2." in page.text
    assert "returned" in page.text
    assert "2099-06-29 23:59:59" in page.text
    again = hand_in(unit, page, [("plan", ("plan.txt", PLAN + b"Signed.\n", "text/plain"))])
    assert "Accepted" in unit.get(again.headers["location"]).text
    assert "on time" in unit.get("/unit").text


def test_a_bad_link_sets_nothing(site: Site) -> None:
    client = site.browser()
    answer = client.get("/u/not-a-token")
    assert answer.status_code == 404
    assert "This link is not valid" in answer.text
    assert "campaignkit_portal=" not in answer.headers.get("set-cookie", "")
    assert client.get("/unit").status_code == 403


def test_a_post_without_a_valid_csrf_token_is_403(site: Site) -> None:
    unit = site.browser()
    open_link(unit, site.links["east"])
    answer = unit.post("/unit/notices/sign", data={"key": "x"})
    assert answer.status_code == 403
    answer = unit.post("/unit/notices/sign", data={"csrftoken": "forged", "key": "x"})
    assert answer.status_code == 403
    login = site.browser().post("/staff/login", data={"name": "li.wei", "password": PASSWORD})
    assert login.status_code == 403


def test_a_unit_sees_only_its_own_receipts(site: Site) -> None:
    east = site.browser()
    page = open_link(east, site.links["east"])
    mine = hand_in(east, page, [("plan", ("plan.txt", PLAN, "text/plain"))])
    west = site.browser()
    open_link(west, site.links["west"])
    assert west.get(mine.headers["location"]).status_code == 404
    assert west.get("/api/v1/submissions/1/files/plan/1").status_code == 404
    assert west.get("/staff/units/east").headers["location"] == "/staff/login"
    assert west.get("/staff/export/json").headers["location"] == "/staff/login"


def test_a_name_with_a_script_is_shown_as_text(site: Site) -> None:
    unit = site.browser()
    page = open_link(unit, site.links["east"])
    hand_in(unit, page, [("plan", ("<script>x</script>.txt", PLAN, "text/plain"))])
    assert "<script>" not in page.text
    assert "&lt;script&gt;" in page.text
    staff = site.browser()
    sign_in(staff)
    for address in ("/staff", "/staff/units/east"):
        shown = staff.get(address)
        assert "<script>" not in shown.text
        assert "&lt;script&gt;" in shown.text


def test_every_page_sends_the_security_headers(site: Site) -> None:
    client = site.browser()
    for address in ("/staff/login", "/u/nothing", "/unit", "/static/portal.css"):
        answer = client.get(address)
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'none'" in answer.headers["content-security-policy"]
    cookie = client.get(f"/u/{site.links['east']}").headers["set-cookie"]
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()


def test_failed_sign_ins_are_rate_limited(site: Site) -> None:
    staff = site.browser()
    for _ in range(5):
        assert sign_in(staff, password="wrong").status_code == 401
    assert sign_in(staff).status_code == 429
    site.clock.now += dt.timedelta(minutes=16)
    assert sign_in(staff).status_code == 303


def worker(site: Site, plugin_host: PluginHost, secret: str = "s" * 32) -> TestClient:
    """Another worker of the same portal: its own app (and memory) over the same ledger,
    with the secret every worker shares (``CAMPAIGNKIT_PORTAL_SECRET``)."""
    app = create_app(site.file, site.db, host=plugin_host, secret=secret, clock=site.clock)
    return TestClient(app, follow_redirects=False)


def test_workers_count_the_same_failed_sign_ins(site: Site, plugin_host: PluginHost) -> None:
    first, second = site.browser(), worker(site, plugin_host)
    for client in (first, second, first, second):
        assert sign_in(client, password="wrong").status_code == 401
    assert sign_in(first, password="wrong").status_code == 401  # the fifth, on either
    for client in (first, second, worker(site, plugin_host)):
        assert sign_in(client).status_code == 429
    site.clock.now += dt.timedelta(minutes=16)
    assert sign_in(second).status_code == 303


def test_failures_older_than_the_window_are_not_counted(
    site: Site, plugin_host: PluginHost
) -> None:
    first, second = site.browser(), worker(site, plugin_host)
    for client in (first, second, first, second):
        assert sign_in(client, password="wrong").status_code == 401
    site.clock.now += dt.timedelta(minutes=15)
    assert sign_in(second, password="wrong").status_code == 401
    assert sign_in(first).status_code == 303


def test_a_session_started_on_one_worker_is_honoured_by_another(
    site: Site, plugin_host: PluginHost
) -> None:
    first, second = site.browser(), worker(site, plugin_host)
    assert sign_in(first).status_code == 303
    second.cookies.update(first.cookies)
    assert second.get("/staff").status_code == 200
    unit, other = site.browser(), worker(site, plugin_host)
    page = open_link(unit, site.links["east"])
    other.cookies.update(unit.cookies)
    handed = hand_in(other, page, [("plan", ("plan.txt", PLAN, "text/plain"))])
    assert handed.status_code == 303  # the CSRF token of one worker's form, on another
    assert "Accepted" in unit.get(handed.headers["location"]).text  # and back on the first
    stranger = worker(site, plugin_host, secret="t" * 32)  # a worker not told the secret
    stranger.cookies.update(first.cookies)
    assert stranger.get("/staff").headers["location"] == "/staff/login"


def test_the_staff_export_a_report_and_read_the_audit_log(site: Site) -> None:
    staff = site.browser()
    sign_in(staff)
    answer = staff.get("/staff/export/json")
    assert answer.status_code == 200
    assert 'filename="mini.json"' in answer.headers["content-disposition"]
    assert staff.get("/staff/export/nothing").status_code == 404
    audit = staff.get("/staff/audit")
    assert audit.status_code == 200
    assert "add-staff" in audit.text


def test_the_unit_and_the_staff_see_an_extension_and_an_exemption(site: Site) -> None:
    from campaignkit import exempt, extend

    campaign = load_campaign(site.file).unwrap()
    now = dt.datetime.now(dt.UTC)
    with open_ledger(site.db) as ledger:
        extend(campaign, ledger, "east", "summary", "2099-07-10", "flood", "li.wei", now=now)
        exempt(campaign, ledger, "west", "summary", "merged", "li.wei", now=now)
    page = open_link(site.browser(), site.links["east"])
    assert "2099-07-10 23:59:59 CST (Extended to 2099-07-10)" in page.text
    west = open_link(site.browser(), site.links["west"])
    assert "exempted you from this requirement" in west.text
    staff = site.browser()
    sign_in(staff)
    grid = staff.get("/staff").text
    assert "Extended to 2099-07-10" in grid
    assert '<span class="status status-exempt">exempt</span>' in grid


def test_staff_extend_and_exempt_a_unit_from_its_page(site: Site) -> None:
    staff = site.browser()
    sign_in(staff)
    page = staff.get("/staff/units/east")
    form = {"csrftoken": csrf(page), "requirement": "summary", "until": "2099-07-10"}
    refused = staff.post("/staff/units/east/allowances", data={**form, "action": "extend"})
    assert refused.status_code == 400
    assert "a reason is required" in refused.text
    done = staff.post(
        "/staff/units/east/allowances", data={**form, "action": "extend", "reason": "flood"}
    )
    assert done.status_code == 303
    assert "(Extended to 2099-07-10)" in staff.get("/staff/units/east").text
    exempted = {**form, "action": "exempt", "reason": "merged"}
    assert staff.post("/staff/units/west/allowances", data=exempted).status_code == 303
    with open_ledger(site.db) as ledger:
        actions = [(e.actor, e.action, e.subject) for e in ledger.audit("mini")]
    assert actions[-2:] == [
        ("li.wei", "extend", "east/summary"),
        ("li.wei", "exempt", "west/summary"),
    ]
    revoke = {**form, "action": "revoke-extension"}
    assert staff.post("/staff/units/east/allowances", data=revoke).status_code == 303
    assert "Extended to" not in staff.get("/staff/units/east").text


def test_a_unit_asks_for_more_time_and_the_staff_grant_it(site: Site) -> None:
    unit = site.browser()
    page = open_link(unit, site.links["east"])
    asked = {"csrftoken": csrf(page), "until": "2099-07-10", "reason": "flood"}
    assert unit.post("/unit/requirements/summary/extension", data=asked).status_code == 303
    waiting = unit.get("/unit").text
    assert "You asked for more time, until 2099-07-10" in waiting
    staff = site.browser()
    sign_in(staff)
    page = staff.get("/staff/units/east")
    assert "Requests for more time" in page.text
    grant = {"csrftoken": csrf(page), "requirement": "summary", "until": "2099-07-10"}
    done = staff.post(
        "/staff/units/east/allowances", data={**grant, "reason": "flood", "action": "extend"}
    )
    assert done.status_code == 303
    assert "Requests for more time" not in staff.get("/staff/units/east").text
    assert "(Extended to 2099-07-10)" in unit.get("/unit").text


def test_a_chinese_campaign_speaks_chinese(
    tmp_path: Path, plugin_host: PluginHost, register_plugin: Callable[..., Any]
) -> None:
    register_plugin(campaignkit_portal, name="portal")
    site = Site(
        tmp_path, plugin_host, tmp_path / "mini.db", east="东区", language='language = "zh"'
    )
    unit = site.browser()
    assert "链接" in unit.get("/u/nothing").text
    page = open_link(unit, site.links["east"])
    assert "东区" in page.text
    assert "我的任务" in page.text
    assert "回执" not in page.text


def test_the_readme_speaks_of_the_pages_as_there() -> None:
    readme = Path(__file__).parents[1] / "README.md"
    text = " ".join(readme.read_text(encoding="utf-8").split())
    assert "come next" not in text
    assert "/staff/login" in text
    assert "A unit opens its link" in text
