"""The ``campaignkit`` command line: one module per command, each imported only when run."""

from __future__ import annotations

import gc

from .. import gcpause
from .app import app


def main() -> None:
    """Console-script entry point."""
    gcpause.short_lived()
    try:
        app(prog_name="campaignkit")
    finally:
        # On the way out: the interpreter's last collection need not visit every record of
        # a national campaign, a tenth of a second for nothing.
        gc.freeze()


__all__ = ["app", "main"]
