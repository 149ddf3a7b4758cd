"""campaignkit: run safety campaigns from a declarative TOML plan.

The public face: load a campaign, the records it is made of, and the marker plugins use.
"""

from __future__ import annotations

import pluggy

from .hookspecs import PROJECT

hookimpl = pluggy.HookimplMarker(PROJECT)
"""Marks a function as a campaignkit hook implementation."""

from .loader import CampaignInvalid, Loaded, load_campaign, loads_campaign  # noqa: E402
from .model import (  # noqa: E402
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
from .problems import Problem  # noqa: E402
from .records import (  # noqa: E402
    CliCommand,
    ConfigSection,
    DeliveryError,
    EvidenceFacts,
    Notifier,
    ReportFormat,
    Workdays,
)

__version__ = "0.1.0"

__all__ = [
    "Activity",
    "Campaign",
    "CampaignInfo",
    "CampaignInvalid",
    "CliCommand",
    "ConfigSection",
    "Contact",
    "Deliverable",
    "DeliveryError",
    "EvidenceFacts",
    "Group",
    "Loaded",
    "Notifier",
    "Phase",
    "Problem",
    "ReportFormat",
    "Requirement",
    "Role",
    "Unit",
    "Workdays",
    "__version__",
    "hookimpl",
    "load_campaign",
    "loads_campaign",
]
