"""The file formats the installed plugins recognise, and the check that every deliverable's
``formats`` names one of them.

It runs in the loader, for every command: a format no prober knows can never match a file,
so every unit's hand-in would be refused, while a rehearsal, which declares the listed
format, would pass. An alias is replaced by its format's name in the loaded campaign, so
that the evidence rules compare names with names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from .evidence import EvidenceFormat
from .i18n import _
from .model import Campaign, Deliverable
from .problems import Problem, did_you_mean, join_path, listed

if TYPE_CHECKING:
    from .plugins import PluginHost


def known_formats(host: PluginHost) -> dict[str, EvidenceFormat]:
    """Every format the plugins declare, by its name and by each of its aliases.

    Several plugins may declare one name; the first declaration counts (built-ins are
    registered first), and a name counts before an alias.
    """
    declared = host.evidence_formats()
    known: dict[str, EvidenceFormat] = {}
    for record in declared:
        known.setdefault(record.name, record)
    for record in declared:
        for alias in record.aliases:
            known.setdefault(alias, record)
    return known


def resolve_formats(campaign: Campaign, host: PluginHost) -> tuple[Campaign, list[Problem]]:
    """`campaign` with each format alias replaced by its name, and an error for each format
    that no installed plugin declares."""
    known = known_formats(host)
    problems: list[Problem] = []
    requirements = dict(campaign.requirements)
    for req in campaign.requirements.values():
        base = join_path("requirements", req.id, "deliverables")
        items = []
        for index, item in enumerate(req.deliverables):
            items.append(_resolve(item, known, join_path(base, index), problems))
        if any(new is not old for new, old in zip(items, req.deliverables, strict=True)):
            requirements[req.id] = attrs.evolve(req, deliverables=tuple(items))
    if any(requirements[key] is not req for key, req in campaign.requirements.items()):
        campaign = attrs.evolve(campaign, requirements=requirements)
    return campaign, problems


def _resolve(
    item: Deliverable, known: Mapping[str, EvidenceFormat], path: str, problems: list[Problem]
) -> Deliverable:
    """`item` with its formats' aliases replaced by names; unknown names go to `problems`."""
    names = []
    for index, written in enumerate(item.formats):
        record = known.get(written)
        if record is not None:
            names.append(record.name)
            continue
        names.append(written)
        if written and written == written.strip().lower().lstrip("."):
            problems.append(_unknown(item, written, known, join_path(path, "formats", index)))
        # else the requirement checks say how to write it
    if tuple(names) == item.formats:
        return item
    return attrs.evolve(item, formats=tuple(names))


def _unknown(
    item: Deliverable, written: str, known: Mapping[str, EvidenceFormat], path: str
) -> Problem:
    names = sorted({record.name for record in known.values()})
    same_kind = sorted({record.name for record in known.values() if record.kind == item.kind})
    return Problem(
        path,
        _(
            "no installed plugin recognises the format `{format}`: no file could ever match it"
        ).format(format=written),
        did_you_mean(written, names)
        or (
            _known(item.kind).format(formats=listed(same_kind))
            if same_kind
            else _("`campaignkit plugins` lists the installed plugins")
        ),
        code="unknown-evidence-format",
    )


def _known(kind: str) -> str:
    """The hint that lists the known formats of a kind of deliverable (with `{formats}`)."""
    if kind == "photo":
        return _("known photo formats: {formats}")
    if kind == "video":
        return _("known video formats: {formats}")
    if kind == "document":
        return _("known document formats: {formats}")
    if kind == "spreadsheet":
        return _("known spreadsheet formats: {formats}")
    return _("known formats of other files: {formats}")
