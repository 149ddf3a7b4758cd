"""``campaignkit schema``: the JSON Schema of format v1, for editors and CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .output import host_from


def schema(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
) -> None:
    """Print the JSON Schema of the campaign format, with installed plugins' tables."""
    from ..schema import json_schema

    host = host_from(ctx)
    sections = host.config_sections()
    text = json.dumps(
        json_schema({name: c.record.cls for name, c in sections.items()}),
        ensure_ascii=False,
        indent=2,
    )
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
