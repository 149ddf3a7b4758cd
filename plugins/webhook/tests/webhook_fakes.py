"""A local HTTP server on 127.0.0.1 that answers like WeCom, DingTalk and Feishu custom robots
and a generic webhook: it checks keys, tokens, signatures, payload shapes and sizes the way
the platforms do, records what it accepted, and can be told how to answer the next request.

Its keys, tokens and secrets are random, made when it starts, and live only in this
process: tests hand them to the plugin through environment variables.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

WECOM_TEXT_LIMIT = 2048
WECOM_MARKDOWN_LIMIT = 4096
SIGNATURE_WINDOW_S = 3600


@dataclass
class Received:
    """One message a fake platform accepted."""

    platform: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Scripted:
    """An answer the next request gets instead of the platform's own."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    silent: bool = False
    """Say nothing until the fake platforms close: a robot that never answers in time."""


class FakePlatforms:
    """The four fake platforms behind one loopback server; use it as a context manager."""

    def __init__(self) -> None:
        self.wecom_key = str(uuid.uuid4())
        self.dingtalk_token = secrets.token_hex(32)
        self.dingtalk_secret = "SEC" + secrets.token_hex(32)
        self.feishu_token = str(uuid.uuid4())
        self.feishu_secret = secrets.token_urlsafe(24)
        self.generic_token = secrets.token_urlsafe(16)
        self.generic_secret = secrets.token_urlsafe(24)
        self.accepted: list[Received] = []
        self.requests = 0
        self.refusals: list[tuple[str, Any]] = []
        self.scripted: collections.deque[Scripted] = collections.deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self.server = _Server(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # -- life ---------------------------------------------------------------------------
    def __enter__(self) -> FakePlatforms:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        assert host == "127.0.0.1"
        return f"http://127.0.0.1:{port}"

    # The robots' webhook URLs, shaped like the platforms' own.
    @property
    def wecom_url(self) -> str:
        return f"{self.base}/cgi-bin/webhook/send?key={self.wecom_key}"

    @property
    def dingtalk_url(self) -> str:
        return f"{self.base}/robot/send?access_token={self.dingtalk_token}"

    @property
    def feishu_url(self) -> str:
        return f"{self.base}/open-apis/bot/v2/hook/{self.feishu_token}"

    @property
    def generic_url(self) -> str:
        return f"{self.base}/hooks/{self.generic_token}"

    @property
    def secrets(self) -> list[str]:
        """Everything that must never appear in an error message or a log."""
        return [
            self.wecom_key,
            self.dingtalk_token,
            self.dingtalk_secret,
            self.feishu_token,
            self.feishu_secret,
            self.generic_token,
            self.generic_secret,
        ]

    def script(
        self,
        status: int = 200,
        body: Any = None,
        headers: dict[str, str] | None = None,
        silent: bool = False,
    ) -> None:
        """Answer the next request like this, whatever it is (`silent`: only once the fake
        platforms close, long after any client gave up)."""
        self.scripted.append(Scripted(status, body, headers or {}, silent))

    def messages(self, platform: str) -> list[Any]:
        return [r.json for r in self.accepted if r.platform == platform]

    # -- the platforms ------------------------------------------------------------------
    def answer(
        self, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            self.requests += 1
            scripted = self.scripted.popleft() if self.scripted else None
        if scripted is not None:
            if scripted.silent:
                self._closing.wait()
            return scripted.status, scripted.body, scripted.headers
        if path == "/cgi-bin/webhook/send":
            platform, (status, answer) = "wecom", self.wecom(query, body)
        elif path == "/robot/send":
            platform, (status, answer) = "dingtalk", self.dingtalk(query, body)
        elif path.startswith("/open-apis/bot/v2/hook/"):
            platform, (status, answer) = "feishu", self.feishu(path, body)
        elif path.startswith("/hooks/"):
            platform, (status, answer) = "generic", self.generic(path, headers, body)
        else:
            return 404, {"error": "not found"}, {}
        ok = 200 <= status < 300 and answer.get("errcode", answer.get("code", 0)) == 0
        with self._lock:
            if ok:
                self.accepted.append(Received(platform, path, query, headers, body))
            else:
                self.refusals.append((platform, answer))
        return status, answer, {}

    def wecom(self, query: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        if query.get("key") != self.wecom_key:
            return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
        data = _json(body)
        kind = data.get("msgtype") if isinstance(data, dict) else None
        if kind not in ("text", "markdown") or set(data) != {"msgtype", kind}:
            return 200, {"errcode": 40008, "errmsg": "invalid message type"}
        message = data[kind]
        allowed = (
            {"content", "mentioned_list", "mentioned_mobile_list"}
            if kind == "text"
            else {"content"}
        )
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, str) or not content or not set(message) <= allowed:
            return 200, {"errcode": 44004, "errmsg": "empty content"}
        mobiles = message.get("mentioned_mobile_list", [])
        if not isinstance(mobiles, list) or not all(isinstance(m, str) for m in mobiles):
            return 200, {"errcode": 40058, "errmsg": "invalid mentioned_mobile_list"}
        limit = WECOM_TEXT_LIMIT if kind == "text" else WECOM_MARKDOWN_LIMIT
        if len(content.encode("utf-8")) > limit:
            return 200, {"errcode": 40058, "errmsg": f"content exceed max length {limit}"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    def dingtalk(self, query: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        if query.get("access_token") != self.dingtalk_token:
            return 200, {"errcode": 300001, "errmsg": "token is not exist"}
        timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
        if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3600_000:
            return 200, {"errcode": 310000, "errmsg": "invalid timestamp"}
        mac = hmac.new(
            self.dingtalk_secret.encode(),
            f"{timestamp}\n{self.dingtalk_secret}".encode(),
            hashlib.sha256,
        )
        if not hmac.compare_digest(base64.b64encode(mac.digest()).decode(), sign):
            return 200, {"errcode": 310000, "errmsg": "sign not match"}
        data = _json(body)
        kind = data.get("msgtype") if isinstance(data, dict) else None
        if kind == "text":
            ok = isinstance(data.get("text"), dict) and isinstance(data["text"].get("content"), str)
        elif kind == "markdown":
            markdown = data.get("markdown")
            ok = isinstance(markdown, dict) and all(
                isinstance(markdown.get(k), str) and markdown[k] for k in ("title", "text")
            )
        else:
            ok = False
        at = data.get("at", {}) if isinstance(data, dict) else None
        if not ok or not isinstance(at, dict) or not isinstance(at.get("atMobiles", []), list):
            return 200, {"errcode": 40035, "errmsg": "缺少参数 json"}
        return 200, {"errcode": 0, "errmsg": "ok"}

    def feishu(self, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        if path.rsplit("/", 1)[-1] != self.feishu_token:
            return 200, {
                "code": 19001,
                "msg": "param invalid: incoming webhook access token invalid",
            }
        data = _json(body)
        if not isinstance(data, dict):
            return 200, {"code": 9499, "msg": "Bad Request"}
        timestamp, sign = data.get("timestamp"), data.get("sign")
        mac = hmac.new(f"{timestamp}\n{self.feishu_secret}".encode(), b"", hashlib.sha256)
        expected = base64.b64encode(mac.digest()).decode()
        if (
            not isinstance(timestamp, str)
            or not timestamp.isdigit()
            or abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW_S
            or not isinstance(sign, str)
            or not hmac.compare_digest(expected, sign)
        ):
            return 200, {
                "code": 19021,
                "msg": "sign match fail or timestamp is not within one hour from current time",
            }
        content = data.get("content")
        if data.get("msg_type") != "text" or not isinstance(content, dict):
            return 200, {"code": 9499, "msg": "Bad Request"}
        if not isinstance(content.get("text"), str) or not content["text"]:
            return 200, {"code": 9499, "msg": "Bad Request"}
        return 200, {"code": 0, "msg": "success", "data": {}}

    def generic(
        self, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any]]:
        if path.rsplit("/", 1)[-1] != self.generic_token:
            return 404, {"error": "no such hook"}
        timestamp = headers.get("x-campaignkit-timestamp", "")
        mac = hmac.new(
            self.generic_secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
        )
        if headers.get("x-campaignkit-signature") != "sha256=" + mac.hexdigest():
            return 401, {"error": "bad signature"}
        if not isinstance(_json(body), dict):
            return 400, {"error": "not JSON"}
        return 202, {}


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: a client that gave up waiting (the timeout test) is not a server error."""


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError:
        return None


def _handler(platforms: FakePlatforms) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else each answer waits 40 ms for a delayed ACK

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer, extra = platforms.answer(url.path, query, headers, body)
            data = b"" if answer is None else json.dumps(answer, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Silent: a request line carries the robot's key."""

    return Handler
