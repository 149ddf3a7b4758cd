"""The package `campaignkit` is the public contract: one export table, and every name a
plugin written against 0.1 imported from it still there."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import campaignkit

INIT = Path(campaignkit.__file__)

# What `from campaignkit import …` offered in 0.1: a plugin written then keeps working.
NAMES_OF_0_1 = {
    "Activity", "Campaign", "CampaignInfo", "CampaignInvalid", "CliCommand", "ConfigSection",
    "Contact", "Delay", "Deliverable", "DeliveryError", "Event", "EvidenceFacts",
    "EvidenceFormat", "Group", "Loaded", "Notification", "Notifier", "Phase", "Problem",
    "ReportFormat", "Requirement", "Role", "Run", "Schedule", "Submission", "Unit", "Workdays",
    "__version__", "hookimpl", "load_campaign", "loads_campaign", "translator",
}  # fmt: skip

# What plugin authors asked for in issue 15, besides.
ASKED_FOR = {
    "Report", "RequirementStatus", "Standing", "STANDINGS", "due_at", "local", "PluginHost",
    "Unit", "Contact", "KIND_ORDER",
}  # fmt: skip


def _type_checking_names() -> set[str]:
    """The names the `if TYPE_CHECKING:` block of __init__.py imports, for type checkers."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    [block] = [n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.dump(n)]
    names = set()
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            assert alias.asname == alias.name, f"{alias.name}: write `{alias.name} as {alias.name}`"
            names.add(alias.name)
    return names


def test_all_dir_and_the_type_checkers_see_the_one_export_table() -> None:
    table = set(campaignkit._EXPORTS)
    assert set(campaignkit.__all__) == table | {"__version__", "hookimpl"}
    assert sorted(dir(campaignkit)) == sorted(campaignkit.__all__)
    assert _type_checking_names() == table


@pytest.mark.parametrize("name", sorted(campaignkit._EXPORTS))
def test_every_export_is_what_its_module_defines(name: str) -> None:
    module = importlib.import_module(f"campaignkit.{campaignkit._EXPORTS[name]}")
    assert getattr(campaignkit, name) is getattr(module, name)


def test_names_of_0_1_and_those_asked_for_are_exported() -> None:
    assert set(campaignkit.__all__) >= NAMES_OF_0_1
    assert set(campaignkit.__all__) >= ASKED_FOR


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Settled'"):
        campaignkit.Settled  # noqa: B018


def test_importing_campaignkit_imports_only_the_hook_specifications() -> None:
    """Importing the package costs only what is used: `campaignkit --help` stays fast."""
    import subprocess
    import sys

    script = (
        "import sys, campaignkit\n"
        "print(sorted(m for m in sys.modules if m.startswith('campaignkit.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "['campaignkit.exports', 'campaignkit.hookspecs']"
