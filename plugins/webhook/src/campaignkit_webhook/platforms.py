"""What each platform's custom robot expects, and what its answers mean. No I/O here.

- WeCom (企业微信群机器人): ``{"msgtype": "text", "text": {"content", "mentioned_mobile_list"}}``
  or ``{"msgtype": "markdown", "markdown": {"content"}}``; content at most 2048 bytes of
  UTF-8 (markdown 4096); ``errcode`` 0 is success, 45009 the rate limit.
- DingTalk (钉钉自定义机器人): ``{"msgtype": "text", "text": {"content"}, "at": {"atMobiles",
  "isAtAll"}}``; signed with ``timestamp`` (ms) and ``sign`` query parameters; ``errcode``
  0 is success, 130101 the rate limit.
- Feishu (飞书自定义机器人): ``{"msg_type": "text", "content": {"text"}}``, signed with
  ``timestamp`` (s) and ``sign`` in the body; ``code`` 0 is success, 11232 the rate limit.
- generic: the notification as JSON; any 2xx is success.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from typing import Any
from urllib.parse import quote_plus, urlsplit

import attrs

from campaignkit import Notification

MOBILE = re.compile(r"1[3-9]\d{9}")
"""A mainland China mobile number: 11 digits, starting 13–19."""

# Bytes of UTF-8 content per message. WeCom's are the platform's documented limits; DingTalk
# and Feishu refuse a request body over 20 KB, so their parts leave room for the JSON around.
TEXT_LIMITS = {"wecom": 2048, "dingtalk": 18000, "feishu": 16000}
MARKDOWN_LIMITS = {"wecom": 4096, "dingtalk": 18000}

# Answers that mean "too many messages, try later", and "busy, try later".
RATE_LIMITED = {"wecom": {45009}, "dingtalk": {130101, 410100}, "feishu": {11232}}
BUSY = {"wecom": {-1, 45033}, "dingtalk": {-1}, "feishu": set[int]()}


def mobile_of(phone: str | None) -> str | None:
    """The mobile number in a contact's `phone`, or None when it is not one.

    Spaces, dashes and brackets are ignored, and a ``+86``/``0086``/``86`` prefix dropped:
    ``+86 138-0013-8000`` is ``13800138000``; ``0755-88888888`` is not a mobile.
    """
    if not phone:
        return None
    digits = re.sub(r"[\s\-()]", "", phone)
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    return digits if MOBILE.fullmatch(digits) else None


def split_utf8(text: str, limit: int) -> list[str]:
    """`text` in parts of at most `limit` bytes of UTF-8, cut between characters.

    A part ends after a line break where one falls in the second half of the part, so
    paragraphs stay whole where they can. The parts joined are the text.
    """
    data = text.encode("utf-8")
    parts: list[str] = []
    while len(data) > limit:
        cut = limit
        while cut > 0 and data[cut] & 0xC0 == 0x80:  # inside a character: back off
            cut -= 1
        newline = data.rfind(b"\n", 0, cut)
        if newline >= cut // 2:
            cut = newline + 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
    parts.append(data.decode("utf-8"))
    return parts


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}"))."""
    mac = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def dingtalk_url(url: str, secret: str, timestamp_ms: int) -> str:
    """The robot's URL with ``&timestamp=…&sign=…`` appended, the sign URL-encoded."""
    sign = quote_plus(dingtalk_sign(secret, timestamp_ms))
    sep = "&" if urlsplit(url).query else ("" if url.endswith("?") else "?")
    return f"{url}{sep}timestamp={timestamp_ms}&sign={sign}"


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's 签名校验: base64(HMAC-SHA256(key="{timestamp}\\n{secret}", msg=b""))."""
    mac = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def generic_signature(secret: str, timestamp_s: int, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``"{timestamp}."`` + body, keyed by the secret."""
    mac = hmac.new(secret.encode(), f"{timestamp_s}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def messages(
    flavor: str, notification: Notification, *, markdown: bool, mobile: str | None
) -> list[dict[str, Any]]:
    """The payloads that carry one notification, in order, before any signature.

    A long text is split into several messages; the @-mention goes with the first.
    """
    text = notification.text
    if flavor == "generic":
        return [notification.as_json()]
    if flavor == "wecom":
        if markdown:
            parts = split_utf8(text, MARKDOWN_LIMITS["wecom"])
            return [{"msgtype": "markdown", "markdown": {"content": p}} for p in parts]
        out: list[dict[str, Any]] = []
        for i, part in enumerate(split_utf8(text, TEXT_LIMITS["wecom"])):
            body: dict[str, Any] = {"content": part}
            if mobile and i == 0:
                body["mentioned_mobile_list"] = [mobile]
            out.append({"msgtype": "text", "text": body})
        return out
    if flavor == "dingtalk":
        # DingTalk shows an @ only where the content names the mobile: "@13800138000".
        mention = f"\n@{mobile}" if mobile else ""
        limit = (MARKDOWN_LIMITS if markdown else TEXT_LIMITS)["dingtalk"] - len(mention)
        out = []
        for i, part in enumerate(split_utf8(text, limit)):
            at = {"atMobiles": [mobile] if mobile and i == 0 else [], "isAtAll": False}
            content = part + mention if i == 0 else part
            if markdown:
                title = (text.strip().splitlines() or [notification.kind])[0][:64]
                out.append(
                    {"msgtype": "markdown", "markdown": {"title": title, "text": content}, "at": at}
                )
            else:
                out.append({"msgtype": "text", "text": {"content": content}, "at": at})
        return out
    if flavor == "feishu":
        parts = split_utf8(text, TEXT_LIMITS["feishu"])
        return [{"msg_type": "text", "content": {"text": p}} for p in parts]
    raise ValueError(f"unknown robot flavour {flavor!r}")


@attrs.frozen
class Answer:
    """What a robot's answer means."""

    ok: bool
    retryable: bool = False
    rate_limited: bool = False
    detail: str = ""


def read_answer(flavor: str, status: int, body: bytes) -> Answer:
    """Judge a robot's HTTP answer: success, worth retrying, or refused for good."""
    if status == 429:
        return Answer(False, retryable=True, rate_limited=True, detail="HTTP 429 Too Many Requests")
    if status == 408 or status >= 500:
        return Answer(False, retryable=True, detail=f"HTTP {status}")
    if not 200 <= status < 300:
        return Answer(False, detail=f"HTTP {status}")
    if flavor == "generic":
        return Answer(True)
    try:
        data = json.loads(body)
    except ValueError:
        return Answer(
            False, retryable=True, detail=f"HTTP {status} with an answer that is not JSON"
        )
    if not isinstance(data, dict):
        return Answer(False, retryable=True, detail="an answer that is not a JSON object")
    if flavor == "feishu":
        code = data.get("code", data.get("StatusCode"))
        message = data.get("msg", data.get("StatusMessage", ""))
    else:
        code = data.get("errcode")
        message = data.get("errmsg", "")
    if code == 0:
        return Answer(True)
    detail = f"error code {code}: {message}" if message else f"error code {code}"
    if code in RATE_LIMITED.get(flavor, ()):
        return Answer(False, retryable=True, rate_limited=True, detail=detail)
    if code in BUSY.get(flavor, ()):
        return Answer(False, retryable=True, detail=detail)
    if not isinstance(code, int):
        return Answer(False, retryable=True, detail="an answer without an error code")
    return Answer(False, detail=detail)
