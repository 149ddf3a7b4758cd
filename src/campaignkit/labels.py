"""How standings, a notification's fate, the notices' kinds and an activity's mode are
written for people, in the campaign's language or the one given."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from .i18n import _, writing
from .model import Campaign, language_of


def standing_labels(campaign: Campaign, language: str | None = None) -> dict[str, str]:
    """How each standing is written for people: in the campaign's language, as a report or
    a notice is, or in `language` (``zh``, ``en``) when given, such as what a command prints
    for an operator who pinned one."""
    return dict(_standing_labels(language or language_of(campaign)))


@cache
def _standing_labels(language: str) -> Mapping[str, str]:
    with writing(language):
        return {
            "on_time": _("on time"),
            "late": _("late"),
            "rejected": _("rejected"),
            "returned": _("returned"),
            "missing": _("missing"),
            "pending": _("pending"),
            "exempt": _("exempt"),
        }


def delivery_labels(campaign: Campaign, language: str | None = None) -> dict[str, str]:
    """What became of a notification, in the campaign's language (or `language`)."""
    return dict(_delivery_labels(language or language_of(campaign)))


@cache
def _delivery_labels(language: str) -> Mapping[str, str]:
    with writing(language):
        return {
            "pending": _("waiting"),
            "sending": _("in flight"),
            "delivered": _("delivered"),
            "unreached": _("not reached (no channel)"),
            "declined": _("declined by its channels"),
            "skipped": _("stale, not sent"),
            "dead": _("undeliverable"),
        }


def kind_labels(campaign: Campaign, language: str | None = None) -> dict[str, str]:
    """The built-in notices' kinds, in the campaign's language (or `language`); a plugin's
    own kind is not here and is shown as it is."""
    return dict(_kind_labels(language or language_of(campaign)))


@cache
def _kind_labels(language: str) -> Mapping[str, str]:
    with writing(language):
        return {
            "reminder": _("reminder"),
            "overdue": _("overdue"),
            "escalation": _("escalation"),
            "rejected": _("rejected"),
            "returned": _("returned"),
        }


def mode_labels(campaign: Campaign, language: str | None = None) -> dict[str, str]:
    """How an activity is held (``online``, ``offline``, ``hybrid``), in the campaign's
    language (or `language`)."""
    return dict(_mode_labels(language or language_of(campaign)))


@cache
def _mode_labels(language: str) -> Mapping[str, str]:
    with writing(language):
        return {
            "online": _("online"),
            "offline": _("offline"),
            "hybrid": _("hybrid"),
        }
