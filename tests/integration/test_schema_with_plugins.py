"""The schema committed beside the campaigns has the first-party plugins' tables too, so
that editors complete `[plugins.webhook]` and `[plugins.email]` out of the box."""

from __future__ import annotations

import json

from conftest import SHENZHEN

from campaignkit.plugins import load_plugins
from campaignkit.schema import json_schema


def test_the_schema_beside_the_campaigns_is_current() -> None:
    """campaigns/*.toml name it on their first line, so editors complete keys out of the box."""
    # With the first-party plugins installed (the README's first command does), their
    # tables are in it too: editors complete [plugins.webhook] and [plugins.email].
    sections = load_plugins().collect("campaignkit_config_sections")
    expected = json_schema({name: c.record.cls for name, c in sections.items()})
    committed = SHENZHEN.parent / "campaignkit.schema.json"
    assert json.loads(committed.read_text(encoding="utf-8")) == expected, (
        "run `campaignkit schema -o campaigns/campaignkit.schema.json`"
    )
    assert SHENZHEN.read_text(encoding="utf-8").startswith("#:schema ./campaignkit.schema.json\n")
