"""Which evidence store a command or a portal worker uses: the operator's choice, from the
command line (``--evidence``) or the environment (``CAMPAIGNKIT_EVIDENCE``), never from the
campaign file. A location ``SCHEME://…`` is opened by the plugin that declares the scheme
(``campaignkit_evidence_stores``); any other location is a directory; without one, the
directory beside the ledger file."""

from __future__ import annotations

import os
from pathlib import Path

from .i18n import _
from .ledger import is_url
from .plugins import PluginHost
from .store import DirectoryStore, EvidenceBackend, EvidenceStore

STORE_ENV = "CAMPAIGNKIT_EVIDENCE"
HOOK = "campaignkit_evidence_stores"


class StoreRefused(Exception):
    """The evidence location cannot be opened: no plugin keeps evidence at its scheme, the
    plugin refused it, or a ledger on a server has no directory beside it."""


def evidence_backends(host: PluginHost) -> dict[str, EvidenceBackend]:
    """The kinds of evidence store the plugins provide, by scheme."""
    return {name: found.record for name, found in host.collect(HOOK).items()}


def open_store(host: PluginHost, ledger: str | Path, location: str | None = None) -> EvidenceStore:
    """The evidence store at `location`, else at ``CAMPAIGNKIT_EVIDENCE``, else the directory
    beside the `ledger` file. Raises `StoreRefused`."""
    where = location or os.environ.get(STORE_ENV) or None
    if where is None:
        if is_url(ledger):
            raise StoreRefused(
                _(
                    "a ledger on a database server has no evidence directory beside it: "
                    "say where the files are with --evidence or CAMPAIGNKIT_EVIDENCE"
                )
            )
        return EvidenceStore.beside(Path(ledger))
    scheme, separator, _rest = where.partition("://")
    if not separator:
        return DirectoryStore(Path(where))
    backends = evidence_backends(host)
    backend = backends.get(scheme)
    if backend is None:
        known = ", ".join(f"`{name}://`" for name in sorted(backends)) or _("none")
        raise StoreRefused(
            _("no installed plugin keeps evidence at `{scheme}://` (installed: {known})").format(
                scheme=scheme, known=known
            )
        )
    try:
        return backend.open(where)
    except ValueError as error:
        raise StoreRefused(
            _("the evidence store `{scheme}://` refused its location: {reason}").format(
                scheme=scheme, reason=error
            )
        ) from None
