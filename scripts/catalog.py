"""Keep the message catalogs of campaignkit and its plugins in step with the code.

    python scripts/catalog.py update               # new messages into every .po, untranslated
    python scripts/catalog.py fill zh FILE.json…   # translations from {"message": "翻译"}
    python scripts/catalog.py compile              # every .po into the .mo that ships

A package has catalogs when it has a ``locale`` folder: ``src/campaignkit`` and any plugin's
``plugins/*/src/campaignkit_*``. tests/test_catalog.py fails until every message is
translated and compiled.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def packages() -> list[tuple[Path, str]]:
    """(package folder, catalog domain) for each package with a ``locale`` folder."""
    found = [(ROOT / "src" / "campaignkit", "campaignkit")]
    found += [(p, p.name) for p in sorted((ROOT / "plugins").glob("*/src/campaignkit_*"))]
    return [(package, domain) for package, domain in found if (package / "locale").is_dir()]


def pybabel(*arguments: str | Path) -> None:
    CommandLineInterface().run(["pybabel", "-q", *map(str, arguments)])  # type: ignore[no-untyped-call]


def fill(language: str, files: list[str]) -> None:
    """Translate the messages the JSON `files` map to their translation (a plural message by
    its singular), in every catalog that has them; a translation already there is kept
    unless a file gives another."""
    given: dict[str, str] = {}
    for name in files:
        given.update(json.loads(Path(name).read_text(encoding="utf-8")))
    for package, domain in packages():
        path = package / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key and key in given:
                plural = isinstance(message.id, tuple)
                message.string = (given[key],) * catalog.num_plurals if plural else given[key]
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0, sort_output=True, ignore_obsolete=True)


def main(command: str, *arguments: str) -> None:
    if command == "fill" and arguments:
        fill(arguments[0], list(arguments[1:]))
        return
    for package, domain in packages():
        locale = package / "locale"
        if command == "update":
            with tempfile.TemporaryDirectory() as folder:
                template = Path(folder) / f"{domain}.pot"
                pybabel("extract", "--no-location", "--sort-output", "-o", template, package)
                pybabel(
                    "update", "--no-fuzzy-matching", "--no-wrap", "--ignore-obsolete",
                    "-i", template, "-d", locale, "-D", domain,
                )  # fmt: skip
        elif command == "compile":
            pybabel("compile", "--statistics", "-d", locale, "-D", domain)
        else:
            sys.exit(f"usage: python {sys.argv[0]} update | fill LANGUAGE FILE… | compile")


if __name__ == "__main__":
    main(*(sys.argv[1:] or [""]))
