"""``campaignkit notice FILE``: one notice as a document to file, print or send by hand — a
督办单 for an escalation — as text, a Word document in the official layout, or a PDF.

The words are those of `campaignkit.notices_for`: the notice the ledger's outbox holds, or
the one a tick would make. With ``--all``, one document per unit the notice applies to, in
a zip. A PDF is the Word document printed by LibreOffice (Debian's
``libreoffice-writer-nogui``); without it, ``-f pdf`` says so and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
import zoneinfo
from pathlib import Path
from typing import Annotated

import typer

from campaignkit import (
    Block,
    Campaign,
    NoticeRefused,
    Notification,
    existing_target,
    host_from,
    language_of,
    ledger_target,
    load_or_exit,
    moment,
    notices_for,
    open_ledger,
    translator,
    writing,
)

_ = translator("campaignkit_office", Path(__file__).parent / "locale")

OPTIONS = {
    "unit": "--unit",
    "requirement": "--requirement",
    "occurrence": "--occurrence",
    "kind": "--kind",
    "level": "--level",
}


class Kind(enum.StrEnum):
    txt = "txt"
    docx = "docx"
    pdf = "pdf"


def notice(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The campaign file.")],
    requirement: Annotated[str, typer.Option("--requirement", help="The requirement's id.")],
    kind: Annotated[
        str,
        typer.Option("--kind", help="reminder, overdue, escalation, rejected or returned."),
    ],
    unit: Annotated[str | None, typer.Option("--unit", help="The unit, by id or name.")] = None,
    all_units: Annotated[
        bool, typer.Option("--all", help="Every unit it applies to, one document each, zipped.")
    ] = False,
    level: Annotated[
        int | None, typer.Option("--level", help="For an escalation: the ladder's step.")
    ] = None,
    occurrence: Annotated[
        str | None, typer.Option("--occurrence", help="For a recurring requirement: the period.")
    ] = None,
    fmt: Annotated[Kind, typer.Option("--format", "-f", help="txt, docx or pdf.")] = Kind.txt,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="The ledger, a file or a postgresql:// URL (default: $CAMPAIGNKIT_DB, else"
            " beside the campaign file).",
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="As of this moment, or the end of this day (default: now)."),
    ] = None,
) -> None:
    """Write one notice as a document: the text, a Word document in the official layout
    (a 督办单 for an escalation), or a PDF. Exit 0 when written, 1 when no such notice
    applies, 2 for a slip."""
    if all_units == (unit is not None):
        raise typer.BadParameter("give --unit ID or --all", param_hint="--unit")
    campaign = load_or_exit(file, host_from(ctx))
    kept = existing_target(ledger_target(db, file))
    now = moment(at, campaign, option="--at") or dt.datetime.now(dt.UTC)
    with open_ledger(kept) as ledger:
        try:
            notes = notices_for(
                campaign, host_from(ctx), ledger, requirement=requirement, kind=kind,
                now=now, unit=unit, level=level, occurrence=occurrence,
            )  # fmt: skip
        except NoticeRefused as refused:
            _refuse(refused)
    documents = _documents(campaign, notes, fmt)
    target: Path | None
    if all_units:
        data = _zipped(documents)
        target = output or Path(f"{notes[0].requirement}-{kind}.zip")
    else:
        [(name, data)] = documents.items()
        target = output or (None if fmt is Kind.txt else Path(name))
    if target is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    target.write_bytes(data)
    said = _("✓ written to {path}: {count} notices")
    typer.echo(said.format(count=len(notes), path=target), err=True)


def _refuse(refused: NoticeRefused) -> None:
    no_notice = all(p.code == "no-notice" for p in refused.problems)
    for problem in refused.problems:
        option = OPTIONS.get(problem.path or "", problem.path)
        said = _("error: {option}: {message}").format(option=option, message=problem.message)
        typer.echo(said, err=True)
        if problem.hint:
            typer.echo(f"  {problem.hint}", err=True)
    raise typer.Exit(1 if no_notice else 2)


def _documents(campaign: Campaign, notes: list[Notification], fmt: Kind) -> dict[str, bytes]:
    """Each notice as a document of `fmt`, by its file's name in a zip."""
    names = [f"{n.chased}-{n.kind}" for n in notes]
    if fmt is Kind.txt:
        texts = [(n.text + "\n").encode("utf-8") for n in notes]
        return {f"{name}.txt": text for name, text in zip(names, texts, strict=True)}
    from .official import official_docx

    with writing(language_of(campaign)):
        letters = [_letter(campaign, n) for n in notes]
    docx = {name: official_docx(campaign, campaign.campaign.reference, blocks)
            for name, blocks in zip(names, letters, strict=True)}  # fmt: skip
    if fmt is Kind.docx:
        return {f"{name}.docx": data for name, data in docx.items()}
    return {f"{name}.pdf": data for name, data in _pdfs(docx).items()}


def _letter(campaign: Campaign, note: Notification) -> list[Block]:
    """The notice as a document: its title by kind, the words, who sends it and the day it
    goes out (its own, not the day the document is printed)."""
    titles = {
        "reminder": _("Reminder"),
        "overdue": _("Overdue notice"),
        "escalation": _("Escalation notice"),
        "rejected": _("Notice of refusal"),
        "returned": _("Returned for changes"),
    }
    title = titles.get(note.kind, note.kind)
    if note.label:
        title = _("{label}: {title}").format(label=note.label, title=title)
    blocks = [Block("title", title), Block("paragraph", note.text)]
    issuer = campaign.units.get(campaign.campaign.issued_by or "")
    if issuer is not None:
        blocks.append(Block("signature", issuer.name))
    day = note.at.astimezone(zoneinfo.ZoneInfo(campaign.timezone)).date()
    blocks.append(Block("date", day.isoformat()))
    return blocks


def _pdfs(documents: dict[str, bytes]) -> dict[str, bytes]:
    """The documents printed by LibreOffice, started once for all of them; exit 1 naming
    the package when it is missing."""
    soffice = shutil.which("soffice")
    if soffice is None:
        said = _("error: a PDF needs LibreOffice: apt-get install libreoffice-writer-nogui")
        typer.echo(said, err=True)
        raise typer.Exit(1)
    with tempfile.TemporaryDirectory() as folder:
        sources = []
        for name, data in documents.items():
            source = Path(folder) / f"{name}.docx"
            source.write_bytes(data)
            sources.append(str(source))
        # LibreOffice keeps a profile in HOME: its own here, so that runs never share one.
        env = {**os.environ, "HOME": folder}
        printed = Path(folder) / "pdf"
        command = [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(printed)]
        subprocess.run([*command, *sources], check=True, capture_output=True, timeout=600, env=env)
        return {name: (printed / f"{name}.pdf").read_bytes() for name in documents}


def _zipped(documents: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in documents.items():
            archive.writestr(name, data)
    return buffer.getvalue()
