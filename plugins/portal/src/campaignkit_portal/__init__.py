"""campaignkit plugin ``portal``: the hand-in portal, where units hand in themselves and the
office reviews in a browser.

This first part decides who may come in, and adds the commands that say so:

- ``campaignkit invite FILE``: issue (or ``--revoke``) each unit's secret link;
- ``campaignkit staff add|token|list``: the office's staff, their passwords (argon2) and
  their bearer tokens for scripts;
- ``campaignkit serve FILE``: the portal's web server (uvicorn, Starlette) and its JSON API
  (``create_app`` in ``app.py``, the routes in ``api.py``).

The tokens and the staff live in the campaign's ledger (the core's use cases
``issue_unit_tokens``, ``who_is``, ``add_staff``…); the commands' code is imported only
when one of them runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from campaignkit import CliCommand, hookimpl, translator

_ = translator("campaignkit_portal", Path(__file__).parent / "locale")
"""The plugin's messages in the language campaignkit speaks, from its own catalog."""

__all__ = ["campaignkit_cli_commands"]


def _invite() -> Any:
    from .invite import invite

    return invite


def _serve() -> Any:
    from .serve import serve

    return serve


def _staff() -> Any:
    from .staff import app

    return app


@hookimpl
def campaignkit_cli_commands() -> list[CliCommand]:
    return [
        CliCommand("invite", _invite, "Issue or revoke each unit's secret link to the portal."),
        CliCommand("staff", _staff, "The office's staff: add them, their tokens, list them."),
        CliCommand("serve", _serve, "Run the hand-in portal: its web server and JSON API."),
    ]
