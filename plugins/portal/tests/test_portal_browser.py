"""The portal's walkthrough in a real browser: a unit hands in from its phone, the office
returns the hand-in with a comment, and the unit hands in again and is accepted.

`campaignkit serve` runs as a real server on 127.0.0.1, and Playwright drives the system's
Chromium (Debian's `chromium` package) by its executable path; it never downloads a browser.
The campaign is a district's, in Chinese. With ``CAMPAIGNKIT_SCREENSHOTS=DIR`` the key screens
are saved in DIR (docs/portal.md shows those in docs/images/portal, made with a CJK font such
as Debian's `fonts-wqy-microhei` installed); without it they go to the test's tmp_path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import campaignkit_portal
import httpx
import pytest

SOURCES = [
    Path(campaignkit_portal.__file__).parents[1],
    Path(__import__("campaignkit").__file__).parents[1],
]
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}  # units open their links in WeChat's browser
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS_ENV = "CAMPAIGNKIT_SCREENSHOTS"
MAX_SCREENSHOT = 150_000  # bytes, for the docs
PASSWORD = "安全生产 correct horse"

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="needs Chromium, and there is no `chromium` on PATH: `apt-get install chromium` "
        "(Debian; .ci/run installs it)",
    ),
    pytest.mark.slow,  # a server and a browser
]

CAMPAIGN = """\
format = 1

[campaign]
id = "futian-month"
title = "福田区“安全生产月”活动方案"
issued_on = {issued}
issued_by = "office"
timezone = "Asia/Shanghai"
language = "zh"

[phases.month]
name = "安全生产月"
start = {start}
end = {end}

[units.office]
name = "福田区安全生产委员会办公室"
kind = "office"

[units.futian-street]
name = "福田街道安全生产委员会"
kind = "street"
parent = "office"

[units.shatou]
name = "沙头街道安全生产委员会"
kind = "street"
parent = "office"

[groups]
streets = {{ kinds = ["street"] }}

[requirements.summary]
name = "报送“安全生产月”活动总结及照片"
assignees = ["streets"]
due = {due}

[[requirements.summary.deliverables]]
id = "report"
name = "活动总结"
kind = "document"
formats = ["pdf"]
max_size_mb = 20

[[requirements.summary.deliverables]]
id = "photos"
name = "活动照片"
kind = "photo"
formats = ["jpg"]
max_count = 3
max_size_mb = 10
"""


@attrs.frozen
class Dates:
    """The campaign's dates around today, so that its links are open and its deadline ahead."""

    today: dt.date

    def campaign(self) -> str:
        return CAMPAIGN.format(
            issued=self.today - dt.timedelta(days=10),
            start=self.today - dt.timedelta(days=5),
            end=self.today + dt.timedelta(days=60),
            due=self.due,
        )

    @property
    def due(self) -> dt.date:
        return self.today + dt.timedelta(days=30)

    @property
    def resubmit_by(self) -> dt.date:
        return self.today + dt.timedelta(days=40)


def pdf(text: str) -> bytes:
    """Enough of a PDF for the built-in probe, which reads its `%PDF-` header."""
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


def picture(size: tuple[int, int], image_format: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(out, format=image_format)
    return out.getvalue()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def campaignkit(env: dict[str, str], *args: object, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "campaignkit", *map(str, args)],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@attrs.frozen
class Portal:
    base: str
    link: str
    dates: Dates


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Portal]:
    """`campaignkit serve` over a fresh ledger, with futian-street's link and li.wei on the
    staff, until the test ends."""
    dates = Dates(dt.datetime.now(ZoneInfo("Asia/Shanghai")).date())
    plan = tmp_path / "futian-month.toml"
    plan.write_text(dates.campaign(), encoding="utf-8")
    db = tmp_path / "futian-month.db"
    env = {key: value for key, value in os.environ.items() if not key.startswith("CAMPAIGNKIT_")}
    env |= {
        "PYTHONPATH": os.pathsep.join(map(str, SOURCES)),
        "CAMPAIGNKIT_CACHE_DIR": str(tmp_path / "cache"),
        "CAMPAIGNKIT_PORTAL_SECRET": "browser-test-" + "s" * 32,
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    invited = campaignkit(
        env, "invite", plan, "--db", db, "--base-url", base, "--unit", "futian-street",
        "--format", "json",
    )  # fmt: skip
    [link] = json.loads(invited)
    campaignkit(env, "staff", "add", "li.wei", "--db", db, "--password-stdin", stdin=PASSWORD)
    serve = [sys.executable, "-m", "campaignkit", "serve", str(plan), "--db", str(db)]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*serve, "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, log.read_text()
                try:
                    if httpx.get(f"{base}/api/v1/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the portal did not answer within 60 s"
                time.sleep(0.1)  # a poll's pause, not a wait for something to happen
            yield Portal(base, link["url"], dates)
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@attrs.define
class Person:
    """One browser's session on the portal, and every request it made elsewhere."""

    page: Any
    base: str
    shots: Path
    elsewhere: list[str] = attrs.Factory(list)

    def text(self, selector: str = "main") -> str:
        return str(self.page.inner_text(selector))

    def fits(self) -> bool:
        """Whether the page fits its window's width, with nothing to scroll sideways to."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        return bool(width <= self.page.viewport_size["width"])

    def shoot(self, name: str, part: Any = None) -> Path:
        """Save the page, or a part of it (a locator), for the docs: a palette of 256
        colours, optimised."""
        from PIL import Image

        png = self.page.screenshot(full_page=True) if part is None else part.screenshot()
        with Image.open(io.BytesIO(png)) as image:
            small = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
        path = self.shots / f"{name}.png"
        small.save(path, optimize=True)
        assert path.stat().st_size < MAX_SCREENSHOT, (name, path.stat().st_size)
        return path


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    chosen = os.environ.get(SCREENSHOTS_ENV)
    folder = Path(chosen) if chosen else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def people(browser: Any, portal: Portal, shots: Path) -> Iterator[Any]:
    contexts: list[Any] = []

    def person(viewport: dict[str, int], **options: Any) -> Person:
        context = browser.new_context(
            viewport=viewport,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            service_workers="block",
            **options,
        )
        contexts.append(context)
        seen = Person(context.new_page(), portal.base, shots)

        def route(route: Any) -> None:
            if route.request.url.startswith(portal.base + "/"):
                route.continue_()
            else:
                seen.elsewhere.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        return seen

    yield person
    for context in contexts:
        context.close()


def hand_in(unit: Person, report: bytes, photos: list[tuple[str, bytes, str]]) -> None:
    """Fill the duty's form as a person does, and send it; the browser lands on the receipt."""
    form = unit.page.locator("section.duty form")
    form.locator("input[name=report]").set_input_files(
        {"name": "活动总结.pdf", "mimeType": "application/pdf", "buffer": report}
    )
    form.locator("input[name=photos]").set_input_files(
        [{"name": name, "mimeType": mime, "buffer": data} for name, data, mime in photos]
    )
    form.locator("input[name=liaison_name]").fill("王芳")
    form.locator("input[name=liaison_phone]").fill("13800000000")
    form.get_by_role("button", name="提交").click()
    unit.page.wait_for_url(re.compile(r"/unit/receipts/\d+$"))


def test_a_unit_hands_in_the_office_returns_it_and_the_unit_is_accepted(
    portal: Portal, people: Any
) -> None:
    due = f"{portal.dates.due} 23:59:59"
    resubmit_by = f"{portal.dates.resubmit_by} 23:59:59"
    report = pdf("futian street: summary of the safety month")
    photo = picture((1280, 960), "JPEG")

    # 1. The unit opens its link on its phone and sees its duty.
    unit = people(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    unit.page.goto(portal.link)
    assert unit.page.url == f"{portal.base}/unit"  # the token is gone from the address
    duties = unit.text()
    assert "我的任务" in duties
    assert "报送“安全生产月”活动总结及照片" in duties
    assert "待报送" in duties
    assert due in duties
    assert "福田街道安全生产委员会" in unit.text("nav")
    assert unit.fits()
    rules = unit.page.locator("ul.rules li").all_inner_texts()
    assert rules[:3] == ["格式: pdf", "数量: 至少 1", "单个文件上限（MB）: 20"]
    unit.shoot("unit-duties")

    # A good report and a PNG named .jpg: recorded, not accepted, and the reason says why.
    hand_in(unit, report, [("现场1.jpg", picture((64, 48), "PNG"), "image/jpeg")])
    verdict = unit.text()
    assert "未受理" in verdict
    assert "原因" in verdict
    [reason] = unit.page.locator("ul.reasons li").all_inner_texts()
    assert "现场1.jpg" in reason
    assert "jpg" in reason
    assert "png" in reason
    unit.shoot("unit-verdict")

    # A good set: accepted, on time, with the receipt's number and each file's SHA-256.
    unit.page.goto(f"{portal.base}/unit")
    hand_in(unit, report, [("现场1.jpg", photo, "image/jpeg")])
    receipt = unit.text()
    assert "已受理" in receipt
    assert "按时" in receipt
    assert "futian-month-000002" in receipt
    assert hashlib.sha256(report).hexdigest() in receipt
    assert hashlib.sha256(photo).hexdigest() in receipt
    assert str(len(photo)) in receipt
    unit.shoot("unit-receipt")

    # 2. The office signs in, finds the unit on the grid and returns its hand-in.
    staff = people(DESKTOP)
    staff.page.goto(f"{portal.base}/staff/login")
    staff.page.get_by_label("姓名").fill("li.wei")
    staff.page.get_by_label("密码").fill(PASSWORD)
    staff.page.get_by_role("button", name="登录").click()
    staff.page.wait_for_url(f"{portal.base}/staff")
    row = staff.page.locator("table.grid tbody tr", has_text="福田街道安全生产委员会")
    assert "按时" in row.inner_text()
    assert "待报送" in staff.text("table.grid")  # 沙头街道 has handed in nothing yet
    staff.shoot("staff-grid")

    row.get_by_role("link").click()
    staff.page.wait_for_url(f"{portal.base}/staff/units/futian-street")
    latest = staff.page.locator("section.hand-in").last
    assert latest.locator("h3").inner_text().startswith("#2 ")
    assert "活动总结.pdf" in latest.inner_text()
    latest.get_by_label("有问题（退回）").check()
    latest.locator("textarea[name=comment]").fill("请在总结第2页补充负责人签字后重新报送。")
    latest.locator("input[name=resubmit_by]").fill(portal.dates.resubmit_by.isoformat())
    latest.locator("input[name=resubmit_by]").blur()
    staff.shoot("staff-review", latest)
    latest.get_by_role("button", name="保存审核").click()
    staff.page.wait_for_url(f"{portal.base}/staff/units/futian-street")
    reviewed = staff.page.locator("section.hand-in").last.inner_text()
    assert "请在总结第2页补充负责人签字后重新报送。" in reviewed
    assert "li.wei" in reviewed

    # 3. The unit reloads: returned, with the comment and its new deadline; it hands in again.
    unit.page.goto(f"{portal.base}/unit")
    returned = unit.text()
    assert "退回修改" in returned
    assert "请在总结第2页补充负责人签字后重新报送。" in returned
    assert resubmit_by in returned
    unit.shoot("unit-returned")

    signed = pdf("futian street: summary of the safety month, signed on page 2")
    hand_in(unit, signed, [("现场1.jpg", photo, "image/jpeg")])
    again = unit.text()
    assert "已受理" in again
    assert "futian-month-000003" in again
    assert hashlib.sha256(signed).hexdigest() in again
    unit.page.goto(f"{portal.base}/unit")
    assert "按时" in unit.text(".duty h2")
    assert "退回修改" not in unit.text()

    assert unit.elsewhere == []
    assert staff.elsewhere == []
    for name in ("unit-duties", "unit-verdict", "unit-receipt", "staff-grid", "staff-review"):
        assert (unit.shots / f"{name}.png").is_file()
