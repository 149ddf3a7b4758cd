"""Hostile input, and spreadsheets people open (issue 14).

Campaign files travel between bureaus and evidence comes from units: what a file or a file
name holds must never hang campaignkit, exhaust the machine, run as script in a report, as a
formula in a spreadsheet or as lines of its own in a calendar. Each test says what a person
sees: the exit code, the message and its key and line, and what the files written hold.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL, SHENZHEN

PYTHON = [sys.executable, "-m", "campaignkit"]
GENEROUS = 120  # seconds: a hang fails the test instead of blocking CI forever
SIM = ("--simulate", "--compliance", "0.5", "--seed", "1")


def run(
    *args: object, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """campaignkit in a process of its own, so that a hang is a failure and not a stuck CI."""
    return python(*PYTHON[1:], *map(str, args), env=env, cwd=cwd)


def python(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, cwd: Path | None = None
):
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=GENEROUS,
        env={**os.environ, **(env or {})},
    )


def only_problem(result) -> dict:
    assert result.exit_code == 1, result.output
    problems = [p for p in result.json() if p["code"] != "unreachable"]
    assert len(problems) == 1, problems
    return problems[0]


# -- §7.1 extends to a device or a FIFO -------------------------------------------------------
@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("target", ["pipe", "/dev/zero"])
def test_extends_to_a_pipe_or_a_device_is_refused_at_once(tmp_path: Path, target: str) -> None:
    os.mkfifo(tmp_path / "pipe")
    campaign = tmp_path / "campaign.toml"
    campaign.write_text(f'format = 1\nextends = "{target}"\n', encoding="utf-8")
    result = run("validate", campaign, "--format", "json")
    assert result.returncode == 1, result.stderr
    [problem] = json.loads(result.stdout)
    assert (problem["path"], problem["line"]) == ("extends", 2)
    assert problem["message"].endswith("is not a regular file")
    refused = run("validate", tmp_path / "pipe")
    assert refused.returncode == 1
    assert "pipe is not a regular file" in refused.stdout + refused.stderr


# -- §7.2 a null character, a chain 2,000 files long --------------------------------------------
def test_a_null_character_in_extends_is_a_problem_at_its_line(run_cli, write_campaign) -> None:
    campaign = write_campaign(MINIMAL.replace("format = 1\n", 'format = 1\nextends = "a\\u0000"\n'))
    problem = only_problem(run_cli("validate", campaign, "--format", "json"))
    assert (problem["path"], problem["line"]) == ("extends", 2)
    assert problem["message"] == "the file name holds a null character"


@pytest.mark.slow
def test_an_extends_chain_longer_than_32_files_is_refused(run_cli, tmp_path: Path) -> None:
    (tmp_path / "c0.toml").write_text(MINIMAL, encoding="utf-8")
    for n in range(1, 2000):
        text = f'format = 1\nextends = "c{n - 1}.toml"\n'
        (tmp_path / f"c{n}.toml").write_text(text, encoding="utf-8")
    problem = only_problem(run_cli("validate", tmp_path / "c1999.toml", "--format", "json"))
    assert (problem["path"], problem["line"], problem["code"]) == ("extends", 2, "chain-too-long")
    assert Path(problem["file"]).name == "c1968.toml"  # the 32nd file of the chain
    assert "longer than 32 files" in problem["message"]
    assert run_cli("validate", tmp_path / "c31.toml").exit_code == 0  # 32 files in all


# -- §7.3 the Markdown report -----------------------------------------------------------------
IMG = "<img src=x onerror=alert(7)>"
HOSTILE_NAMES = (
    MINIMAL.replace('name = "East district"', f'name = "{IMG}"')
    .replace('name = "Summary"', 'name = "*bold* [link](javascript:alert(1)) | 总结"')
    .replace('title = "Minimal campaign"', 'title = "<script>alert(1)</script> 安全生产月"')
)


def test_the_markdown_report_shows_names_as_text(run_cli, write_campaign, tmp_path) -> None:
    campaign = write_campaign(
        HOSTILE_NAMES
        + '\n[[requirements.summary.deliverables]]\nid = "plan"\nkind = "document"\n'
        + 'formats = ["pdf"]\n'
    )
    (tmp_path / f"{IMG}.docx").write_bytes(b"not a pdf")
    db = tmp_path / "ledger.db"
    args = ["--unit", "east", "--requirement", "summary", "--at", "2020-06-01", "--db", db]
    run_cli("submit", campaign, *args, "--deliverable", f"plan={tmp_path / (IMG + '.docx')}")
    out = run_cli("report", campaign, "--db", db, "--at", "2020-06-02", "-f", "md").stdout
    assert "<" not in out
    assert ">" not in out
    assert "# &lt;script&gt;alert(1)&lt;/script&gt; 安全生产月\n" in out
    assert "### \\*bold\\* \\[link\\](javascript:alert(1)) \\| 总结" in out
    assert f"| {IMG.replace('<', '&lt;').replace('>', '&gt;')} |" in out
    # Titled in Chinese, the campaign is spoken to in Chinese: so is the reason.
    assert "（&lt;img src=x onerror=alert(7)&gt;.docx）：文件格式应为 pdf，实为 txt" in out


# -- §7.4 and §6 the CSV report ---------------------------------------------------------------
FORMULAS = MINIMAL.replace('name = "East district"', 'name = "=HYPERLINK(\\"http://x\\",\\"y\\")"')
FORMULAS = FORMULAS.replace('name = "Summary"', 'name = "@SUM(A1)"').replace(
    'name = "Safety office"', 'name = "-2+3"'
)


def csv_rows(run_cli, campaign: Path, *args: str) -> list[list[str]]:
    result = run_cli("report", campaign, *SIM, "-f", "csv", *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff")
    return list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))


@pytest.mark.parametrize("args", [(), ("--ids",)], ids=["people", "ids"])
def test_no_csv_cell_starts_a_formula(run_cli, write_campaign, args) -> None:
    rows = csv_rows(run_cli, write_campaign(FORMULAS), *args)
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert "'@SUM(A1)" in cells
    if not args:
        assert "'-2+3" in cells  # the parent's name


def test_a_chinese_csv_is_in_chinese_with_times_excel_reads(run_cli) -> None:
    header, *rows = csv_rows(run_cli, SHENZHEN)
    assert header[:4] == ["报送要求编号", "报送要求", "截止时间", "单位编号"]
    assert header[4:] == ["单位", "上级单位编号", "上级单位", "状态", "报送时间", "退回原因"]
    assert len(rows) == 36 * 3
    futian = rows[0]
    assert futian[:3] == ["liaison-and-plan", futian[1], "2020-05-28 23:59"]
    assert futian[3:7] == [
        "futian",
        "福田区安全生产委员会",
        "sz-safety-committee",
        "深圳市安全生产委员会",
    ]
    assert {row[7] for row in rows} <= {"按时", "逾期提交", "退回", "未报送", "待报送"}
    assert {"按时", "退回"} <= {row[7] for row in rows}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[8]) for row in rows if row[8])


def test_an_english_csv_is_in_english_and_ids_keep_the_machine_columns(
    run_cli, write_campaign
) -> None:
    campaign = write_campaign(MINIMAL)
    header, row = csv_rows(run_cli, campaign)
    assert header[:3] == ["requirement id", "requirement name", "due at"]
    assert row[2] == "2020-06-28 23:59"
    assert row[5:7] == ["office", "Safety office"]
    assert row[7] in {"on time", "late", "rejected", "missing", "pending"}
    header, row = csv_rows(run_cli, campaign, "--ids")
    assert ",".join(header) == (
        "requirement,requirement_name,due_at,unit,unit_name,parent,status,submitted_at,reasons"
    )
    assert (row[2], row[5]) == ("2020-06-28T23:59:59+08:00", "office")
    assert row[6] in {"on_time", "late", "rejected", "missing", "pending"}


# -- §7.8 limits ------------------------------------------------------------------------------
def array(key: str, count: int) -> str:
    items = ", ".join(f'"x{n}"' for n in range(count))
    return f"{key} = [{items}]"


def table(header: str, *lines: str) -> str:
    return MINIMAL + f"\n[{header}]\n" + "\n".join(lines) + "\n"


def activity(line: str) -> str:
    return table("activities.day", 'name = "Day"', "on = 2020-06-02", line)


ASSIGNEES = 'assignees = ["districts"]'
INLINE_DELIVERABLE = '{ id = "d", kind = "other" }'
LIMITED = {
    "requirements.summary.remind": (
        10,
        lambda n: MINIMAL + f"remind = {list(range(n))}\n",
    ),
    "requirements.summary.assignees": (
        1_000,
        lambda n: MINIMAL.replace(ASSIGNEES, array("assignees", n)),
    ),
    "requirements.summary.deliverables": (
        100,
        lambda n: MINIMAL.replace(
            ASSIGNEES,
            f"{ASSIGNEES}\ndeliverables = [{', '.join([INLINE_DELIVERABLE] * n)}]",
        ),
    ),
    "requirements.summary.deliverables[0].formats": (
        50,
        lambda n: table(
            "[requirements.summary.deliverables]", 'id = "d"', 'kind = "other"', array("formats", n)
        ),
    ),
    "activities.day.participants": (1_000, lambda n: activity(array("participants", n))),
    "activities.day.audiences": (100, lambda n: activity(array("audiences", n))),
    "activities.day.channels": (100, lambda n: activity(array("channels", n))),
    "groups.big.units": (10_000, lambda n: table("groups.big", array("units", n))),
    "groups.big.kinds": (1_000, lambda n: table("groups.big", array("kinds", n))),
    "groups.big.groups": (1_000, lambda n: table("groups.big", array("groups", n))),
    "units.east.channels": (
        50,
        lambda n: MINIMAL.replace(
            'parent = "office"\n',
            f'parent = "office"\nchannels = {{ {", ".join(f"c{i} = 1" for i in range(n))} }}\n',
        ),
    ),
}


@pytest.mark.parametrize("path", sorted(LIMITED))
def test_a_list_over_its_limit_is_one_problem_before_any_entry_is_checked(
    run_cli, write_campaign, path: str
) -> None:
    limit, make = LIMITED[path]
    text = make(limit + 1)
    problem = only_problem(run_cli("validate", write_campaign(text), "--format", "json"))
    key = path.rsplit(".", 1)[-1]
    assert (problem["path"], problem["code"]) == (path, "too-many")
    assert problem["message"] == f"`{key}` has {limit + 1:,} entries; at most {limit:,} are allowed"
    written = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(f"{key} =")]
    assert problem["line"] == written[-1]


def test_reminders_are_at_most_ten_unique_days_up_to_a_year(run_cli, write_campaign) -> None:
    ten = write_campaign(MINIMAL + f"remind = {list(range(10))}\n")
    assert run_cli("validate", ten).exit_code == 0
    far = MINIMAL + "remind = [3, 367]\n"
    problem = only_problem(run_cli("validate", write_campaign(far), "--format", "json"))
    line = len(far.splitlines())
    assert (problem["path"], problem["line"]) == ("requirements.summary.remind[1]", line)
    assert problem["message"] == "a reminder is at most 366 days before the due date; found 367"


# -- §7.9 the evidence store ------------------------------------------------------------------
EVIDENCE = table(
    "[requirements.summary.deliverables]",
    'id = "report"',
    'kind = "other"',
    "min_count = 0",  # only the sheet is needed
    "max_size_mb = 0.0001",
    "[[requirements.summary.deliverables]]",
    'id = "sheet"',
    'kind = "other"',
)


def hand_in(run_cli, campaign: Path, env: dict[str, str] | None = None, **files: bytes):
    args = ["--unit", "east", "--requirement", "summary", "--at", "2020-06-01", "-f", "json"]
    for name, data in files.items():
        path = campaign.with_name(f"{name}.bin")
        path.write_bytes(data)
        args += ["--deliverable", f"{name}={path}"]
    return run_cli("submit", campaign, *args, env=env)


def stored(campaign: Path) -> list[Path]:
    store = campaign.with_name(campaign.stem + ".evidence")
    return sorted(p for p in store.rglob("*") if p.is_file())


def test_a_file_over_the_cap_is_not_stored(run_cli, write_campaign) -> None:
    campaign = write_campaign(EVIDENCE)
    result = hand_in(run_cli, campaign, report=b"x" * 101, sheet=b"y" * 10)
    assert result.exit_code == 1
    assert result.json()["problems"] == [
        "report file 1 (report.bin): the file is larger than 0.0001 MB; it was not stored"
    ]
    assert len(stored(campaign)) == 1  # the sheet
    capped = hand_in(run_cli, campaign, {"CAMPAIGNKIT_MAX_EVIDENCE_MB": "0.0001"}, sheet=b"z" * 101)
    assert capped.json()["problems"] == [
        "sheet file 1 (sheet.bin): the file is larger than 0.0001 MB; it was not stored"
    ]
    assert len(stored(campaign)) == 1


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux's /proc")
def test_a_file_that_grows_while_copied_stops_at_the_cap(tmp_path: Path) -> None:
    from campaignkit.store import DirectoryStore, TooLarge

    store = DirectoryStore(tmp_path / "store")
    with pytest.raises(TooLarge):  # /proc says 0 bytes, then gives more
        store.put(Path("/proc/self/status"), cap=10)
    assert not [p for p in (tmp_path / "store").rglob("*") if p.is_file()]


HOLD = """
import fcntl, os, sys
handle = os.open(sys.argv[1], os.O_RDWR)
fcntl.flock(handle, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_partials_left_by_a_killed_submit_are_swept_but_not_one_in_flight(
    run_cli, write_campaign
) -> None:
    campaign = write_campaign(EVIDENCE)
    store = campaign.with_name(campaign.stem + ".evidence")
    store.mkdir()
    dead, held, stuck = (store / f".incoming-{name}" for name in ("dead", "held", "stuck"))
    for partial in (dead, held, stuck):
        partial.write_bytes(b"half a file")
    os.utime(stuck, (0, 0))  # untouched since 1970: stuck, even though held
    holders = [
        subprocess.Popen(
            [sys.executable, "-c", HOLD, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        for path in (held, stuck)
    ]
    try:
        for holder in holders:
            assert holder.stdout is not None
            assert holder.stdout.readline() == b"locked\n"
        assert hand_in(run_cli, campaign, sheet=b"y" * 10).exit_code == 0
        assert (dead.exists(), held.exists(), stuck.exists()) == (False, True, False)
    finally:
        for holder in holders:
            holder.communicate(timeout=GENEROUS)


# -- §7.10 the plugin cache -------------------------------------------------------------------
@pytest.mark.slow
def test_a_tampered_plugin_cache_is_not_imported_and_is_rebuilt(tmp_path: Path) -> None:
    payload = tmp_path / "payload"
    payload.mkdir()
    marker = tmp_path / "imported"
    (payload / "hostile_payload.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8"
    )
    # A plugin installed beside it, as pip would: the entry point the cache will name.
    (payload / "feed_plugin.py").write_text("", encoding="utf-8")
    info = payload / "feed_campaignkit-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: feed-campaignkit\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text("[campaignkit]\nfeed = feed_plugin\n", "utf-8")
    path = os.pathsep.join(filter(None, [str(payload), os.environ.get("PYTHONPATH")]))
    env = {"CAMPAIGNKIT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": path}
    # The cache's key holds when each folder of the import path last changed, the current
    # one included: a folder of its own, that nothing else writes to between the two runs.
    quiet = tmp_path / "cwd"
    quiet.mkdir()
    assert run("plugins", "--format", "json", env=env, cwd=quiet).returncode == 0
    cache = tmp_path / "cache" / "entry-points.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    [entries] = data.values()
    [feed] = [entry for entry in entries if entry[0] == "feed"]
    feed[1] = "hostile_payload"
    cache.write_text(json.dumps(data), encoding="utf-8")

    result = run("plugins", "--format", "json", env=env, cwd=quiet)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    listed = {p["name"]: p for p in json.loads(result.stdout)["plugins"]}
    assert "feed" in listed
    [entries] = json.loads(cache.read_text(encoding="utf-8")).values()  # the same key
    assert [entry[1] for entry in entries if entry[0] == "feed"] == ["feed_plugin"]
