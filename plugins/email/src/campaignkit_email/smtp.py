"""Sending over SMTP: one connection, reused while it lives; failures as `DeliveryError`.

The server, its port, the login and the password are read from the environment when a
connection is opened, only from variables that start with ``CAMPAIGNKIT_``; the login and
password are used for ``AUTH`` and dropped, never stored, printed or put in an error message.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
from collections.abc import Callable, Mapping

from campaignkit.model import Campaign, Contact
from campaignkit.notify import Notification
from campaignkit.records import DeliveryError

from .message import compose
from .settings import OPERATOR_ENV, SECTION, EmailSettings, is_loopback, parse_address


class Mailer:
    """Delivers notifications of one campaign through the server in its settings.

    :param environ: where the ``*_env`` variables are looked up (default: the process's).
    :param ssl_context: how the server's certificate is checked (default: the system's
        trusted authorities, host name checked).
    :param now: the clock for the ``Date`` header.
    """

    def __init__(
        self,
        settings: EmailSettings,
        campaign: Campaign,
        *,
        environ: Mapping[str, str] | None = None,
        ssl_context: ssl.SSLContext | None = None,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.settings = settings
        self.campaign = campaign
        self._environ = os.environ if environ is None else environ
        self._ssl_context = ssl_context
        self._now = now
        self._smtp: smtplib.SMTP | None = None
        self._server = ""

    # -- the one public operation -----------------------------------------------------
    def deliver(self, notification: Notification, address: str | None) -> None:
        """Send `notification` to `address`, or to the addressee's ``contact.email``."""
        to = self.recipient(notification, address)
        now = self._now() if self._now is not None else None
        msg = compose(self.campaign, self.settings, notification, to, now=now)
        sender = parse_address(self.settings.sender)
        if sender is None:
            raise DeliveryError(
                f"[plugins.{SECTION}] sender is not one e-mail address", retryable=False
            )
        try:
            smtp = self._connection()
            smtp.send_message(msg, from_addr=sender.addr_spec, to_addrs=[to])
        except Exception as error:
            # Say QUIT to a server that answered; a silent or broken one is just dropped.
            self.close(polite=isinstance(error, smtplib.SMTPResponseException))
            failure = self._failure(error, to)
            if self._secret() and self._secret() in str(error):
                raise failure from None  # keep the password out of tracebacks too
            raise failure from error

    def recipient(self, notification: Notification, address: str | None) -> str:
        """The unit's address on this channel; when that is empty, its liaison's e-mail.

        The liaison is the contact delivery attached to the notification (details a unit
        submitted win over the plan's), else the addressee's ``contact`` in the campaign.
        """
        given = (address or "").strip()
        where = f"units.{notification.to}.channels.{SECTION}"
        if not given:
            unit = self.campaign.units.get(notification.to)
            contacts: list[Contact | None] = [
                getattr(notification, "contact", None),
                unit.contact if unit is not None else None,
            ]
            emails = [(c.email or "").strip() for c in contacts if c is not None]
            given = next((e for e in emails if e), "")
            where = f"the contact e-mail of unit `{notification.to}`"
        if not given:
            raise DeliveryError(
                f"unit `{notification.to}` has no e-mail address (neither "
                f"units.{notification.to}.channels.{SECTION} nor its contact.email)",
                retryable=False,
            )
        parsed = parse_address(given)
        if parsed is None:
            raise DeliveryError(f"{where}: `{given}` is not an e-mail address", retryable=False)
        return parsed.addr_spec

    def close(self, *, polite: bool = True) -> None:
        """End the connection, if one is open (with QUIT when `polite`); never raises."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            if polite:
                smtp.quit()
        except Exception:  # the connection is gone already: nothing to say goodbye to
            pass
        finally:
            smtp.close()

    # -- the connection ---------------------------------------------------------------
    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            try:
                alive = self._smtp.noop()[0] == 250
            except Exception:  # the server hung up while idle: open a new connection
                alive = False
            if alive:
                return self._smtp
            self.close()
        self._smtp = self._connect()
        return self._smtp

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        host, port = self._host_and_port()
        self._server = f"{host}:{port}"
        login = self._login()
        if login is not None and not (s.ssl or s.use_starttls) and not is_loopback(host):
            raise DeliveryError(
                f"refusing to send the SMTP password to {self._server} unencrypted: "
                f"set starttls = true or ssl = true in [plugins.{SECTION}]",
                retryable=False,
            )
        context = self._ssl_context or ssl.create_default_context()
        smtp: smtplib.SMTP
        if s.ssl:
            smtp = smtplib.SMTP_SSL(host, port, timeout=s.timeout_s, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=s.timeout_s)
        try:
            smtp.set_debuglevel(0)  # debug output would show the AUTH exchange
            if s.use_starttls and not s.ssl:
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(
                        f"{self._server} does not offer STARTTLS; "
                        f"set starttls = false in [plugins.{SECTION}] only for a trusted network",
                        retryable=False,
                    )
                smtp.starttls(context=context)
                smtp.ehlo()
            if login is not None:
                smtp.login(*login)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _host_and_port(self) -> tuple[str, int]:
        s = self.settings
        # Checked again here, not only by `validate`: these settings may not come from a
        # campaign file that was validated.
        for key in ("host", "port"):
            if getattr(s, key) is not None:
                raise DeliveryError(
                    f"[plugins.{SECTION}] names the SMTP server's `{key}`, which only the "
                    "environment may give: nothing was sent",
                    retryable=False,
                )
        host = self._variable("host_env").strip()
        if not host:
            raise DeliveryError(
                f"no SMTP server: environment variable {s.host_env} is not set",
                retryable=False,
            )
        port = s.default_port
        text = self._variable("port_env").strip()
        if text:
            if not text.isdigit() or not 0 < int(text) < 65536:
                raise DeliveryError(
                    f"environment variable {s.port_env} is not a port number", retryable=False
                )
            port = int(text)
        return host, port

    def _login(self) -> tuple[str, str] | None:
        """(user, password) from the environment, or None when neither variable is set."""
        s = self.settings
        user, password = self._variable("username_env"), self._variable("password_env")
        if not user and not password:
            return None
        for key, name, value in (
            ("username_env", s.username_env, user),
            ("password_env", s.password_env, password),
        ):
            if not value:
                raise DeliveryError(
                    f"environment variable {name} ({key} of [plugins.{SECTION}]) "
                    "is not set or empty, and a login needs both",
                    retryable=False,
                )
        return user, password

    def _variable(self, key: str) -> str:
        """The value of the variable that setting `key` names ("" when unset).

        A name that does not start with CAMPAIGNKIT_ is refused before anything is read:
        a campaign file must not choose which of the machine's secrets go out.
        """
        name: str = getattr(self.settings, key)
        if not OPERATOR_ENV.fullmatch(name):
            # The name is not repeated: it may be a pasted secret.
            raise DeliveryError(
                f"`{key}` of [plugins.{SECTION}] does not name a variable that starts with "
                "CAMPAIGNKIT_: nothing was sent (`campaignkit validate` says more)",
                retryable=False,
            )
        return self._environ.get(name, "")

    # -- failures ---------------------------------------------------------------------
    def _failure(self, error: BaseException, to: str) -> DeliveryError:
        """`error` as a DeliveryError: 4xx replies and network trouble may pass, 5xx not."""
        if isinstance(error, DeliveryError):
            return self._scrub(error)
        server = self._server or "the SMTP server"
        retryable = True
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            code, refused = next(iter(error.recipients.values()), (-1, b""))
            message = f"{server} refused {to}: {code} {_text(refused)}"
            retryable = not 500 <= code < 600
        elif isinstance(error, smtplib.SMTPAuthenticationError):
            message = f"{server} refused the login: {error.smtp_code} {_text(error.smtp_error)}"
            retryable = not 500 <= error.smtp_code < 600
        elif isinstance(error, smtplib.SMTPResponseException):
            code = error.smtp_code
            message = f"{server} answered {code} {_text(error.smtp_error)}"
            retryable = not 500 <= code < 600
        elif isinstance(error, smtplib.SMTPNotSupportedError):
            message = f"{server} does not support what was asked: {error}"
            retryable = False
        elif isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
            # smtplib reports a timeout while reading a reply as a disconnection
            message = f"{server} did not answer within {self.settings.timeout_s:g} s"
        elif isinstance(error, smtplib.SMTPServerDisconnected):
            message = f"{server} closed the connection: {error}"
        elif isinstance(error, ssl.SSLError):
            message = f"TLS with {server} failed: {error}"
            # A certificate that does not verify, or TLS spoken to a plain port: retrying
            # without a change of settings would fail the same way.
            retryable = not (
                isinstance(error, ssl.SSLCertVerificationError)
                or error.reason in _TLS_MISCONFIGURED
            )
        elif isinstance(error, OSError):
            message = f"cannot reach {server}: {error.strerror or error}"
        else:
            message = f"sending to {server} failed: {type(error).__name__}: {error}"
        return self._scrub(DeliveryError(message, retryable=retryable))

    def _secret(self) -> str:
        name = self.settings.password_env
        return self._environ.get(name, "") if OPERATOR_ENV.fullmatch(name) else ""

    def _scrub(self, error: DeliveryError) -> DeliveryError:
        """Blank out the password wherever a server may have echoed it back."""
        secret, text = self._secret(), str(error)
        if not secret or secret not in text:
            return error
        return DeliveryError(
            text.replace(secret, "********"),
            retryable=error.retryable,
            retry_after=error.retry_after,
        )


# TLS spoken to a plain port (as OpenSSL 3.0 and later versions word it), or no common
# protocol version: the same settings would fail the same way next time.
_TLS_MISCONFIGURED = frozenset(
    {
        "WRONG_VERSION_NUMBER",
        "RECORD_LAYER_FAILURE",
        "PACKET_LENGTH_TOO_LONG",
        "UNSUPPORTED_PROTOCOL",
        "TLSV1_ALERT_PROTOCOL_VERSION",
    }
)


def _text(reply: bytes | str) -> str:
    if isinstance(reply, bytes):
        return reply.decode("utf-8", "replace")
    return reply
