"""The API's JSON shapes for the core's records: a unit's duty, a hand-in with its receipt,
files and reviews, a review, a notice, an extension or exemption. Stable English keys; times
as ISO 8601."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import campaignkit
from campaignkit import (
    Ack,
    Campaign,
    Deliverable,
    Duty,
    Exemption,
    Extension,
    ExtensionRequest,
    OutboxRow,
    Review,
    Verdict,
    receipt_number,
)


def moment(at: dt.datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def request_json(asked: ExtensionRequest) -> dict[str, Any]:
    """A unit's request for an extension."""
    return {
        "kind": "request",
        "unit": asked.unit,
        "requirement": asked.requirement,
        "until": asked.until.isoformat(),
        "reason": asked.reason,
        "at": moment(asked.at),
    }


def allowance_json(done: Extension | Exemption | ExtensionRequest) -> dict[str, Any]:
    """An extension or an exemption, as `campaignkit extend --format json` prints it; a
    request, as `request_json` gives it."""
    if isinstance(done, ExtensionRequest):
        return request_json(done)
    return campaignkit.allowance_json(done)


def deliverable_json(item: Deliverable) -> dict[str, Any]:
    """What a client needs to show a deliverable's rules."""
    return {
        "id": item.id,
        "name": item.label,
        "kind": item.kind,
        "formats": list(item.formats),
        "min_count": item.min_count,
        "max_count": item.max_count,
        "max_size_mb": item.max_size_mb,
        "min_width": item.min_width,
        "min_height": item.min_height,
        "min_duration_s": item.min_duration_s,
        "fields": [
            {
                "id": field.id,
                "name": field.label,
                "type": field.type,
                "min": field.min,
                "max": field.max,
                "required": field.required,
                "unit": field.unit,
            }
            for field in item.fields
        ],
        "checks": list(item.checks),
    }


def duty_json(duty: Duty) -> dict[str, Any]:
    requirement = duty.requirement
    return {
        "requirement": requirement.id,
        "name": requirement.name,
        "due": moment(duty.due),
        "state": duty.state,
        "comment": duty.comment,
        "reasons": list(duty.reasons),
        "hand_ins": duty.hand_ins,
        "extended_until": duty.extended_until.isoformat() if duty.extended_until else None,
        "deliverables": [deliverable_json(item) for item in requirement.deliverables],
    }


def files_json(campaign: Campaign, row: Verdict) -> list[dict[str, Any]]:
    """Each file of a hand-in, deliverable by deliverable (its id, and its name as a person
    reads it), with its place (``n`` from 1) in the download route; a file too large to
    store has no ``sha256``."""
    requirement = campaign.requirements.get(row.requirement)
    labels = {d.id: d.label for d in requirement.deliverables} if requirement else {}
    out = []
    for deliverable, entries in row.evidence.items():
        for n, entry in enumerate(entries, start=1):
            out.append(
                {
                    "deliverable": deliverable,
                    "deliverable_name": labels.get(deliverable, deliverable),
                    "n": n,
                    "name": entry.get("name"),
                    "size": entry.get("size"),
                    "sha256": entry.get("sha256"),
                }
            )
    return out


def receipt_json(campaign: Campaign, row: Verdict) -> dict[str, Any]:
    assert row.id is not None
    return {
        "number": receipt_number(campaign.campaign.id, row.id),
        "files": files_json(campaign, row),
    }


def handed_in_json(campaign: Campaign, row: Verdict) -> dict[str, Any]:
    """A recorded hand-in, as `POST …/submissions` answers it."""
    return {
        "id": row.id,
        "requirement": row.requirement,
        "at": moment(row.at),
        "status": row.status,
        "accepted": row.status != "rejected",
        "late": row.status == "late",
        "reasons": list(row.problems),
        "figures": dict(row.figures),
        "receipt": receipt_json(campaign, row),
    }


def review_json(done: Review) -> dict[str, Any]:
    return {
        "id": done.id,
        "submission": done.submission,
        "state": done.state,
        "comment": done.comment,
        "reviewer": done.reviewer,
        "at": moment(done.at),
        "resubmit_by": done.resubmit_by.isoformat() if done.resubmit_by else None,
    }


def submission_json(campaign: Campaign, row: Verdict, reviews: Iterable[Review]) -> dict[str, Any]:
    """A hand-in with its files and every review of it, oldest first."""
    return {
        **handed_in_json(campaign, row),
        "reviews": [review_json(r) for r in reviews if r.submission == row.id],
    }


def notice_json(row: OutboxRow, acks: Mapping[str, Ack]) -> dict[str, Any]:
    note = row.notification
    signed = acks.get(note.key)
    return {
        "key": note.key,
        "kind": note.kind,
        "requirement": note.requirement,
        "at": moment(note.at),
        "text": note.text,
        "state": row.state,
        "signed_at": moment(signed.at) if signed is not None else None,
    }
