"""The command line as an operator uses it: output, formats and exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import MINIMAL, without_reach


def test_validate_reports_a_valid_campaign(run_cli, write_campaign) -> None:
    result = run_cli("validate", write_campaign(MINIMAL))
    assert result.exit_code == 0
    assert "campaign `mini` is valid — 2 units, 1 phase, 0 activities, 1 requirement" in (
        result.stdout
    )


def test_validate_json_of_a_valid_campaign_is_an_empty_list(run_cli, write_campaign) -> None:
    result = run_cli("validate", write_campaign(MINIMAL), "--format", "json")
    assert (result.exit_code, without_reach(result.json())) == (0, [])


def test_validate_table_names_key_line_and_hint(run_cli, write_campaign) -> None:
    path = write_campaign(MINIMAL.replace("assignees =", "asignees ="))
    result = run_cli("validate", path)
    assert result.exit_code == 1
    assert "1 error" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "asignees" in line)
    line = MINIMAL.splitlines().index('assignees = ["districts"]') + 1
    assert row.startswith(f"│{line} ")
    assert "did you mean `assignees`?" in row


def test_show_json_has_iso_dates_ids_and_group_members(run_cli, write_campaign) -> None:
    data = run_cli("show", write_campaign(MINIMAL), "--format", "json").json()
    assert data["campaign"]["issued_on"] == "2020-05-22"
    assert data["phases"]["month"] == {
        "id": "month",
        "name": "Safety month",
        "start": "2020-06-01",
        "end": "2020-06-30",
        "description": None,
    }
    assert data["groups"]["districts"]["members"] == ["east"]
    assert data["requirements"]["summary"]["remind"] == [3, 1]
    assert data["requirements"]["summary"]["rest_day"] == "keep"


def test_show_table_has_every_section(run_cli, write_campaign) -> None:
    out = run_cli("show", write_campaign(MINIMAL)).stdout
    for heading in ("Phases", "Organisation", "Groups", "Activities by date", "Requirements"):
        assert heading in out
    assert "East district (east, district)" in out
    assert "2020-06-28" in out


def test_show_of_a_broken_campaign_exits_1_with_problems_on_stderr(run_cli, write_campaign) -> None:
    result = run_cli("show", write_campaign(MINIMAL.replace("2020-06-30", "2020-05-30")))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "phases.month.end" in result.stderr


def test_usage_errors_exit_2(run_cli) -> None:
    assert run_cli("validate").exit_code == 2
    assert run_cli("validate", "x.toml", "--format", "yaml").exit_code == 2
    assert run_cli("no-such-command").exit_code == 2


def test_internal_errors_exit_3_without_a_traceback(
    run_cli, write_campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    from campaignkit.cli import validate

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(validate, "load_campaign", broken)
    result = run_cli("validate", write_campaign(MINIMAL))
    assert result.exit_code == 3
    assert "internal error: ZeroDivisionError: a bug" in result.stderr
    assert "Traceback" not in result.output


def test_python_dash_m_runs_the_cli(write_campaign) -> None:
    path = write_campaign(MINIMAL)
    done = subprocess.run(
        [sys.executable, "-m", "campaignkit", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "is valid" in done.stdout


def test_version(run_cli) -> None:
    import campaignkit

    assert run_cli("--version").stdout.strip() == f"campaignkit {campaignkit.__version__}"


@pytest.mark.parametrize(
    "command",
    [
        ("status",),
        ("report", "-f", "json"),
        ("tick", "--now", "2020-06-01"),
        ("simulate",),
        (
            "submit",
            "--unit",
            "futian",
            "--requirement",
            "liaison-and-plan",
            "--deliverable",
            "liaison-form=form.docx",
        ),
    ],
    ids=lambda c: c[0],
)
def test_a_file_that_is_no_ledger_is_bad_input_not_a_bug(
    run_cli, tmp_path, monkeypatch, command
) -> None:
    from conftest import SHENZHEN

    monkeypatch.chdir(tmp_path)  # where submit finds form.docx
    db = tmp_path / "ledger.db"
    db.write_text("minutes of the safety meeting, not a ledger\n" * 50, encoding="utf-8")
    (tmp_path / "form.docx").write_bytes(b"PK\x03\x04")
    result = run_cli(command[0], SHENZHEN, *command[1:], "--db", db)
    assert result.exit_code == 1, result.output
    # The Shenzhen campaign is Chinese: so is what its clerk reads.
    assert f"{db} 不是可用的 campaignkit 台账" in result.stderr
    assert "internal error" not in result.output
    assert not (tmp_path / "ledger.evidence").exists(), "nothing stored without a ledger"


def test_the_command_listing_says_what_each_command_says_of_itself() -> None:
    import importlib

    from campaignkit.cli.app import COMMANDS

    for name, builtin in COMMANDS.items():
        module = importlib.import_module(f"campaignkit.cli.{builtin.module}")
        target = getattr(module, builtin.function)
        doc = target.info.help if hasattr(target, "registered_commands") else target.__doc__
        assert builtin.help == (doc or "").strip().splitlines()[0], name


def test_help_imports_no_command_and_no_plugin() -> None:
    """`campaignkit --help` lists every command without importing one, or any plugin."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from campaignkit.cli import main\n"
        "sys.argv = ['campaignkit', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('campaignkit', 'importlib.metadata', 'rich', 'cattrs', 'sqlite3')\n"
        "light = ('campaignkit', 'campaignkit.hookspecs', 'campaignkit.cli',"
        " 'campaignkit.cli.app', 'campaignkit.cli.exits', 'campaignkit.gcpause',"
        " 'campaignkit.exports')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(heavy) and m not in light)\n"
        "print(loaded, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stderr.strip() == "[]"
    for name in ("validate", "simulate", "tick", "new-plugin", "plugins"):
        assert f"\n  {name} " in done.stdout
    assert "`campaignkit plugins` lists them" in done.stdout
