"""Load a campaign: bytes -> dict -> Campaign -> checks, with every problem located.

Nothing here raises for bad input: a file that is missing, not UTF-8, not TOML, of the wrong
shape or semantically wrong gives a `Loaded` whose ``problems`` say so, each with its key
path and, wherever it can be found, its line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from . import gcpause
from .convert import describe
from .dates import calendar_problems, resolve_dates
from .evidence_formats import resolve_formats
from .extends import Layer, resolve_extends
from .i18n import _, language_for, speak, speaking
from .locate import find_line, key_lines
from .model import Campaign
from .problems import Problem, did_you_mean, has_errors
from .recurrence import expand as expand_recurring
from .recurrence import fold, hold_rules
from .repair import mend
from .structuring import structure
from .syntax import language_of_text
from .tomlfile import parse, parse_file, read_text

if TYPE_CHECKING:
    from .dates import Workdays
    from .plugins import PluginHost


@attrs.frozen
class Loaded:
    """The outcome of loading: the campaign when it is usable, and every problem found."""

    campaign: Campaign | None
    problems: tuple[Problem, ...]
    source: str | None = None
    language: str = "en"
    """The language the problems are written in: the campaign's (see i18n.py)."""

    @property
    def ok(self) -> bool:
        """True when the campaign loaded and no problem is an error (warnings allowed)."""
        return self.campaign is not None and not has_errors(self.problems)

    def unwrap(self) -> Campaign:
        """The campaign, or `CampaignInvalid` carrying the problems."""
        if self.campaign is None or not self.ok:
            raise CampaignInvalid(self.problems)
        return self.campaign


class CampaignInvalid(Exception):
    """Raised by `Loaded.unwrap` when a campaign has errors; ``problems`` lists them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        first = next((p for p in self.problems if p.is_error), None)
        where = f" at {first.path}" if first and first.path else ""
        super().__init__(
            f"{sum(p.is_error for p in self.problems)} problem(s); first{where}: "
            f"{first.message if first else ''}"
        )


Check = Callable[[Campaign], Iterable[Problem]]
"""A check beyond the plugins' own, run on a campaign that loaded without errors."""


def load_campaign(
    path: str | os.PathLike[str], *, host: PluginHost | None = None, checks: Iterable[Check] = ()
) -> Loaded:
    """Load and check the campaign file at `path`.

    `host` supplies the plugins (config sections and checks); by default the built-ins and
    every installed plugin are loaded. `checks` run after the plugins' checks, and their
    problems are located like every other.
    """
    path = Path(path)
    text, problem = read_text(path)
    if problem is not None:
        return Loaded(None, (problem,), str(path))
    return loads_campaign(text, host=host, source=str(path), checks=checks)


def loads_campaign(
    text: str,
    *,
    host: PluginHost | None = None,
    source: str | None = None,
    checks: Iterable[Check] = (),
) -> Loaded:
    """Load and check a campaign from TOML text (`source` names its file, for `extends`)."""
    if host is None:
        from .plugins import load_plugins

        host = load_plugins()
    layers = [Layer(source or "<campaign>", text)]
    # The problems are written in the campaign's language, read from its text: the file may
    # not parse, and a check may find the problem in `language` itself. The collector is
    # paused: the parse and the records of a national campaign make no cycles.
    language = language_of_text(text)
    with speaking(language), gcpause.paused():
        campaign, problems, declared = _load(text, host, source, layers)
        language = declared or language
        if campaign is not None and not has_errors(problems):
            for check in checks:
                problems.extend(check(campaign))
            if not has_errors(problems):  # once per loaded campaign: see PluginHost.configure
                host.configure(campaign.plugins, campaign)
        if problems:
            problems = _locate(layers, fold(problems))
    return Loaded(campaign, tuple(problems), source, language)


def _load(
    text: str, host: PluginHost, source: str | None, layers: list[Layer]
) -> tuple[Campaign | None, list[Problem], str | None]:
    """The campaign (None when it has errors), its problems, and its language
    (`i18n.language_for`) once the file parsed and its parents are merged in: a district's
    file may leave `language` to the city's it extends. The problems found from then on
    are written in it."""
    raw, problem = parse(text)
    if problem is not None or raw is None:
        return None, [problem] if problem else [], None
    raw, parents, problems = resolve_extends(raw, source, parse_file)
    layers.extend(parents)
    if has_errors(problems):
        return None, problems, None
    info = raw.get("campaign")
    declared = info.get("language") if isinstance(info, dict) else None
    title = info.get("title") if isinstance(info, dict) else None
    language = language_for(
        declared if isinstance(declared, str) else None, title if isinstance(title, str) else None
    )
    speak(language)  # undone when loads_campaign's `speaking` block ends
    zone = info.get("timezone", "UTC") if isinstance(info, dict) else "UTC"
    calendar = _calendar(host, zone if isinstance(zone, str) else "UTC")
    held = hold_rules(raw)  # a recurring due date speaks of its period: not a campaign date
    date_problems, unresolved = resolve_dates(raw, calendar)
    problems += date_problems
    problems += expand_recurring(raw, held, calendar, language)
    sections = host.config_sections()
    plugin_configs, plugin_problems = _structure_plugins(raw.get("plugins"), sections)
    problems += plugin_problems
    campaign, structure_problems = structure({**raw, "plugins": {}}, Campaign)
    # A date left unresolved has had its problem said once, by the expressions.
    problems += [p for p in structure_problems if p.path not in unresolved]
    # Every mistake in one run: a file that did not structure is mended, for the checks
    # only, so that what they find in the rest is said too (see repair.py).
    mended = mend({**raw, "plugins": {}}, structure_problems) if campaign is None else None
    checked = campaign if mended is None else mended.campaign
    if checked is None:
        return None, problems, language
    loaded = {name: config for name, config in plugin_configs.items() if config is not None}
    checked = attrs.evolve(checked, plugins=loaded)
    checked, unknown = resolve_formats(checked, host)  # every command: see evidence_formats.py
    problems.extend(p for p in unknown if mended is None or mended.says(p))
    found = host.check_campaign(checked)
    problems.extend(p for p in found if mended is None or mended.says(p))
    if not has_errors(problems):
        problems += calendar_problems(checked, calendar)
    return (checked if mended is None else None), problems, language


def _calendar(host: PluginHost, timezone: str) -> Callable[[], Workdays]:
    """The campaign's working-day calendar, asked for only when a date needs it."""

    def calendar() -> Workdays:
        return host.workdays(timezone)

    return calendar


def _structure_plugins(
    tables: object, sections: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """Structure each ``[plugins.NAME]`` table with its plugin's ConfigSection."""
    if tables is None:
        return {}, []
    if not isinstance(tables, dict):
        message = _("expected a table, found {found}").format(found=describe(tables))
        return {}, [Problem("plugins", message)]
    configs: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, table in tables.items():
        path = f"plugins.{name}"
        contribution = sections.get(name)
        if contribution is None:
            problems.append(
                Problem(
                    path,
                    _("no installed plugin reads [plugins.{name}]; the table is ignored").format(
                        name=name
                    ),
                    did_you_mean(name, sections)
                    or _("`campaignkit plugins` lists what is installed"),
                    severity="warning",
                    code="unknown-plugin",
                )
            )
            configs[name] = table
            continue
        config, found = structure(table, contribution.record.cls, base=path)
        problems += found
        configs[name] = config
    return configs, problems


def _locate(layers: list[Layer], problems: list[Problem]) -> list[Problem]:
    """Give each problem its file and line: the child's if the key is written there, else the
    parent's that wrote it; a key written nowhere takes the line of its nearest written table.
    """
    # Scanned only when a problem needs a line: a file tomli refused may be too deep to scan.
    unplaced = any(p.line is None and p.path for p in problems)
    files = [key_lines(layer.text) for layer in layers] if unplaced else []
    out = []
    for problem in problems:
        if problem.line is None and problem.path:
            found = find_line(files, problem.path)
            if found is not None:
                index, line = found
                problem = attrs.evolve(
                    problem, line=line, file=problem.file or layers[index].source
                )
        out.append(attrs.evolve(problem, file=problem.file or layers[0].source))
    return out
