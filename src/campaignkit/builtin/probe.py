"""Built-in plugin ``probe``: what any evidence file is, by its content.

It answers last (``trylast``), for every file: its size, and its real format and kind from
its content — its first bytes, the streams of a compound file (Office 97–2003, WPS), the
members of a zip (Office, OpenDocument, OFD) — never from its name, which it does not see: a
PNG renamed ``.jpg`` is a PNG here. It declares every name it reports
(``campaignkit_evidence_formats``). Widths, heights and durations need a media plugin
(``campaignkit-media``).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from campaignkit import EvidenceFacts, EvidenceFormat, hookimpl
from campaignkit import gettext as _

HEAD = 4096

# Every name `sniff` reports, with how it knows: docs/evidence.md lists them for people.
FORMATS = (
    EvidenceFormat("jpg", "photo", "JPEG: starts with FF D8 FF", ("jpeg",)),
    EvidenceFormat("png", "photo", "PNG: the PNG signature"),
    EvidenceFormat("gif", "photo", "GIF: starts with GIF87a or GIF89a"),
    EvidenceFormat("webp", "photo", "WebP: a RIFF file of type WEBP"),
    EvidenceFormat("tiff", "photo", "TIFF: starts with II*\\0 or MM\\0*", ("tif",)),
    EvidenceFormat("heif", "photo", "HEIF, HEIC: an ISO media file of a HEIF brand", ("heic",)),
    EvidenceFormat("avif", "photo", "AVIF: an ISO media file of brand avif"),
    EvidenceFormat("mp4", "video", "MP4: an ISO media file of any other brand", ("mpeg4",)),
    EvidenceFormat("mov", "video", "QuickTime: brand `qt  `, or a moov, mdat, wide or free atom"),
    EvidenceFormat("mkv", "video", "Matroska: an EBML header"),
    EvidenceFormat("webm", "video", "WebM: an EBML header naming webm"),
    EvidenceFormat("avi", "video", "AVI: a RIFF file of type AVI"),
    EvidenceFormat("pdf", "document", "PDF: %PDF- in its first kilobyte"),
    EvidenceFormat("ofd", "document", "OFD (GB/T 33190): a zip with OFD.xml at its root"),
    EvidenceFormat("rtf", "document", "RTF: starts with {\\rtf"),
    EvidenceFormat("doc", "document", "Word 97–2003: a compound file with a WordDocument stream"),
    EvidenceFormat("docx", "document", "Word: a zip with a word/ folder"),
    EvidenceFormat("odt", "document", "OpenDocument text: a zip whose mimetype says so"),
    EvidenceFormat(
        "ppt", "document", "PowerPoint 97–2003: a compound file with a PowerPoint Document stream"
    ),
    EvidenceFormat("pptx", "document", "PowerPoint: a zip with a ppt/ folder"),
    EvidenceFormat("odp", "document", "OpenDocument presentation: a zip whose mimetype says so"),
    EvidenceFormat("html", "document", "HTML: text starting <!doctype html or <html", ("htm",)),
    EvidenceFormat("txt", "document", "plain text: no control bytes in its first 4 KB"),
    EvidenceFormat(
        "xls",
        "spreadsheet",
        "Excel 97–2003 and 5.0: a compound file with a Workbook or Book stream",
    ),
    EvidenceFormat("xlsx", "spreadsheet", "Excel: a zip with an xl/ folder"),
    EvidenceFormat("ods", "spreadsheet", "OpenDocument spreadsheet: a zip whose mimetype says so"),
    EvidenceFormat("zip", "other", "zip archive: any other zip"),
    EvidenceFormat("rar", "other", "RAR archive: starts with Rar!"),
    EvidenceFormat("7z", "other", "7-Zip archive: the 7z signature"),
    EvidenceFormat("ole", "other", "a compound file with none of Office's streams"),
)


class Sniffed(NamedTuple):
    """What a file's content says it is, and what is wrong with it, if anything."""

    format: str | None
    kind: str
    problem: str | None = None


UNKNOWN = Sniffed(None, "other")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MP4_BRANDS_QUICKTIME = (b"qt  ",)
HEIF_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"avif")
# The streams at the root of a compound file that name the program that wrote it. WPS Office
# writes its .wps, .et and .dps files with these same streams (adding `WpsCustomData`), so
# its files are told from Office's by their names, in the evidence rules.
OFFICE_STREAMS = (
    ("worddocument", Sniffed("doc", "document")),
    ("workbook", Sniffed("xls", "spreadsheet")),
    ("book", Sniffed("xls", "spreadsheet")),  # Excel 5.0
    ("powerpoint document", Sniffed("ppt", "document")),
)
# Office Open XML and OpenDocument files are zip archives; a member tells which.
ZIP_FOLDERS = (
    ("word/", Sniffed("docx", "document")),
    ("xl/", Sniffed("xlsx", "spreadsheet")),
    ("ppt/", Sniffed("pptx", "document")),
)
OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": Sniffed("odt", "document"),
    b"application/vnd.oasis.opendocument.spreadsheet": Sniffed("ods", "spreadsheet"),
    b"application/vnd.oasis.opendocument.presentation": Sniffed("odp", "document"),
}
# The bytes of text: all but NUL and the control characters text never holds, the test
# that `file` and git make for text.
TEXT_BYTES = bytes({7, 8, 9, 10, 12, 13, 27, *range(0x20, 0x100)} - {0x7F})


def sniff(head: bytes, path: Path) -> Sniffed:
    """What the file at `path` is, from its first bytes `head` and, for containers, its
    insides; ``Sniffed(None, "other")`` when the content says nothing known."""
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("jpg", "photo")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("png", "photo")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("gif", "photo")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("webp", "photo")
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return Sniffed("avi", "video")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return Sniffed("tiff", "photo")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in HEIF_BRANDS:
            return Sniffed("avif" if brand == b"avif" else "heif", "photo")
        return Sniffed("mov" if brand in MP4_BRANDS_QUICKTIME else "mp4", "video")
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free"):
        return Sniffed("mov", "video")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Sniffed("webm" if b"webm" in head[:64] else "mkv", "video")
    if b"%PDF-" in head[:1024]:  # readers allow a little junk before the header
        return Sniffed("pdf", "document")
    if head.startswith(b"{\\rtf"):
        return Sniffed("rtf", "document")
    if head.startswith(OLE_MAGIC):
        return _compound(path)
    if head.startswith(b"PK\x03\x04"):
        return _zip(path)
    if head.startswith(b"Rar!\x1a\x07"):
        return Sniffed("rar", "other")
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return Sniffed("7z", "other")
    return _text(head)


def _compound(path: Path) -> Sniffed:
    """A compound file: Word, Excel or PowerPoint 97–2003 by the streams at its root."""
    import olefile  # type: ignore[import-untyped]  # only when a compound file is probed

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {entry[0].lower() for entry in ole.listdir() if len(entry) == 1}
    except Exception:  # olefile raises OSError, IndexError, struct.error… for a damaged file
        return Sniffed("ole", "other", _damaged(_("an Office 97–2003 or WPS file")))
    for stream, found in OFFICE_STREAMS:
        if stream in streams:
            return found
    if {"encryptioninfo", "encryptedpackage"} <= streams:
        return Sniffed(
            "ole", "other", _("the file is locked with a password: hand it in without one")
        )
    return Sniffed("ole", "other")


def _zip(path: Path) -> Sniffed:
    import zipfile  # only when a zip is probed

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if any(name.lower() == "ofd.xml" for name in names):
                return Sniffed("ofd", "document")
            for folder, found in ZIP_FOLDERS:
                if any(name.startswith(folder) for name in names):
                    return found
            if "mimetype" in names:
                known = OPENDOCUMENT.get(archive.read("mimetype").strip())
                if known is not None:
                    return known
    except Exception:  # a damaged zip raises BadZipFile, OSError, EOFError, zlib.error…
        what = _("a zip archive (docx, xlsx, pptx, ofd…)")
        return Sniffed("zip", "other", _damaged(what))
    return Sniffed("zip", "other")


def _damaged(what: str) -> str:
    message = _("the file is damaged: it starts like {what}, but its contents cannot be read")
    return message.format(what=what)


def _text(head: bytes) -> Sniffed:
    """Plain text or HTML, in any encoding that has no NUL bytes (UTF-8, GBK…) or UTF-16."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
        if any(char < " " and char not in "\t\n\f\r\x1b\x07\x08" for char in text):
            return UNKNOWN
        start = text.lstrip("\ufeff \t\r\n")[:14].lower()
    elif head.translate(None, TEXT_BYTES):
        return UNKNOWN
    else:
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:14].decode("latin-1").lower()
    if start.startswith(("<!doctype html", "<html")):
        return Sniffed("html", "document")
    return Sniffed("txt", "document")


@hookimpl
def campaignkit_evidence_formats() -> tuple[EvidenceFormat, ...]:
    return FORMATS


@hookimpl(trylast=True)
def campaignkit_probe_evidence(path: Path) -> EvidenceFacts:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD)
    except OSError as error:
        trouble = _("the file cannot be read: {reason}").format(reason=error.strerror or error)
        return EvidenceFacts(path=path, problems=(trouble,))
    if size == 0:
        return EvidenceFacts(path=path, size_bytes=0, problems=(_("the file is empty"),))
    found = sniff(head, path)
    problems = (found.problem,) if found.problem else ()
    return EvidenceFacts(
        path=path, kind=found.kind, format=found.format, size_bytes=size, problems=problems
    )
