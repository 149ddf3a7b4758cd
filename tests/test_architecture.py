"""The shape of the code, kept by tests: layers that point one way (import-linter's
contracts in pyproject.toml), no import cycle, no module over 400 lines, and plugins that
use only the package `campaignkit`, as every outside plugin must."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "campaignkit"
MAX_LINES = 400


def lint_imports(source: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with the project's contracts, on the package found in `source`."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    run = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    command = [sys.executable, "-c", run, "--config", str(ROOT / "pyproject.toml"), "--no-cache"]
    return subprocess.run(
        command, cwd=source, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_layers_point_one_way() -> None:
    done = lint_imports(ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" not in done.stdout.replace("0 broken", "")


@pytest.mark.slow
def test_an_import_against_the_layers_breaks_the_contract(tmp_path: Path) -> None:
    """The contracts are not empty words: the domain importing the command line fails."""
    shutil.copytree(PACKAGE, tmp_path / "campaignkit", ignore=shutil.ignore_patterns("*.pyc"))
    model = tmp_path / "campaignkit" / "model.py"
    model.write_text(
        model.read_text(encoding="utf-8") + "\nfrom .cli import output  # noqa\n", encoding="utf-8"
    )
    done = lint_imports(tmp_path)
    assert done.returncode != 0
    assert "The layers point one way BROKEN" in done.stdout
    assert "campaignkit.model -> campaignkit.cli.output" in done.stdout


def test_no_import_cycle_not_even_for_type_checking() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    try:
        graph = grimp.build_graph("campaignkit", cache_dir=None)
    finally:
        sys.path.remove(str(ROOT / "src"))
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if module != "campaignkit" and graph.chain_exists(imported, module):
                cycles.append(f"{module} -> {imported}")
    assert not cycles, cycles


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these by what they do: {long}"


def _imports(path: Path) -> list[tuple[int, str]]:
    """The modules a file imports, with their lines (relative imports made absolute)."""
    src = next(parent for parent in path.parents if parent.name == "src")
    package = path.relative_to(src).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                found.append((node.lineno, ".".join([*base, node.module or ""]).rstrip(".")))
            else:
                found.append((node.lineno, node.module or ""))
    return found


def _outside_the_facade(files: list[Path], own: str) -> list[str]:
    wrong = []
    for path in files:
        for line, module in _imports(path):
            top = module.split(".")[0]
            if top == "campaignkit" and module != "campaignkit" and not module.startswith(own):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return wrong


def test_the_built_in_plugins_use_only_the_package_campaignkit() -> None:
    files = sorted((PACKAGE / "builtin").glob("*.py"))
    assert len(files) > 5
    assert not _outside_the_facade(files, "campaignkit.builtin")


def test_every_first_party_plugin_uses_only_the_package_campaignkit() -> None:
    sources = sorted(ROOT.glob("plugins/*/src/*/**/*.py"))
    assert len(sources) > 10
    assert not _outside_the_facade(sources, "campaignkit_")


def test_the_plugin_docs_import_only_from_campaignkit() -> None:
    code = re.compile(r"```python\n(.*?)```", re.S)
    wrong = []
    for page in sorted((ROOT / "docs" / "plugins").glob("*.md")):
        for block in code.findall(page.read_text(encoding="utf-8")):
            for line in block.splitlines():
                found = re.match(r"\s*(?:from|import) (campaignkit\.[\w.]+)", line)
                if found and found.group(1) != "campaignkit.testing":
                    wrong.append(f"{page.name}: {line.strip()}")
    assert not wrong, wrong


def _imported_names(path: Path) -> set[str]:
    """What a file imports, modules and the names taken from them (``from . import x``
    imports ``package.x``), relative imports made absolute, those inside functions too."""
    found = {module for _line, module in _imports(path)}
    src = next(parent for parent in path.parents if parent.name == "src")
    package = path.relative_to(src).with_suffix("").parts[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_no_command_imports_another() -> None:
    """Commands do not import each other. A command module is one that the command table
    (``COMMANDS`` in cli/app.py) names; it may import the helpers every command shares
    (cli/app.py, cli/output.py, cli/exits.py, cli/moments.py: none of them defines a
    command) and the library, where the use cases are. What two commands both need goes
    into a shared helper if it is about the command line, into the library otherwise."""
    from campaignkit.cli.app import COMMANDS

    commands = {f"campaignkit.cli.{builtin.module}" for builtin in COMMANDS.values()}
    assert len(commands) > 10
    wrong = []
    for module in sorted(commands):
        path = PACKAGE / "cli" / f"{module.rsplit('.', 1)[1]}.py"
        for imported in sorted(_imported_names(path) & (commands - {module})):
            wrong.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert not wrong, wrong
