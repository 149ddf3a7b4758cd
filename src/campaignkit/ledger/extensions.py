"""Extensions and exemptions, as the ledger keeps them: each grant and each revocation, with
its entry in the audit log, in one transaction. A part of `Ledger` (a mixin), kept in a
module of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ..extensions import Allowances, Exemption, Extension
from ..reviews import AuditEntry
from .connection import Connection
from .errors import guarded

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

Granted = TypeVar("Granted", Extension, Exemption)

_COLUMNS = "id, unit, requirement, reason, granted_by, at, revoked_at, revoked_by"


def _moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text is not None else None


def _extension(row: Sequence[Any]) -> Extension:
    id, unit, requirement, reason, by, at, revoked_at, revoked_by, until = row
    return Extension(
        unit,
        requirement,
        dt.date.fromisoformat(until),
        reason,
        by,
        dt.datetime.fromisoformat(at),
        _moment(revoked_at),
        revoked_by,
        id,
    )


def _exemption(row: Sequence[Any]) -> Exemption:
    id, unit, requirement, reason, by, at, revoked_at, revoked_by = row
    return Exemption(
        unit, requirement, reason, by, dt.datetime.fromisoformat(at), _moment(revoked_at),
        revoked_by, id,
    )  # fmt: skip


def _detail(granted: Extension | Exemption) -> dict[str, object]:
    detail: dict[str, object] = {"id": granted.id, "reason": granted.reason}
    if isinstance(granted, Extension):
        detail["until"] = granted.until.isoformat()
    return detail


class ExtensionLog:
    """The ledger's extensions and exemptions."""

    db: Connection

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[None]: ...

        def _audit(self, campaign: str, entry: AuditEntry) -> None: ...

    @guarded
    def record_extension(self, campaign: str, extension: Extension) -> Extension:
        """Record `extension` and its entry in the audit log (``extend``); return it with
        its id."""
        return self._grant(campaign, extension)

    @guarded
    def record_exemption(self, campaign: str, exemption: Exemption) -> Exemption:
        """Record `exemption` and its entry in the audit log (``exempt``); return it with
        its id."""
        return self._grant(campaign, exemption)

    @guarded
    def revoke_extension(
        self, campaign: str, extension: Extension, by: str, at: dt.datetime
    ) -> Extension:
        """Mark `extension` revoked by `by` at `at`, with its entry in the audit log
        (``revoke-extension``); return it so."""
        return self._revoke(campaign, extension, by, at)

    @guarded
    def revoke_exemption(
        self, campaign: str, exemption: Exemption, by: str, at: dt.datetime
    ) -> Exemption:
        """Mark `exemption` revoked, with its entry in the audit log (``revoke-exemption``)."""
        return self._revoke(campaign, exemption, by, at)

    @guarded
    def extensions(self, campaign: str) -> list[Extension]:
        """Every extension of the campaign, revoked ones too, in the order granted."""
        cursor = self.db.execute(
            f"SELECT {_COLUMNS}, until FROM extensions WHERE campaign = ? ORDER BY id",
            (campaign,),
        )
        return [_extension(row) for row in cursor]

    @guarded
    def exemptions(self, campaign: str) -> list[Exemption]:
        """Every exemption of the campaign, revoked ones too, in the order granted."""
        cursor = self.db.execute(
            f"SELECT {_COLUMNS} FROM exemptions WHERE campaign = ? ORDER BY id", (campaign,)
        )
        return [_exemption(row) for row in cursor]

    def allowances(self, campaign: str) -> Allowances:
        """The extensions and exemptions in force."""
        return Allowances.of(self.extensions(campaign), self.exemptions(campaign))

    def _grant(self, campaign: str, granted: Granted) -> Granted:
        table, action = (
            ("extensions", "extend") if isinstance(granted, Extension) else ("exemptions", "exempt")
        )
        columns = ["campaign", "unit", "requirement", "reason", "granted_by", "at"]
        values: list[object] = [
            campaign,
            granted.unit,
            granted.requirement,
            granted.reason,
            granted.by,
            granted.at.isoformat(),
        ]
        if isinstance(granted, Extension):
            columns.append("until")
            values.append(granted.until.isoformat())
        with self.transaction():
            cursor = self.db.execute(
                f"INSERT INTO {table} ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))})",
                values,
            )
            recorded = attrs.evolve(granted, id=cursor.lastrowid)
            subject = f"{granted.unit}/{granted.requirement}"
            entry = AuditEntry(granted.at, granted.by, action, subject, _detail(recorded))
            self._audit(campaign, entry)
        return recorded

    def _revoke(self, campaign: str, granted: Granted, by: str, at: dt.datetime) -> Granted:
        table = "extensions" if isinstance(granted, Extension) else "exemptions"
        revoked = attrs.evolve(granted, revoked_at=at, revoked_by=by)
        with self.transaction():
            self.db.execute(
                f"UPDATE {table} SET revoked_at = ?, revoked_by = ?"
                " WHERE campaign = ? AND id = ? AND revoked_at IS NULL",
                (at.isoformat(), by, campaign, granted.id),
            )
            subject = f"{granted.unit}/{granted.requirement}"
            entry = AuditEntry(at, by, f"revoke-{table[:-1]}", subject, _detail(revoked))
            self._audit(campaign, entry)
        return revoked
