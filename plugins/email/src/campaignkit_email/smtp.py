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

from campaignkit import Campaign, Contact, DeliveryError, Notification

from .message import compose
from .settings import OPERATOR_ENV, SECTION, EmailSettings, _, is_loopback, parse_address


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
    def deliver(
        self, notification: Notification, address: str | None, *, contact: Contact | None = None
    ) -> None:
        """Send `notification` to `address`, or, when that is empty, to its liaison officer:
        `contact` (the notifier passes ``context.contact``), else the unit's ``contact``."""
        to = self.recipient(notification, address, contact)
        now = self._now() if self._now is not None else None
        msg = compose(self.campaign, self.settings, notification, to, now=now)
        sender = parse_address(self.settings.sender)
        if sender is None:
            raise DeliveryError(
                _("[plugins.{section}] sender is not one e-mail address").format(section=SECTION),
                retryable=False,
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

    def recipient(
        self, notification: Notification, address: str | None, contact: Contact | None = None
    ) -> str:
        """The unit's address on this channel; when that is empty, its liaison's e-mail.

        The liaison is `contact`, the one delivery found for the addressee (details a unit
        submitted win over the plan's), else the addressee's ``contact`` in the campaign.
        """
        given = (address or "").strip()
        where = f"units.{notification.to}.channels.{SECTION}"
        if not given:
            unit = self.campaign.units.get(notification.to)
            contacts: list[Contact | None] = [
                contact,
                unit.contact if unit is not None else None,
            ]
            emails = [(c.email or "").strip() for c in contacts if c is not None]
            given = next((e for e in emails if e), "")
            where = _("the contact e-mail of unit `{unit}`").format(unit=notification.to)
        if not given:
            raise DeliveryError(
                _(
                    "unit `{unit}` has no e-mail address (neither "
                    "units.{unit}.channels.{section} nor its contact.email)"
                ).format(unit=notification.to, section=SECTION),
                retryable=False,
            )
        parsed = parse_address(given)
        if parsed is None:
            raise DeliveryError(
                _("{where}: `{address}` is not an e-mail address").format(
                    where=where, address=given
                ),
                retryable=False,
            )
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
                _(
                    "refusing to send the SMTP password to {server} unencrypted: "
                    "set starttls = true or ssl = true in [plugins.{section}]"
                ).format(server=self._server, section=SECTION),
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
                        _(
                            "{server} does not offer STARTTLS; set starttls = false in "
                            "[plugins.{section}] only for a trusted network"
                        ).format(server=self._server, section=SECTION),
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
                    _(
                        "[plugins.{section}] names the SMTP server's `{key}`, which only the "
                        "environment may give: nothing was sent"
                    ).format(section=SECTION, key=key),
                    retryable=False,
                )
        host = self._variable("host_env").strip()
        if not host:
            raise DeliveryError(
                _("no SMTP server: environment variable {variable} is not set").format(
                    variable=s.host_env
                ),
                retryable=False,
            )
        port = s.default_port
        text = self._variable("port_env").strip()
        if text:
            if not text.isdigit() or not 0 < int(text) < 65536:
                raise DeliveryError(
                    _("environment variable {variable} is not a port number").format(
                        variable=s.port_env
                    ),
                    retryable=False,
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
                    _(
                        "environment variable {variable} ({key} of [plugins.{section}]) "
                        "is not set or empty, and a login needs both"
                    ).format(variable=name, key=key, section=SECTION),
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
                _(
                    "`{key}` of [plugins.{section}] does not name a variable that starts with "
                    "CAMPAIGNKIT_: nothing was sent (`campaignkit validate` says more)"
                ).format(key=key, section=SECTION),
                retryable=False,
            )
        return self._environ.get(name, "")

    # -- failures ---------------------------------------------------------------------
    def _failure(self, error: BaseException, to: str) -> DeliveryError:
        """`error` as a DeliveryError: 4xx replies and network trouble may pass, 5xx not."""
        if isinstance(error, DeliveryError):
            return self._scrub(error)
        server = self._server or _("the SMTP server")
        retryable = True
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            code, refused = next(iter(error.recipients.values()), (-1, b""))
            message = _("{server} refused {address}: {reply}").format(
                server=server, address=to, reply=f"{code} {_text(refused)}"
            )
            retryable = not 500 <= code < 600
        elif isinstance(error, smtplib.SMTPAuthenticationError):
            message = _("{server} refused the login: {reply}").format(
                server=server, reply=f"{error.smtp_code} {_text(error.smtp_error)}"
            )
            retryable = not 500 <= error.smtp_code < 600
        elif isinstance(error, smtplib.SMTPResponseException):
            code = error.smtp_code
            message = _("{server} answered {reply}").format(
                server=server, reply=f"{code} {_text(error.smtp_error)}"
            )
            retryable = not 500 <= code < 600
        elif isinstance(error, smtplib.SMTPNotSupportedError):
            message = _("{server} does not support what was asked: {error}").format(
                server=server, error=error
            )
            retryable = False
        elif isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
            # smtplib reports a timeout while reading a reply as a disconnection
            message = _("{server} did not answer within {seconds} s").format(
                server=server, seconds=f"{self.settings.timeout_s:g}"
            )
        elif isinstance(error, smtplib.SMTPServerDisconnected):
            message = _("{server} closed the connection: {error}").format(
                server=server, error=error
            )
        elif isinstance(error, ssl.SSLError):
            message = _("TLS with {server} failed: {error}").format(server=server, error=error)
            # A certificate that does not verify, or TLS spoken to a plain port: retrying
            # without a change of settings would fail the same way.
            retryable = not (
                isinstance(error, ssl.SSLCertVerificationError)
                or error.reason in _TLS_MISCONFIGURED
            )
        elif isinstance(error, OSError):
            message = _("cannot reach {server}: {error}").format(
                server=server, error=error.strerror or error
            )
        else:
            message = _("sending to {server} failed: {error}").format(
                server=server, error=f"{type(error).__name__}: {error}"
            )
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
