"""Videos, read with libmediainfo (through pymediainfo): container, codec, displayed size,
rotation, duration, and whether the file was cut off.

Imported only when a file's first bytes say it is a video. pymediainfo's wheels for Linux,
macOS and Windows carry libmediainfo itself; `MediaInfo.can_parse()` says whether it loaded.

libmediainfo runs in a child process with a time limit and a memory limit: a few hundred
damaged bytes can keep it busy for minutes and eat gigabytes, and a crash in it must not
take campaignkit down. The child costs about 70 ms per video. MP4 and QuickTime files are
also checked box by box here, which finds what libmediainfo lets pass: a file without its
``moov`` index, or whose media data stops early.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs

from campaignkit import EvidenceFacts

from .sniff import Sniffed
from .texts import _

# libmediainfo's container names (General track `Format`), as campaigns write them.
CONTAINERS = {
    "Matroska": "mkv",
    "WebM": "webm",
    "AVI": "avi",
    "MPEG-TS": "ts",
    "BDAV": "m2ts",
    "MPEG-PS": "mpg",
    "Flash Video": "flv",
    "Windows Media": "wmv",
    "Ogg": "ogg",
    "QuickTime": "mov",
}

# libmediainfo's codec names (Video track `Format`) -> short names.
CODECS = {
    "AVC": "avc",
    "HEVC": "hevc",
    "AV1": "av1",
    "VP8": "vp8",
    "VP9": "vp9",
    "MPEG-4 Visual": "mpeg4",
    "ProRes": "prores",
    "JPEG": "mjpeg",
    "VC-1": "vc1",
    "H.263": "h263",
    "Theora": "theora",
    "FFV1": "ffv1",
}

TIMEOUT_S = 15.0
"""How long libmediainfo may take over one file; ``CAMPAIGNKIT_MEDIA_TIMEOUT`` overrides it.
A real file takes well under a second."""
MEMORY_LIMIT = 2 << 30
"""The child's address space, in bytes (where the platform can limit it)."""
MAX_BOXES = 10_000
"""How many top-level ISO boxes are walked; a real file has a handful."""
NO_LIBRARY = 3

# The child: pymediainfo fed from Python (its buffer interface, which finishes on damaged
# Matroska files that make libmediainfo loop when it opens the file by name), its tracks as
# JSON on stdout. It imports nothing of campaignkit, so it starts fast; `-I` keeps the
# environment and the current folder out of it, and it imports from the parent's sys.path.
CHILD = f"""\
import json, sys
sys.path[:] = json.loads(sys.argv[2])  # what the parent imports from, and not the cwd
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
except Exception:
    pass
try:
    from pymediainfo import MediaInfo
    if not MediaInfo.can_parse():
        raise ImportError("libmediainfo cannot be loaded")
except Exception as error:
    print(f"{{type(error).__name__}}: {{error}}", file=sys.stderr)
    sys.exit({NO_LIBRARY})
with open(sys.argv[1], "rb") as handle:
    info = MediaInfo.parse(handle, parse_speed=0.5, encoding_errors="replace")
json.dump(info.to_data()["tracks"], sys.stdout)
"""

Track = dict[str, Any]


class MediaInfoMissing(RuntimeError):
    """libmediainfo cannot be loaded: the installation is broken, not the file."""


class MediaInfoFailed(Exception):
    """libmediainfo gave up on the file, crashed on it, or ran out of time or memory."""


def read_tracks(path: Path) -> list[Track]:
    """libmediainfo's tracks for `path` (General first), from a child process."""
    timeout = _timeout()
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", CHILD, os.fspath(path), json.dumps(sys.path)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        late = _("libmediainfo did not finish reading it in {seconds} s")
        raise MediaInfoFailed(late.format(seconds=f"{timeout:g}")) from None
    error = done.stderr.decode("utf-8", "replace").strip().splitlines()
    last = error[-1] if error else ""
    if done.returncode == NO_LIBRARY:
        raise MediaInfoMissing(
            f"libmediainfo cannot be loaded ({last}); install pymediainfo from a wheel that "
            "bundles it (Linux, macOS, Windows) or the system's libmediainfo package"
        )
    # What went wrong with the file, for the unit: written in the campaign's language.
    if done.returncode < 0:
        crashed = _("libmediainfo crashed reading it ({signal})")
        raise MediaInfoFailed(crashed.format(signal=_signal(-done.returncode)))
    if done.returncode != 0:
        failed = _("libmediainfo could not read it ({detail})")
        raise MediaInfoFailed(failed.format(detail=last or done.returncode))
    try:
        tracks = json.loads(done.stdout)
    except ValueError:
        tracks = None
    if not isinstance(tracks, list):
        raise MediaInfoFailed(_("libmediainfo said nothing about it"))
    return [t for t in tracks if isinstance(t, dict)]


def probe_video(path: Path, sniffed: Sniffed, size: int) -> EvidenceFacts:
    """Facts about a video; everything wrong with the file is a problem, never an error."""
    facts = EvidenceFacts(path=path, kind="video", format=sniffed.format, size_bytes=size)
    problems: list[str] = []
    if sniffed.iso_bmff:
        trouble = iso_box_trouble(path, size)
        if trouble:
            problems.append(trouble)
    try:
        tracks = read_tracks(path)
    except MediaInfoFailed as error:
        unread = _("the video cannot be read: {detail}").format(detail=error)
        return attrs.evolve(facts, problems=(*problems, unread))
    general = next((t for t in tracks if t.get("track_type") == "General"), {})
    videos = [t for t in tracks if t.get("track_type") == "Video"]
    audios = [t for t in tracks if t.get("track_type") == "Audio"]
    facts = attrs.evolve(facts, format=_container(general, has_video=bool(videos)) or facts.format)
    # One reason is enough: the box walk's is the most precise, then libmediainfo's.
    if not problems and general.get("istruncated") == "Yes":
        problems.append(
            _(
                "the video is truncated: the file ends before the end of the data its "
                "container announces"
            )
        )
    if not problems and sniffed.iso_bmff:
        declared = sum(int(_number(t.get("stream_size")) or 0) for t in (*videos, *audios))
        if declared > size:
            problem = _(
                "the video is truncated: its tracks hold {declared} bytes of media, "
                "but the file has only {size} bytes"
            )
            problems.append(problem.format(declared=f"{declared:,}", size=f"{size:,}"))
    duration = _seconds(general)
    if not videos:
        if not isinstance(general.get("format"), str):
            problem = _("the file starts like a {label} video but is not one")
            problems.append(problem.format(label=sniffed.label))
        elif audios and not problems:
            # Sound only (an M4A, an Ogg Vorbis file): facts, but no picture to measure.
            audio = audios[0]
            codec = audio["format"].lower() if isinstance(audio.get("format"), str) else None
            return attrs.evolve(
                facts, kind="other", duration_s=duration or _seconds(audio), codec=codec
            )
        elif not problems:
            problems.append(_("the file holds no video track"))
        return attrs.evolve(facts, duration_s=duration, problems=tuple(problems))
    video = videos[0]
    width, height = _int(video.get("width")), _int(video.get("height"))
    rotation = _rotation(video.get("rotation"))
    if rotation in (90, 270):
        width, height = height, width
    return attrs.evolve(
        facts,
        width=width,
        height=height,
        duration_s=duration or _seconds(video),
        codec=_codec(video),
        rotation=rotation,
        problems=tuple(problems),
    )


def iso_box_trouble(path: Path, size: int) -> str | None:
    """What is wrong with an MP4 or QuickTime file's top-level boxes, or None.

    A recording that stopped before it was saved has no ``moov`` box (the index of every
    frame); a copy cut short has a last box that claims more bytes than are left.
    """
    seen: set[bytes] = set()
    offset = 0
    cut = None
    with path.open("rb") as handle:
        for _box in range(MAX_BOXES):
            if offset >= size:
                break
            handle.seek(offset)
            header = handle.read(16)
            if len(header) < 8:
                cut = _("the file ends inside a box header at byte {offset}")
                cut = cut.format(offset=f"{offset:,}")
                break
            box_size, raw = struct.unpack_from(">I4s", header)
            if not all(0x20 <= c < 0x7F or c == 0xA9 for c in raw):  # box types are text
                if b"moov" in seen:
                    noise = _("the video is damaged: at byte {offset} there is no box, only noise")
                    return noise.format(offset=f"{offset:,}")
                noise = _(
                    "the video is damaged: at byte {offset} there is no box, only noise, "
                    "and {missing}"
                )
                return noise.format(offset=f"{offset:,}", missing=_no_moov())
            name = raw.decode("latin-1")
            header_size = 8
            if box_size == 1:
                if len(header) < 16:
                    cut = _("the file ends inside the `{box}` box header at byte {offset}")
                    cut = cut.format(box=name, offset=f"{offset:,}")
                    break
                (box_size,) = struct.unpack_from(">Q", header, 8)
                header_size = 16
            elif box_size == 0:  # the last box runs to the end of the file
                box_size = size - offset
            if box_size < header_size:
                damage = _(
                    "the video is damaged: the `{box}` box at byte {offset} "
                    "has an impossible size ({size})"
                )
                return damage.format(box=name, offset=f"{offset:,}", size=box_size)
            seen.add(raw)
            if offset + box_size > size:
                cut = _(
                    "the `{box}` box at byte {offset} declares {declared} bytes, "
                    "but only {kept} of them are in the file"
                )
                cut = cut.format(
                    box=name,
                    offset=f"{offset:,}",
                    declared=f"{box_size:,}",
                    kept=f"{size - offset:,}",
                )
                break
            offset += box_size
        else:
            return None  # too many boxes to walk: leave it to libmediainfo
    missing = _no_moov() if b"moov" not in seen else ""
    if cut and missing:
        return _("the video is truncated: {cut}, and {missing}").format(cut=cut, missing=missing)
    if cut or missing:
        return _("the video is truncated: {reason}").format(reason=cut or missing)
    return None


def _no_moov() -> str:
    return _("there is no `moov` box (the index of its frames)")


def _container(general: Track, *, has_video: bool) -> str | None:
    name = general.get("format")
    if not isinstance(name, str):
        return None
    if name != "MPEG-4":
        return CONTAINERS.get(name, name.lower())
    brand = general.get("codec_id")
    brand = brand.strip().lower() if isinstance(brand, str) else ""
    if brand == "qt" or general.get("format_profile") == "QuickTime":
        return "mov"
    if brand.startswith(("3gp", "3g2")):
        return brand[:3]
    if brand in ("m4a", "m4b") and not has_video:
        return "m4a"
    return "mp4"


def _codec(video: Track) -> str | None:
    name = video.get("format")
    if not isinstance(name, str):
        return None
    if name == "MPEG Video":
        return "mpeg2" if str(video.get("format_version")).endswith("2") else "mpeg1"
    return CODECS.get(name, name.lower().replace(" ", "-"))


def _rotation(value: object) -> int:
    degrees = _number(value)
    return 0 if degrees is None else round(degrees) % 360


def _seconds(track: Track) -> float | None:
    millis = _number(track.get("duration"))
    return None if millis is None or millis < 0 else millis / 1000


def _timeout() -> float:
    value = _number(os.environ.get("CAMPAIGNKIT_MEDIA_TIMEOUT"))
    return value if value is not None and value > 0 else TIMEOUT_S


def _signal(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return _("signal {number}").format(number=number)


def _int(value: object) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value))
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None
