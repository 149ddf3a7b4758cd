"""The hook reference in docs/plugins/hooks.md is generated from the hookspecs, its examples
run, and every hook is exercised by some test."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from conftest import MINIMAL, REPO

from campaignkit import hookdocs
from campaignkit.loader import loads_campaign
from campaignkit.plugins import PluginHost, PluginInfo
from campaignkit.run import Run
from campaignkit.schedule import schedule_of
from campaignkit.submissions import Submission
from campaignkit.timeline import Event

HOOKS_MD = REPO / "docs" / "plugins" / "hooks.md"
HOOKS = [func.__name__ for func in hookdocs.hooks()]

# These two name every hook by construction, so they do not count as exercising one.
META_TESTS = {"tests/test_hookspecs.py", "tests/test_hookdocs.py"}


def test_the_reference_is_up_to_date() -> None:
    assert HOOKS_MD.read_text(encoding="utf-8") == hookdocs.hook_reference(), (
        f"docs/plugins/hooks.md is out of date; regenerate it with `{hookdocs.REGENERATE}`"
    )


def test_every_hook_is_in_the_reference() -> None:
    assert HOOKS, "no hooks found in campaignkit.hookspecs"
    assert sorted(HOOKS) == sorted(hookdocs.EXAMPLES), "every hook needs exactly one example"


@pytest.mark.parametrize("hook", hookdocs.hooks(), ids=lambda func: func.__name__)
def test_the_exact_signature_is_documented(hook: Any) -> None:
    reference = HOOKS_MD.read_text(encoding="utf-8")
    assert f"```python\n{hookdocs.signature(hook)}\n```" in reference
    assert f"\n### {hook.__name__}\n" in reference


@pytest.mark.parametrize("hook", hookdocs.hooks(), ids=lambda func: func.__name__)
def test_what_happens_when_it_raises_is_documented(hook: Any) -> None:
    """The per-hook policy for a plugin that raises is part of each hook's reference, and
    tests/test_raise_policy.py raises in every hook."""
    doc = " ".join((hook.__doc__ or "").split())
    assert re.search(r"If (it|the hook)[^.]* raises, [^.]*exit code 3", doc), doc
    policy = (REPO / "tests" / "test_raise_policy.py").read_text(encoding="utf-8")
    assert f'"{hook.__name__}"' in policy, f"no test raises in {hook.__name__}"


@pytest.fixture
def sample_args(tmp_path: Path) -> dict[str, Any]:
    """A value for every argument any hook takes."""
    campaign = loads_campaign(MINIMAL).unwrap()
    at = dt.datetime(2020, 6, 1, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return {
        "config": {},
        "campaign": campaign,
        "event": Event(at, "drill.start", "month"),
        "run": Run(campaign, now=at),
        "schedule": schedule_of(campaign),
        "path": pdf,
        "submission": Submission("east", "summary", at, {}),
        "requirement": campaign.requirements["summary"],
        "timezone": "Asia/Riyadh",
    }


@pytest.mark.parametrize("name", HOOKS)
def test_the_example_registers_and_runs(name: str, sample_args: dict[str, Any]) -> None:
    module = hookdocs.example_module(name)  # compiles and executes the example
    host = PluginHost()  # a fresh manager, with the hookspecs added
    host.register(module, PluginInfo("example", module.__name__, False))
    host.pm.check_pending()  # an implementation without a matching spec is an error
    impls = getattr(host.pm.hook, name).get_hookimpls()
    assert [impl.plugin_name for impl in impls] == ["example"]
    spec = inspect.signature(getattr(hookdocs.hookspecs, name))
    args = {arg: sample_args[arg] for arg in spec.parameters}
    if name == "campaignkit_configure":
        host.configure(args["config"], args["campaign"])
    else:
        result = host.call(name, **args)
        assert result is not None


def test_examples_take_no_defaults() -> None:
    for name in HOOKS:
        impl = getattr(hookdocs.example_module(name), name)
        for param in inspect.signature(impl).parameters.values():
            assert param.default is inspect.Parameter.empty, f"{name}({param.name}=...)"


def _test_sources() -> dict[str, str]:
    files = [*REPO.glob("tests/**/*.py"), *REPO.glob("plugins/*/tests/**/*.py")]
    sources = {}
    for file in files:
        relative = file.relative_to(REPO).as_posix()
        if relative not in META_TESTS:
            sources[relative] = file.read_text(encoding="utf-8")
    return sources


def test_every_hook_is_exercised_by_a_test() -> None:
    sources = _test_sources()
    untested = [
        name
        for name in HOOKS
        if not any(re.search(rf"\b{name}\b", source) for source in sources.values())
    ]
    assert not untested, (
        "no test implements or names these hooks (def campaignkit_NAME or a "
        f"'campaignkit_NAME' string in tests/ or plugins/*/tests/): {', '.join(untested)}"
    )
