"""The ``[plugins.email]`` table and the checks ``campaignkit validate`` runs on it.

The campaign file names the SMTP server and the *names* of environment variables; the
login and password themselves live only in the environment of whoever runs campaignkit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from campaignkit.model import Campaign
from campaignkit.problems import Problem

if TYPE_CHECKING:
    from email.headerregistry import Address

SECTION = "email"
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PORT_SSL, PORT_STARTTLS, PORT_PLAIN = 465, 587, 25


def _doc(text: str, **kwargs: Any) -> Any:
    return attrs.field(metadata={"doc": text}, **kwargs)


@attrs.frozen
class EmailSettings:
    """The `email` notifier's SMTP server, sender and subject line."""

    sender: str = _doc(
        "The From: address, with a display name if wanted: `深圳市安委办 <safety@example.org>`."
    )
    host: str | None = _doc("The SMTP server's host name.", default=None)
    host_env: str | None = _doc(
        "Name of an environment variable that, when set, gives the host instead of `host`.",
        default=None,
    )
    port: int | None = _doc(
        "The server's port; by default 465 with `ssl`, 587 with STARTTLS, else 25.",
        default=None,
    )
    port_env: str | None = _doc(
        "Name of an environment variable that, when set, gives the port instead of `port`.",
        default=None,
    )
    starttls: bool | None = _doc(
        "Upgrade the connection with STARTTLS (verifying the server's certificate); "
        "on unless `ssl` is set.",
        default=None,
    )
    ssl: bool = _doc("Speak TLS from the first byte (SMTPS, usually port 465).", default=False)
    username_env: str | None = _doc(
        "Name of the environment variable holding the SMTP login, if the server wants one.",
        default=None,
    )
    password_env: str | None = _doc(
        "Name of the environment variable holding the SMTP password (never the password).",
        default=None,
    )
    subject_prefix: str = _doc("Put before every subject, such as `【安全生产月】`.", default="")
    timeout_s: float = _doc("Seconds to wait for the server before giving up.", default=10.0)

    @property
    def use_starttls(self) -> bool:
        return (not self.ssl) if self.starttls is None else self.starttls

    @property
    def default_port(self) -> int:
        if self.ssl:
            return PORT_SSL
        return PORT_STARTTLS if self.use_starttls else PORT_PLAIN


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses: traffic that never leaves the machine."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        import ipaddress  # only when a host is checked

        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def parse_address(text: str) -> Address | None:
    """The single address in `text` (``Name <user@host>`` or ``user@host``), or None."""
    # The email package costs milliseconds to import: only when there are addresses to read.
    from email.policy import default as default_policy

    try:
        header = default_policy.header_factory("To", text)
        addresses = header.addresses
    except Exception:  # a header the email package cannot parse at all
        return None
    if header.defects or len(addresses) != 1:
        return None
    address: Address = addresses[0]
    if not address.username or not address.domain:
        return None
    return address


def check(campaign: Campaign) -> list[Problem]:
    """What is wrong with the ``[plugins.email]`` table and the units' e-mail addresses."""
    settings = campaign.plugins.get(SECTION)
    # No table at all is fine: the plan may travel to a bureau that sends no e-mail, and the
    # notifier says what is missing if it is asked to deliver.
    problems = _check_units(campaign)
    if isinstance(settings, EmailSettings):
        problems += _check_settings(settings)
    return problems


def _check_settings(s: EmailSettings) -> list[Problem]:
    base = f"plugins.{SECTION}"
    out: list[Problem] = []

    def problem(key: str, message: str, hint: str | None = None) -> None:
        out.append(Problem(f"{base}.{key}", message, hint, code="email-settings"))

    for key in ("host_env", "port_env", "username_env", "password_env"):
        name = getattr(s, key)
        if name is not None and not ENV_NAME.fullmatch(name):
            # Never repeat the value: someone may have pasted the secret itself here.
            problem(
                key,
                f"`{key}` must be the name of an environment variable",
                "such as SZ_SMTP_PASSWORD; the value itself belongs in the environment, "
                "never in the campaign file",
            )
    if s.host is None and s.host_env is None:
        problem("host", "no SMTP server: give `host`, or `host_env`", 'host = "smtp.example.org"')
    elif s.host is not None and not s.host.strip():
        problem("host", "`host` is empty")
    if s.port is not None and not 0 < s.port < 65536:
        problem("port", f"{s.port} is not a port number (1 to 65535)")
    if s.ssl and s.starttls:
        problem(
            "starttls",
            "`ssl` and `starttls` exclude each other",
            "ssl = true speaks TLS from the start (port 465); starttls = true upgrades a plain "
            "connection (port 587): keep one",
        )
    if (s.username_env is None) != (s.password_env is None):
        given, missing = (
            ("username_env", "password_env")
            if s.password_env is None
            else ("password_env", "username_env")
        )
        problem(missing, f"`{given}` is set but `{missing}` is not: a login needs both")
    if (
        s.username_env is not None
        and not (s.ssl or s.use_starttls)
        and s.host is not None
        and not is_loopback(s.host)
    ):
        problem(
            "starttls",
            "the password would cross the network unencrypted",
            "set starttls = true or ssl = true",
        )
    if parse_address(s.sender) is None:
        problem(
            "sender",
            f"`{s.sender}` is not one e-mail address",
            'write "Name <user@example.org>" or "user@example.org"',
        )
    if not s.timeout_s > 0:
        problem("timeout_s", "`timeout_s` must be more than 0 seconds")
    return out


def _check_units(campaign: Campaign) -> list[Problem]:
    out: list[Problem] = []
    for unit in campaign.units.values():
        if SECTION not in unit.channels:
            continue
        given = unit.channels[SECTION].strip()
        contact = unit.contact.email if unit.contact is not None else None
        path = f"units.{unit.id}.channels.{SECTION}"
        if given and parse_address(given) is None:
            out.append(Problem(path, f"`{given}` is not an e-mail address", code="email-address"))
        elif not given and not (contact or "").strip():
            out.append(
                Problem(
                    path,
                    "empty, and the unit has no `contact.email` to fall back on",
                    "write the address here, or under [units.ID.contact] as `email`",
                    severity="warning",
                    code="email-address",
                )
            )
        elif not given and contact and parse_address(contact) is None:
            out.append(
                Problem(
                    f"units.{unit.id}.contact.email",
                    f"`{contact}` is not an e-mail address",
                    code="email-address",
                )
            )
    return out


def settings_of(config: Mapping[str, Any]) -> EmailSettings | None:
    """This run's settings from ``campaignkit_configure``'s `config`, if the table is there."""
    found = config.get(SECTION)
    return found if isinstance(found, EmailSettings) else None
