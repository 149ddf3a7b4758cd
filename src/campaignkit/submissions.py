"""Submissions: what a unit hands in for a requirement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from .records import EvidenceFacts


@attrs.frozen
class Submission:
    """A unit's hand-in for one requirement: per deliverable, the facts of each file."""

    unit: str
    requirement: str
    at: dt.datetime
    evidence: Mapping[str, tuple[EvidenceFacts, ...]] = attrs.field(factory=dict)
