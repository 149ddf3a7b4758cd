"""docs/plugins/sms-notifier.md: its plugin is a module that runs, and its tests pass.

The page's Python blocks before "## Testing it" are the module `sms.py`, the ones after it
its tests, which deliver through a gateway on 127.0.0.1: put together as the page gives
them, they pass.
"""

from __future__ import annotations

import re

from conftest import REPO, page_code

pytest_plugins = ["pytester"]

PAGE = REPO / "docs" / "plugins" / "sms-notifier.md"


def test_the_page_is_a_plugin_module_and_its_passing_tests(pytester) -> None:
    plugin, tests = page_code(PAGE)
    pytester.makepyfile(sms=plugin, test_the_page=tests)
    pytester.syspathinsert()
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=len(re.findall(r"^def test_", tests, flags=re.M)))
