"""The JSON Schema of campaign format v1, generated from the model.

Editors that understand JSON Schema for TOML (Taplo, Even Better TOML) use it for completion
and hover text: put ``#:schema ./campaignkit.schema.json`` on the first line of a campaign.
TOML dates appear as strings with ``"format": "date"``.

The schema refuses nothing that ``validate`` accepts. A campaign with ``extends`` inherits
every table it does not write, so the keys a table requires are kept apart from the shape of
the tables (``$defs``), in one ``else`` that applies only to a file without ``extends``. An
array is replaced whole by a child, so the items of an array keep their requirements always.

A field's metadata may add to its key's schema: ``doc`` is its description, ``schema`` more
JSON Schema keywords (a ``pattern``, say), and ``refused`` leaves the key out, so that editors
flag it as unknown, while the record keeps it for a check that says why it is refused.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from .model import FORMAT_VERSION, ID_TABLES, Campaign, toml_key

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SLUG_PATTERN = "^[a-z0-9][a-z0-9-]*$"
EXPRESSION_PATTERN = (
    r"^\s*[a-z_][a-z0-9_]*(\.[a-z0-9][a-z0-9_-]*)*(\s*[+-]\s*[0-9]+\s*(wd|d|w))?\s*$"
)

TIME_PATTERN = r"^\s*[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?\s*$"
DELAY_PATTERN = r"^\s*[0-9]+\s*(d|wd)\s*$"


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}
        self.names: dict[type, str] = {}

    def def_name(self, cls: type) -> str:
        """The class's name in ``$defs``; two plugins' classes may share a short name."""
        name = self.names.get(cls)
        if name is None:
            taken = set(self.names.values())
            name = cls.__name__ if cls.__name__ not in taken else f"{cls.__module__}.{cls.__name__}"
            self.names[cls] = name
        return name

    def type_schema(self, tp: Any) -> dict[str, Any]:
        origin, args = get_origin(tp), get_args(tp)
        if tp is Any:
            return {}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if tp is str:
            return {"type": "string"}
        if tp is dt.date:
            return {
                "anyOf": [
                    {"type": "string", "format": "date"},
                    {
                        "type": "string",
                        "pattern": EXPRESSION_PATTERN,
                        "description": "a date expression: KEY.PATH [+|- N d|w|wd]",
                    },
                ]
            }
        if tp is dt.time:
            return {"type": "string", "pattern": TIME_PATTERN, "description": "a time of day"}
        if origin in (Union, types.UnionType) and set(args) - {type(None)} == {int, str}:
            return {
                "anyOf": [
                    {"type": "integer", "minimum": 1},
                    {"type": "string", "pattern": DELAY_PATTERN},
                ]
            }
        if origin is Literal:
            return {"enum": list(args)}
        if origin in (Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            if len(options) == 1:
                return self.type_schema(options[0])
            return {"anyOf": [self.type_schema(a) for a in options]}
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            items = self.type_schema(args[0])
            needs = self.requirements(args[0])
            return {"type": "array", "items": {"allOf": [items, needs]} if needs else items}
        if origin in (Mapping, dict):
            value = args[1]
            schema: dict[str, Any] = {
                "type": "object",
                "additionalProperties": self.type_schema(value),
            }
            if value in ID_TABLES.values():
                schema["propertyNames"] = {"pattern": SLUG_PATTERN}
            return schema
        if attrs.has(tp):
            name = self.def_name(tp)
            if name not in self.defs:
                self.defs[name] = {}  # placeholder: recursion-safe
                self.defs[name] = self.class_schema(tp)
            return {"$ref": f"#/$defs/{name}"}
        raise TypeError(f"no JSON Schema for {tp!r}")

    def class_schema(self, cls: type) -> dict[str, Any]:
        """The keys of `cls` and their types; what it requires is in `requirements`."""
        attrs.resolve_types(cls)
        properties: dict[str, Any] = {}
        for field in _fields(cls):
            prop = {**self.type_schema(field.type), **field.metadata.get("schema", {})}
            doc = field.metadata.get("doc")
            if doc:
                prop = {**prop, "description": doc}
            default = field.default
            if default is not attrs.NOTHING and not isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                if isinstance(default, dt.time):
                    default = default.isoformat(timespec="minutes")
                if default is not None:
                    prop["default"] = list(default) if isinstance(default, tuple) else default
            properties[toml_key(field)] = prop
        return {
            "type": "object",
            "description": (cls.__doc__ or "").strip().split("\n")[0],
            "properties": properties,
            "additionalProperties": False,
        }

    def requirements(self, tp: Any, seen: frozenset[type] = frozenset()) -> dict[str, Any]:
        """The keys `tp` requires, table by table down to arrays: {} when it requires none."""
        origin, args = get_origin(tp), get_args(tp)
        if origin in (Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            return self.requirements(options[0], seen) if len(options) == 1 else {}
        if origin in (Mapping, dict):
            needs = self.requirements(args[1], seen)
            return {"additionalProperties": needs} if needs else {}
        if not attrs.has(tp) or tp in seen:
            return {}
        attrs.resolve_types(tp)
        schema: dict[str, Any] = {}
        required = [toml_key(f) for f in _fields(tp) if f.default is attrs.NOTHING]
        if required:
            schema["required"] = required
        below = {toml_key(f): self.requirements(f.type, seen | {tp}) for f in _fields(tp)}
        if any(below.values()):
            schema["properties"] = {name: needs for name, needs in below.items() if needs}
        return schema


def _fields(cls: type) -> list[attrs.Attribute[Any]]:
    """The keys a file may write for `cls`: not an id that is its table's key, not a refused
    key (see the module's doc)."""
    keyed = cls in ID_TABLES.values()
    return [
        f
        for f in attrs.fields(cls)
        if not (keyed and f.name == "id") and not f.metadata.get("refused")
    ]


def json_schema(sections: Mapping[str, type] | None = None) -> dict[str, Any]:
    """The JSON Schema of format v1; `sections` adds each plugin's table by name."""
    builder = _Builder()
    root = builder.class_schema(Campaign)
    root["properties"]["format"] = {
        "const": FORMAT_VERSION,
        "description": "The format version: this schema describes format 1.",
    }
    plugins: dict[str, Any] = {
        "type": "object",
        "description": root["properties"]["plugins"].get("description", ""),
        "properties": {name: builder.type_schema(cls) for name, cls in (sections or {}).items()},
        # A table for a plugin that is not installed is a warning, not an error.
        "additionalProperties": {"type": "object"},
    }
    root["properties"]["plugins"] = plugins
    needs = builder.requirements(Campaign)
    tables = needs.setdefault("properties", {})
    # Half a span is refused, unless the other half may be inherited.
    activity = tables.setdefault("activities", {}).setdefault("additionalProperties", {})
    activity["dependentRequired"] = {"start": ["end"], "end": ["start"]}
    plugin_needs = {name: builder.requirements(cls) for name, cls in (sections or {}).items()}
    if any(plugin_needs.values()):
        tables["plugins"] = {
            "properties": {name: need for name, need in plugin_needs.items() if need}
        }
    # Every file says its format, one that extends another too; the rest it may inherit.
    needs["required"] = [key for key in needs["required"] if key != "format"]
    return {
        "$schema": DIALECT,
        "$id": "urn:campaignkit:schema:campaign:1",
        "title": f"campaignkit campaign, format {FORMAT_VERSION}",
        **root,
        "required": ["format"],
        "if": {"required": ["extends"]},
        "then": {"$comment": "A campaign that extends another inherits what it does not write."},
        "else": needs,
        "$defs": builder.defs,
    }
