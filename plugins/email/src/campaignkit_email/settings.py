"""The ``[plugins.email]`` table and the checks ``campaignkit validate`` runs on it.

A campaign file travels between offices, so it never says where mail goes nor which of the
machine's secrets are read: the SMTP server, its port, the login and the password come from
environment variables that the office sending sets for campaignkit. The table may only name
other variables that start with ``CAMPAIGNKIT_`` (`OPERATOR_ENV`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from campaignkit import Campaign, Problem, translator

if TYPE_CHECKING:
    from email.headerregistry import Address

_ = translator("campaignkit_email", Path(__file__).parent / "locale")

SECTION = "email"
OPERATOR_ENV = re.compile(r"CAMPAIGNKIT_[A-Za-z0-9_]+")
"""The variables a campaign file may name: those the operator sets for campaignkit alone."""
PORT_SSL, PORT_STARTTLS, PORT_PLAIN = 465, 587, 25
HOST_ENV, PORT_ENV = "CAMPAIGNKIT_SMTP_HOST", "CAMPAIGNKIT_SMTP_PORT"
USER_ENV, PASSWORD_ENV = "CAMPAIGNKIT_SMTP_USER", "CAMPAIGNKIT_SMTP_PASSWORD"
ENV_KEYS = ("host_env", "port_env", "username_env", "password_env")


def _doc(text: str, **kwargs: Any) -> Any:
    return attrs.field(metadata={"doc": text}, **kwargs)


def _env(text: str, default: str) -> Any:
    # The pattern puts the rule in the JSON Schema too, so editors flag a wrong name.
    return attrs.field(
        default=default,
        metadata={"doc": text, "schema": {"pattern": f"^{OPERATOR_ENV.pattern}$"}},
    )


def _refused(text: str) -> Any:
    # Kept in the record only so that `validate` can say why the key is refused and what to
    # do instead; the JSON Schema leaves it out, so editors flag it as unknown.
    return attrs.field(default=None, metadata={"doc": text, "refused": True})


@attrs.frozen
class EmailSettings:
    """The `email` notifier's sender and subject line; the server comes from the environment."""

    sender: str = _doc(
        "The From: address, with a display name if wanted: `深圳市安委办 <safety@example.org>`."
    )
    host_env: str = _env(
        "Name of the environment variable holding the SMTP server's host name; "
        "it must start with CAMPAIGNKIT_.",
        HOST_ENV,
    )
    port_env: str = _env(
        "Name of the environment variable that, when set, gives the server's port; "
        "it must start with CAMPAIGNKIT_.",
        PORT_ENV,
    )
    username_env: str = _env(
        "Name of the environment variable holding the SMTP login, when the server wants one; "
        "it must start with CAMPAIGNKIT_.",
        USER_ENV,
    )
    password_env: str = _env(
        "Name of the environment variable holding the SMTP password (never the password); "
        "it must start with CAMPAIGNKIT_.",
        PASSWORD_ENV,
    )
    starttls: bool | None = _doc(
        "Upgrade the connection with STARTTLS (verifying the server's certificate); "
        "on unless `ssl` is set.",
        default=None,
    )
    ssl: bool = _doc("Speak TLS from the first byte (SMTPS, usually port 465).", default=False)
    subject_prefix: str = _doc("Put before every subject, such as `【安全生产月】`.", default="")
    timeout_s: float = _doc("Seconds to wait for the server before giving up.", default=10.0)
    host: str | None = _refused(
        f"Refused: the SMTP server comes from the environment variable {HOST_ENV}."
    )
    port: int | None = _refused(
        f"Refused: the SMTP port comes from the environment variable {PORT_ENV}."
    )

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
    elif reached := [u.id for u in campaign.units.values() if SECTION in u.channels]:
        # But units reached by e-mail with no sender are a plan whose e-mails cannot go out.
        units = ", ".join(reached[:5]) + (" …" if len(reached) > 5 else "")
        problems.append(
            Problem(
                f"units.{reached[0]}.channels.{SECTION}",
                _(
                    "{count} units are reached by e-mail ({units}), and the campaign has no "
                    "[plugins.{section}] table: no e-mail can go out"
                ).format(count=len(reached), units=units, section=SECTION),
                _('add [plugins.{section}] with sender = "Name <user@example.org>"').format(
                    section=SECTION
                ),
                severity="warning",
                code="email-not-configured",
                subjects=tuple(reached),
            )
        )
    return problems


def _check_settings(s: EmailSettings) -> list[Problem]:
    base = f"plugins.{SECTION}"
    out: list[Problem] = []

    def problem(key: str, message: str, hint: str | None = None) -> None:
        out.append(Problem(f"{base}.{key}", message, hint, code="email-settings"))

    for key in ENV_KEYS:
        if not OPERATOR_ENV.fullmatch(getattr(s, key)):
            # Never repeat the value: someone may have pasted the secret itself here.
            default = attrs.fields_dict(EmailSettings)[key].default
            problem(
                key,
                _(
                    "`{key}` must be the name of an environment variable that starts with "
                    "CAMPAIGNKIT_"
                ).format(key=key),
                _(
                    "a campaign file travels between offices, so it may only name variables "
                    "that the office sending sets for campaignkit: leave `{key}` out to use "
                    "{default}, and set that variable there; the value itself never goes in "
                    "the file"
                ).format(key=key, default=default),
            )
    for key, variable in (("host", HOST_ENV), ("port", PORT_ENV)):
        if getattr(s, key) is not None:
            problem(
                key,
                _(
                    "a campaign file may not choose the SMTP server (`{key}`): it travels "
                    "between offices, and the server receives the password"
                ).format(key=key),
                _(
                    "delete `{key}`; the office that sends sets {variable} in its environment"
                ).format(key=key, variable=variable),
            )
    if s.ssl and s.starttls:
        problem(
            "starttls",
            _("`ssl` and `starttls` exclude each other"),
            _(
                "ssl = true speaks TLS from the start (port 465); starttls = true upgrades a "
                "plain connection (port 587): keep one"
            ),
        )
    if parse_address(s.sender) is None:
        problem(
            "sender",
            _("`{sender}` is not one e-mail address").format(sender=s.sender),
            _('write "Name <user@example.org>" or "user@example.org"'),
        )
    if not s.timeout_s > 0:
        problem("timeout_s", _("`timeout_s` must be more than 0 seconds"))
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
            out.append(
                Problem(
                    path,
                    _("`{address}` is not an e-mail address").format(address=given),
                    code="email-address",
                )
            )
        elif not given and not (contact or "").strip():
            out.append(
                Problem(
                    path,
                    _("empty, and the unit has no `contact.email` to fall back on"),
                    _("write the address here, or under [units.ID.contact] as `email`"),
                    severity="warning",
                    code="email-address",
                )
            )
        elif not given and contact and parse_address(contact) is None:
            out.append(
                Problem(
                    f"units.{unit.id}.contact.email",
                    _("`{address}` is not an e-mail address").format(address=contact),
                    code="email-address",
                )
            )
    return out
