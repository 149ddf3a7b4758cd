"""Values that many rows of one read hold, each made once.

A national ledger names the same units, kinds, states and moments a hundred thousand times
over; read row by row, each row would hold its own copy of each. Values made once are
never changed: records hold them read-only.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, TypeVar

T = TypeVar("T")


class Shared:
    """The values of one read, each kept once: equal texts, moments and JSON documents."""

    def __init__(self) -> None:
        self.values: dict[object, Any] = {}
        self.moments: dict[str, dt.datetime] = {}
        self.documents: dict[str, Any] = {}

    def once(self, value: T) -> T:
        """`value`, or the equal one this read met first."""
        return self.values.setdefault(value, value)  # type: ignore[no-any-return]

    def moment(self, text: str) -> dt.datetime:
        """The moment an ISO text says."""
        found = self.moments.get(text)
        if found is None:
            found = self.moments[text] = dt.datetime.fromisoformat(text)
        return found

    def document(self, text: str, make: Any = None) -> Any:
        """The JSON document `text`, passed through `make` when given (``tuple``)."""
        found = self.documents.get(text, self)
        if found is self:
            loaded = json.loads(text)
            found = self.documents[text] = loaded if make is None else make(loaded)
        return found
