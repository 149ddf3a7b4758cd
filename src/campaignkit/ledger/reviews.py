"""The office's reviews of hand-ins, the units' signatures for their notices, and the audit
log. A part of `Ledger` (a mixin), kept in a module of its own."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import attrs

from ..notify import Notification
from ..reviews import Ack, AuditEntry
from ..submissions import Review
from .connection import Connection
from .errors import guarded

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

REVIEW_COLUMNS = "id, submission, state, comment, reviewer, at, resubmit_by"


class ReviewLog:
    """Reviews, signatures and the audit log; `Ledger` gives them its connection."""

    path: str
    db: Connection

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _queue(self, campaign: str, notifications: Sequence[Notification]) -> None:
        raise NotImplementedError

    @guarded
    def record_review(
        self,
        campaign: str,
        review: Review,
        notices: Callable[[Review], Sequence[Notification]] = lambda review: (),
    ) -> Review:
        """Record `review`, its entry in the audit log and the notices it makes (`notices`,
        given the review with its id, for their keys), in one transaction; return the
        review with its id."""
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO reviews (campaign, submission, state, comment, resubmit_by,"
                " reviewer, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    campaign,
                    review.submission,
                    review.state,
                    review.comment,
                    review.resubmit_by.isoformat() if review.resubmit_by else None,
                    review.reviewer,
                    review.at.isoformat(),
                ),
            )
            recorded = attrs.evolve(review, id=cursor.lastrowid)
            detail = {
                "review": recorded.id,
                "state": review.state,
                "comment": review.comment,
                "resubmit_by": review.resubmit_by.isoformat() if review.resubmit_by else None,
            }
            entry = AuditEntry(
                review.at, review.reviewer, "review", f"submission:{review.submission}", detail
            )
            self._audit(campaign, entry)
            self._queue(campaign, notices(recorded))
        return recorded

    @guarded
    def reviews(self, campaign: str) -> list[Review]:
        """Every review of the campaign's hand-ins, in the order they were made."""
        cursor = self.db.execute(
            f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE campaign = ? ORDER BY id", (campaign,)
        )
        return [
            Review(
                submission,
                state,
                comment,
                reviewer,
                dt.datetime.fromisoformat(at),
                dt.date.fromisoformat(by) if by else None,
                id,
            )
            for id, submission, state, comment, reviewer, at, by in cursor
        ]

    @guarded
    def record_ack(self, campaign: str, ack: Ack) -> Ack:
        """Record a unit's signature for a notice, with its audit entry; a notice signed
        already keeps its first signature, which is returned."""
        with self.transaction():
            added = self.db.execute(
                "INSERT OR IGNORE INTO acks (campaign, key, unit, at) VALUES (?, ?, ?, ?)",
                (campaign, ack.key, ack.unit, ack.at.isoformat()),
            ).rowcount
            if added:
                self._audit(campaign, AuditEntry(ack.at, ack.unit, "sign", ack.key))
            (at,) = self.db.execute(
                "SELECT at FROM acks WHERE campaign = ? AND key = ? AND unit = ?",
                (campaign, ack.key, ack.unit),
            ).fetchone()
        return attrs.evolve(ack, at=dt.datetime.fromisoformat(at))

    @guarded
    def addressee(self, campaign: str, key: str) -> str | None:
        """The unit the notice `key` is addressed to; None when the outbox has no such key."""
        found = self.db.execute(
            "SELECT to_unit FROM outbox WHERE campaign = ? AND key = ?", (campaign, key)
        ).fetchone()
        return found[0] if found else None

    @guarded
    def acks(self, campaign: str) -> list[Ack]:
        """Every signature for a notice, in the order they were given."""
        cursor = self.db.execute(
            "SELECT key, unit, at FROM acks WHERE campaign = ? ORDER BY at, key", (campaign,)
        )
        return [Ack(key, unit, dt.datetime.fromisoformat(at)) for key, unit, at in cursor]

    @guarded
    def audit(self, campaign: str) -> list[AuditEntry]:
        """The audit log of the campaign, oldest first; the ledger's own events (its staff
        and their tokens) are under the campaign ``""``."""
        cursor = self.db.execute(
            "SELECT id, at, actor, action, subject, detail FROM audit WHERE campaign = ?"
            " ORDER BY id",
            (campaign,),
        )
        return [
            AuditEntry(dt.datetime.fromisoformat(at), actor, action, subject, json.loads(d), id)
            for id, at, actor, action, subject, d in cursor
        ]

    @guarded
    def record_audit(self, campaign: str, entry: AuditEntry) -> None:
        """Add `entry` to the audit log, in a transaction of its own."""
        with self.transaction():
            self._audit(campaign, entry)

    def _audit(self, campaign: str, entry: AuditEntry) -> None:
        """Add `entry` to the audit log, inside the caller's transaction."""
        self.db.execute(
            "INSERT INTO audit (campaign, at, actor, action, subject, detail)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                campaign,
                entry.at.isoformat(),
                entry.actor,
                entry.action,
                entry.subject,
                json.dumps(dict(entry.detail), ensure_ascii=False),
            ),
        )
