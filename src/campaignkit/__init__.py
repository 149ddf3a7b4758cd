"""campaignkit: run safety campaigns from a declarative TOML plan.

This package is the public contract: everything a plugin receives, returns or needs is
importable from ``campaignkit`` itself, and documented in the hook reference. Every other
module path is internal and may move; a plugin imports only from here (and its tests from
``campaignkit.testing``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import pluggy

from .hookspecs import PROJECT

hookimpl = pluggy.HookimplMarker(PROJECT)
"""Marks a function as a campaignkit hook implementation."""

# The export list, by topic (see exports.py). tests/test_facade.py keeps `__all__`,
# `dir(campaignkit)` and the imports for type checkers below equal to it.
from .exports import GROUPS as _GROUPS  # noqa: E402

_EXPORTS = {name: module for names in _GROUPS.values() for name, module in names.items()}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'campaignkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)


if TYPE_CHECKING:
    # `X as X`: an explicit re-export, for type checkers in strict mode.
    from .access import AccessRefused as AccessRefused
    from .access import IssuedToken as IssuedToken
    from .access import StaffMember as StaffMember
    from .access import StaffToken as StaffToken
    from .access import TokenKind as TokenKind
    from .access import Visitor as Visitor
    from .access import closes_at as closes_at
    from .admission import add_staff as add_staff
    from .admission import issue_staff_token as issue_staff_token
    from .admission import issue_unit_tokens as issue_unit_tokens
    from .admission import revoke_staff_tokens as revoke_staff_tokens
    from .admission import revoke_unit_tokens as revoke_unit_tokens
    from .admission import who_is as who_is
    from .assessment import Deduction as Deduction
    from .assessment import RequirementScore as RequirementScore
    from .assessment import Scores as Scores
    from .assessment import UnitScore as UnitScore
    from .assessment import assess as assess
    from .assessment import ladder_levels as ladder_levels
    from .assessment import rounded as rounded
    from .branches import Branch as Branch
    from .branches import BranchTree as BranchTree
    from .branches import branch_tree as branch_tree
    from .circular import Block as Block
    from .circular import BlockKind as BlockKind
    from .circular import Facts as Facts
    from .circular import circular_blocks as circular_blocks
    from .circular import commended as commended
    from .circular import criticised as criticised
    from .circular import facts as facts
    from .cli.ledger_target import existing_target as existing_target
    from .cli.ledger_target import ledger_target as ledger_target
    from .cli.moments import moment as moment
    from .cli.output import host_from as host_from
    from .cli.output import load_or_exit as load_or_exit
    from .context import Context as Context
    from .dates import Weekends as Weekends
    from .dates import Workdays as Workdays
    from .delivery import Delivered as Delivered
    from .duty import Duty as Duty
    from .duty import duties as duties
    from .evidence import EvidenceFacts as EvidenceFacts
    from .evidence import EvidenceFormat as EvidenceFormat
    from .evidence_stores import StoreRefused as StoreRefused
    from .evidence_stores import open_store as open_store
    from .expressions import Rule as Rule
    from .expressions import holds as holds
    from .expressions import parse_rule as parse_rule
    from .extending import ExtensionRefused as ExtensionRefused
    from .extending import decline_extension as decline_extension
    from .extending import exempt as exempt
    from .extending import extend as extend
    from .extending import extension_requests as extension_requests
    from .extending import request_extension as request_extension
    from .extending import revoke_exemption as revoke_exemption
    from .extending import revoke_extension as revoke_extension
    from .extensions import Allowances as Allowances
    from .extensions import Exemption as Exemption
    from .extensions import Extension as Extension
    from .extensions import ExtensionRequest as ExtensionRequest
    from .extensions import allowance_json as allowance_json
    from .figure_rollup import FigureRollup as FigureRollup
    from .figure_rollup import FigureTotals as FigureTotals
    from .figure_rollup import figure_rollups as figure_rollups
    from .figures import FigureValue as FigureValue
    from .figures import figure_fields as figure_fields
    from .figures import figure_heading as figure_heading
    from .figures import figure_problems as figure_problems
    from .figures import figure_text as figure_text
    from .figures import read_figure as read_figure
    from .handin import HandIn as HandIn
    from .handin import check_hand_in as check_hand_in
    from .handin import hand_in as hand_in
    from .i18n import LANGUAGES as LANGUAGES
    from .i18n import gettext as gettext
    from .i18n import language_tag as language_tag
    from .i18n import local_time as local_time
    from .i18n import long_date as long_date
    from .i18n import ngettext as ngettext
    from .i18n import speak as speak
    from .i18n import spoken as spoken
    from .i18n import translator as translator
    from .i18n import writing as writing
    from .invitations import InvitationSent as InvitationSent
    from .invitations import send_invitations as send_invitations
    from .labels import delivery_labels as delivery_labels
    from .labels import kind_labels as kind_labels
    from .labels import mode_labels as mode_labels
    from .labels import standing_labels as standing_labels
    from .ledger import Ledger as Ledger
    from .ledger import LedgerError as LedgerError
    from .ledger import LedgerPool as LedgerPool
    from .ledger import OutboxRow as OutboxRow
    from .ledger import default_ledger as default_ledger
    from .ledger import ledger_location as ledger_location
    from .ledger import open_ledger as open_ledger
    from .live import LedgerMismatch as LedgerMismatch
    from .live import Ticked as Ticked
    from .live import ledger_report as ledger_report
    from .live import tick as tick
    from .loader import CampaignInvalid as CampaignInvalid
    from .loader import Loaded as Loaded
    from .loader import load_campaign as load_campaign
    from .loader import loads_campaign as loads_campaign
    from .model import ESCALATION_TARGETS as ESCALATION_TARGETS
    from .model import Activity as Activity
    from .model import Assessment as Assessment
    from .model import Campaign as Campaign
    from .model import CampaignInfo as CampaignInfo
    from .model import Contact as Contact
    from .model import Deliverable as Deliverable
    from .model import Escalation as Escalation
    from .model import FigureField as FigureField
    from .model import FigureType as FigureType
    from .model import Group as Group
    from .model import NoticeText as NoticeText
    from .model import Phase as Phase
    from .model import Requirement as Requirement
    from .model import Role as Role
    from .model import Unit as Unit
    from .model import language_of as language_of
    from .model import notice_text as notice_text
    from .model import occurrence_key as occurrence_key
    from .model import series_id as series_id
    from .newcampaign import CannotStart as CannotStart
    from .newcampaign import Started as Started
    from .newcampaign import new_from_last_year as new_from_last_year
    from .newcampaign import new_from_template as new_from_template
    from .newyear import NewYear as NewYear
    from .newyear import next_year as next_year
    from .noticing import NoticeRefused as NoticeRefused
    from .noticing import notices_for as notices_for
    from .notify import NOTIFICATION_KINDS as NOTIFICATION_KINDS
    from .notify import Notification as Notification
    from .notify import NotificationKind as NotificationKind
    from .org import chaser as chaser
    from .org import escalation_route as escalation_route
    from .org import escalation_target as escalation_target
    from .org import expand as expand
    from .org import find_cycle as find_cycle
    from .org import ladder_paths as ladder_paths
    from .org import ladder_route as ladder_route
    from .org import resolve_groups as resolve_groups
    from .org import units_by_kind as units_by_kind
    from .plugins import PluginHost as PluginHost
    from .plugins import load_plugins as load_plugins
    from .problems import Problem as Problem
    from .problems import alternatives as alternatives
    from .problems import did_you_mean as did_you_mean
    from .problems import join_path as join_path
    from .problems import listed as listed
    from .records import CliCommand as CliCommand
    from .records import ConfigSection as ConfigSection
    from .records import Decline as Decline
    from .records import Defer as Defer
    from .records import DeliveryError as DeliveryError
    from .records import Notifier as Notifier
    from .records import ReportFormat as ReportFormat
    from .records import ReportRefused as ReportRefused
    from .report import STANDINGS as STANDINGS
    from .report import AssigneeStatus as AssigneeStatus
    from .report import ColumnValue as ColumnValue
    from .report import Report as Report
    from .report import ReportColumn as ReportColumn
    from .report import RequirementStatus as RequirementStatus
    from .report import Rollup as Rollup
    from .reportjson import report_json as report_json
    from .reviewing import ReviewRefused as ReviewRefused
    from .reviewing import SignatureRefused as SignatureRefused
    from .reviewing import review as review
    from .reviewing import sign_for as sign_for
    from .reviews import Ack as Ack
    from .reviews import AuditEntry as AuditEntry
    from .reviews import deadline_for as deadline_for
    from .reviews import reviewed as reviewed
    from .run import Run as Run
    from .schedule import QUIET_FROM as QUIET_FROM
    from .schedule import QUIET_UNTIL as QUIET_UNTIL
    from .schedule import Delay as Delay
    from .schedule import Schedule as Schedule
    from .schedule import parse_delay as parse_delay
    from .schedule import schedule_of as schedule_of
    from .simulation import LedgerNotFresh as LedgerNotFresh
    from .simulation import Rehearsal as Rehearsal
    from .simulation import rehearsal_report as rehearsal_report
    from .simulation import rehearse as rehearse
    from .status import Standing as Standing
    from .store import DirectoryStore as DirectoryStore
    from .store import EvidenceBackend as EvidenceBackend
    from .store import EvidenceStore as EvidenceStore
    from .store import StoredFile as StoredFile
    from .store import TooLarge as TooLarge
    from .store import size_cap as size_cap
    from .submissions import REVIEW_STATES as REVIEW_STATES
    from .submissions import Review as Review
    from .submissions import ReviewState as ReviewState
    from .submissions import Submission as Submission
    from .submissions import SubmissionRow as SubmissionRow
    from .submissions import Verdict as Verdict
    from .submissions import receipt_number as receipt_number
    from .supervision import NOTICE_KINDS as NOTICE_KINDS
    from .synthetic import load_scenario as load_scenario
    from .synthetic import loads_scenario as loads_scenario
    from .timeline import DAY_END as DAY_END
    from .timeline import DAY_START as DAY_START
    from .timeline import KIND_ORDER as KIND_ORDER
    from .timeline import Event as Event
    from .timeline import due_at as due_at
    from .timeline import ladder_days as ladder_days
    from .timeline import local as local
    from .timeline import reminders as reminders
    from .wording import NOTICE_FIELDS as NOTICE_FIELDS
    from .wording import check_notice_text as check_notice_text
    from .wording import notice_values as notice_values
    from .wording import render_notice_text as render_notice_text

__version__ = "0.1.0"

__all__ = sorted([*_EXPORTS, "__version__", "hookimpl"])
