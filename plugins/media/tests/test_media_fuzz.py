"""Whatever a unit hands in, the probe answers quickly and never raises: noise behind every
magic number it knows, and valid JPEG and MP4 files with bytes changed, cut or both."""

from __future__ import annotations

from pathlib import Path

import media_samples as make
import pytest
from campaignkit_media import probe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaignkit.evidence import EvidenceFacts

pytestmark = pytest.mark.slow  # a fuzzer: hundreds of files probed

MAGIC = [
    b"\xff\xd8\xff",
    b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00",
    b"\x89PNG\r\n\x1a\n",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
    b"BM\x00\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"RIFF\x00\x00\x00\x00AVI LIST",
    b"\x00\x00\x00\x18ftypisom",
    b"\x00\x00\x00\x14ftypqt  ",
    b"\x00\x00\x00\x1cftypavif",
    b"\x00\x00\x00\x18ftypheic",
    b"\x00\x00\x00\x08moov",
    b"\x1a\x45\xdf\xa3",
    b"\x00\x00\x01\xba",
    b"FLV\x01",
    bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c"),
    b"OggS",
    b"",
]

FUZZ = settings(
    max_examples=50,
    # No deadline: a test must not depend on the machine's speed. A probe that hangs is
    # stopped by the probe's own time limit, which the tests check directly.
    deadline=None,
    derandomize=True,  # the same examples on every run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    d = tmp_path_factory.mktemp("fuzz-samples")
    jpg = make.jpeg(d / "a.jpg", 160, 120, orientation=6)
    mp4 = make.video(d / "a.mp4", 160, 120, frames=3, faststart=True)
    for path in (jpg, mp4):  # the first call imports Pillow and loads libmediainfo
        assert not probe(path).problems  # type: ignore[union-attr]
    return {"jpg": jpg.read_bytes(), "mp4": mp4.read_bytes()}


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "evidence.bin"


def check(target: Path, data: bytes) -> None:
    target.write_bytes(data)
    facts = probe(target)
    if facts is not None:
        assert isinstance(facts, EvidenceFacts)
        assert facts.kind in ("photo", "video", "other")
        assert facts.size_bytes == len(data)
        assert all(isinstance(p, str) and p for p in facts.problems)


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with a few bytes overwritten, a run cut out, and maybe the tail cut off."""
    out = bytearray(data)
    for _ in range(draw(st.integers(0, 8))):
        out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        start = draw(st.integers(0, len(out) - 1))
        del out[start : start + draw(st.integers(1, 64))]
    if draw(st.booleans()):
        del out[draw(st.integers(0, len(out))) :]
    return bytes(out)


@FUZZ
@given(magic=st.sampled_from(MAGIC), noise=st.binary(max_size=2048))
def test_noise_behind_any_magic_number(target, magic, noise) -> None:
    check(target, magic + noise)


@FUZZ
@given(data=st.data())
def test_a_damaged_jpeg(target, samples, data) -> None:
    check(target, data.draw(mutated(samples["jpg"])))


@FUZZ
@given(data=st.data())
def test_a_damaged_mp4(target, samples, data) -> None:
    check(target, data.draw(mutated(samples["mp4"])))
