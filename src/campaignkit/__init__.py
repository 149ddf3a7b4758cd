"""campaignkit: run safety campaigns from a declarative TOML plan.

The public face: load a campaign, the records it is made of, and the marker plugins use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import pluggy

from .hookspecs import PROJECT

hookimpl = pluggy.HookimplMarker(PROJECT)
"""Marks a function as a campaignkit hook implementation."""

# Where each public name lives: imported on first use, so that importing campaignkit (and
# running `campaignkit --help`) costs only what is used.
_EXPORTS = {
    "translator": "i18n",
    "CampaignInvalid": "loader",
    "Loaded": "loader",
    "load_campaign": "loader",
    "loads_campaign": "loader",
    "Activity": "model",
    "Campaign": "model",
    "CampaignInfo": "model",
    "Contact": "model",
    "Deliverable": "model",
    "Group": "model",
    "Phase": "model",
    "Requirement": "model",
    "Role": "model",
    "Unit": "model",
    "Problem": "problems",
    "Delay": "schedule",
    "Schedule": "schedule",
    "Event": "timeline",
    "Notification": "notify",
    "Run": "run",
    "Submission": "submissions",
    "CliCommand": "records",
    "ConfigSection": "records",
    "DeliveryError": "records",
    "EvidenceFacts": "evidence",
    "EvidenceFormat": "evidence",
    "Notifier": "records",
    "ReportFormat": "records",
    "Workdays": "dates",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'campaignkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .dates import Workdays
    from .evidence import EvidenceFacts, EvidenceFormat
    from .i18n import translator
    from .loader import CampaignInvalid, Loaded, load_campaign, loads_campaign
    from .model import (
        Activity,
        Campaign,
        CampaignInfo,
        Contact,
        Deliverable,
        Group,
        Phase,
        Requirement,
        Role,
        Unit,
    )
    from .notify import Notification
    from .problems import Problem
    from .records import CliCommand, ConfigSection, DeliveryError, Notifier, ReportFormat
    from .run import Run
    from .schedule import Delay, Schedule
    from .submissions import Submission
    from .timeline import Event

__version__ = "0.1.0"

__all__ = [
    "Activity",
    "Campaign",
    "CampaignInfo",
    "CampaignInvalid",
    "CliCommand",
    "ConfigSection",
    "Contact",
    "Delay",
    "Deliverable",
    "DeliveryError",
    "Event",
    "EvidenceFacts",
    "EvidenceFormat",
    "Group",
    "Loaded",
    "Notification",
    "Notifier",
    "Phase",
    "Problem",
    "ReportFormat",
    "Requirement",
    "Role",
    "Run",
    "Schedule",
    "Submission",
    "Unit",
    "Workdays",
    "__version__",
    "hookimpl",
    "load_campaign",
    "loads_campaign",
    "translator",
]
