"""A real SMTP server on 127.0.0.1 (aiosmtpd) that records what it receives.

Only loopback addresses are ever used. Passwords a test sets live in its environment and in
this server's memory, never in a file.
"""

from __future__ import annotations

import contextlib
import email
import socket
import ssl
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any, cast

import attrs
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

LOOPBACK = "127.0.0.1"


@attrs.frozen
class Received:
    """One message as the server got it: the envelope and the bytes of DATA."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    login: str | None
    tls: bool

    @property
    def message(self) -> EmailMessage:
        return cast(EmailMessage, email.message_from_bytes(self.data, policy=default_policy))


class Recorder:
    """An aiosmtpd handler: keeps every message and every login; refuses chosen recipients.

    :param refuse: recipient address → the reply to give it, such as ``550 5.1.1 ...``.
    :param users: login → password the server accepts (AUTH PLAIN and LOGIN).
    """

    def __init__(
        self, refuse: dict[str, str] | None = None, users: dict[str, str] | None = None
    ) -> None:
        self.refuse = refuse or {}
        self.users = users or {}
        self.received: list[Received] = []
        self.logins: list[tuple[str, str, str]] = []  # mechanism, login, password
        self.lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        auth = session.auth_data
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        transport = server.transport
        tls = transport is not None and transport.get_extra_info("ssl_object") is not None
        with self.lock:
            self.received.append(
                Received(
                    envelope.mail_from,
                    tuple(envelope.rcpt_tos),
                    bytes(envelope.original_content or envelope.content),
                    login,
                    tls or session.ssl is not None,
                )
            )
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = data.login.decode(), data.password.decode()
        with self.lock:
            self.logins.append((mechanism, login, password))
        ok = self.users.get(login) == password
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (just now)."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def smtp_server(
    handler: Recorder,
    *,
    ssl_context: ssl.SSLContext | None = None,
    auth: bool = False,
    **smtp: Any,
) -> Iterator[int]:
    """Run an SMTP server for `handler` on 127.0.0.1 and yield its port.

    `ssl_context` makes it SMTPS (TLS from the first byte); `auth` lets it accept AUTH
    through `handler.authenticate`; other keywords go to ``aiosmtpd.smtp.SMTP`` (such as
    ``tls_context`` and ``require_starttls`` for STARTTLS).
    """
    if auth:
        smtp.setdefault("authenticator", handler.authenticate)
        smtp.setdefault("auth_require_tls", False)
    for attempt in range(5):
        controller = Controller(
            handler, hostname=LOOPBACK, port=free_port(), ssl_context=ssl_context, **smtp
        )
        try:
            controller.start()
            break
        except OSError:  # the port was taken between choosing and binding: choose again
            if attempt == 4:
                raise
    try:
        yield controller.port
    finally:
        controller.stop()


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections but never says a word: for timeouts."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        s.listen(8)
        yield int(s.getsockname()[1])
