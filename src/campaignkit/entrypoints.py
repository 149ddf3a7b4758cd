"""Finding the plugins' entry points, without importing importlib.metadata at every start.

Importing ``importlib.metadata`` costs more (it brings the email package, to read
distributions' metadata) than the rest of what ``campaignkit validate`` adds to its own
dependencies' start-up. So for the command line (``cache=True``), the entry points of a
group, with their distributions' names and versions, are kept in a small JSON file in the
user's cache folder, under a key made of the folders Python imports from and the moment
each last changed. Installing, upgrading or removing a distribution changes its folder, so
the key changes and the entry points are read again. The file is only ever a copy:
deleting it is always safe, and when it cannot be read or written campaignkit reads the
entry points every time.

The file is also never trusted: what it names is imported. Each entry remembers the
``.dist-info`` folder of its distribution, and before anything is imported, each is checked
against that folder's own ``entry_points.txt`` (a small file, read without
``importlib.metadata``), in a folder Python imports from. When one disagrees, the entry
points are read again from the installed distributions.

``CAMPAIGNKIT_CACHE_DIR`` chooses the folder (default: ``$XDG_CACHE_HOME/campaignkit``, or
``~/.cache/campaignkit``). A library call (``cache=False``, the default) neither reads nor
writes the file: it reads the installed distributions, as importlib.metadata does.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import attrs

CACHE_FILE = "entry-points.json"
KEEP = 16
"""Environments remembered in the file (each virtual environment is one)."""


@attrs.frozen
class Found:
    """One entry point: its name, what it points to, and the distribution declaring it."""

    name: str
    value: str
    dist: str | None = None
    version: str | None = None
    folder: str | None = None
    """The distribution's ``.dist-info`` folder, which declares the entry point."""

    def load(self) -> Any:
        """Import what the entry point names: ``module`` or ``module:attribute``."""
        module, _, attribute = self.value.partition(":")
        found: Any = importlib.import_module(module.strip())
        for part in filter(None, attribute.strip().split(".")):
            found = getattr(found, part)
        return found


def cache_dir() -> Path:
    configured = os.environ.get("CAMPAIGNKIT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "campaignkit"


def entry_points(group: str, *, cache: bool = False) -> list[Found]:
    """The entry points of `group`, in the order importlib.metadata gives them; through the
    cache file when `cache` (the command line), else from the distributions alone."""
    if not cache:
        return _installed(group)
    key = _key(group)
    path = cache_dir() / CACHE_FILE
    known = _read(path)
    cached = _verified(known.get(key), group)
    if cached is not None:
        return cached
    found = _installed(group)
    known.pop(key, None)
    if all(f.folder for f in found):  # one that cannot be checked is read every time
        known[key] = [[f.name, f.value, f.dist, f.version, f.folder] for f in found]
    _write(path, dict(list(known.items())[-KEEP:]))
    return found


def _installed(group: str) -> list[Found]:
    """The entry points of `group`, read from the installed distributions."""
    from importlib import metadata

    return [
        Found(
            ep.name,
            ep.value,
            ep.dist.name if ep.dist else None,
            ep.dist.version if ep.dist else None,
            _folder(ep.dist),
        )
        for ep in metadata.entry_points(group=group)
    ]


def _folder(dist: Any) -> str | None:
    """The ``.dist-info`` (or ``.egg-info``) folder of a distribution found on the path."""
    # Only path distributions have one; `_path` is how importlib.metadata keeps it.
    folder = getattr(dist, "_path", None)
    if isinstance(folder, Path) and folder.suffix in (".dist-info", ".egg-info"):
        return os.path.abspath(folder)
    return None


def _verified(items: object, group: str) -> list[Found] | None:
    """The cached entry points of `group`, when each is declared where the cache says; None
    when they must be read again (not cached, an older shape, or disagreeing)."""
    if not isinstance(items, list):
        return None
    try:
        found = [Found(*item) for item in items]
    except TypeError:
        return None
    on_path = {os.path.abspath(entry or ".") for entry in sys.path}
    declared: dict[str, set[tuple[str, str]]] = {}
    for entry in found:
        folder = entry.folder
        texts = (entry.name, entry.value)
        if not (isinstance(folder, str) and all(isinstance(text, str) for text in texts)):
            return None  # the file is JSON anyone could have written: nothing is assumed
        if not folder.endswith((".dist-info", ".egg-info")):
            return None
        if os.path.dirname(folder) not in on_path:
            return None
        if folder not in declared:
            declared[folder] = _declared(Path(folder) / "entry_points.txt", group)
        if (entry.name, entry.value) not in declared[folder]:
            return None
    return found


def _declared(path: Path, group: str) -> set[tuple[str, str]]:
    """The (name, value) pairs of `group` in an ``entry_points.txt``, read as
    importlib.metadata reads it; none when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return set()
    pairs = set()
    section = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            name, _, value = line.partition("=")
            pairs.add((name.strip(), value.strip()))
    return pairs


def _key(group: str) -> str:
    """What the entry points depend on: this Python, its import path, and when each folder
    of it last changed."""
    stamps = []
    for entry in sys.path:
        try:
            stamps.append(f"{entry}\0{os.stat(entry or '.').st_mtime_ns}")
        except OSError:
            stamps.append(f"{entry}\0-")
    # The text itself is the key: hashing it would mean loading OpenSSL, slower than the rest.
    return "\n".join([group, sys.executable, sys.version, *stamps])


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, Any]) -> None:
    """Write the file whole or not at all: another campaignkit may be reading it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only home: read the entry points each time instead
