"""The templates ``campaignkit new-plugin`` starts a plugin distribution from.

Each kind of template is a small plugin that works, with tests of its own that pass as
written:

- ``check``: a ``[plugins.NAME]`` table and a check of the campaign against it;
- ``notifier``: a channel with settings, quiet hours (`Defer`) and kinds it leaves to other
  channels (`Decline`);
- ``report``: a report format;
- ``timeline``: events of its own on the timeline, and the notices they make.

A kind's files are in ``templates/plugin/KIND/``; ``templates/plugin/pyproject.toml.tmpl`` is
every kind's. They are `string.Template` texts, filled in with the values `plugin_files`
makes from the plugin's name.
"""

from __future__ import annotations

import enum
import string
from importlib import resources


class PluginTemplate(enum.StrEnum):
    """What a new plugin starts as."""

    check = "check"
    notifier = "notifier"
    report = "report"
    timeline = "timeline"


DESCRIPTIONS = {
    PluginTemplate.check: "Warns when a requirement leaves the units too little time.",
    PluginTemplate.notifier: "Sends notices on a channel of its own, outside quiet hours.",
    PluginTemplate.report: "A CSV of the units that did not hand in on time.",
    PluginTemplate.timeline: "Tells units still missing that a deadline is a working day away.",
}
"""A kind's description of the plugin, when ``--description`` gives none."""

# Template → where it goes; `{package}` is the import name.
SHARED = {"pyproject.toml.tmpl": "pyproject.toml"}
OWN = {
    "README.md.tmpl": "README.md",
    "plugin.py.tmpl": "src/{package}/__init__.py",
    "test_plugin.py.tmpl": "tests/test_{package}.py",
}


def plugin_files(
    name: str,
    template: PluginTemplate = PluginTemplate.check,
    description: str | None = None,
    *,
    campaignkit_version: str,
) -> dict[str, str]:
    """Each file of the distribution of plugin `name` (a slug), by its path inside the
    folder; `campaignkit_version` is the least version of campaignkit it depends on."""
    package = "campaignkit_" + name.replace("-", "_")
    # A class name of its own: the JSON Schema and error messages name it.
    settings = "".join(part.title() for part in name.split("-")) + "Settings"
    values = {
        "name": name,
        "dist": f"campaignkit-{name}",
        "package": package,
        "settings": settings if settings[0].isalpha() else f"Plugin{settings}",
        # For the names of the operator's environment variables: CAMPAIGNKIT_{constant}_…
        "constant": name.upper().replace("-", "_"),
        "description": DESCRIPTIONS[template] if description is None else description,
        "campaignkit_version": campaignkit_version,
    }
    folder = resources.files("campaignkit") / "templates" / "plugin"
    sources = [(folder / t, path) for t, path in SHARED.items()]
    sources += [(folder / str(template) / t, path) for t, path in OWN.items()]
    out = {
        target.format(package=package): string.Template(
            source.read_text(encoding="utf-8")
        ).substitute(values)
        for source, target in sources
    }
    out[f"src/{package}/py.typed"] = ""
    return out
