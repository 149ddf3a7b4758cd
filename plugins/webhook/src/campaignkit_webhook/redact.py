"""Keeping webhook URLs and secrets out of sight: a filter on httpx's loggers while a
request is in flight, and the scrubbing of what a platform answered before it is shown."""

from __future__ import annotations

import collections
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlsplit


class _Redactor(logging.Filter):
    """Hides the URLs and secrets of requests in flight from httpx's and httpcore's logs."""

    HIDDEN = "<webhook URL hidden>"

    def __init__(self) -> None:
        super().__init__()
        self.secrets: collections.Counter[str] = collections.Counter()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        record.msg = self._clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._clean(arg) for arg in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {key: self._clean(arg) for key, arg in record.args.items()}
        return True

    def _clean(self, value: Any) -> Any:
        if isinstance(value, int | float | bool) or value is None:
            return value
        text = str(value)
        return self.HIDDEN if any(s in text for s in list(self.secrets)) else value

    @contextmanager
    def hiding(self, secrets: Iterable[str]) -> Iterator[None]:
        hidden = [s for s in secrets if s]
        self.secrets.update(hidden)
        try:
            yield
        finally:
            self.secrets.subtract(hidden)
            self.secrets += collections.Counter()  # drop the zeros


REDACTOR = _Redactor()


def hide_from_http_logs() -> None:
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).addFilter(REDACTOR)  # once: addFilter ignores a repeat


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def secrets_of(url: str, *more: str | None) -> list[str]:
    """The strings that must never be shown: the URL, its path and query, each query value
    and longer path segment (the key or token lives there), and the secrets given."""
    found = [url]
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is not None:
        found += [parts.path, parts.query]
        found += [value for _, value in parse_qsl(parts.query) if len(value) >= 4]
        found += [segment for segment in parts.path.split("/") if len(segment) >= 8]
    found += [m for m in more if m]
    return sorted({s for s in found if s and s not in ("/",)}, key=len, reverse=True)


def scrub(text: str, secrets: Iterable[str], limit: int = 200) -> str:
    """`text` with every secret replaced by ``***``, shortened to `limit` characters."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text if len(text) <= limit else text[: limit - 1] + "…"
