"""The catalogs: every message a person reads is translated, and what ships is compiled.

The messages are found the way Babel finds them for a translator (`pybabel extract`); a
message that is missing, fuzzy or left over, a placeholder a translation lost, or a
``.mo`` older than its ``.po`` fails here with the command that mends it.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
# Each distribution's package and the catalog its messages belong to.
PACKAGES = {
    ROOT / "src" / "campaignkit": "campaignkit",
    **{
        path: path.name
        for path in sorted((ROOT / "plugins").glob("*/src/campaignkit_*"))
        if (path / "locale").is_dir()
    },
}
LANGUAGES = ("zh",)
KEYWORDS = {"_": None, "ngettext": (1, 2)}
UPDATE = (
    "update the catalogs with `python scripts/catalog.py update`, translate what is new in "
    "{package}/locale, then `python scripts/catalog.py compile`"
)
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _sources(package: Path) -> dict[str, list[str]]:
    """Each message of `package`'s code (the singular and plural of a plural one), with the
    files that say it."""
    found: dict[str, list[str]] = {}
    for name, _line, message, _comments, _context in extract_from_dir(
        package, method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.setdefault(text, []).append(name)
    return found


def _entries(package: Path, domain: str, language: str) -> list[tuple[tuple[str, ...], str]]:
    """Each message of a catalog: its id (singular and plural) and its translation, empty
    when there is none or it is fuzzy."""
    path = package / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    out = []
    for message in catalog:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            out.append((ids, "" if message.fuzzy else strings[0]))
    return out


def _catalog(package: Path, domain: str, language: str) -> dict[str, str]:
    return {text: string for ids, string in _entries(package, domain, language) for text in ids}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("package", list(PACKAGES), ids=lambda p: p.name)
def test_every_message_is_translated(package: Path, language: str) -> None:
    domain = PACKAGES[package]
    said = _sources(package)
    translated = _catalog(package, domain, language)
    missing = sorted(m for m in said if not translated.get(m))
    left_over = sorted(m for m in translated if m not in said)
    hint = UPDATE.format(package=package.relative_to(ROOT))
    assert not missing, f"not translated into {language}: {missing[:10]}; {hint}"
    assert not left_over, f"no longer said by the code: {left_over[:10]}; {hint}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("package", list(PACKAGES), ids=lambda p: p.name)
def test_translations_keep_the_placeholders(package: Path, language: str) -> None:
    domain = PACKAGES[package]
    lost = []
    for ids, string in _entries(package, domain, language):
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        if string and sorted(PLACEHOLDER.findall(string)) != wanted:
            lost.append((ids[-1], string))
    assert not lost, lost[:5]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("package", list(PACKAGES), ids=lambda p: p.name)
def test_the_compiled_catalog_is_the_written_one(package: Path, language: str) -> None:
    domain = PACKAGES[package]
    folder = package / "locale" / language / "LC_MESSAGES"
    with (folder / f"{domain}.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        ids[0]
        for ids, string in _entries(package, domain, language)
        if string
        and string != (compiled.ngettext(*ids, 1) if len(ids) == 2 else compiled.gettext(*ids))
    ]
    hint = "python scripts/catalog.py compile"
    assert not stale, f"{folder / domain}.mo is older than its .po: {stale[:5]}; run {hint}"


@pytest.mark.parametrize("package", list(PACKAGES), ids=lambda p: p.name)
def test_messages_are_literals(package: Path) -> None:
    """`_(f"…")` or `_(name)` cannot be extracted, and so is never translated."""
    wrong = []
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # Babel does not look inside an f-string's braces.
        hidden = {
            id(node)
            for string in ast.walk(tree)
            if isinstance(string, ast.JoinedStr)
            for node in ast.walk(string)
        }
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in KEYWORDS
            ):
                continue
            if id(node) in hidden:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} (inside an f-string)")
            else:
                count = 2 if node.func.id == "ngettext" else 1
                literal = all(
                    isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                    for arg in node.args[:count]
                )
                if not literal or len(node.args) < count:
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not wrong, f"a message must be a string literal, with named placeholders: {wrong}"
