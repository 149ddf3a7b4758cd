"""The access log, with every unit's secret link redacted.

uvicorn logs each request's path, and a unit's link, ``/u/{token}``, carries its token: the
`RedactTokens` filter replaces the token before any handler writes the line. uvicorn never
logs headers, so a bearer token does not reach the log either.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

TOKEN_IN_PATH = re.compile(r"(/u/)[^/?#\s]+")
TOKEN_IN_QUERY = re.compile(r"((?:^|[?&])(?:token|access_token)=)[^&#\s]+", re.IGNORECASE)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """`text` (a request's path and query) without the tokens in it."""
    return TOKEN_IN_QUERY.sub(rf"\1{REDACTED}", TOKEN_IN_PATH.sub(rf"\1{REDACTED}", text))


class RedactTokens(logging.Filter):
    """Redacts tokens from uvicorn's access log lines (their arguments are the client, the
    method, the path with its query, the HTTP version and the status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration, with `RedactTokens` on the access log's handler."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_tokens"] = {"()": RedactTokens}
    config["handlers"]["access"]["filters"] = ["redact_tokens"]
    config["loggers"]["uvicorn.access"]["filters"] = ["redact_tokens"]
    return config
