"""The repository keeps its promises to a new user: two commands that install everything."""

from __future__ import annotations

import re

from conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Two commands.*?```sh\n(.*?)```", text, re.S)
    assert block, "README.md needs a `## Two commands` section with a sh block"
    return block.group(1).strip().splitlines()


def test_readme_has_exactly_two_commands_install_and_test() -> None:
    install, tests = readme_commands()
    assert "requirements-dev.txt" in install
    assert "campaignkit" in install.split("&&")[-1], "the first command runs the main job"
    assert "campaigns/shenzhen_2020.toml" in install
    assert "pytest" in tests


def test_every_plugin_distribution_is_installed_by_the_first_command() -> None:
    listed = {
        line.split(maxsplit=1)[-1].strip().split("[")[0].rstrip("/")
        for line in (REPO / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith("-e ")
    }
    plugins = {
        f"plugins/{p.name}" for p in (REPO / "plugins").glob("*") if (p / "pyproject.toml").exists()
    }
    assert plugins <= listed, f"add to requirements-dev.txt: {sorted(plugins - listed)}"
    assert "." in listed


def test_ci_runs_the_readme_commands_and_the_linters() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci
    for tool in ("ruff check", "ruff format --check", "mypy src/"):
        assert tool in ci
