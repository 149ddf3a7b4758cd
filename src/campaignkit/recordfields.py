"""How the records of format v1 declare their fields: each with its ``doc``, which feeds
the JSON Schema and the editor's hover text, and the key the file writes it under."""

from __future__ import annotations

from typing import Any

import attrs


def _doc(text: str, *, key: str | None = None, **kwargs: Any) -> Any:
    """A field with its `doc`; `key` when the TOML key is not the field's name (``from``
    is a word of Python's)."""
    metadata = {"doc": text, **({"key": key} if key else {})}
    return attrs.field(metadata=metadata, **kwargs)


def toml_key(field: attrs.Attribute[Any]) -> str:
    """The key a field is written under in the campaign file."""
    return str(field.metadata.get("key", field.name))


def _items(text: str) -> Any:
    """A list of ids or names: a tuple in the record, an array in TOML."""
    return attrs.field(metadata={"doc": text}, factory=tuple)
