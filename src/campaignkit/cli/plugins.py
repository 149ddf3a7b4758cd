"""``campaignkit plugins``: what is loaded, what each plugin implements and contributes."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from ..plugins import PluginHost
from ..problems import did_you_mean
from .app import plugin_commands
from .output import Format, FormatOption, console, host_from, print_json

# Registry hooks, and the label each one's records get in the listing.
REGISTRIES = {
    "campaignkit_config_sections": "config sections",
    "campaignkit_notifiers": "notifiers",
    "campaignkit_report_formats": "report formats",
    "campaignkit_cli_commands": "commands",
}


def plugins_command(
    ctx: typer.Context,
    hook: Annotated[
        str | None,
        typer.Option("--hook", help="Only the plugins implementing this hook, in call order."),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List loaded plugins: name, version, hooks, and what each contributes."""
    host = host_from(ctx)
    listing = describe_plugins(host)
    if hook is not None:
        known = [name for name in dir(host.pm.hook) if name.startswith("campaignkit_")]
        if hook not in known:
            hint = did_you_mean(hook, known) or f"hooks: {', '.join(known)}"
            raise typer.BadParameter(f"no hook `{hook}`; {hint}", param_hint="--hook")
        # pluggy calls the last registered first; list them in the order they run.
        order = [impl.plugin_name for impl in reversed(getattr(host.pm.hook, hook).get_hookimpls())]
        by_name = {item["name"]: item for item in listing}
        listing = [by_name[name] for name in order if name in by_name]
    failed = [{"name": f.name, "dist": f.dist, "error": f.error} for f in host.failures]
    if fmt is Format.json:
        print_json({"plugins": listing, "failed": failed, "disabled": sorted(host.disabled)})
        return
    table = Table()
    for column in ("plugin", "version", "hooks", "contributes"):
        table.add_column(column, overflow="fold")
    for item in listing:
        version = "built-in" if item["builtin"] else f"{item['dist']} {item['version']}"
        contributes = "; ".join(
            f"{label}: {', '.join(names)}" for label, names in item["contributes"].items()
        )
        table.add_row(item["name"], version, "\n".join(item["hooks"]), Text(contributes))
    out = console()
    out.print(table)
    for failure in failed:
        out.print(
            Text(
                f"failed to import: {failure['name']} ({failure['dist']}): {failure['error']}",
                style="red",
            )
        )
    if host.disabled:
        out.print(Text(f"disabled: {', '.join(sorted(host.disabled))}"))


def describe_plugins(host: PluginHost) -> list[dict[str, Any]]:
    contributions: dict[str, dict[str, list[str]]] = {}
    for hook, label in REGISTRIES.items():
        found = plugin_commands(host) if hook == "campaignkit_cli_commands" else host.collect(hook)
        for name, contribution in found.items():
            contributions.setdefault(contribution.plugin, {}).setdefault(label, []).append(name)
    # Several plugins may know one format (two probers may both read JPEG): each is listed.
    for plugin, records in host.by_plugin("campaignkit_evidence_formats"):
        if records:
            names = [record.name for record in records]
            contributions.setdefault(plugin, {})["evidence formats"] = names
    return [
        {
            "name": info.name,
            "builtin": info.builtin,
            "dist": info.dist,
            "version": info.version,
            "module": info.module,
            "hooks": host.hooks_of(info.name),
            "contributes": contributions.get(info.name, {}),
        }
        for info in host.infos.values()
    ]
