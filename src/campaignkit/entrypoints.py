"""Finding the plugins' entry points, without importing importlib.metadata at every start.

Importing ``importlib.metadata`` costs more (it brings the email package, to read
distributions' metadata) than the rest of what ``campaignkit validate`` adds to its own
dependencies' start-up. So the entry points of a group, with their distributions' names and
versions, are kept in a small JSON file in the user's cache folder, under a key made of the
folders Python imports from and the moment each last changed. Installing, upgrading or
removing a distribution changes its folder, so the key changes and the entry points are read
again. The file is only ever a copy: deleting it is always safe, and when it cannot be read
or written campaignkit reads the entry points every time.

``CAMPAIGNKIT_CACHE_DIR`` chooses the folder (default: ``$XDG_CACHE_HOME/campaignkit``, or
``~/.cache/campaignkit``).
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


def entry_points(group: str) -> list[Found]:
    """The entry points of `group`, in the order importlib.metadata gives them."""
    key = _key(group)
    path = cache_dir() / CACHE_FILE
    known = _read(path)
    try:
        return [Found(*item) for item in known[key]]
    except (KeyError, TypeError):
        pass  # not cached for this environment, or not in a shape this version writes
    from importlib import metadata

    found = [
        Found(
            ep.name,
            ep.value,
            ep.dist.name if ep.dist else None,
            ep.dist.version if ep.dist else None,
        )
        for ep in metadata.entry_points(group=group)
    ]
    known.pop(key, None)
    known[key] = [[f.name, f.value, f.dist, f.version] for f in found]
    _write(path, dict(list(known.items())[-KEEP:]))
    return found


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
