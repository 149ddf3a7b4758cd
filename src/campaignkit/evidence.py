"""What is known of an evidence file: the formats the probers recognise, and the facts a
probe finds in a file's content. Data only: the probing is the plugins' (see
``campaignkit_probe_evidence``), the judging the evidence rules'."""

from __future__ import annotations

from pathlib import Path

import attrs


@attrs.frozen
class EvidenceFormat:
    """A file format a plugin recognises, under the name a deliverable's ``formats`` lists.

    A prober reports `name` in `EvidenceFacts.format`. `aliases` are other names a campaign
    may write for it (``jpeg`` for ``jpg``); the loaded campaign has the name in their
    place. Several plugins may declare one name: two probers may both know JPEG.

    A few formats are told by a file's name on top of its content, and the built-in
    evidence rules, which do so, declare them. WPS Office saves its ``.wps``, ``.et`` and
    ``.dps`` files in Word's, Excel's and PowerPoint's 97–2003 formats, so the prober
    reports such a file as ``doc``, ``xls`` or ``ppt``: a deliverable that lists ``wps``,
    ``et`` or ``dps`` accepts it by its name, one that lists ``doc``, ``xls`` or ``ppt`` by
    its content. A ``.csv`` file is plain text (``txt``) named so.
    """

    name: str
    kind: str
    """The kind of deliverable it suits: document, spreadsheet, video, photo or other."""
    description: str = ""
    """What it is and how it is recognised, for people: ``PDF: starts with %PDF-``."""
    aliases: tuple[str, ...] = ()


@attrs.frozen(weakref_slot=False)  # a national rehearsal holds 100,000s: 8 bytes each
class EvidenceFacts:
    """What a probe found out about one evidence file, from its content."""

    path: Path
    kind: str | None = None
    """document, spreadsheet, video, photo or other."""
    format: str | None = None
    """The real format by content, lower case: ``jpg``, ``mp4``, ``docx``; one of the names
    the prober declares with ``campaignkit_evidence_formats``."""
    size_bytes: int | None = None
    width: int | None = None
    """Width as displayed, in pixels (after any rotation)."""
    height: int | None = None
    duration_s: float | None = None
    codec: str | None = None
    """For videos, the video codec (``avc``, ``hevc``); for images, the colour mode."""
    rotation: int | None = None
    """Degrees the picture is turned when displayed (EXIF orientation, video rotation)."""
    problems: tuple[str, ...] = ()
    """What is wrong with the file itself: truncated, unreadable, not what it claims."""
