"""Starting a campaign file: next year's from this year's, or a starter template.

The use cases behind ``campaignkit new``: each writes the new file, loads it as every
command would, and returns what a clerk is to read, without printing anything.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import attrs

from .dates import RestDays
from .loader import Loaded, load_campaign
from .newyear import NewYear, ShiftError, next_year
from .newyear_review import ReviewItem, calendar_item, expression_review
from .plugins import PluginHost
from .tomlfile import read_text


class CannotStart(Exception):
    """The new file could not be made: the source is unreadable or not TOML, its dates
    cannot be shifted, or the new file cannot be written. Nothing usable was written."""


class SameYear(CannotStart):
    """The source is already a campaign of the year asked for."""

    def __init__(self, source: Path, year: int) -> None:
        super().__init__(f"{source} is already a {year} campaign; give the year of the new plan")
        self.year = year


@attrs.frozen
class Started:
    """A new campaign file, written: its text, the campaign as loaded from it, and, for
    next year's plan, the plan and what a clerk must review (also at the top of the file)."""

    path: Path
    text: str
    loaded: Loaded
    plan: NewYear | None = None
    review: tuple[ReviewItem, ...] = ()


def new_from_template(template: str, path: Path, host: PluginHost) -> Started:
    """Write the starter file `template` (``city`` or ``district``) to `path`, and load it."""
    folder = resources.files("campaignkit") / "templates"
    text = (folder / f"{template}.toml").read_text(encoding="utf-8")
    _write(path, text)
    return Started(path, text, load_campaign(path, host=host))


def new_from_last_year(
    source: Path, path: Path, host: PluginHost, year: int | None = None
) -> Started:
    """Write next year's plan (or year `year`'s) from `source` to `path`: every literal date
    moved by whole years, onto working days of the campaign's calendar; date expressions,
    comments and layout kept; what to review at the top. Raises `CannotStart` (`SameYear`
    when `source` is already of that year)."""
    from tomlkit.exceptions import ParseError

    text, problem = read_text(source)
    if problem is not None:
        raise CannotStart(problem.message)
    rest = RestDays(host.workdays(_timezone(text, source, host)))
    move = (source.resolve().parent, path.resolve().parent)
    try:
        plan = next_year(text, year, source_name=source.name, rest_days=rest, move=move)
    except ParseError as error:
        raise CannotStart(
            f"{source} is not valid TOML: {error}; `campaignkit validate {source}` says more"
        ) from None
    except ShiftError as error:
        raise CannotStart(f"cannot shift {source}: {error}") from None
    if plan.years == 0:
        raise SameYear(source, plan.year)
    written, review = plan.render()
    _write(path, written)
    loaded = load_campaign(path, host=host)
    if loaded.campaign is not None and plan.expressions:
        # What the date expressions give next year is known once the new file loads.
        unknown = set(rest.unknown_years)
        extra = expression_review(plan.expressions, loaded.campaign, rest)
        if rest.unknown_years != unknown:
            extra.append(calendar_item(rest))
        if extra:
            written, review = plan.render(extra)
            _write(path, written)
    return Started(path, written, loaded, plan, review)


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise CannotStart(f"cannot write {path}: {error.strerror or error}") from None


def _timezone(text: str, source: Path, host: PluginHost) -> str:
    """The source campaign's time zone, which picks the working-day calendar."""
    import tomli

    try:
        raw = tomli.loads(text)
    except tomli.TOMLDecodeError:
        return "UTC"  # reported when the file is shifted
    campaign = raw.get("campaign")
    timezone = campaign.get("timezone") if isinstance(campaign, dict) else None
    if isinstance(timezone, str):
        return timezone
    if "extends" in raw:  # it may come from the parent
        loaded = load_campaign(source, host=host)
        if loaded.campaign is not None:
            return loaded.campaign.timezone
    return "UTC"
