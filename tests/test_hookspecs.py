"""Every hook is typed and documented: the docstrings are the reference."""

from __future__ import annotations

import inspect

import pytest

import campaignkit
from campaignkit import hookspecs

HOOKS = [name for name in dir(hookspecs) if name.startswith("campaignkit_")]


def test_the_first_cut_hooks_are_all_declared() -> None:
    assert sorted(HOOKS) == sorted(
        [
            "campaignkit_config_sections",
            "campaignkit_configure",
            "campaignkit_cli_commands",
            "campaignkit_check_campaign",
            "campaignkit_timeline",
            "campaignkit_on_event",
            "campaignkit_notifiers",
            "campaignkit_evidence_formats",
            "campaignkit_evidence_stores",
            "campaignkit_probe_evidence",
            "campaignkit_check_submission",
            "campaignkit_report_formats",
            "campaignkit_report_columns",
            "campaignkit_workdays",
        ]
    )


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_typed_and_documented(name: str) -> None:
    spec = getattr(hookspecs, name)
    signature = inspect.signature(spec)
    assert signature.return_annotation is not inspect.Signature.empty
    for param in signature.parameters.values():
        assert param.annotation is not inspect.Parameter.empty, param.name
        assert f":param {param.name}:" in spec.__doc__, param.name
    doc = inspect.getdoc(spec) or ""
    assert len(doc.splitlines()[0]) > 10
    assert ".. versionadded::" in doc
    if signature.return_annotation != "None":
        assert ":returns:" in doc


def test_hookimpl_is_exported_from_the_package_root() -> None:
    assert campaignkit.hookimpl.project_name == "campaignkit"
