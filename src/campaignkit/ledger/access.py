"""Who may come into the portal, as the ledger keeps it: the staff and their password
hashes, and every token's digest (never a token). A part of `Ledger` (a mixin), kept in a
module of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from ..access import StaffMember, StoredToken, TokenKind
from ..reviews import AuditEntry
from .connection import Connection
from .errors import guarded
from .times import utc_text

if TYPE_CHECKING:
    from contextlib import AbstractContextManager


def _moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text is not None else None


_TOKEN_COLUMNS = "digest, kind, subject, campaign, created_at, expires_at, revoked_at"


class Access:
    """The ledger's staff and tokens."""

    db: Connection

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[None]: ...

        def _audit(self, campaign: str, entry: AuditEntry) -> None: ...

    # -- tokens ---------------------------------------------------------------------------
    @guarded
    def store_tokens(
        self,
        tokens: Iterable[StoredToken],
        *,
        replace: bool = False,
        audit: Iterable[tuple[str, AuditEntry]] = (),
    ) -> None:
        """Keep tokens (their digests), with their entries in the audit log (campaign,
        entry), in one transaction. With `replace`, each subject's earlier tokens of the same
        kind and campaign are revoked at the new one's creation."""
        rows = list(tokens)
        with self.transaction():
            for campaign, entry in audit:
                self._audit(campaign, entry)
            if replace:
                self.db.executemany(
                    "UPDATE tokens SET revoked_at = ? WHERE kind = ? AND subject = ?"
                    " AND campaign IS ? AND revoked_at IS NULL",
                    [(utc_text(t.created_at), t.kind, t.subject, t.campaign) for t in rows],
                )
            self.db.executemany(
                f"INSERT INTO tokens ({_TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        t.digest,
                        t.kind,
                        t.subject,
                        t.campaign,
                        utc_text(t.created_at),
                        utc_text(t.expires_at) if t.expires_at is not None else None,
                        utc_text(t.revoked_at) if t.revoked_at is not None else None,
                    )
                    for t in rows
                ],
            )

    @guarded
    def revoke_tokens(
        self,
        kind: TokenKind,
        campaign: str | None,
        subjects: Iterable[str],
        at: dt.datetime,
        *,
        actor: str,
    ) -> dict[str, int]:
        """Revoke every live token of each subject, each revocation in the audit log; how
        many each had."""
        revoked: dict[str, int] = {}
        with self.transaction():
            for subject in subjects:
                self._audit(campaign or "", AuditEntry(at, actor, f"revoke-{kind}-token", subject))
                cursor = self.db.execute(
                    "UPDATE tokens SET revoked_at = ? WHERE kind = ? AND subject = ?"
                    " AND campaign IS ? AND revoked_at IS NULL",
                    (utc_text(at), kind, subject, campaign),
                )
                revoked[subject] = cursor.rowcount
        return revoked

    @guarded
    def stored_token(self, digest: str) -> StoredToken | None:
        """The token with this digest, revoked or expired as it may be; None if unknown."""
        found = self.db.execute(
            f"SELECT {_TOKEN_COLUMNS} FROM tokens WHERE digest = ?", (digest,)
        ).fetchone()
        if found is None:
            return None
        digest_, kind, subject, campaign, created, expires, revoked = found
        return StoredToken(
            digest_,
            cast(TokenKind, kind),
            subject,
            campaign,
            dt.datetime.fromisoformat(created),
            _moment(expires),
            _moment(revoked),
        )

    # -- staff ----------------------------------------------------------------------------
    @guarded
    def add_staff_member(self, member: StaffMember, *, actor: str) -> bool:
        """Add a member of staff, in the audit log; False, and nothing changed, when the name
        is taken."""
        with self.transaction():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO staff (name, password_hash, created_at) VALUES (?, ?, ?)",
                (member.name, member.password_hash, utc_text(member.created_at)),
            )
            if cursor.rowcount == 1:
                self._audit("", AuditEntry(member.created_at, actor, "add-staff", member.name))
        return cursor.rowcount == 1

    @guarded
    def staff_members(self) -> list[StaffMember]:
        """Every member of staff, by name."""
        cursor = self.db.execute("SELECT name, password_hash, created_at FROM staff ORDER BY name")
        return [StaffMember(n, h, dt.datetime.fromisoformat(c)) for n, h, c in cursor]

    @guarded
    def staff_member(self, name: str) -> StaffMember | None:
        """The member of staff of that name, if there is one."""
        found = self.db.execute(
            "SELECT name, password_hash, created_at FROM staff WHERE name = ?", (name,)
        ).fetchone()
        return (
            StaffMember(found[0], found[1], dt.datetime.fromisoformat(found[2])) if found else None
        )
