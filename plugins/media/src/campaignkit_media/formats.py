"""The names this plugin reports in ``EvidenceFacts.format``, declared to campaignkit so that
a deliverable may list them (``campaignkit_evidence_formats``).

Pictures are told by their magic numbers and read with Pillow; videos by theirs, and
libmediainfo names the container.
"""

from __future__ import annotations

from campaignkit import EvidenceFormat

FORMATS = (
    EvidenceFormat("jpg", "photo", "JPEG (and multi-picture JPEG), opened by Pillow", ("jpeg",)),
    EvidenceFormat("png", "photo", "PNG, opened by Pillow"),
    EvidenceFormat("gif", "photo", "GIF, opened by Pillow"),
    EvidenceFormat("tiff", "photo", "TIFF, opened by Pillow", ("tif",)),
    EvidenceFormat("bmp", "photo", "Windows bitmap, opened by Pillow"),
    EvidenceFormat("webp", "photo", "WebP, opened by Pillow"),
    EvidenceFormat("avif", "photo", "AVIF, opened by Pillow"),
    EvidenceFormat("heif", "photo", "HEIF and HEIC, measured with pillow-heif", ("heic",)),
    EvidenceFormat("mp4", "video", "MP4, by libmediainfo", ("mpeg4",)),
    EvidenceFormat("mov", "video", "QuickTime, by libmediainfo"),
    EvidenceFormat("3gp", "video", "3GPP, by libmediainfo"),
    EvidenceFormat("3g2", "video", "3GPP2, by libmediainfo"),
    EvidenceFormat("m4a", "other", "MPEG-4 sound without pictures, by libmediainfo"),
    EvidenceFormat("mkv", "video", "Matroska, by libmediainfo"),
    EvidenceFormat("webm", "video", "WebM, by libmediainfo"),
    EvidenceFormat("avi", "video", "AVI, by libmediainfo"),
    EvidenceFormat("mpg", "video", "MPEG program stream, by libmediainfo", ("mpeg",)),
    EvidenceFormat("ts", "video", "MPEG transport stream, by libmediainfo"),
    EvidenceFormat("m2ts", "video", "Blu-ray transport stream (BDAV), by libmediainfo"),
    EvidenceFormat("flv", "video", "Flash video, by libmediainfo"),
    EvidenceFormat("wmv", "video", "Windows Media, by libmediainfo"),
    EvidenceFormat("ogg", "video", "Ogg, by libmediainfo"),
)
