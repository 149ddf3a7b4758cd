"""The command line finds plugins through a cached list of entry points that follows what is
installed; a library call reads the installed distributions and writes no cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import MINIMAL, SHENZHEN

from campaignkit import entrypoints, loads_campaign


def dist(site: Path, name: str, entry: str, module: str, version: str = "1.0") -> None:
    """A one-module distribution with a `campaignkit` entry point, as pip would install it."""
    (site / f"{module}.py").write_text("VALUE = 42\n", encoding="utf-8")
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[campaignkit]\n{entry} = {module}\n", "utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("CAMPAIGNKIT_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def cached() -> list[entrypoints.Found]:
    """The entry points as the command line finds them: through its cache."""
    return entrypoints.entry_points("campaignkit", cache=True)


def names(found: list[entrypoints.Found]) -> dict[str, tuple[str | None, str | None]]:
    return {f.name: (f.dist, f.version) for f in found}


def test_an_install_and_a_removal_are_seen(site: Path) -> None:
    dist(site, "acme-campaignkit", "acme", "acme_ep_one")
    assert names(cached())["acme"] == ("acme-campaignkit", "1.0")
    cache = json.loads((site.parent / "cache" / "entry-points.json").read_text("utf-8"))
    assert len(cache) == 1
    dist(site, "rival-campaignkit", "rival", "rival_ep_one", version="2.1")
    assert names(cached())["rival"] == ("rival-campaignkit", "2.1")
    for path in sorted(site.glob("rival_campaignkit-*/*")):
        path.unlink()
    next(site.glob("rival_campaignkit-*")).rmdir()
    assert "rival" not in names(cached())


def test_a_library_call_reads_the_installed_distributions_and_no_cache(site: Path) -> None:
    dist(site, "acme-campaignkit", "acme", "acme_ep_library")
    assert names(entrypoints.entry_points("campaignkit"))["acme"] == ("acme-campaignkit", "1.0")
    assert not (site.parent / "cache").exists()


def test_what_an_entry_point_names_is_loaded(site: Path) -> None:
    dist(site, "acme-campaignkit", "acme", "acme_ep_load")
    [found] = [f for f in cached() if f.name == "acme"]
    assert found.load().VALUE == 42
    assert entrypoints.Found("x", "json.decoder:JSONDecoder.decode").load().__name__ == "decode"


def test_a_damaged_cache_is_read_again(site: Path) -> None:
    dist(site, "acme-campaignkit", "acme", "acme_ep_damaged")
    cache = site.parent / "cache"
    cache.mkdir()
    for damage in ("{not json", '["a list"]', '{"key": 5}'):
        (cache / "entry-points.json").write_text(damage, encoding="utf-8")
        assert "acme" in names(cached())
    # A cache that cannot be written is no failure either: here its folder is a file.
    blocked = site.parent / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    os.environ["CAMPAIGNKIT_CACHE_DIR"] = str(blocked)
    assert "acme" in names(cached())
    assert blocked.read_text(encoding="utf-8") == ""


@pytest.mark.slow
def test_a_warm_start_does_not_import_importlib_metadata(tmp_path: Path) -> None:
    """importlib.metadata costs more to import than the rest of `validate`'s own start-up:
    the command line's second start finds the plugins in its cache."""
    site = tmp_path / "site"
    site.mkdir()
    dist(site, "acme-campaignkit", "acme", "acme_ep_warm")
    script = textwrap.dedent(
        """
        import sys
        from campaignkit.plugins import load_plugins
        host = load_plugins(cache=True)
        print("importlib.metadata" in sys.modules, "acme" in host.infos)
        """
    )
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "CAMPAIGNKIT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": path}
    # The cache's key holds when each folder of the import path last changed, the current
    # one included: a folder of its own, that nothing else writes to between the two runs.
    quiet = tmp_path / "cwd"
    quiet.mkdir()
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            cwd=quiet,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs == [["True", "True"], ["False", "True"]]


@pytest.mark.parametrize("folder", ["~/.cache/campaignkit", "CAMPAIGNKIT_CACHE_DIR"])
def test_a_library_call_writes_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli, folder: str
) -> None:
    """Only the command line keeps the list of installed plugins, to start quicker: a script
    that loads a campaign writes nothing into the user's home."""
    home = tmp_path / "home"
    home.mkdir()
    # An empty CAMPAIGNKIT_CACHE_DIR means the default folder, in the home.
    env = {"HOME": str(home), "CAMPAIGNKIT_CACHE_DIR": "" if folder.startswith("~") else str(home)}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert loads_campaign(MINIMAL).ok
    assert sorted(home.rglob("*")) == []
    # The command line, told the same folders, does keep it there: the check above can fail.
    assert run_cli("validate", SHENZHEN, env=env).exit_code == 0
    [cache] = [path for path in home.rglob("*") if path.is_file()]
    assert cache == entrypoints.cache_dir() / entrypoints.CACHE_FILE
