"""campaignkit plugin ``media``: what a photo or a video handed in as evidence really is.

``campaignkit submit`` probes every file it stores. For pictures (JPEG, PNG, WebP, GIF,
TIFF, BMP, AVIF, and HEIF with ``pillow-heif``) and videos (MP4, QuickTime, Matroska, WebM,
AVI, MPEG, Flash, Windows Media, Ogg) this plugin answers, from the content and never the
name: the real format, the size as displayed (after EXIF orientation or a video's rotation),
the rotation, the duration, the codec — and, as problems, a file that is cut off, damaged or
a decompression bomb. Anything else it leaves to campaignkit's built-in prober.

This module is what the entry point loads, so it imports nothing heavy: Pillow and
pymediainfo are imported only when a picture or a video turns up.
"""

from __future__ import annotations

from pathlib import Path

from campaignkit import EvidenceFacts, EvidenceFormat, hookimpl

from .formats import FORMATS
from .sniff import HEAD, Sniffed, sniff
from .texts import _

__all__ = ["campaignkit_evidence_formats", "campaignkit_probe_evidence", "probe"]


@hookimpl
def campaignkit_evidence_formats() -> tuple[EvidenceFormat, ...]:
    return FORMATS


@hookimpl
def campaignkit_probe_evidence(path: Path) -> EvidenceFacts | None:
    return probe(path)


def probe(path: Path) -> EvidenceFacts | None:
    """Facts about a picture or a video at `path`; None for any other file.

    A damaged file gives facts with `problems`, never an exception. The one error raised is
    `MediaInfoMissing`, when libmediainfo itself cannot be loaded: that is the
    installation's fault, not the file's, and must not reject a unit's submission.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD)
            size = handle.seek(0, 2)
    except OSError:
        return None  # the built-in prober reports files that cannot be read
    found = sniff(head)
    if found is None:
        return None
    try:
        return _probe(path, found, size)
    except Exception as error:
        from .videos import MediaInfoMissing

        if isinstance(error, MediaInfoMissing):
            raise
        if found.kind == "photo":
            problem = _("the image cannot be read: {detail}")
        else:
            problem = _("the video cannot be read: {detail}")
        detail = str(error).strip() or type(error).__name__
        return EvidenceFacts(
            path=path,
            kind=found.kind,
            format=found.format,
            size_bytes=size,
            problems=(problem.format(detail=detail),),
        )


def _probe(path: Path, found: Sniffed, size: int) -> EvidenceFacts:
    if found.kind == "photo":
        from .images import probe_image

        return probe_image(path, found, size)
    from .videos import probe_video

    return probe_video(path, found, size)
