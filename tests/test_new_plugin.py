"""`campaignkit new-plugin`: what it writes installs by its entry point and passes its tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A plugin written by `new-plugin`, installed (as a wheel) into a folder of its own."""
    root = tmp_path_factory.mktemp("new-plugin")
    made = run(sys.executable, "-m", "campaignkit", "new-plugin", "campaignkit-notice", cwd=root)
    assert made.returncode == 0, made.stderr
    assert "wrote plugin `notice`" in made.stdout
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
        "./campaignkit-notice",
        cwd=root,
    )
    assert pip.returncode == 0, pip.stderr
    return root / "campaignkit-notice", root / "site"


@pytest.mark.slow
def test_it_writes_a_distribution_with_an_entry_point(installed: tuple[Path, Path]) -> None:
    folder, _site = installed
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "README.md",
        "pyproject.toml",
        "src/campaignkit_notice/__init__.py",
        "src/campaignkit_notice/py.typed",
        "tests/test_campaignkit_notice.py",
    ]
    pyproject = (folder / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.campaignkit]\nnotice = "campaignkit_notice"' in pyproject


@pytest.mark.slow
def test_its_own_tests_pass_as_written(installed: tuple[Path, Path]) -> None:
    folder, site = installed
    done = run(
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=folder, pythonpath=site
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout


@pytest.mark.slow
def test_installed_it_is_listed_and_checks_campaigns(installed: tuple[Path, Path]) -> None:
    folder, site = installed
    done = run(
        sys.executable,
        "-m",
        "campaignkit",
        "plugins",
        "--format",
        "json",
        cwd=folder,
        pythonpath=site,
    )
    assert done.returncode == 0, done.stderr
    [notice] = [p for p in json.loads(done.stdout)["plugins"] if p["name"] == "notice"]
    assert (notice["dist"], notice["version"], notice["builtin"]) == (
        "campaignkit-notice",
        "0.1.0",
        False,
    )
    assert notice["hooks"] == ["campaignkit_check_campaign", "campaignkit_config_sections"]
    assert notice["contributes"] == {"config sections": ["notice"]}


@pytest.mark.slow
def test_its_code_passes_ruff(installed: tuple[Path, Path]) -> None:
    folder, _site = installed
    done = run(
        sys.executable,
        "-m",
        "ruff",
        "check",
        "--no-cache",
        "--select",
        "E,F,W,I,B,UP",
        ".",
        cwd=folder,
    )
    assert done.returncode == 0, done.stdout


def test_a_name_that_is_no_slug_is_refused(run_cli, tmp_path: Path) -> None:
    result = run_cli("new-plugin", tmp_path / "Notice_Plugin")
    assert result.exit_code == 1
    assert "`Notice_Plugin` cannot be a plugin's name" in result.stderr
    assert "(--name)" in result.stderr
    assert not (tmp_path / "Notice_Plugin").exists()


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


def test_a_name_starting_with_a_digit_makes_valid_python(run_cli, tmp_path: Path) -> None:
    assert run_cli("new-plugin", tmp_path / "x", "--name", "12350-hotline").exit_code == 0
    source = (tmp_path / "x" / "src" / "campaignkit_12350_hotline" / "__init__.py").read_text(
        encoding="utf-8"
    )
    compile(source, "__init__.py", "exec")
    assert "class Plugin12350HotlineSettings:" in source
