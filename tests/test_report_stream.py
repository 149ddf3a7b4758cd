"""Reports written as they are made (`ReportFormat.write`): the bytes `render` gives, a few
thousand lines at a time, to a file that is put in place only once it is whole."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL, REPO, SHENZHEN
from hypothesis import given
from hypothesis import strategies as st

from campaignkit import (
    Problem,
    ReportFormat,
    ReportRefused,
    hookimpl,
    load_campaign,
    rehearsal_report,
    report_json,
)
from campaignkit.builtin import csv_report, reports
from campaignkit.builtin.indented_json import write_indented

NATIONAL = REPO / "campaigns" / "national_2021.toml"
# A child imports this checkout's campaignkit, whatever the environment installed.
CHILD_ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])),
}


def dumped(value: object) -> str:
    """What the JSON report was before it was streamed: ``json.dumps``, indented."""
    return json.dumps(value, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("plan", [SHENZHEN, NATIONAL], ids=["shenzhen", "national"])
@pytest.mark.parametrize("compliance", [1.0, 0.6, 0.0])
def test_the_streamed_json_is_what_json_dumps_writes(plan: Path, compliance, plugin_host) -> None:
    campaign = load_campaign(plan, host=plugin_host).unwrap()
    built = rehearsal_report(campaign, plugin_host, compliance=compliance, seed=7)
    expected = dumped(report_json(built)) + "\n"
    out = io.BytesIO()
    reports.write_json(built, out)
    assert out.getvalue() == expected.encode("utf-8")
    assert reports.render_json(built) == expected


class Writes(io.BytesIO):
    """An output that counts the writes made to it."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
        self.writes += 1
        return super().write(data)


@pytest.mark.parametrize("machine", [False, True], ids=["people", "ids"])
def test_csv_and_markdown_are_written_in_pieces_that_make_the_rendered_bytes(
    machine, plugin_host, monkeypatch: pytest.MonkeyPatch
) -> None:
    import attrs

    campaign = load_campaign(NATIONAL, host=plugin_host).unwrap()
    built = attrs.evolve(rehearsal_report(campaign, plugin_host, compliance=0.6), machine=machine)
    rendered_csv = reports.render_csv(built)
    rendered_md = reports.render_markdown(built).encode("utf-8")
    monkeypatch.setattr(reports, "LINES_PER_WRITE", 7)
    monkeypatch.setattr(csv_report, "ROWS_PER_WRITE", 7)
    for write, rendered in (
        (reports.write_csv, rendered_csv),
        (reports.write_markdown, rendered_md),
    ):
        out = Writes()
        write(built, out)
        assert out.getvalue() == rendered
        assert out.writes > len(rendered.splitlines()) // 7


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(
            st.text() | st.integers() | st.floats() | st.booleans() | st.none(), inner, max_size=4
        )
    ),
    max_leaves=20,
)


def as_iterators(value: object) -> object:
    """`value` with every list an iterator, as a lazy report holds its long lists."""
    if isinstance(value, dict):
        return {key: as_iterators(item) for key, item in value.items()}
    if isinstance(value, list):
        return iter([as_iterators(item) for item in value])
    return value


@given(JSON_VALUES)
def test_the_json_writer_writes_what_json_dumps_does_for_any_value(value: object) -> None:
    for given_as in (value, as_iterators(value)):
        pieces: list[str] = []
        write_indented(given_as, pieces.append)
        assert "".join(pieces) == dumped(value)


def test_the_json_writer_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        write_indented({"when": {"at": object()}}, [].append)


SIM = ("--simulate", "--compliance", "0.8", "--seed", "1")


@pytest.mark.parametrize(
    "options", [["-f", "md"], ["-f", "json"], ["-f", "csv"], ["-f", "csv", "--ids"]]
)
def test_a_report_to_a_file_and_to_standard_output_are_the_same_bytes(
    options, tmp_path: Path
) -> None:
    # Run as a person runs it, for standard output's own bytes (CSV's line ends are \r\n).
    def report(*more: str | Path) -> bytes:
        command = [sys.executable, "-m", "campaignkit", "report", SHENZHEN, *SIM, *options]
        done = subprocess.run(
            [*command, *more], capture_output=True, check=False, timeout=120, env=CHILD_ENV
        )
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout

    out = tmp_path / "report.out"
    assert report("-o", out) == b""
    assert report() == out.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["report.out"]


class HalfWritten:
    """A format that writes a first piece, then refuses the campaign or fails."""

    def __init__(self, failure: Exception) -> None:
        self.failure = failure

    @hookimpl
    def campaignkit_report_formats(self):
        def write(report, out) -> None:
            out.write(b"the first piece ")
            raise self.failure

        def render(report) -> str:
            return "rendered whole"

        return [
            ReportFormat(
                "half", ".txt", "text/plain", render, variants={".json": render}, write=write
            )
        ]


REFUSED = ReportRefused([Problem("", "this campaign has no register", code="no-register")])


@pytest.mark.parametrize("earlier", [None, b"an earlier report"])
def test_a_format_whose_write_refuses_exits_1_with_the_problems_and_leaves_no_file(
    earlier, run_cli, write_campaign, register_plugin, plugin_host, tmp_path: Path
) -> None:
    register_plugin(HalfWritten(REFUSED), "half")
    folder = tmp_path / "reports"
    folder.mkdir()
    out = folder / "report.txt"
    if earlier is not None:
        out.write_bytes(earlier)
    result = run_cli(
        "report", write_campaign(MINIMAL), "--simulate", "-f", "half", "-o", out, host=plugin_host
    )
    assert result.exit_code == 1
    assert "this campaign has no register" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""
    # No partial file: the report that was there before is there still, whole.
    assert [p.name for p in folder.iterdir()] == (["report.txt"] if earlier else [])
    if earlier is not None:
        assert out.read_bytes() == earlier


def test_a_format_whose_write_raises_stops_naming_the_plugin_and_leaves_no_file(
    run_cli, write_campaign, register_plugin, plugin_host, tmp_path: Path
) -> None:
    register_plugin(HalfWritten(RuntimeError("the plugin exploded")), "half")
    folder = tmp_path / "reports"
    folder.mkdir()
    out = folder / "report.txt"
    result = run_cli(
        "report", write_campaign(MINIMAL), "--simulate", "-f", "half", "-o", out, host=plugin_host
    )
    assert result.exit_code == 3
    assert result.stderr == (
        "error: plugin `half` failed in hook `campaignkit_report_formats`: "
        "RuntimeError: the plugin exploded\n"
    )
    assert list(folder.iterdir()) == []


def test_a_variant_is_rendered_whole_and_never_written(
    run_cli, write_campaign, register_plugin, plugin_host, tmp_path: Path
) -> None:
    register_plugin(HalfWritten(REFUSED), "half")
    plan = write_campaign(MINIMAL)
    out = tmp_path / "report.json"
    result = run_cli("report", plan, "--simulate", "-f", "half", "-o", out, host=plugin_host)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "rendered whole"
    shown = run_cli("report", plan, "--simulate", "-f", "half", "--json", host=plugin_host)
    assert (shown.exit_code, shown.stdout) == (0, "rendered whole")


def test_a_report_written_over_a_file_keeps_its_permissions(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_bytes(b"")
    out.chmod(0o640)
    assert run_cli("report", SHENZHEN, *SIM, "-f", "json", "-o", out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert json.loads(out.read_text(encoding="utf-8"))["source"] == "simulation"


def test_a_report_to_a_device_is_written_to_it_and_nothing_beside_it(run_cli) -> None:
    # Nothing can be written beside /dev/null, and nothing need be: it is no report file.
    result = run_cli("report", SHENZHEN, *SIM, "-f", "csv", "-o", os.devnull)
    assert (result.exit_code, result.output) == (0, "")
