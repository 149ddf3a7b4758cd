"""The floor: the least a campaign runner must do, in plain Python.

    python bench/floor.py FILE

It parses the campaign with tomli, makes one event per unit, requirement and moment (each
reminder, the deadline, the escalation), sorts the events, and dispatches each through a
pluggy hook with three implementations. It prints one line of JSON with the event count.

Nothing is checked and nothing is stored: campaignkit does far more per event, and the
benchmark measures how much that costs against this floor.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import zoneinfo

import pluggy
import tomli

hookspec = pluggy.HookspecMarker("floor")
hookimpl = pluggy.HookimplMarker("floor")

REMIND_AT = dt.time(9, 0)
DAY_END = dt.time(23, 59, 59)


class Spec:
    @hookspec
    def on_event(self, event: tuple[dt.datetime, str, str, str]) -> None:
        """Called once per event."""


class Counter:
    def __init__(self) -> None:
        self.count = 0

    @hookimpl
    def on_event(self, event: tuple[dt.datetime, str, str, str]) -> None:
        self.count += 1


class KindTally:
    def __init__(self) -> None:
        self.kinds: dict[str, int] = {}

    @hookimpl
    def on_event(self, event: tuple[dt.datetime, str, str, str]) -> None:
        kind = event[1]
        self.kinds[kind] = self.kinds.get(kind, 0) + 1


class LastSeen:
    def __init__(self) -> None:
        self.last: tuple[dt.datetime, str, str, str] | None = None

    @hookimpl
    def on_event(self, event: tuple[dt.datetime, str, str, str]) -> None:
        self.last = event


def members(name: str, data: dict) -> list[str]:
    """The units a unit id or group id stands for."""
    units = data["units"]
    if name in units:
        return [name]
    group = data.get("groups", {})[name]
    out = [uid for uid, unit in units.items() if unit["kind"] in group.get("kinds", [])]
    out.extend(group.get("units", []))
    for sub in group.get("groups", []):
        out.extend(members(sub, data))
    return out


def events(data: dict) -> list[tuple[dt.datetime, str, str, str]]:
    zone = zoneinfo.ZoneInfo(data["campaign"].get("timezone", "UTC"))
    out = []
    for rid, req in data.get("requirements", {}).items():
        due = req["due"]
        moments = [
            (dt.datetime.combine(due - dt.timedelta(days=days), REMIND_AT, zone), "remind")
            for days in req.get("remind", [3, 1])
        ]
        moments.append((dt.datetime.combine(due, DAY_END, zone), "due"))
        if "escalate_after" in req:
            later = due + dt.timedelta(days=req["escalate_after"])
            moments.append((dt.datetime.combine(later, DAY_END, zone), "escalate"))
        assignees: dict[str, None] = {}
        for name in req["assignees"]:
            for uid in members(name, data):
                assignees[uid] = None
        for uid in assignees:
            for at, kind in moments:
                out.append((at, kind, uid, rid))
    return out


def main() -> int:
    with open(sys.argv[1], "rb") as f:
        data = tomli.load(f)
    pm = pluggy.PluginManager("floor")
    pm.add_hookspecs(Spec)
    counter, tally, last = Counter(), KindTally(), LastSeen()
    for plugin in (counter, tally, last):
        pm.register(plugin)
    todo = events(data)
    todo.sort()
    for event in todo:
        pm.hook.on_event(event=event)
    summary = {
        "units": len(data["units"]),
        "requirements": len(data.get("requirements", {})),
        "events": counter.count,
        "kinds": tally.kinds,
    }
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
