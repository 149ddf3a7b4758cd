"""What every request of one portal shares: the campaign, the plugin host, the ledger
(pooled on PostgreSQL) and the evidence store the operator chose (beside the ledger by
default), in the campaign's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import attrs
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from campaignkit import (
    Campaign,
    EvidenceStore,
    Ledger,
    LedgerPool,
    PluginHost,
    language_of,
    writing,
)

T = TypeVar("T")


@attrs.frozen
class Portal:
    campaign: Campaign
    host: PluginHost
    ledgers: LedgerPool
    """The ledger, a file or a database's URL: a connection per request, from a pool on
    PostgreSQL, opened at the first request (or at `serve`'s start)."""
    evidence: EvidenceStore
    """Opened once per worker (`open_store`): a wrong location stops the portal at start."""

    @property
    def cid(self) -> str:
        return self.campaign.campaign.id

    @property
    def language(self) -> str:
        return language_of(self.campaign)

    def store(self) -> EvidenceStore:
        return self.evidence

    async def call(self, work: Callable[[Portal, Ledger], T]) -> T:
        """`work` with the ledger, in a worker thread (SQLite and hashing block), in the
        campaign's language; the ledger is opened (or borrowed from the pool) and closed in that
        thread."""
        return await run_in_threadpool(self._in_thread, work)

    def _in_thread(self, work: Callable[[Portal, Ledger], T]) -> T:
        with writing(self.language), self.ledgers.ledger() as ledger:
            return work(self, ledger)


def portal_of(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal
