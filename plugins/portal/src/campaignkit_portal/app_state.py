"""What every request of one portal shares: the campaign, the plugin host, the ledger's
path and the evidence store the operator chose (beside the ledger by default), in the
campaign's language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import attrs
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from campaignkit import (
    Campaign,
    EvidenceStore,
    Ledger,
    PluginHost,
    language_of,
    open_ledger,
    writing,
)

T = TypeVar("T")


@attrs.frozen
class Portal:
    campaign: Campaign
    host: PluginHost
    db: str | Path
    """The ledger: a file, or a database's URL."""
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
        campaign's language; the ledger is opened and closed in that thread."""
        return await run_in_threadpool(self._in_thread, work)

    def _in_thread(self, work: Callable[[Portal, Ledger], T]) -> T:
        with writing(self.language), open_ledger(self.db) as ledger:
            return work(self, ledger)


def portal_of(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal
