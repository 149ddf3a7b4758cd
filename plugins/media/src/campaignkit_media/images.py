"""Photos, read with Pillow: real format, displayed size, EXIF rotation, and a full decode.

Imported only when a file's first bytes say it is a picture. Pillow's guards stay as they
are: ``Image.MAX_IMAGE_PIXELS`` refuses decompression bombs and
``ImageFile.LOAD_TRUNCATED_IMAGES`` stays False, so a cut-off file is an error, not a
picture with a grey bottom half.
"""

from __future__ import annotations

import importlib
import re
import warnings
from pathlib import Path

import attrs
from PIL import Image, UnidentifiedImageError

from campaignkit import EvidenceFacts

from .sniff import Sniffed
from .texts import _

# Pillow's format IDs, as campaigns write them.
FORMATS = {"JPEG": "jpg", "MPO": "jpg", "TIFF": "tiff", "WEBP": "webp", "HEIF": "heif"}

# EXIF orientation (tag 0x0112) -> degrees the stored picture is turned clockwise for
# display; 2, 4, 5 and 7 are also mirrored. 5 to 8 swap width and height.
ORIENTATION = {1: 0, 2: 0, 3: 180, 4: 180, 5: 270, 6: 90, 7: 90, 8: 270}
EXIF_ORIENTATION = 0x0112


def probe_image(path: Path, sniffed: Sniffed, size: int) -> EvidenceFacts:
    """Facts about a picture; everything wrong with the file is a problem, never an error."""
    if sniffed.format == "heif":
        _register_heif()
    facts = EvidenceFacts(path=path, kind="photo", format=sniffed.format, size_bytes=size)
    if not _pillow_reads(sniffed):
        return facts  # no decoder here (HEIF without pillow-heif): the size stays unknown
    with path.open("rb") as handle, warnings.catch_warnings():
        # Pillow warns about damaged EXIF and the like: not for a unit's eyes. The
        # decompression-bomb warning is checked below, against the same limit.
        warnings.simplefilter("ignore")
        try:
            image = Image.open(handle, formats=sniffed.pillow)
        except Image.DecompressionBombError as error:
            return _with(facts, _bomb(_bomb_detail(error)))
        except UnidentifiedImageError:
            problem = _("the file starts like a {label} image but is not one")
            return _with(facts, problem.format(label=sniffed.label))
        except Exception as error:
            problem = _("the file starts like a {label} image but is not one: {detail}")
            return _with(facts, problem.format(label=sniffed.label, detail=_say(error)))
        with image:
            return _measure(image, facts)


def _measure(image: Image.Image, facts: EvidenceFacts) -> EvidenceFacts:
    name = image.format or ""
    fmt = FORMATS.get(name, name.lower() or facts.format)
    width, height = image.size
    rotation, swap = _orientation(image)
    if swap:
        width, height = height, width
    facts = attrs.evolve(
        facts, format=fmt, width=width, height=height, codec=image.mode, rotation=rotation
    )
    limit = Image.MAX_IMAGE_PIXELS
    pixels = width * height
    if limit and pixels > limit:
        detail = _("{width}×{height} = {pixels}, more than {limit}").format(
            width=width, height=height, pixels=f"{pixels:,}", limit=f"{limit:,}"
        )
        return _with(facts, _bomb(detail))
    try:
        if name in ("JPEG", "MPO"):
            # Decode at 1/8 scale: every byte of the entropy-coded data is still read, so a
            # cut-off or corrupt file still fails, with 1/64 of the memory and time.
            image.draft(None, (max(1, width // 8), max(1, height // 8)))
        image.load()
    except Exception as error:
        problem = _("the image is truncated or damaged: {detail}")
        return _with(facts, problem.format(detail=_say(error)))
    return facts


def _orientation(image: Image.Image) -> tuple[int, bool]:
    """(degrees turned for display, whether width and height swap) from EXIF."""
    try:
        value = image.getexif().get(EXIF_ORIENTATION)
    except Exception:  # a damaged EXIF block is no reason to refuse the picture
        return 0, False
    if not isinstance(value, int) or value not in ORIENTATION:
        return 0, False
    return ORIENTATION[value], value >= 5


def _with(facts: EvidenceFacts, problem: str) -> EvidenceFacts:
    return attrs.evolve(facts, problems=(*facts.problems, problem))


def _bomb(detail: str) -> str:
    problem = _("too many pixels ({detail}); refused as a possible decompression bomb")
    return problem.format(detail=detail)


def _bomb_detail(error: Exception) -> str:
    found = re.search(r"\((\d+) pixels\)", str(error))
    limit = Image.MAX_IMAGE_PIXELS or 0
    if found is None:
        return _("more than {limit}").format(limit=f"{2 * limit:,}")
    return _("{pixels}, more than {limit}").format(
        pixels=f"{int(found.group(1)):,}", limit=f"{limit:,}"
    )


def _say(error: Exception) -> str:
    text = str(error).strip()
    return text or type(error).__name__


def _pillow_reads(sniffed: Sniffed) -> bool:
    Image.init()
    return any(name in Image.OPEN for name in sniffed.pillow)


def _register_heif() -> None:
    """HEIF (iPhone photos) needs the optional ``pillow-heif``; without it the size is
    unknown, and the rules say so."""
    if "HEIF" in Image.OPEN:
        return
    try:
        module = importlib.import_module("pillow_heif")
        module.register_heif_opener()
    except Exception:
        return
