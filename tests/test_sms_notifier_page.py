"""docs/plugins/sms-notifier.md: its plugin is a module that runs, and its tests pass.

The page's Python blocks before "## Testing it" are the module `sms.py`, the ones after it
its tests, which deliver through a gateway on 127.0.0.1: put together as the page gives
them, they pass.
"""

from __future__ import annotations

from conftest import REPO, run_page_tests

pytest_plugins = ["pytester"]

PAGE = REPO / "docs" / "plugins" / "sms-notifier.md"


def test_the_page_is_a_plugin_module_and_its_passing_tests(pytester) -> None:
    run_page_tests(pytester, PAGE, "sms")
