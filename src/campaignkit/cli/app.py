"""The Typer application, its lazy command table and its error boundary.

Every failure becomes a message and an exit code here: 0 fine, 1 the campaign or a
submission has problems, 2 usage (Typer's own), 3 a plugin or internal failure. A person
never sees a bare traceback; ``CAMPAIGNKIT_DEBUG=1`` shows one to a developer.

Commands are imported only when run, and plugins are loaded only when a command needs
them or a name is not a built-in command, so ``campaignkit --help`` stays fast.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from typing import TYPE_CHECKING, Annotated, Any

import attrs
import typer
from typer._click.exceptions import UsageError
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from .exits import EXIT_FAILURE, EXIT_PROBLEMS, HOST_KEY

if TYPE_CHECKING:
    from ..plugins import Contribution, PluginHost


@attrs.frozen
class Builtin:
    """A built-in command: where its function is, and its one-line help for the listing."""

    module: str
    function: str
    help: str


# Commands in the order a campaign office meets them. `help` is the first line of each
# function's docstring (a test keeps them equal), written here so that listing the commands
# imports none of them.
COMMANDS: dict[str, Builtin] = {
    "new": Builtin(
        "new",
        "new",
        "Write a new campaign: next year's from this year's (--from), or from a template.",
    ),
    "validate": Builtin(
        "validate",
        "validate",
        "Check a campaign file and list every problem. Exit 1 if any is an error.",
    ),
    "show": Builtin(
        "show",
        "show",
        "Show a campaign: header, phases, organisation, groups, activities, requirements.",
    ),
    "timeline": Builtin(
        "timeline",
        "timeline",
        "List the campaign's events in order: phases, activities, reminders, deadlines.",
    ),
    "simulate": Builtin(
        "simulate",
        "simulate",
        "Rehearse the campaign: run its timeline with simulated submissions.",
    ),
    "submit": Builtin(
        "submit",
        "submit",
        "Record a submission: store each file, probe it, and judge it against the requirement.",
    ),
    "extend": Builtin(
        "extend",
        "extend",
        "Move one unit's deadline on a requirement to the end of a later day, for a reason.",
    ),
    "exempt": Builtin(
        "extend",
        "exempt",
        "Take one unit out of a requirement, for a reason: no notices, not counted in rates.",
    ),
    "tick": Builtin(
        "tick",
        "tick",
        "Process the events due since the last tick and deliver what is queued.",
    ),
    "ledger": Builtin(
        "ledger",
        "ledger",
        "Mend a ledger after its campaign file was edited, copy a ledger whole, check one.",
    ),
    "status": Builtin(
        "status",
        "status",
        "Show each assignee's standing per requirement, and the notices it was sent.",
    ),
    "report": Builtin(
        "report",
        "report",
        "Write a report of the campaign: standings per unit, roll-ups, the notifications sent.",
    ),
    "plugins": Builtin(
        "plugins",
        "plugins_command",
        "List loaded plugins: name, version, hooks, and what each contributes.",
    ),
    "new-plugin": Builtin(
        "new_plugin",
        "new_plugin",
        "Write a plugin that installs and passes its tests: a check, notifier, report or timeline.",
    ),
    "schema": Builtin(
        "schema",
        "schema",
        "Print the JSON Schema of the campaign format, with installed plugins' tables.",
    ),
}


def _command_from(name: str, target: Any) -> Any:
    """A click command from what a plugin's `load` returned: a Typer app or a function."""
    from typer.main import get_command, get_command_from_info
    from typer.models import CommandInfo

    if isinstance(target, typer.Typer):
        command = get_command(target)
        command.name = name
        return command
    if callable(target):
        info = CommandInfo(name=name, callback=target)
        return get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode=None)
    raise TypeError(f"a Typer app or a function, not {type(target).__name__}")


def plugin_commands(host: PluginHost) -> dict[str, Contribution]:
    """The commands plugins add, by name; one named as a built-in command is a conflict."""
    from ..pluginerrors import PluginConflict

    offered: dict[str, Contribution] = host.cli_commands()
    taken = sorted(offered.keys() & COMMANDS.keys())
    if taken:
        raise PluginConflict(
            f"{host.origin(offered[taken[0]].plugin)} declares the command `{taken[0]}`, "
            "which is a built-in command"
        )
    return offered


class _Group(TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        builtin = COMMANDS.get(cmd_name)
        if builtin is not None:
            module = importlib.import_module(f"{__package__}.{builtin.module}")
            command = _command_from(cmd_name, getattr(module, builtin.function))
        else:
            command = self._plugin_command(ctx, cmd_name)
        if command is not None:
            self.commands[cmd_name] = command
        return command

    def _plugin_command(self, ctx: Any, name: str) -> Any:
        """A plugin's command: load the plugins (once), then import only that command."""
        from ..pluginerrors import blaming
        from .output import host_from

        if not name or name.startswith("-"):
            return None
        offered = plugin_commands(host_from(ctx))
        contribution = offered.get(name)
        if contribution is None:
            return None
        with blaming(contribution.plugin, "campaignkit_cli_commands"):
            return _command_from(name, contribution.record.load())

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        from typer._click.utils import make_default_short_help

        limit = formatter.width - 6 - max(map(len, COMMANDS))
        rows = [(name, make_default_short_help(c.help, limit)) for name, c in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
        with formatter.section("Commands from plugins"):
            formatter.write_text(
                "Installed plugins may add commands: `campaignkit plugins` lists them."
            )

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:
            from ..problems import did_you_mean

            known = [*COMMANDS, *self.commands]
            host = ctx.meta.get(HOST_KEY)
            if host is not None:  # loaded to look for a plugin's command
                known += plugin_commands(host)
            if args and "Did you mean" not in error.message:
                hint = did_you_mean(args[0], known) or (
                    "a plugin may add it: `campaignkit plugins` lists the installed ones "
                    "and their commands"
                )
                error.message = f"{error.message.rstrip('.')}; {hint}"
            raise

    def invoke(self, ctx: Any) -> Any:
        from ..i18n import _, for_command

        # A failure is said in the language the command was speaking when it failed.
        with for_command():
            try:
                return super().invoke(ctx)
            except (Exit, TyperException, Abort):
                raise
            except KeyboardInterrupt:
                typer.echo(_("interrupted"), err=True)
                raise typer.Exit(130) from None
            except BrokenPipeError:
                # The reader went away (`campaignkit … | head`): stop quietly, as a pipe expects.
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                raise typer.Exit(141) from None
            except Exception as error:
                raise typer.Exit(_exit_code(error)) from None


def _exit_code(error: Exception) -> int:
    """Say what went wrong, and give the exit code it deserves."""
    # Imported here: the start-up of every command must not pay for them.
    from ..i18n import _
    from ..ledger import LedgerError
    from ..pluginerrors import PluginError
    from .output import err

    if isinstance(error, PluginError):
        err(_("error: {message}").format(message=error))
        return EXIT_FAILURE
    if isinstance(error, LedgerError):
        # A ledger file that is not one, or is newer than this campaignkit: bad input.
        err(_("error: {message}").format(message=error))
        return EXIT_PROBLEMS
    if os.environ.get("CAMPAIGNKIT_DEBUG"):
        err("".join(traceback.format_exception(error)))
    said = _(
        "internal error: {error}\n"
        "This is a bug in campaignkit or a plugin; set CAMPAIGNKIT_DEBUG=1 to see "
        "the traceback."
    )
    err(said.format(error=f"{type(error).__name__}: {error}"))
    return EXIT_FAILURE


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
    # `--disable` is read from these parameters by whatever loads the plugins.
