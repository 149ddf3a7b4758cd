"""`campaignkit new-plugin`: what it writes, from each template, installs by its entry point
and passes its tests."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import campaignkit

# The campaignkit under test: the plugins' tests and commands import it, not another copy.
SOURCE = Path(campaignkit.__file__).resolve().parent.parent

# Template → the plugin written from it: its name, its hooks, what it contributes, its tests.
TEMPLATES = {
    "check": (
        "notice",
        ["campaignkit_check_campaign", "campaignkit_config_sections"],
        {"config sections": ["notice"]},
        4,
    ),
    "notifier": (
        "texts",
        ["campaignkit_config_sections", "campaignkit_notifiers"],
        {"config sections": ["texts"], "notifiers": ["texts"]},
        7,
    ),
    "report": ("late-list", ["campaignkit_report_formats"], {"report formats": ["late-list"]}, 4),
    "timeline": (
        "eve",
        ["campaignkit_config_sections", "campaignkit_on_event", "campaignkit_timeline"],
        {"config sections": ["eve"]},
        6,
    ),
}


def run(*args: str, cwd: Path, site: Path | None = None) -> subprocess.CompletedProcess[str]:
    """A command in a process of its own, importing the campaignkit under test, and what
    is installed in `site`."""
    paths = [str(site), str(SOURCE)] if site is not None else [str(SOURCE)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A plugin from each template written by `new-plugin`, all installed (as wheels, in one
    pip call) into one folder: the folder of the distributions, and the one they went to."""
    root = tmp_path_factory.mktemp("new-plugin")
    for template, (name, *_rest) in TEMPLATES.items():
        made = run(
            sys.executable,
            "-m",
            "campaignkit",
            "new-plugin",
            f"campaignkit-{name}",
            *(["--template", template] if template != "check" else []),
            cwd=root,
        )
        assert made.returncode == 0, made.stderr
        assert f"wrote plugin `{name}`" in made.stdout
    # No build isolation: the build backend (hatchling) is one of campaignkit's test extras,
    # so this works offline.
    pip = run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--target",
        "site",
        *(f"./campaignkit-{name}" for name, *_rest in TEMPLATES.values()),
        cwd=root,
    )
    assert pip.returncode == 0, pip.stderr
    return root, root / "site"


@pytest.mark.slow
@pytest.mark.parametrize("template", TEMPLATES)
def test_it_writes_a_distribution_with_an_entry_point(
    installed: tuple[Path, Path], template: str
) -> None:
    root, _site = installed
    name = TEMPLATES[template][0]
    package = "campaignkit_" + name.replace("-", "_")
    folder = root / f"campaignkit-{name}"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "README.md",
        "pyproject.toml",
        f"src/{package}/__init__.py",
        f"src/{package}/py.typed",
        f"tests/test_{package}.py",
    ]
    pyproject = (folder / "pyproject.toml").read_text(encoding="utf-8")
    assert f'[project.entry-points.campaignkit]\n{name} = "{package}"' in pyproject


@pytest.mark.slow
@pytest.mark.parametrize("template", TEMPLATES)
def test_its_own_tests_pass_as_written(installed: tuple[Path, Path], template: str) -> None:
    root, site = installed
    name, _hooks, _contributes, tests = TEMPLATES[template]
    folder = root / f"campaignkit-{name}"
    done = run(
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=folder, site=site
    )
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.splitlines()[-1]
    assert summary.startswith(f"{tests} passed"), summary
    assert "skipped" not in summary


@pytest.mark.slow
def test_installed_they_are_listed_with_their_hooks(installed: tuple[Path, Path]) -> None:
    root, site = installed
    done = run(
        sys.executable,
        "-m",
        "campaignkit",
        "plugins",
        "--format",
        "json",
        cwd=root,
        site=site,
    )
    assert done.returncode == 0, done.stderr
    listed = {p["name"]: p for p in json.loads(done.stdout)["plugins"]}
    for name, hooks, contributes, _tests in TEMPLATES.values():
        plugin = listed[name]
        assert (plugin["dist"], plugin["version"], plugin["builtin"]) == (
            f"campaignkit-{name}",
            "0.1.0",
            False,
        )
        assert (plugin["hooks"], plugin["contributes"]) == (hooks, contributes), name


@pytest.mark.slow
def test_their_code_passes_ruff(installed: tuple[Path, Path]) -> None:
    root, _site = installed
    folders = [f"campaignkit-{name}" for name, *_rest in TEMPLATES.values()]
    rules = "E,F,W,I,B,UP"
    checked = run(
        sys.executable, "-m", "ruff", "check", "--no-cache", "--select", rules, *folders, cwd=root
    )
    assert checked.returncode == 0, checked.stdout
    formatted = run(
        sys.executable, "-m", "ruff", "format", "--check", "--no-cache", *folders, cwd=root
    )
    assert formatted.returncode == 0, formatted.stdout


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_uses_only_the_package_campaignkit(
    run_cli, tmp_path: Path, template: str
) -> None:
    result = run_cli("new-plugin", tmp_path / "campaignkit-x", "--template", template)
    assert result.exit_code == 0, result.output
    imported = set()
    for path in (tmp_path / "campaignkit-x").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
            elif isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
    assert {m for m in imported if m.startswith("campaignkit")} <= {"campaignkit", "campaignkit_x"}


def test_an_unknown_template_is_a_usage_error_naming_the_choices(run_cli, tmp_path: Path) -> None:
    result = run_cli("new-plugin", tmp_path / "x", "--template", "webhook")
    assert result.exit_code == 2
    assert "'webhook' is not one of 'check', 'notifier', 'report', 'timeline'" in result.stderr
    assert not (tmp_path / "x").exists()


def test_the_check_template_is_the_default(run_cli, tmp_path: Path) -> None:
    assert run_cli("new-plugin", tmp_path / "default", "--name", "notice").exit_code == 0
    assert (
        run_cli("new-plugin", tmp_path / "check", "-t", "check", "--name", "notice").exit_code == 0
    )
    written = {
        folder: {
            p.relative_to(tmp_path / folder).as_posix(): p.read_bytes()
            for p in (tmp_path / folder).rglob("*")
            if p.is_file()
        }
        for folder in ("default", "check")
    }
    assert written["default"] == written["check"]


def test_a_name_that_is_no_slug_is_refused(run_cli, tmp_path: Path) -> None:
    result = run_cli("new-plugin", tmp_path / "Notice_Plugin")
    assert result.exit_code == 1
    assert "`Notice_Plugin` cannot be a plugin's name" in result.stderr
    assert "(--name)" in result.stderr
    assert not (tmp_path / "Notice_Plugin").exists()


@pytest.mark.parametrize("description", ['Warns "loudly"', "a\\b", "two\nlines"])
def test_a_description_that_would_break_the_code_is_refused(
    run_cli, tmp_path: Path, description: str
) -> None:
    result = run_cli("new-plugin", tmp_path / "notice", "--description", description)
    assert result.exit_code == 1
    assert "--description must be one line without" in result.stderr
    assert not (tmp_path / "notice").exists()


def test_a_folder_with_files_is_left_alone(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run_cli("new-plugin", folder)
    assert result.exit_code == 1
    assert "already exists and is not an empty folder; nothing was written" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_the_name_can_be_given(run_cli, tmp_path: Path) -> None:
    result = run_cli("new-plugin", tmp_path / "x", "--name", "late-list")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x" / "src" / "campaignkit_late_list" / "__init__.py").is_file()
    assert 'late-list = "campaignkit_late_list"' in (tmp_path / "x" / "pyproject.toml").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_name_starting_with_a_digit_makes_valid_python(
    run_cli, tmp_path: Path, template: str
) -> None:
    made = run_cli("new-plugin", tmp_path / "x", "--name", "12350-hotline", "-t", template)
    assert made.exit_code == 0
    for path in (tmp_path / "x").rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    source = (tmp_path / "x" / "src" / "campaignkit_12350_hotline" / "__init__.py").read_text(
        encoding="utf-8"
    )
    if template != "report":  # the only one without settings
        assert "class Plugin12350HotlineSettings:" in source
