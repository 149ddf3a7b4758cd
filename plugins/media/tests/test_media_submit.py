"""End to end: ``campaignkit submit`` with the Shenzhen notice's own demands — MP4 video at
1920×1080, at least three JPG photos of at least 1920×1080 — judged on what the files are."""

from __future__ import annotations

from pathlib import Path

import media_samples as make
import pytest

REPO = Path(__file__).resolve().parents[3]
SHENZHEN = REPO / "campaigns" / "shenzhen_2020.toml"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the Shenzhen campaign in a folder of its own, beside the files to hand in,
    written in English (`language = "en"`) so that the reasons read as the tests below
    spell them; `chinese` is the campaign as issued."""
    d = tmp_path_factory.mktemp("office")
    campaign = d / "shenzhen_2020.toml"
    text = SHENZHEN.read_text(encoding="utf-8")
    assert text.count('language = "zh"\n') == 1
    campaign.write_text(text.replace('language = "zh"\n', 'language = "en"\n'), encoding="utf-8")
    (d / "summary.pdf").write_bytes(b"%PDF-1.7\n" + b"x" * 200)
    make.video(d / "drill.mp4", 1920, 1080)
    make.video(d / "drill-720p.mp4", 1280, 720)
    make.video(d / "drill-matroska.mp4", 1920, 1080, container="matroska")
    make.half(d / "drill.mp4", d / "drill-cut.mp4")
    for name, size in (("a.jpg", (1920, 1080)), ("b.jpg", (2400, 1350)), ("c.jpg", (1920, 1080))):
        make.jpeg(d / name, *size)
    make.jpeg(d / "small.jpg", 1280, 720)
    make.jpeg(d / "portrait.jpg", 1920, 1080, orientation=6)
    make.half(d / "a.jpg", d / "cut.jpg")
    make.png(d / "png.jpg", 1920, 1080)
    return campaign


@pytest.fixture(scope="module")
def chinese(office: Path) -> Path:
    """The Shenzhen campaign as issued (`language = "zh"`), beside the same files."""
    campaign = office.parent / "shenzhen_2020_zh.toml"
    campaign.write_bytes(SHENZHEN.read_bytes())
    return campaign


def submit(run_cli, campaign: Path, video: str, *photos: str, json: bool = True):
    args: list[object] = [
        "submit",
        campaign,
        "--unit",
        "futian",
        "--requirement",
        "safety-month-summary",
        "--at",
        "2020-07-01T10:00",
        "--db",
        campaign.with_suffix(".db"),  # one ledger per campaign file
        "--deliverable",
        f"summary={campaign.parent / 'summary.pdf'}",
        "--deliverable",
        f"video={campaign.parent / video}",
    ]
    for photo in photos:
        args += ["--deliverable", f"photos={campaign.parent / photo}"]
    return run_cli(*args, *(["--format", "json"] if json else []))


def test_full_hd_mp4_and_jpgs_are_accepted(run_cli, office) -> None:
    result = submit(run_cli, office, "drill.mp4", "a.jpg", "b.jpg", "c.jpg")
    assert result.exit_code == 0, result.output
    outcome = result.json()
    assert (outcome["status"], outcome["problems"]) == ("on_time", [])
    [video] = outcome["files"]["video"]
    assert (video["format"], video["width"], video["height"], video["codec"]) == (
        "mp4",
        1920,
        1080,
        "avc",
    )
    assert video["duration_s"] == pytest.approx(0.5, abs=0.05)
    assert [(p["width"], p["height"]) for p in outcome["files"]["photos"]] == [
        (1920, 1080),
        (2400, 1350),
        (1920, 1080),
    ]


def test_each_miss_is_named_with_what_was_expected_and_found(run_cli, office) -> None:
    result = submit(
        run_cli, office, "drill-matroska.mp4", "small.jpg", "portrait.jpg", "cut.jpg", "png.jpg"
    )
    assert result.exit_code == 1, result.output
    problems = result.json()["problems"]
    assert problems[:5] == [
        "video file 1 (drill-matroska.mp4): format should be mp4, found mkv",
        "photos file 1 (small.jpg): width should be at least 1920 px, found 1280 px",
        "photos file 1 (small.jpg): height should be at least 1080 px, found 720 px",
        # stored 1920×1080, shown upright: the rules judge the picture as it is displayed
        "photos file 2 (portrait.jpg): width should be at least 1920 px, found 1080 px",
        "photos file 3 (cut.jpg): the image is truncated or damaged: image file is truncated "
        "(4 bytes not processed)",
    ]
    assert problems[5:] == ["photos file 4 (png.jpg): format should be jpg, found png"]


@pytest.mark.parametrize(
    ("video", "problems"),
    [
        (
            "drill-720p.mp4",
            [
                "video file 1 (drill-720p.mp4): width should be at least 1920 px, found 1280 px",
                "video file 1 (drill-720p.mp4): height should be at least 1080 px, found 720 px",
            ],
        ),
        (
            "drill-cut.mp4",
            [
                "video file 1 (drill-cut.mp4): the video is truncated: the `mdat` box at byte 40 "
                "declares {mdat} bytes, but only {kept} of them are in the file, and there is "
                "no `moov` box (the index of its frames)",
            ],
        ),
    ],
    ids=["720p", "truncated"],
)
def test_a_bad_video_is_rejected(run_cli, office, video, problems) -> None:
    data = (office.parent / "drill.mp4").read_bytes()
    [mdat] = [size for kind, _, size in make.top_level_boxes(data) if kind == b"mdat"]
    kept = len(data) // 2 - 40
    expected = [p.format(mdat=f"{mdat:,}", kept=f"{kept:,}") for p in problems]
    result = submit(run_cli, office, video, "a.jpg", "b.jpg", "c.jpg")
    assert result.exit_code == 1, result.output
    assert result.json()["problems"] == expected


def test_the_table_lists_the_measured_files_and_each_problem(run_cli, office) -> None:
    result = submit(run_cli, office, "drill-720p.mp4", "a.jpg", "b.jpg", "c.jpg", json=False)
    assert result.exit_code == 1
    assert "1280×720" in result.stdout
    assert "1920×1080" in result.stdout
    assert "width should be at least 1920 px, found 1280 px" in result.stdout


def test_a_chinese_campaign_keeps_the_reasons_in_chinese(run_cli, chinese) -> None:
    """What the probe finds wrong is kept for the unit in the campaign's language, even when
    the operator reads the command's output in English."""
    data = (chinese.parent / "drill.mp4").read_bytes()
    [mdat] = [size for kind, _, size in make.top_level_boxes(data) if kind == b"mdat"]
    kept = len(data) // 2 - 40
    result = submit(run_cli, chinese, "drill-cut.mp4", "a.jpg", "b.jpg", "cut.jpg")
    assert result.exit_code == 1, result.output
    outcome = result.json()
    [video, photo] = outcome["problems"]
    # The start of each line, which file it is, is campaignkit's; the reason is the plugin's.
    assert "drill-cut.mp4" in video
    assert video.endswith(
        f"视频不完整：第 40 字节处的 `mdat` 数据块声明有 {mdat:,} 字节，但文件中只有 {kept:,} "
        "字节，且缺少 `moov` 数据块（视频各帧的索引）"
    )
    assert "cut.jpg" in photo
    assert photo.endswith("图片不完整或已损坏：image file is truncated (4 bytes not processed)")
    [entry] = outcome["files"]["video"]
    assert (entry["format"], entry["kind"]) == ("mp4", "video")  # values stay as they are
