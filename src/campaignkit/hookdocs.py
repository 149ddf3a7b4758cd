"""Render the plugin hook reference from the hookspecs' signatures and docstrings.

``python -m campaignkit.hookdocs > docs/plugins/hooks.md`` regenerates the reference;
``tests/test_hookdocs.py`` fails the day a hook changes without it.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import re
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from . import hookspecs
from .exports import GROUPS
from .hookexamples import EXAMPLES

REGENERATE = "python -m campaignkit.hookdocs > docs/plugins/hooks.md"

_BANNER = re.compile(r"^# ── (.+?) ─+$")
_FIELD = re.compile(r"^:(param (\w+)|returns):\s*(.*)$")
_VERSIONADDED = re.compile(r"^\.\. versionadded:: (\S+)$")


def hooks() -> list[Callable[..., Any]]:
    """Every hookspec in `campaignkit.hookspecs`, in source order."""
    found = [
        value
        for name, value in vars(hookspecs).items()
        if name.startswith("campaignkit_") and hasattr(value, "campaignkit_spec")
    ]
    return sorted(found, key=lambda func: func.__code__.co_firstlineno)


def signature(func: Callable[..., Any]) -> str:
    """The hook's signature as written in the source: ``def name(arg: Type) -> Return: ...``."""
    sig = inspect.signature(func)
    params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
    return f"def {func.__name__}({params}) -> {sig.return_annotation}: ..."


def _sections() -> Iterator[tuple[str, list[Callable[..., Any]]]]:
    """The section banners of hookspecs.py, each with the hooks below it."""
    lines = inspect.getsource(hookspecs).splitlines()
    banners = [
        (number, match.group(1))
        for number, line in enumerate(lines, start=1)
        if (match := _BANNER.match(line))
    ]
    for index, (start, title) in enumerate(banners):
        end = banners[index + 1][0] if index + 1 < len(banners) else len(lines) + 1
        yield title, [f for f in hooks() if start < f.__code__.co_firstlineno < end]


def _inline(text: str) -> str:
    """reStructuredText inline literals (double backticks) to Markdown code."""
    return re.sub(r"``(.+?)``", r"`\1`", text)


def _docstring(func: Callable[..., Any]) -> str:
    """The docstring as Markdown: prose, then Arguments, Returns and Since."""
    prose: list[str] = []
    fields: list[tuple[str, list[str]]] = []  # ("param NAME" or "returns", its lines)
    since: str | None = None
    current: list[str] | None = None  # the field a continuation line belongs to
    for line in (inspect.getdoc(func) or "").splitlines():
        field = _FIELD.match(line)
        version = _VERSIONADDED.match(line)
        if field:
            current = [field.group(3)]
            fields.append((field.group(1), current))
        elif version:
            since, current = version.group(1), None
        elif current is not None and line.startswith(" "):
            current.append(line.strip())
        else:
            current = None
            prose.append(line)
    out = [_inline(line) for line in "\n".join(prose).strip().splitlines()]
    params = [
        (key[len("param ") :], _inline(" ".join(text))) for key, text in fields if key != "returns"
    ]
    returns = [_inline(" ".join(text)) for key, text in fields if key == "returns"]
    if params:
        out += ["", "**Arguments**", ""]
        out += [f"- `{name}`: {text}" for name, text in params]
    for text in returns:
        out += ["", f"**Returns** {text}"]
    if since is not None:
        out += ["", f"*Since {since}.*"]
    return "\n".join(out)


def _options(func: Callable[..., Any]) -> str:
    options = getattr(func, f"{hookspecs.PROJECT}_spec")
    marks = []
    if options.get("firstresult"):
        marks.append("**firstresult**: the first implementation to return a non-None value wins")
    if options.get("historic"):
        marks.append("**historic**: a plugin registered later still receives the call")
    if not marks:
        return "Every implementation is called; the results are collected in a list."
    return "; ".join(marks) + "."


def hook_reference() -> str:
    """The hook reference as Markdown: every hook, in source order, under its section."""
    out = [
        "# Plugin hooks",
        "",
        "> Generated from the docstrings in `campaignkit/hookspecs.py`;"
        f" regenerate with `{REGENERATE}`.",
        "",
        "Every hook campaignkit calls, in the order they are declared. A plugin implements a",
        "hook with a function of the same name decorated with `campaignkit.hookimpl`; it may",
        "accept any subset of the arguments. See [the plugin guide](index.md) for how",
        "plugins are installed, listed and disabled.",
    ]
    for title, funcs in _sections():
        out += ["", f"## {title[0].upper()}{title[1:]}"]
        for func in funcs:
            out += [
                "",
                f"### {func.__name__}",
                "",
                "```python",
                signature(func),
                "```",
                "",
                _options(func),
                "",
                _docstring(func),
                "",
                "Example:",
                "",
                "```python",
                textwrap.dedent(EXAMPLES[func.__name__]).strip(),
                "```",
            ]
    out += _records()
    out += _package()
    return "\n".join(out) + "\n"


def _records() -> list[str]:
    """The records hooks return and receive, from their classes' docstrings and fields."""
    import campaignkit

    out = [
        "",
        "## Records",
        "",
        "What hooks return and receive, all importable from `campaignkit`"
        " (`from campaignkit import Notifier`).",
    ]
    for name in RECORDS:
        cls = getattr(campaignkit, name)
        out += ["", f"### {name}", "", inspect.cleandoc(cls.__doc__ or "")]
        if attrs.has(cls):
            said = _field_docs(cls)
            out += ["", "| field | type | default | what it is |", "| --- | --- | --- | --- |"]
            for field in attrs.fields(cls):
                default = "" if field.default is attrs.NOTHING else f"`{field.default!r}`"
                if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                    default = "empty"
                kind = str(field.type).replace("|", "\\|")
                doc = said.get(field.name, "").replace("|", "\\|")
                out.append(f"| `{field.name}` | `{kind}` | {default} | {doc} |")
    return out


def _field_docs(cls: type) -> dict[str, str]:
    """Each field's docstring (the string below its line in the class), by name: Python
    keeps none of them at run time, so they are read from the source."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    body = ast.parse(source).body[0]
    nodes = body.body if isinstance(body, ast.ClassDef) else []
    found = {}
    for node, after in itertools.pairwise(nodes):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            found[node.target.id] = " ".join(after.value.value.split())
    return found


def _package() -> list[str]:
    """Every name the package `campaignkit` exports, by topic, with what it is."""
    import campaignkit

    out = [
        "",
        "## The package campaignkit",
        "",
        "Everything a plugin may import, and the only path it imports from: every other module",
        "inside campaignkit is internal and may move.",
    ]
    for title, names in GROUPS.items():
        out += ["", f"### {title}", "", "| name | what it is |", "| --- | --- |"]
        for name in names:
            value = getattr(campaignkit, name)
            if typing.get_origin(value) is typing.Literal:
                said = " or ".join(f"`{v}`" for v in typing.get_args(value))
            elif inspect.isclass(value) and value.__name__ != name:
                said = f"The name of `{value.__name__}` in 0.1, kept: code written then works."
            elif callable(value) or inspect.isclass(value):
                doc = inspect.getdoc(value) or ""
                said = doc.split("\n\n")[0].replace("\n", " ")
            else:
                said = f"`{value!r}`"
            escaped = said.replace("|", "\\|")
            out.append(f"| `{name}` | {escaped} |")
    return out


# The records a plugin author meets, in the order of the hooks that use them.
RECORDS = (
    "ConfigSection",
    "CliCommand",
    "Problem",
    "Event",
    "Schedule",
    "Notification",
    "Notifier",
    "Context",
    "Defer",
    "Decline",
    "DeliveryError",
    "EvidenceFormat",
    "EvidenceFacts",
    "Submission",
    "Verdict",
    "Report",
    "ReportFormat",
    "ReportColumn",
    "Workdays",
)


def example_module(name: str) -> types.ModuleType:
    """The example implementation of hook `name`, executed as a module of its own."""
    module = types.ModuleType(f"campaignkit_example_{name}")
    code = compile(textwrap.dedent(EXAMPLES[name]), f"<example {name}>", "exec")
    exec(code, module.__dict__)
    return module


if __name__ == "__main__":
    print(hook_reference(), end="")
