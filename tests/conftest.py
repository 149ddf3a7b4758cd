"""Shared test data. The fixtures `run_cli` and `write_campaign` come from
`campaignkit.testing`, the pytest plugin campaignkit installs for plugin authors.

tests/ holds the core's tests, which need only `pip install -e '.[test]'`; the tests of the
first-party plugins working with the core are in tests/integration/, and each plugin's own
in plugins/*/tests."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

import campaignkit
from campaignkit.testing import CliResult

__all__ = [
    "MINIMAL",
    "REPO",
    "SHENZHEN",
    "CliResult",
    "east_channels",
    "page_code",
    "page_module",
    "run_page_tests",
    "without_reach",
]

REPO = Path(__file__).resolve().parent.parent
SHENZHEN = REPO / "campaigns" / "shenzhen_2020.toml"

# The smallest campaign that validates; tests append to it or replace parts of it.
MINIMAL = """\
format = 1

[campaign]
id = "mini"
title = "Minimal campaign"
issued_on = 2020-05-22
issued_by = "office"
timezone = "Asia/Shanghai"

[phases.month]
name = "Safety month"
start = 2020-06-01
end = 2020-06-30

[units.office]
name = "Safety office"
kind = "office"

[units.east]
name = "East district"
kind = "district"
parent = "office"

[groups]
districts = { kinds = ["district"] }

[requirements.summary]
name = "Summary"
assignees = ["districts"]
due = 2020-06-28
"""


# pytester forgets the modules first imported while a test uses it, and the facade keeps the
# names it handed out: every module of the facade is imported now, at collection, so that a
# page's plugin and the tests after a pytester run share one `spoken`, one `writing`.
for _name in campaignkit.__all__:
    getattr(campaignkit, _name)


@pytest.fixture(autouse=True)
def _session_cache(monkeypatch: pytest.MonkeyPatch, campaignkit_cache_dir: Path) -> None:
    """`campaignkit` started in a process of its own keeps its cache in the test session's
    folder too, not in the user's (`run_cli` does so for the commands run in-process)."""
    monkeypatch.setenv("CAMPAIGNKIT_CACHE_DIR", str(campaignkit_cache_dir))


def page_code(page: Path) -> tuple[str, str]:
    """A worked example's page (docs/plugins/*.md): its plugin module and its test module,
    the Python blocks before and after its "## Testing it", each joined."""
    plugin, tests = page.read_text(encoding="utf-8").split("\n## Testing it\n")

    def code(text: str) -> str:
        return "\n\n".join(re.findall(r"^```python\n(.*?)^```$", text, flags=re.M | re.S))

    return code(plugin), code(tests)


def run_page_tests(pytester: pytest.Pytester, page: Path, module: str) -> None:
    """Put a worked example's page together as a person would, its plugin as `module` and
    its tests beside it, and check that every test of the page passes."""
    plugin, tests = page_code(page)
    pytester.makepyfile(**{module: plugin, "test_the_page": tests})
    pytester.syspathinsert()
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=len(re.findall(r"^def test_", tests, flags=re.M)))


def page_module(
    page: Path, module: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[types.ModuleType, dict[str, object]]:
    """A worked example's plugin as the module `module` (its tests import it), and the
    names its test blocks define (its campaign, its scenario)."""
    plugin, tests = page_code(page)
    made = types.ModuleType(module)
    exec(compile(plugin, str(page), "exec"), made.__dict__)
    monkeypatch.setitem(sys.modules, module, made)
    namespace: dict[str, object] = {}
    exec(compile(tests, str(page), "exec"), namespace)
    return made, namespace


def east_channels(channels: str) -> str:
    """MINIMAL with the east district's `channels` table, such as `recording = "desk"`."""
    return MINIMAL.replace(
        'parent = "office"\n', f'parent = "office"\nchannels = {{ {channels} }}\n', 1
    )


def without_reach(problems: list[dict]) -> list[dict]:
    """Problems (as JSON) other than `unreachable`: whether a notifier reaches a unit depends
    on the plugins installed, not on the file, and most tests are about the file."""
    return [p for p in problems if p["code"] != "unreachable"]
