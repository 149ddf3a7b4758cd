"""The circular as a person sees it: the .docx turned into a PDF by LibreOffice (Debian's
`libreoffice-writer-nogui`), and its first page into an image by poppler's `pdftoppm`.

Skipped where either is missing, with the packages to install; `.ci/run` installs both and
sets `CAMPAIGNKIT_EXPECT_OFFICE`, so that on CI a missing one is a failure, not a skip."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
NATIONAL = REPO / "campaigns" / "national_2021.toml"
TOOLS = ("soffice", "pdftoppm", "pdfinfo")

pytestmark = pytest.mark.slow


@pytest.fixture
def tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        reason = (
            f"needs {', '.join(missing)}: apt-get install libreoffice-writer-nogui poppler-utils"
        )
        if os.environ.get("CAMPAIGNKIT_EXPECT_OFFICE"):
            pytest.fail(reason)
        pytest.skip(reason)


def test_the_circular_prints_on_a4_pages_with_its_red_masthead(
    tools: None, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "circular.docx"
    made = run_cli(
        "report", NATIONAL, "--simulate", "--compliance", "0.8", "--seed", "2",
        "--format", "docx", "-o", out,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    # LibreOffice keeps a profile in HOME: a fresh one per test, so runs never share it.
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=300, env=env,
    )  # fmt: skip
    pdf = tmp_path / "circular.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert size is not None
    assert (round(float(size[1])), round(float(size[2]))) == (595, 842)  # A4
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])  # type: ignore[index]
    assert pages >= 2
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")],
        check=True, timeout=60,
    )  # fmt: skip
    [image] = tmp_path.glob("page*.png")
    from PIL import Image

    with Image.open(image) as page:  # the office's name in red near the top: the 版头
        top = page.convert("RGB").crop((0, 0, page.width, page.height // 4)).tobytes()
    pixels = zip(top[0::3], top[1::3], top[2::3], strict=True)
    reds = sum(1 for r, g, b in pixels if r > 200 and g < 80 and b < 80)
    assert reds > 100
