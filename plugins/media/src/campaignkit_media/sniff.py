"""Which photo or video format a file is, from its first bytes: magic numbers only.

Pure standard library, so the entry point stays cheap to import. The answer only routes the
file: Pillow or libmediainfo then read it and have the last word on what it is.
"""

from __future__ import annotations

import struct

import attrs

HEAD = 512
"""How many leading bytes `sniff` looks at."""

# ISO base media (ftyp) brands that are still pictures, not movies.
AVIF_BRANDS = frozenset({b"avif", b"avis"})
HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
# QuickTime files from before the ftyp box start with one of these atoms.
QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
# BITMAPINFOHEADER and its relatives: the only DIB header sizes in real BMP files.
BMP_HEADER_SIZES = frozenset({12, 40, 52, 56, 64, 108, 124})
ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")


@attrs.frozen
class Sniffed:
    """What the first bytes say a file is."""

    kind: str
    """``photo`` or ``video``."""
    format: str
    """The format the magic number names, lower case (``jpg``, ``mp4``, ``mkv``)."""
    label: str
    """The format's name for messages (``JPEG``, ``MP4``, ``Matroska``)."""
    pillow: tuple[str, ...] = ()
    """For photos, the Pillow format IDs that may open the file; no others are tried."""
    iso_bmff: bool = False
    """An ISO base media file (MP4, QuickTime, 3GP): its top-level boxes can be walked."""


def _photo(fmt: str, label: str, *pillow: str) -> Sniffed:
    return Sniffed("photo", fmt, label, pillow)


def sniff(head: bytes) -> Sniffed | None:
    """The photo or video format `head` (a file's first bytes) starts with, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return _photo("jpg", "JPEG", "JPEG")  # Pillow turns multi-picture JPEGs into MPO
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _photo("png", "PNG", "PNG")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _photo("gif", "GIF", "GIF")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _photo("tiff", "TIFF", "TIFF")
    if head[:2] == b"BM" and len(head) >= 18:
        (dib_size,) = struct.unpack_from("<I", head, 14)
        if dib_size in BMP_HEADER_SIZES:
            return _photo("bmp", "BMP", "BMP")
    if head[:4] == b"RIFF":
        if head[8:12] == b"WEBP":
            return _photo("webp", "WebP", "WEBP")
        if head[8:12] == b"AVI ":
            return Sniffed("video", "avi", "AVI")
        return None
    if head[4:8] == b"ftyp":
        return _ftyp(head)
    if head[4:8] in QUICKTIME_ATOMS:
        return Sniffed("video", "mov", "QuickTime", iso_bmff=True)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Sniffed("video", "mkv", "Matroska")
    if head.startswith(b"\x00\x00\x01\xba"):
        return Sniffed("video", "mpg", "MPEG program stream")
    if len(head) > 376 and head[0] == head[188] == head[376] == 0x47:
        return Sniffed("video", "ts", "MPEG transport stream")
    if len(head) > 388 and head[4] == head[196] == head[388] == 0x47:
        return Sniffed("video", "m2ts", "MPEG transport stream")
    if head.startswith(b"FLV\x01"):
        return Sniffed("video", "flv", "Flash video")
    if head.startswith(ASF_GUID):
        return Sniffed("video", "wmv", "Windows Media")
    if head.startswith(b"OggS"):
        return Sniffed("video", "ogg", "Ogg")
    return None


def _ftyp(head: bytes) -> Sniffed:
    """An ISO base media file: a still picture (HEIF, AVIF) or a movie, by its brands."""
    (size,) = struct.unpack_from(">I", head, 0)
    major = head[8:12]
    brands = {major} | {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    if major in AVIF_BRANDS or (major in HEIF_BRANDS and brands & AVIF_BRANDS):
        return _photo("avif", "AVIF", "AVIF")
    if major in HEIF_BRANDS:
        return _photo("heif", "HEIF", "HEIF")
    if major == b"qt  ":
        return Sniffed("video", "mov", "QuickTime", iso_bmff=True)
    return Sniffed("video", "mp4", "MP4", iso_bmff=True)
