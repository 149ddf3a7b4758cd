"""The pure parts: mobile numbers, splitting by bytes, Retry-After, and the table's checks."""

from __future__ import annotations

import email.utils

import pytest
from campaignkit_webhook.platforms import mobile_of, split_utf8
from campaignkit_webhook.send import retry_after

from campaignkit import loads_campaign

HEAD = """\
format = 1

[campaign]
id = "mini"
title = "Minimal campaign"
issued_on = 2020-05-22

[phases.month]
name = "Month"
start = 2020-06-01
end = 2020-06-30

[units.office]
name = "Office"
kind = "office"
"""


@pytest.mark.parametrize(("phone", "mobile"), [
    ("13800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("+86 138-0013-8000", "13800138000"),
    ("0086 19912345678", "19912345678"),
    ("(86)15012345678", "15012345678"),
    ("0755-88888888", None),
    ("12800138000", None),  # no mobile starts 12
    ("1380013800", None),
    ("138001380001", None),
    ("", None),
    (None, None),
])  # fmt: skip
def test_mobile_numbers(phone: str | None, mobile: str | None) -> None:
    assert mobile_of(phone) == mobile


@pytest.mark.parametrize(
    "text", ["", "a" * 10, "安" * 700, "😀" * 600, "ab安😀" * 400, "\n" * 5000]
)
@pytest.mark.parametrize("limit", [8, 2048, 4096])
def test_split_by_bytes_between_characters(text: str, limit: int) -> None:
    parts = split_utf8(text, limit)
    assert "".join(parts) == text
    assert all(len(p.encode()) <= limit for p in parts)
    assert all(p for p in parts) or parts == [""]
    shortest = (limit - 3) // 2 + 1  # a cut backs off at most 3 bytes, a line break to half
    assert all(len(p.encode()) >= shortest for p in parts[:-1]), "parts are not tiny"


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = 1_600_000_000.0
    assert retry_after("7", now) == 7.0
    assert retry_after(" 2.5 ", now) == 2.5
    assert retry_after(email.utils.formatdate(now + 90, usegmt=True), now) == 90.0
    assert retry_after(email.utils.formatdate(now - 90, usegmt=True), now) == 0.0
    assert retry_after("soon", now) is None
    assert retry_after(None, now) is None


@pytest.mark.parametrize(("table", "path", "severity", "words"), [
    (
        '[plugins.webhook.robots.r]\nflavor = "wecom"\nurl_env = "CAMPAIGNKIT_U"\nper_minute = 0\n',
        "plugins.webhook.robots.r.per_minute", "error", "at least 1",
    ),
    (
        '[plugins.webhook.robots.r]\nflavor = "wecom"\nurl_env = "CAMPAIGNKIT_U"\n'
        'secret_env = "CAMPAIGNKIT_S"\n',
        "plugins.webhook.robots.r.secret_env", "warning", "not signed",
    ),
    (
        '[plugins.webhook.robots.r]\nflavor = "feishu"\nurl_env = "CAMPAIGNKIT_U"\n'
        "markdown = true\n",
        "plugins.webhook.robots.r.markdown", "warning", "ignores it",
    ),
    (
        '[plugins.webhook.robots.r]\nflavor = "dingtalk"\nurl_env = "CAMPAIGNKIT_U"\n'
        'secret_env = "CAMPAIGNKIT_SEC12ab"\n',
        None, None, None,
    ),
    (
        '[plugins.webhook.robots.r]\nflavor = "dingtalk"\nurl_env = "CAMPAIGNKIT_U"\n'
        'secret_env = "SEC12ab"\n',
        "plugins.webhook.robots.r.secret_env", "error", "starts with CAMPAIGNKIT_",
    ),
    (
        '[plugins.webhook]\nflavor = "wecom"\nurl_env = "HOME"\n',
        "plugins.webhook.url_env", "error", "starts with CAMPAIGNKIT_",
    ),
    (
        '[plugins.webhook]\nurl_env = "CAMPAIGNKIT_U"\n',
        "plugins.webhook", "error", "missing: `flavor`",
    ),
    (
        '[plugins.webhook]\nflavor = "wecom"\nurl_env = "CAMPAIGNKIT_U"\n'
        '[plugins.webhook.robots.default]\nflavor = "wecom"\nurl_env = "CAMPAIGNKIT_V"\n',
        "plugins.webhook.robots.default", "error", "two robots",
    ),
    (
        "[plugins.webhook]\ntimeout_s = 0\n",
        "plugins.webhook.timeout_s", "error", "more than 0",
    ),
    (
        '[plugins.webhook.robots.r]\nflavor = "generic"\nurl_env = "MY-URL"\n',
        "plugins.webhook.robots.r.url_env", "error", "name of an environment variable",
    ),
])  # fmt: skip
def test_the_tables_checks(table, path, severity, words) -> None:
    loaded = loads_campaign(HEAD + "\n" + table)
    found = {p.path: p for p in loaded.problems}
    if path is None:
        assert found == {}
        return
    assert found[path].severity == severity
    assert words in found[path].message
    assert found[path].line is not None
