"""The built-in checks of notices in the bureau's own words (``[notices.KIND]``,
``[requirements.ID.notices.KIND]``, a ladder step's ``text``): a kind that does not exist,
and every mistake of each template, at its key. Part of the ``checks`` plugin."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from campaignkit import (
    NOTICE_KINDS,
    Campaign,
    NoticeText,
    Problem,
    check_notice_text,
    did_you_mean,
    join_path,
)
from campaignkit import gettext as _


def check_notices(campaign: Campaign) -> Iterator[Problem]:
    yield from _table(campaign.notices, "notices")
    for req in campaign.requirements.values():
        base = f"requirements.{req.id}"
        yield from _table(req.notices, join_path(base, "notices"))
        for index, step in enumerate(req.escalation):
            if step.text is not None:
                yield from check_notice_text(
                    step.text, join_path(base, "escalation", index, "text")
                )


def _table(notices: Mapping[str, NoticeText], base: str) -> Iterator[Problem]:
    for kind, notice in notices.items():
        if kind not in NOTICE_KINDS:
            message = _("there is no notice of kind `{kind}`").format(kind=kind)
            hint = did_you_mean(kind, NOTICE_KINDS) or ", ".join(NOTICE_KINDS)
            yield Problem(join_path(base, kind), message, hint, code="unknown-kind")
            continue
        yield from check_notice_text(notice.text, join_path(base, kind, "text"))
