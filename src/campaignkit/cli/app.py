"""The Typer application and its error boundary.

Every failure becomes a message and an exit code here: 0 fine, 1 the campaign or a
submission has problems, 2 usage (Typer's own), 3 a plugin or internal failure. A person
never sees a bare traceback; ``CAMPAIGNKIT_DEBUG=1`` shows one to a developer.
"""

from __future__ import annotations

import os
import traceback
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from ..ledger import LedgerError
from ..plugins import PluginError

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_FAILURE = 3


class _Group(TyperGroup):
    def invoke(self, ctx: Any) -> Any:
        from .output import err

        try:
            return super().invoke(ctx)
        except (Exit, TyperException, Abort):
            raise
        except PluginError as error:
            err(f"error: {error}")
            raise typer.Exit(EXIT_FAILURE) from None
        except LedgerError as error:
            # A ledger file that is not one, or is newer than this campaignkit: bad input.
            err(f"error: {error}")
            raise typer.Exit(EXIT_PROBLEMS) from None
        except KeyboardInterrupt:
            err("interrupted")
            raise typer.Exit(130) from None
        except Exception as error:
            if os.environ.get("CAMPAIGNKIT_DEBUG"):
                err(traceback.format_exc())
            err(
                f"internal error: {type(error).__name__}: {error}\n"
                "This is a bug in campaignkit or a plugin; set CAMPAIGNKIT_DEBUG=1 to see "
                "the traceback."
            )
            raise typer.Exit(EXIT_FAILURE) from None


app = typer.Typer(
    cls=_Group,
    name="campaignkit",
    help="Run safety campaigns from a declarative TOML plan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"campaignkit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    disable: Annotated[
        list[str] | None,
        typer.Option(
            "--disable",
            "-d",
            metavar="PLUGIN",
            help="Disable a plugin by name, built-ins included (also CAMPAIGNKIT_DISABLE_PLUGINS).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_print_version, help="Print the version."
        ),
    ] = False,
) -> None:
    """Run safety campaigns from a declarative TOML plan."""
    ctx.obj = {"disable": list(disable or ())}
