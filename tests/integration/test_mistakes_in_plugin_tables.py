"""Every mistake in one run, in the plugins' tables too (see tests/test_every_mistake.py):
the example plugin's check runs on its table while the rest has errors, and the e-mail
plugin's subject refuses a line break before any e-mail is sent."""

from __future__ import annotations

from conftest import MINIMAL
from test_every_mistake import line_of, problems


def test_plugin_checks_run_on_their_section_when_the_rest_has_errors(
    run_cli, write_campaign
) -> None:
    text = (
        MINIMAL.replace("due = 2020-06-28\n", "due = 2020-06-28\nescalate_afer = 3\n")
        + "\n[plugins.weekly-digest]\nweekday = 9\n"
    )
    found = {p["path"] for p in problems(run_cli, write_campaign, text)}
    assert found == {"requirements.summary.escalate_afer", "plugins.weekly-digest.weekday"}


def test_a_line_break_in_an_e_mail_subject_is_refused_before_any_is_sent(
    run_cli, write_campaign
) -> None:
    """A CR LF in the subject prefix would make every e-mail fail, five retries each."""
    campaign = MINIMAL + '\n[plugins.email]\nsender = "office@sz.gov.cn"\n'
    campaign += 'subject_prefix = "【安全生产月】\\r\\nBcc: someone@example.com"\n'
    [problem] = problems(run_cli, write_campaign, campaign)
    assert (problem["code"], problem["path"]) == (
        "control-character",
        "plugins.email.subject_prefix",
    )
    assert "U+000D, U+000A" in problem["message"]
    assert problem["line"] == line_of(campaign, "subject_prefix")
