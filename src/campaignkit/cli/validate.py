"""``campaignkit validate FILE``: every problem of a campaign, with key path and line."""

from __future__ import annotations

import typer

from ..i18n import _, speak
from ..loader import load_campaign
from ..problems import sort_problems
from ..reach import reachability
from .exits import EXIT_OK, EXIT_PROBLEMS
from .output import (
    CampaignFile,
    Format,
    FormatOption,
    host_from,
    print_json,
    print_problems,
    problem_json,
    say,
    sizes,
)


def validate(
    ctx: typer.Context,
    file: CampaignFile,
    fmt: FormatOption = Format.table,
) -> None:
    """Check a campaign file and list every problem. Exit 1 if any is an error."""
    host = host_from(ctx)
    loaded = load_campaign(file, host=host, checks=[reachability(host)])
    speak(loaded.language)
    problems = sort_problems(loaded.problems)
    if fmt is Format.json:
        print_json([problem_json(p) for p in problems])
    elif problems:
        print_problems(problems, loaded.source, stderr=False)
    if loaded.ok and loaded.campaign is not None and fmt is Format.table:
        said = _(
            "✓ {file}: campaign `{id}` is valid — {units}, {phases}, {activities}, {requirements}"
        )
        c = loaded.campaign
        say(said.format(file=file, id=c.campaign.id, **sizes(c)), "green")
    raise typer.Exit(EXIT_OK if loaded.ok else EXIT_PROBLEMS)
