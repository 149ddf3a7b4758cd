"""Find the line where a key path stands in TOML text.

tomli gives values, not positions, so problems found after parsing are placed by scanning
the text once: every table header, key, array element and inline-table key is recorded
under its key path (``requirements.summary.deliverables[1].min_width``). The scan assumes
the text already parsed, so it only needs to be right for valid TOML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .problems import join_path

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[str, int] = {}
        # Tables defined implicitly (`units.east` by `[units.east.contact]` or `east.name = ...`).
        self.implicit: dict[str, int] = {}
        # Array-of-tables paths (with indices) -> how many elements seen so far.
        self.aot: dict[str, int] = {}

    # -- low level -----------------------------------------------------------------
    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def advance(self, n: int = 1) -> None:
        chunk = self.text[self.pos : self.pos + n]
        self.line += chunk.count("\n")
        self.pos += n

    def skip_space(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self.advance()
            elif ch == "#":
                end = self.text.find("\n", self.pos)
                self.advance((end if end >= 0 else len(self.text)) - self.pos)
            else:
                return

    def skip_line(self) -> None:
        end = self.text.find("\n", self.pos)
        self.advance((end + 1 if end >= 0 else len(self.text)) - self.pos)

    def record(self, path: str) -> None:
        self.lines.setdefault(path, self.line)

    def record_implicit(self, path: str) -> None:
        self.implicit.setdefault(path, self.line)

    # -- keys and strings ----------------------------------------------------------
    def string(self) -> str:
        quote = self.peek()
        if self.peek(3) == quote * 3:
            self.advance(3)
            end = self.text.find(quote * 3, self.pos)
            end = len(self.text) if end < 0 else end
            while self.text[end + 3 : end + 4] == quote:  # up to two quotes may close it
                end += 1
            body = self.text[self.pos : end]
            self.advance(end + 3 - self.pos)
            return body
        self.advance()
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in (quote, "\n"):
            if quote == '"' and self.text[self.pos] == "\\":
                self.advance()
            self.advance()
        body = self.text[start : self.pos]
        self.advance()
        return _ESCAPE.sub(lambda m: m.group(1)[-1:], body) if quote == '"' else body

    def key(self) -> list[str]:
        parts = []
        while True:
            self.skip_space(newlines=False)
            if self.peek() in ('"', "'"):
                parts.append(self.string())
            else:
                match = _BARE.match(self.text, self.pos)
                if not match:
                    return parts
                parts.append(match.group())
                self.advance(len(match.group()))
            self.skip_space(newlines=False)
            if self.peek() != ".":
                return parts
            self.advance()

    # -- values --------------------------------------------------------------------
    def value(self, path: str) -> None:
        ch = self.peek()
        if ch in ('"', "'"):
            self.string()
        elif ch == "[":
            self.array(path)
        elif ch == "{":
            self.inline_table(path)
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}\n#":
                self.advance()

    def array(self, path: str) -> None:
        self.advance()  # [
        index = 0
        while True:
            self.skip_space(newlines=True)
            if self.pos >= len(self.text) or self.peek() == "]":
                self.advance()
                return
            item = join_path(path, index)
            self.record(item)
            self.value(item)
            self.skip_space(newlines=True)
            if self.peek() == ",":
                self.advance()
            index += 1

    def inline_table(self, path: str) -> None:
        self.advance()  # {
        while True:
            self.skip_space(newlines=True)
            if self.pos >= len(self.text) or self.peek() == "}":
                self.advance()
                return
            self.assignment(path)
            self.skip_space(newlines=True)
            if self.peek() == ",":
                self.advance()

    def assignment(self, table: str) -> None:
        parts = self.key()
        for i in range(1, len(parts)):
            self.record_implicit(join_path(table, *parts[:i]))
        path = join_path(table, *parts)
        self.record(path)
        self.skip_space(newlines=False)
        if self.peek() == "=":
            self.advance()
            self.skip_space(newlines=False)
            self.value(path)

    # -- headers -------------------------------------------------------------------
    def header(self) -> str:
        is_aot = self.peek(2) == "[["
        self.advance(2 if is_aot else 1)
        parts = self.key()
        # Walk the parts, stepping into the latest element of each array of tables.
        path = ""
        for i, part in enumerate(parts):
            path = join_path(path, part)
            last = i == len(parts) - 1
            if path in self.aot and not (is_aot and last):
                path = join_path(path, self.aot[path] - 1)
            if not last:
                self.record_implicit(path)
        if is_aot:
            count = self.aot.get(path, 0)
            self.aot[path] = count + 1
            self.record(path)
            path = join_path(path, count)
        self.record(path)
        self.skip_line()
        return path

    def scan(self) -> dict[str, int]:
        table = ""
        while True:
            self.skip_space(newlines=True)
            if self.pos >= len(self.text):
                return {**self.implicit, **self.lines}
            if self.peek() == "[":
                table = self.header()
            else:
                before = self.pos
                self.assignment(table)
                if self.pos == before:  # not valid TOML here: move on rather than loop
                    self.skip_line()


def key_lines(text: str) -> dict[str, int]:
    """Map every key path in TOML `text` to the 1-based line where it is written."""
    return _Scanner(text).scan()


def find_line(files: Sequence[Mapping[str, int]], path: str) -> tuple[int, int] | None:
    """(which file, line) where `path` is written — in the first of `files` that writes it —
    or else its nearest written ancestor; None when not even the top table is written."""
    while path:
        for index, lines in enumerate(files):
            if path in lines:
                return index, lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None


def line_of(lines: Mapping[str, int], path: str) -> int | None:
    """The line of `path`, or of its nearest ancestor that is written in the file."""
    found = find_line([lines], path)
    return found[1] if found else None
