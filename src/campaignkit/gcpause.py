"""Pausing Python's cyclic garbage collector while campaignkit builds large object graphs.

Loading a national campaign and running it create hundreds of thousands of small records
that form no reference cycles. The collector still scans the young ones every 700
allocations, and all of them again and again as they age: a third of a national
simulation's time, for nothing. Reference counting frees these records as usual; the
collector runs again when the work is done.

A process that ends soon after, the command line, calls `short_lived()`: then the records
a ``paused(freeze=True)`` block built (a run's notifications and verdicts) are frozen when
the block ends (``gc.freeze``) instead of being scanned, generation after generation, for
the rest of the command. Reference counting still frees them; only a reference cycle made
inside the block would outlive its use until the process ends, and campaignkit's records
make none. Loading is not frozen: parsing leaves cyclic garbage the collector should free.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_freeze = False


def short_lived() -> None:
    """Say that this process ends soon: freeze what paused blocks build."""
    global _freeze
    _freeze = True


@contextlib.contextmanager
def paused(*, freeze: bool = False) -> Iterator[None]:
    """Run the block with the cyclic collector off, and put it back as it was.

    With `freeze`, in a short-lived process, what the block built is frozen as it ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze and _freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
