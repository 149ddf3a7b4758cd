"""Is a ledger whole? (``campaignkit ledger check``)

What it finds: hand-ins whose files are missing from the evidence store (or kept with
another size, or, when asked to read every file, another content), files no hand-in refers
to (orphans, left by a hand-in that stored its files and then failed to be recorded), and
rows that refer to something the ledger does not hold: notices of a campaign it knows
nothing else of, deliveries without their notice, reviews without their hand-in, signatures
for no notice. Plain SQL that both backends take; the store through its interface.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Literal

import attrs

from .i18n import _
from .ledger import Ledger
from .store import CHUNK, EvidenceStore

Severity = Literal["error", "warning"]


@attrs.frozen
class Finding:
    """One thing wrong with a ledger, with where it is."""

    kind: str
    """``missing-file``, ``wrong-size``, ``corrupt-file``, ``orphan-file``,
    ``outbox-without-campaign``, ``delivery-without-notice``, ``review-without-hand-in``
    or ``ack-without-notice``."""
    severity: Severity
    message: str
    campaign: str | None = None
    table: str | None = None
    id: str | None = None
    """The row's id (a hand-in's number, a notice's key), where there is one."""
    sha256: str | None = None

    def as_json(self) -> dict[str, object]:
        return attrs.asdict(self)


@attrs.frozen
class Integrity:
    """What `check_ledger` found, and how much it looked at."""

    findings: tuple[Finding, ...]
    hand_ins: int
    files: int
    """How many files the store keeps."""

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)


def check_ledger(ledger: Ledger, store: EvidenceStore, *, read_files: bool = False) -> Integrity:
    """Check every campaign in the ledger against itself and the evidence store; with
    `read_files`, read every stored file and compare its content with its name."""
    stored = set(store.sha256s())
    findings: list[Finding] = []
    referred: set[str] = set()
    hand_ins = 0
    for hand_in, campaign, files in _hand_ins(ledger):
        hand_ins += 1
        where = {"campaign": campaign, "table": "submissions", "id": str(hand_in)}
        for name, sha256, size in files:
            referred.add(sha256)
            kept = store.size(sha256) if sha256 in stored else None
            if kept is None:
                said = _("hand-in {id}: its file {name} ({sha256}) is missing from the store")
                findings.append(
                    Finding(
                        "missing-file",
                        "error",
                        said.format(id=hand_in, name=name, sha256=sha256[:12]),
                        sha256=sha256,
                        **where,
                    )
                )
            elif size is not None and kept != size:
                said = _("hand-in {id}: its file {name} is kept with {kept} bytes, not {size}")
                findings.append(
                    Finding(
                        "wrong-size",
                        "error",
                        said.format(id=hand_in, name=name, kept=kept, size=size),
                        sha256=sha256,
                        **where,
                    )
                )
    for sha256 in sorted(stored - referred):
        said = _("the stored file {sha256} belongs to no hand-in")
        findings.append(
            Finding("orphan-file", "warning", said.format(sha256=sha256), sha256=sha256)
        )
    if read_files:
        findings.extend(_corrupt(store, sorted(stored)))
    findings.extend(_dangling(ledger))
    return Integrity(tuple(findings), hand_ins, len(stored))


def _hand_ins(ledger: Ledger) -> Iterator[tuple[int, str, list[tuple[str, str, int | None]]]]:
    """Each hand-in, its campaign, and the stored files it refers to: (name, sha256, size);
    none for declared evidence or figures alone."""
    cursor = ledger.db.execute("SELECT id, campaign, evidence FROM submissions ORDER BY id")
    while batch := cursor.fetchmany(5_000):
        for hand_in, campaign, evidence in batch:
            files = [
                (
                    str(entry.get("name") or ""),
                    str(entry["sha256"]),
                    entry["size"] if isinstance(entry.get("size"), int) else None,
                )
                for entries in (json.loads(evidence) or {}).values()
                if isinstance(entries, list)
                for entry in entries
                if isinstance(entry, dict) and entry.get("sha256")
            ]
            yield hand_in, campaign, files


def _corrupt(store: EvidenceStore, sha256s: list[str]) -> Iterator[Finding]:
    for sha256 in sha256s:
        digest = hashlib.sha256()
        with store.open(sha256) as stored:
            while chunk := stored.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            said = _("the stored file {sha256} has changed: its content's sha256 is {actual}")
            yield Finding(
                "corrupt-file",
                "error",
                said.format(sha256=sha256, actual=digest.hexdigest()),
                sha256=sha256,
            )


# Rows that refer to what the ledger does not hold; each query gives (campaign, id, count).
_DANGLING = (
    (
        "outbox-without-campaign",
        "outbox",
        "SELECT o.campaign, NULL, count(*) FROM outbox o WHERE NOT EXISTS"
        " (SELECT 1 FROM events e WHERE e.campaign = o.campaign)"
        " AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.campaign = o.campaign)"
        " AND NOT EXISTS (SELECT 1 FROM sources c WHERE c.campaign = o.campaign)"
        " AND NOT EXISTS (SELECT 1 FROM rehearsals r WHERE r.campaign = o.campaign)"
        " GROUP BY o.campaign ORDER BY o.campaign",
    ),
    (
        "delivery-without-notice",
        "deliveries",
        "SELECT NULL, d.outbox_id, count(*) FROM deliveries d"
        " LEFT JOIN outbox o ON o.id = d.outbox_id WHERE o.id IS NULL"
        " GROUP BY d.outbox_id ORDER BY d.outbox_id",
    ),
    (
        "review-without-hand-in",
        "reviews",
        "SELECT r.campaign, r.id, 1 FROM reviews r"
        " LEFT JOIN submissions s ON s.id = r.submission AND s.campaign = r.campaign"
        " WHERE s.id IS NULL ORDER BY r.id",
    ),
    (
        "ack-without-notice",
        "acks",
        "SELECT a.campaign, a.key, 1 FROM acks a"
        " LEFT JOIN outbox o ON o.campaign = a.campaign AND o.key = a.key"
        " WHERE o.id IS NULL ORDER BY a.campaign, a.key",
    ),
)


def _dangling(ledger: Ledger) -> Iterator[Finding]:
    messages = {
        "outbox-without-campaign": _(
            "{count} notice(s) of campaign {campaign}, of which the ledger holds nothing else"
        ),
        "delivery-without-notice": _(
            "{count} delivery attempt(s) of notice {id}, not in the outbox"
        ),
        "review-without-hand-in": _("review {id} of campaign {campaign} is of no hand-in"),
        "ack-without-notice": _(
            "a signature for notice {id} of campaign {campaign}, not in the outbox"
        ),
    }
    for kind, table, query in _DANGLING:
        for campaign, id, count in ledger.db.execute(query).fetchall():
            said = messages[kind].format(count=count, campaign=campaign, id=id)
            yield Finding(
                kind,
                "error",
                said,
                campaign=campaign,
                table=table,
                id=str(id) if id is not None else None,
            )
