"""Small real office files, built by the tests: compound files (Office 97–2003, WPS) with the
streams their programs write, zips laid out as Office Open XML or OFD, and a PDF.

No Python library writes Word or PowerPoint 97–2003 files, so `compound_file` writes the
container itself ([MS-CFB] version 3, 512-byte sectors): every stream is padded to 4 KiB so
that it lives in ordinary sectors and the file needs no mini stream.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

SECTOR = 512
STREAM_SIZE = 4096  # the smallest stream kept out of the mini stream
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(name: str, kind: int, start: int, size: int, right: int, child: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB3I", len(encoded), kind, 1, NO_STREAM, right, child)
        + b"\0" * 36  # class id, state bits, creation and modification times
        + struct.pack("<IQ", start, size)
    )


def compound_file(path: Path, *streams: str) -> Path:
    """Write a compound file whose root holds `streams` (each 4 KiB of filler)."""
    # Siblings chained to the right form a valid tree when sorted as [MS-CFB] compares names.
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    per_stream = STREAM_SIZE // SECTOR
    directory_sectors = (len(names) + 1 + 3) // 4
    first_data = 1 + directory_sectors  # sector 0 is the FAT
    fat = [FAT_SECTOR]
    fat += [*range(2, first_data), END]  # the directory's chain
    entries = [_entry("Root Entry", 5, END, 0, NO_STREAM, 1 if names else NO_STREAM)]
    for index, name in enumerate(names):
        start = first_data + index * per_stream
        fat += [*range(start + 1, start + per_stream), END]
        right = index + 2 if index + 1 < len(names) else NO_STREAM
        entries.append(_entry(name, 2, start, STREAM_SIZE, right, NO_STREAM))
    assert len(fat) <= SECTOR // 4, "too many streams for one FAT sector"
    empty = _entry("", 0, 0, 0, NO_STREAM, NO_STREAM)
    entries += [empty] * (directory_sectors * 4 - len(entries))
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<9I", 0, 1, 1, 0, STREAM_SIZE, END, 0, END, 0)
        + struct.pack("<I", 0)  # the FAT is sector 0
        + b"\xff" * (109 - 1) * 4
    )
    body = struct.pack(f"<{SECTOR // 4}I", *fat, *[FREE] * (SECTOR // 4 - len(fat)))
    body += b"".join(entries)
    for name in names:
        body += (name.encode("ascii") * STREAM_SIZE)[:STREAM_SIZE]
    path.write_bytes(header + body)
    return path


def zip_file(path: Path, *members: str) -> Path:
    """Write a zip holding `members` (a name ending in / is a folder's file `x.xml`)."""
    with zipfile.ZipFile(path, "w") as archive:
        for member in members:
            name = member + "x.xml" if member.endswith("/") else member
            archive.writestr(name, "<x/>")
    return path


def pdf_file(path: Path) -> Path:
    """A one-page PDF, as small as one can be and still open."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(out)
    return path
