"""Built-in plugin ``probe``: what any evidence file is, by its content.

It answers last (``trylast``), for every file: its size, and its real format and kind from
its first bytes — never from its name. A PNG renamed ``.jpg`` is a PNG here. Widths,
heights and durations need a media plugin (``campaignkit-media``).
"""

from __future__ import annotations

from pathlib import Path

from campaignkit import hookimpl
from campaignkit.records import EvidenceFacts

HEAD = 4096

# Office Open XML and OpenDocument files are zip archives; a member tells which.
ZIP_MEMBERS = (
    ("word/document.xml", "docx", "document"),
    ("xl/workbook.xml", "xlsx", "spreadsheet"),
    ("ppt/presentation.xml", "pptx", "document"),
)
OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": ("odt", "document"),
    b"application/vnd.oasis.opendocument.spreadsheet": ("ods", "spreadsheet"),
    b"application/vnd.oasis.opendocument.presentation": ("odp", "document"),
}
MP4_BRANDS_QUICKTIME = (b"qt  ",)
HEIF_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"avif")


def sniff(head: bytes, path: Path) -> tuple[str | None, str]:
    """(format, kind) from a file's first bytes; (None, "other") when unknown."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg", "photo"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "photo"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif", "photo"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", "photo"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi", "video"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff", "photo"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in HEIF_BRANDS:
            return ("avif" if brand == b"avif" else "heif"), "photo"
        return ("mov" if brand in MP4_BRANDS_QUICKTIME else "mp4"), "video"
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free"):
        return "mov", "video"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return ("webm" if b"webm" in head[:64] else "mkv"), "video"
    if head.startswith(b"%PDF-"):
        return "pdf", "document"
    if head.startswith(b"{\\rtf"):
        return "rtf", "document"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole(path)
    if head.startswith(b"PK\x03\x04"):
        return _zip(path)
    return None, "other"


def _ole(path: Path) -> tuple[str | None, str]:
    """Old Office files: the stream names say Word or Excel."""
    with path.open("rb") as handle:
        data = handle.read(1 << 20)
    if "WordDocument".encode("utf-16-le") in data:
        return "doc", "document"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls", "spreadsheet"
    return "ole", "other"


def _zip(path: Path) -> tuple[str | None, str]:
    import zipfile  # only when an office file is probed

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for member, fmt, kind in ZIP_MEMBERS:
                if member in names:
                    return fmt, kind
            if "mimetype" in names:
                found = OPENDOCUMENT.get(archive.read("mimetype").strip())
                if found:
                    return found
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return "zip", "other"
    return "zip", "other"


@hookimpl(trylast=True)
def campaignkit_probe_evidence(path: Path) -> EvidenceFacts:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD)
    except OSError as error:
        return EvidenceFacts(path=path, problems=(f"the file cannot be read: {error.strerror}",))
    if size == 0:
        return EvidenceFacts(path=path, size_bytes=0, problems=("the file is empty",))
    fmt, kind = sniff(head, path)
    return EvidenceFacts(path=path, kind=kind, format=fmt, size_bytes=size)
