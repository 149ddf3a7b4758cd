"""Evidence with the first-party plugins: the media plugin's formats are in the evidence
guide, and the `html` and `ics` reports name a deliverable as people read it."""

from __future__ import annotations

import re

import campaignkit_media
from conftest import REPO
from office_files import compound_file
from test_formats import WORD, campaign, submit

from campaignkit.evidence_formats import known_formats
from campaignkit.ledger import Ledger


def test_every_format_is_listed_in_the_evidence_guide(plugin_host, register_plugin) -> None:
    register_plugin(campaignkit_media, "media")
    declared: dict[str, tuple[str, set[str]]] = {}
    for record in known_formats(plugin_host).values():
        declared.setdefault(record.name, (record.kind, set()))[1].update(record.aliases)
    guide = (REPO / "docs" / "evidence.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9]+)` \| ([a-z]+) \| .* \|(.*)\|$", guide, re.M)
    listed = {name: (kind, set(re.findall(r"`(\w+)`", also))) for name, kind, also in rows}
    assert listed == declared


# ── a deliverable's name is what people read ───────────────────────────────────────────


def test_reports_and_feeds_name_the_deliverable(
    run_cli, write_campaign, plugin_host, tmp_path
) -> None:
    path = write_campaign(campaign('["pdf"]'))
    db = tmp_path / "mini.db"
    wrong = compound_file(tmp_path / "总结.doc", *WORD)
    assert submit(run_cli, plugin_host, path, wrong, db).exit_code == 1
    reason = "总结报告 file 1 (总结.doc): format should be pdf, found doc"
    with Ledger(db) as ledger:
        assert [row.problems for row in ledger.submissions("mini")] == [(reason,)]
    for fmt in ("md", "html", "ics"):
        out = tmp_path / f"report.{fmt}"
        done = run_cli("report", path, "--db", db, "-f", fmt, "-o", out)
        assert done.exit_code == 0, done.output
        text = out.read_text(encoding="utf-8").replace("\r\n ", "")  # unfold the feed's lines
        expected = "Deliverables: 总结报告 (pdf)" if fmt == "ics" else reason
        assert expected in text, fmt
