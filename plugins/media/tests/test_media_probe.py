"""The ``media`` plugin's probe, called the way ``campaignkit submit`` calls it: through the
plugin host, first result wins. Every file is made here; names lie on purpose."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import campaignkit_media
import media_samples as make
import pytest
from campaignkit_media import videos
from PIL import Image, features
from pymediainfo import MediaInfo

from campaignkit.evidence import EvidenceFacts
from campaignkit.i18n import PIN_VARIABLE, for_command, writing
from campaignkit.pluginerrors import PluginHookError
from campaignkit.plugins import PluginHost, load_plugins


@pytest.fixture(scope="module")
def host() -> PluginHost:
    host = load_plugins()
    assert "media" in host.infos, "install the plugin: pip install -e 'plugins/media[test]'"
    return host


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every sample file, made once for the module."""
    d = tmp_path_factory.mktemp("media")
    good_jpg = make.jpeg(d / "good.jpg", 1920, 1080)
    good_mp4 = make.video(d / "good.mp4", 1920, 1080)
    faststart = make.video(d / "faststart.mp4", 1920, 1080, faststart=True)
    mdat = next(b for b in make.top_level_boxes(faststart.read_bytes()) if b[0] == b"mdat")
    moov = next(b for b in make.top_level_boxes(good_mp4.read_bytes()) if b[0] == b"moov")
    return {
        "good.jpg": good_jpg,
        "small.jpg": make.jpeg(d / "small.jpg", 1280, 720),
        "png.jpg": make.png(d / "png.jpg", 1920, 1080),
        "portrait.jpg": make.jpeg(d / "portrait.jpg", 1920, 1080, orientation=6),
        "upside-down.jpg": make.jpeg(d / "upside-down.jpg", 1920, 1080, orientation=3),
        "truncated.jpg": make.half(good_jpg, d / "truncated.jpg"),
        "garbage.jpg": make.garbage(d / "garbage.jpg", b"\xff\xd8\xff\xe0"),
        "bomb.png": make.png_bomb(d / "bomb.png", 100_000, 100_000),
        "big.png": make.png_bomb(d / "big.png", 10_000, 10_000),
        "empty.jpg": make.garbage(d / "empty.jpg", b"", size=0),
        "good.mp4": good_mp4,
        "hd.mp4": make.video(d / "hd.mp4", 1280, 720),
        "quicktime.mp4": make.video(d / "quicktime.mp4", 1920, 1080, container="mov"),
        "matroska.mp4": make.video(d / "matroska.mp4", 1920, 1080, container="matroska"),
        "webm.mp4": make.video(d / "webm.mp4", 640, 360, container="webm", codec="libvpx-vp9"),
        "half.mp4": make.half(good_mp4, d / "half.mp4"),
        "no-moov.mp4": make.cut(good_mp4, d / "no-moov.mp4", moov[1]),
        "half-faststart.mp4": make.half(faststart, d / "half-faststart.mp4"),
        "no-mdat.mp4": make.cut(faststart, d / "no-mdat.mp4", mdat[1]),
        "half.mkv": make.half(d / "matroska.mp4", d / "half.mkv"),
        "garbage.mp4": make.garbage(d / "garbage.mp4", b"\x00\x00\x00\x18ftypisom"),
        "rotated.mp4": make.rotate_mp4(make.video(d / "rotated.mp4", 1920, 1080), 90),
        "notes.txt": make.garbage(d / "notes.txt", "安全生产月".encode()),
    }


def probe(host: PluginHost, path: Path) -> EvidenceFacts:
    facts = host.call("campaignkit_probe_evidence", path=path)
    assert isinstance(facts, EvidenceFacts)
    assert facts.size_bytes == path.stat().st_size
    return facts


def measured(facts: EvidenceFacts) -> tuple[object, ...]:
    return (
        facts.kind,
        facts.format,
        facts.width,
        facts.height,
        facts.rotation,
        facts.codec,
        facts.problems,
    )


# ── pictures ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("good.jpg", ("photo", "jpg", 1920, 1080, 0, "RGB", ())),
        ("small.jpg", ("photo", "jpg", 1280, 720, 0, "RGB", ())),
        ("png.jpg", ("photo", "png", 1920, 1080, 0, "RGB", ())),
        # stored 1920×1080, EXIF orientation 6: turned 90° clockwise, shown upright
        ("portrait.jpg", ("photo", "jpg", 1080, 1920, 90, "RGB", ())),
        ("upside-down.jpg", ("photo", "jpg", 1920, 1080, 180, "RGB", ())),
    ],
)
def test_pictures_are_measured_as_displayed(host, files, name, expected) -> None:
    facts = probe(host, files[name])
    assert measured(facts) == expected
    assert facts.duration_s is None


@pytest.mark.parametrize(
    ("pillow", "fmt", "mode"),
    [
        ("WEBP", "webp", "RGB"),
        ("GIF", "gif", "P"),
        ("TIFF", "tiff", "RGB"),
        ("BMP", "bmp", "RGB"),
        ("AVIF", "avif", "RGB"),
    ],
)
def test_other_picture_formats_are_recognised(host, tmp_path, pillow, fmt, mode) -> None:
    if pillow in ("WEBP", "AVIF") and not features.check(pillow.lower()):
        pytest.skip(f"this Pillow cannot write {pillow}")
    path = tmp_path / "picture.jpg"
    make.picture(640, 360).save(path, pillow)
    assert measured(probe(host, path)) == ("photo", fmt, 640, 360, 0, mode, ())


def test_a_heif_photo_without_a_decoder_is_named_but_not_measured(host, tmp_path) -> None:
    if importlib.util.find_spec("pillow_heif") is not None:
        pytest.skip("pillow-heif is installed: HEIF photos are measured")
    path = make.garbage(tmp_path / "IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic", size=64)
    assert measured(probe(host, path)) == ("photo", "heif", None, None, None, None, ())


def test_a_truncated_jpeg_is_a_problem_not_a_crash(host, files) -> None:
    facts = probe(host, files["truncated.jpg"])
    assert (facts.kind, facts.format, facts.width, facts.height) == ("photo", "jpg", 1920, 1080)
    [problem] = facts.problems
    assert problem.startswith("the image is truncated or damaged: image file is truncated")


def test_garbage_behind_a_jpeg_magic_number_is_a_problem(host, files) -> None:
    facts = probe(host, files["garbage.jpg"])
    assert (facts.kind, facts.format, facts.width) == ("photo", "jpg", None)
    [problem] = facts.problems
    assert problem.startswith("the file starts like a JPEG image but is not one")


@pytest.mark.parametrize(
    ("name", "problem", "size"),
    [
        (
            "bomb.png",
            "too many pixels (10,000,000,000, more than 89,478,485); "
            "refused as a possible decompression bomb",
            (None, None),
        ),
        (
            "big.png",
            "too many pixels (10000×10000 = 100,000,000, more than 89,478,485); "
            "refused as a possible decompression bomb",
            (10_000, 10_000),
        ),
    ],
)
def test_a_decompression_bomb_is_refused_without_decoding_it(
    host, files, name, problem, size, monkeypatch
) -> None:
    assert Image.MAX_IMAGE_PIXELS == 89_478_485, "Pillow's guard is left at its default"
    assert files[name].stat().st_size < 100, "a bomb is tiny on disk"

    def decode(*args: object, **kwargs: object) -> None:
        raise AssertionError("the picture was decoded")

    monkeypatch.setattr(Image.Image, "load", decode)
    facts = probe(host, files[name])
    assert (facts.kind, facts.format) == ("photo", "png")
    assert (facts.width, facts.height) == size
    assert facts.problems == (problem,)


def test_an_empty_file_is_left_to_the_built_in_prober(host, files) -> None:
    assert campaignkit_media.probe(files["empty.jpg"]) is None
    facts = probe(host, files["empty.jpg"])
    assert facts.problems == ("the file is empty",)


def test_other_files_are_left_to_the_built_in_prober(host, files) -> None:
    assert campaignkit_media.probe(files["notes.txt"]) is None
    assert campaignkit_media.probe(files["notes.txt"].parent / "missing.jpg") is None
    assert campaignkit_media.probe(files["notes.txt"].parent) is None


# ── videos ───────────────────────────────────────────────────────────────────────────


def test_libmediainfo_comes_with_the_pymediainfo_wheel() -> None:
    assert MediaInfo.can_parse()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("good.mp4", ("video", "mp4", 1920, 1080, 0, "avc", ())),
        ("hd.mp4", ("video", "mp4", 1280, 720, 0, "avc", ())),
        ("quicktime.mp4", ("video", "mov", 1920, 1080, 0, "avc", ())),
        # named .mp4, but Matroska inside: `formats = ["mp4"]` refuses it
        ("matroska.mp4", ("video", "mkv", 1920, 1080, 0, "avc", ())),
        ("webm.mp4", ("video", "webm", 640, 360, 0, "vp9", ())),
        # stored 1920×1080 with a 90° display matrix: a phone held upright
        ("rotated.mp4", ("video", "mp4", 1080, 1920, 90, "avc", ())),
    ],
)
def test_videos_are_measured_as_displayed(host, files, name, expected) -> None:
    facts = probe(host, files[name])
    assert measured(facts) == expected
    assert facts.duration_s == pytest.approx(0.5, abs=0.05)


@pytest.mark.parametrize(
    ("name", "problem", "size"),
    [
        (
            # moov at the end: cutting the file loses both the media and the index
            "half.mp4",
            r"the video is truncated: the `mdat` box at byte 40 declares [\d,]+ bytes, "
            r"but only [\d,]+ of them are in the file, and there is no `moov` box "
            r"\(the index of its frames\)",
            (None, None),
        ),
        (
            # a recording stopped before the index was written
            "no-moov.mp4",
            r"the video is truncated: there is no `moov` box \(the index of its frames\)",
            (None, None),
        ),
        (
            # index first: the picture size is known, the media stops early
            "half-faststart.mp4",
            r"the video is truncated: the `mdat` box at byte [\d,]+ declares [\d,]+ bytes, "
            r"but only [\d,]+ of them are in the file",
            (1920, 1080),
        ),
        (
            # cut right after the index: libmediainfo alone sees nothing wrong
            "no-mdat.mp4",
            r"the video is truncated: its tracks hold [\d,]+ bytes of media, "
            r"but the file has only [\d,]+ bytes",
            (1920, 1080),
        ),
        (
            "half.mkv",
            r"the video is truncated: the file ends before the end of the data its "
            r"container announces",
            (1920, 1080),
        ),
        (
            "garbage.mp4",
            r"the video is damaged: at byte 24 there is no box, only noise, "
            r"and there is no `moov` box \(the index of its frames\)",
            (None, None),
        ),
    ],
)
def test_a_truncated_or_damaged_video_is_a_problem(host, files, name, problem, size) -> None:
    facts = probe(host, files[name])
    assert facts.kind == "video"
    assert facts.format == ("mkv" if name.endswith(".mkv") else "mp4")
    assert (facts.width, facts.height) == size
    [found] = facts.problems
    assert re.fullmatch(problem, found), found


# ── in the campaign's language ───────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("name", "chinese"),
    [
        # Pillow's own words stay as Pillow says them
        (
            "truncated.jpg",
            r"图片不完整或已损坏：image file is truncated \(\d+ bytes not processed\)",
        ),
        ("garbage.jpg", r"文件开头像是 JPEG 图片，但实际并不是(：.+)?"),
        (
            "big.png",
            r"图片像素过多（10000×10000 = 100,000,000，超过上限 89,478,485），"
            r"疑为“解压炸弹”，不予接收",
        ),
        (
            "bomb.png",
            r"图片像素过多（10,000,000,000，超过上限 89,478,485），疑为“解压炸弹”，不予接收",
        ),
        (
            "half.mp4",
            r"视频不完整：第 40 字节处的 `mdat` 数据块声明有 [\d,]+ 字节，"
            r"但文件中只有 [\d,]+ 字节，且缺少 `moov` 数据块（视频各帧的索引）",
        ),
        ("no-moov.mp4", r"视频不完整：缺少 `moov` 数据块（视频各帧的索引）"),
        (
            "no-mdat.mp4",
            r"视频不完整：其音视频轨道应有 [\d,]+ 字节媒体数据，但文件只有 [\d,]+ 字节",
        ),
        ("half.mkv", r"视频不完整：封装格式声明的数据尚未结束，文件就已中断"),
        (
            "garbage.mp4",
            r"视频已损坏：第 24 字节处没有数据块，只有无效数据，"
            r"且缺少 `moov` 数据块（视频各帧的索引）",
        ),
    ],
)
def test_a_chinese_campaign_reads_why_a_file_is_refused_in_chinese(
    host, files, name, chinese
) -> None:
    """The hand-in writes the campaign's language while it probes: the reasons are kept in
    the ledger for the unit. Outside it, they are English, as before."""
    with writing("zh"):
        [found] = probe(host, files[name]).problems
    assert re.fullmatch(chinese, found), found
    [english] = probe(host, files[name]).problems
    assert english.startswith(("the image ", "the file starts like ", "too many ", "the video "))


def test_the_operators_pin_does_not_change_what_the_unit_reads(host, files, monkeypatch) -> None:
    monkeypatch.setenv(PIN_VARIABLE, "en")
    with for_command(), writing("zh"):
        [found] = probe(host, files["no-moov.mp4"]).problems
    assert found == "视频不完整：缺少 `moov` 数据块（视频各帧的索引）"


def test_what_libmediainfo_cannot_read_is_said_in_chinese(host, files, monkeypatch) -> None:
    monkeypatch.setattr(videos, "CHILD", "import os; os.abort()")
    with writing("zh"):
        facts = probe(host, files["good.mp4"])
    assert facts.problems == ("视频无法读取：libmediainfo 读取时崩溃（SIGABRT）",)


@pytest.mark.parametrize(
    ("name", "chinese", "english"),
    [
        ("good.jpg", "图片无法读取：MemoryError", "the image cannot be read: MemoryError"),
        ("good.mp4", "视频无法读取：MemoryError", "the video cannot be read: MemoryError"),
    ],
)
def test_a_file_the_probe_fails_on_is_refused_in_the_campaigns_language(
    host, files, monkeypatch, name, chinese, english
) -> None:
    from campaignkit_media import images

    def fail(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(images, "probe_image", fail)
    monkeypatch.setattr(videos, "probe_video", fail)
    with writing("zh"):
        assert probe(host, files[name]).problems == (chinese,)
    assert probe(host, files[name]).problems == (english,)


# ── the plugin itself ────────────────────────────────────────────────────────────────


def test_loading_the_plugin_imports_neither_pillow_nor_pymediainfo() -> None:
    code = (
        "import sys, campaignkit_media\n"
        "from campaignkit.plugins import load_plugins\n"
        "load_plugins()\n"
        "print(sorted(m for m in ('PIL', 'pymediainfo', 'av') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_probe_is_registered_before_the_built_in_fallback(host) -> None:
    impls = host.pm.hook.campaignkit_probe_evidence.get_hookimpls()
    names = [impl.plugin_name for impl in impls]
    assert names.index("probe") < names.index("media"), "pluggy calls the last one first"


# ── libmediainfo runs apart, under a time limit ──────────────────────────────────────


def test_a_video_that_stalls_libmediainfo_is_a_problem_not_a_hang(host, files, monkeypatch) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_MEDIA_TIMEOUT", "0.001")
    facts = probe(host, files["matroska.mp4"])
    assert facts.problems == (
        "the video cannot be read: libmediainfo did not finish reading it in 0.001 s",
    )


def test_a_crash_in_libmediainfo_is_a_problem_not_a_crash(host, files, monkeypatch) -> None:
    monkeypatch.setattr(videos, "CHILD", "import os; os.abort()")
    facts = probe(host, files["good.mp4"])
    assert facts.problems == (
        "the video cannot be read: libmediainfo crashed reading it (SIGABRT)",
    )


def test_a_missing_libmediainfo_stops_the_command_naming_the_plugin(
    host, files, monkeypatch
) -> None:
    """A broken installation is not the unit's fault: no submission is rejected for it."""
    monkeypatch.setattr(videos, "CHILD", f"raise SystemExit({videos.NO_LIBRARY})")
    with pytest.raises(PluginHookError) as caught:
        host.call("campaignkit_probe_evidence", path=files["good.mp4"])
    assert caught.value.plugin == "media"
    assert "libmediainfo cannot be loaded" in str(caught.value)
