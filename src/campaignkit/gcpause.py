"""Pausing Python's cyclic garbage collector while campaignkit builds large object graphs.

Loading a national campaign and walking it create hundreds of thousands of small records
that form no reference cycles. The collector still scans the young ones every 700
allocations, and all of them again and again as they age: a third of a national
simulation's time, for nothing. Reference counting frees these records as usual; the
collector runs again when the work is done.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, and put it back as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
