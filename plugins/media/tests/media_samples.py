"""Evidence files the tests make for themselves: no binary is kept in the repository.

Pictures come from Pillow; videos are encoded with PyAV (whose wheels carry FFmpeg) at a
fraction of a second, so every file is a few kilobytes and takes milliseconds to make.
"""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path

import av
from PIL import Image

EXIF_ORIENTATION = 0x0112


def picture(width: int, height: int) -> Image.Image:
    """A smooth gradient: small on disk, yet every block has data to cut off."""
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.radial_gradient("L").resize((width, height))
    blue = Image.new("L", (width, height), 90)
    return Image.merge("RGB", (red, green, blue))


def jpeg(path: Path, width: int, height: int, *, orientation: int | None = None) -> Path:
    image = picture(width, height)
    exif = Image.Exif()
    if orientation is not None:
        exif[EXIF_ORIENTATION] = orientation
    image.save(path, "JPEG", quality=80, exif=exif.tobytes())
    return path


def png(path: Path, width: int, height: int) -> Path:
    picture(width, height).save(path, "PNG")
    return path


def png_bomb(path: Path, width: int, height: int) -> Path:
    """A valid PNG header declaring `width` × `height` pixels, in about 60 bytes: Pillow's
    guard must refuse it before anything tries to decode it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    data = zlib.compress(b"\x00" * 64)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def garbage(path: Path, magic: bytes, size: int = 4096, seed: int = 7) -> Path:
    """A file that starts with `magic` and goes on with noise."""
    path.write_bytes(magic + random.Random(seed).randbytes(size))
    return path


def video(
    path: Path,
    width: int,
    height: int,
    *,
    container: str | None = None,
    codec: str = "libx264",
    frames: int = 5,
    rate: int = 10,
    faststart: bool = False,
) -> Path:
    """A video of `frames` frames at `rate` per second (5 at 10: half a second), H.264
    unless `codec` says otherwise."""
    options = {"movflags": "faststart"} if faststart else {}
    with av.open(str(path), "w", format=container, options=options) as output:
        stream = output.add_stream(codec, rate=rate)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        base = picture(width, height)
        for index in range(frames):
            frame = av.VideoFrame.from_image(base.rotate(index * 10))
            output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
    return path


def rotate_mp4(path: Path, degrees: int) -> Path:
    """Set the video track's display matrix (in ``tkhd``), as a phone filming upright does."""
    data = bytearray(path.read_bytes())
    box = data.index(b"tkhd") - 4
    matrix = box + 48 + (12 if data[box + 8] == 1 else 0)  # version 1 has 64-bit times
    a, b, c, d = {90: (0, 1, -1, 0), 180: (-1, 0, 0, -1), 270: (0, -1, 1, 0)}[degrees]
    data[matrix : matrix + 36] = struct.pack(
        ">9i", a << 16, b << 16, 0, c << 16, d << 16, 0, 0, 0, 1 << 30
    )
    path.write_bytes(bytes(data))
    return path


def top_level_boxes(data: bytes) -> list[tuple[bytes, int, int]]:
    """(type, offset, size) of each top-level box of an MP4 made here (32-bit sizes)."""
    boxes, offset = [], 0
    while offset < len(data):
        size, kind = struct.unpack_from(">I4s", data, offset)
        boxes.append((kind, offset, size))
        offset += size
    return boxes


def cut(source: Path, target: Path, length: int) -> Path:
    target.write_bytes(source.read_bytes()[:length])
    return target


def half(source: Path, target: Path) -> Path:
    return cut(source, target, source.stat().st_size // 2)
