"""Where a notification goes: a unit's channels, its liaison officer, or its parent."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from conftest import MINIMAL

from campaignkit import Notifier, loads_campaign
from campaignkit.ledger import Ledger
from campaignkit.notify import Notification
from campaignkit.plugins import load_plugins
from campaignkit.routing import routes

CAMPAIGN = (
    MINIMAL.replace(
        'kind = "office"\n', 'kind = "office"\nchannels = { wecom = "office-robot" }\n', 1
    )
    + """
[units.west]
name = "West district"
kind = "district"
parent = "office"
contact = { name = "Li Ming", phone = "13800000000", email = "west@example.org" }
channels = { email = "" }   # reached by e-mail, at its liaison officer's address

[units.north]
name = "North district"
kind = "district"
parent = "office"

[units.north-street]
name = "North street"
kind = "street"
parent = "north"

[units.east.channels]
wecom = "east-robot"
email = "east@example.org"
"""
)
NOTIFIERS = {
    "console": Notifier("console", lambda n, a: None, reaches_unit=False),
    "wecom": Notifier("wecom", lambda n, a: None),
    "email": Notifier("email", lambda n, a: None),
}


@pytest.fixture(scope="module")
def campaign():
    return loads_campaign(CAMPAIGN, host=load_plugins(entry_points=False)).unwrap()


def note(to: str) -> Notification:
    return Notification(
        at=dt.datetime(2020, 6, 25, 9, tzinfo=dt.UTC),
        to=to,
        kind="reminder",
        requirement="summary",
        key=f"mini/summary/reminder-3d/{to}",
        text="Please hand it in.",
    )


def where(campaign, to: str, **kwargs) -> list[tuple[str, str | None, str, str]]:
    return [
        (r.channel, r.address, r.notification.to, r.notification.text)
        for r in routes(campaign, note(to), NOTIFIERS, **kwargs)
    ]


def test_a_unit_is_reached_on_each_of_its_channels(campaign) -> None:
    assert where(campaign, "east") == [
        ("wecom", "east-robot", "east", "Please hand it in."),
        ("email", "east@example.org", "east", "Please hand it in."),
    ]


def test_an_empty_email_channel_uses_the_contacts_address(campaign) -> None:
    assert where(campaign, "west") == [("email", "west@example.org", "west", "Please hand it in.")]


def test_submitted_liaison_details_win_over_the_campaigns(campaign) -> None:
    from campaignkit import Contact

    found = routes(
        campaign,
        note("west"),
        NOTIFIERS,
        contacts={"west": Contact("Wang Fang", "13900000000", "liaison@west.example.org")},
    )
    assert [(r.channel, r.address) for r in found] == [("email", "liaison@west.example.org")]
    assert found[0].notification.contact.phone == "13900000000"


def test_a_unit_no_channel_reaches_is_told_through_its_parent(campaign) -> None:
    [route] = routes(campaign, note("north-street"), NOTIFIERS)
    assert (route.channel, route.address) == ("wecom", "office-robot")
    assert (route.notification.to, route.notification.about) == ("office", "north-street")
    assert route.notification.text == (
        "[Forwarded for North district] [Forwarded for North street] Please hand it in."
    )


def test_forwarding_names_the_unit_the_notice_is_about(campaign) -> None:
    [route] = routes(campaign, note("north"), NOTIFIERS)
    assert (route.notification.to, route.notification.about) == ("office", "north")
    assert route.notification.text == "[Forwarded for North district] Please hand it in."


def test_a_unit_reached_by_no_channel_has_no_route(campaign) -> None:
    # The console is a record for the office: it reaches no unit, so it is no route.
    only_console = {"console": NOTIFIERS["console"]}
    assert routes(campaign, note("north"), only_console) == []
    assert routes(campaign, note("east"), only_console) == []


def test_reach_walks_up_to_the_nearest_unit_an_installed_notifier_serves(campaign) -> None:
    from campaignkit.org import reach

    assert reach(campaign, {"wecom", "email"})["north-street"] == "office"
    assert reach(campaign, {"email"}).get("north-street") is None
    assert reach(campaign, {"email"})["west"] == "west"


def test_a_liaison_named_with_an_accepted_submission_is_remembered(
    run_cli, write_campaign, tmp_path
) -> None:
    path = write_campaign(
        CAMPAIGN + '\n[[requirements.summary.deliverables]]\nid = "form"\nkind = "document"\n'
        'formats = ["docx"]\n'
    )
    form = tmp_path / "form.docx"
    with zipfile.ZipFile(form, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    wrong = tmp_path / "form.pdf"
    wrong.write_bytes(b"%PDF-1.7 ...")
    db = tmp_path / "ledger.db"

    def submit(evidence, email: str) -> int:
        return run_cli(
            "submit",
            path,
            "--unit",
            "west",
            "--requirement",
            "summary",
            "--deliverable",
            f"form={evidence}",
            "--db",
            db,
            "--liaison-name",
            "王芳",
            "--liaison-phone",
            "13900000000",
            "--liaison-email",
            email,
        ).exit_code

    assert submit(wrong, "rejected@west.example.org") == 1
    with Ledger(db) as ledger:
        assert ledger.contacts("mini") == {}  # a rejected submission names nobody
    assert submit(form, "liaison@west.example.org") == 0
    with Ledger(db) as ledger:
        [(unit, contact)] = ledger.contacts("mini").items()
    assert (unit, contact.name, contact.phone, contact.email) == (
        "west",
        "王芳",
        "13900000000",
        "liaison@west.example.org",
    )
