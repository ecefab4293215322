"""The one error type. Raised deep, rendered once at the edge as the JSON error shape."""

from __future__ import annotations

from typing import Any


class BookReaderError(Exception):
    """An expected failure with a stable machine-readable code and an HTTP status."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int = 400,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}
        self.headers = headers or {}

    def to_body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.details)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """`{"error": {"code", "message", "details"}}` — the shape every error response has."""
    return {"error": {"code": code, "message": message, "details": details or {}}}
