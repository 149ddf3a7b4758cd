"""What the portal's API answers: JSON with stable English keys, and errors as
``{"error": code, "message": …, "problems": […]}``, the message in the campaign's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.responses import JSONResponse

from campaignkit import Problem


class ApiError(Exception):
    """A request the API refuses: its HTTP status, a stable code, a message for people and
    the problems behind it. Raised by the routes' helpers, answered by the app."""

    def __init__(
        self, status: int, code: str, message: str, problems: Iterable[Problem] = ()
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.problems = tuple(problems)

    def response(self) -> JSONResponse:
        body = {
            "error": self.code,
            "message": self.message,
            "problems": [problem_json(p) for p in self.problems],
        }
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return json_response(body, self.status, headers=headers)


def problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "path": problem.path,
        "code": problem.code,
        "message": problem.message,
        "hint": problem.hint,
    }


class _Json(JSONResponse):
    def render(self, content: Any) -> bytes:
        # Chinese as it is, not as \u escapes: the API is read by people's tools too.
        import json

        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_response(
    body: Any, status: int = 200, *, headers: dict[str, str] | None = None
) -> JSONResponse:
    return _Json(body, status_code=status, headers=headers)
