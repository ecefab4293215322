"""The HTTP edge of every function: a Chalice app that renders BookReaderError as the one
JSON error shape, request-body parsing with pydantic, and JSON/binary responses."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from chalice import Chalice, ChaliceViewError, Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from bookreader.errors import BookReaderError, error_body

Model = TypeVar("Model", bound=BaseModel)
logger = logging.getLogger("bookreader.http")

BINARY_TYPES = [
    "application/octet-stream",
    "application/epub+zip",
    "application/zip",
    "application/x-fictionbook+xml",
    "image/*",
]


class BookReaderApp(Chalice):
    """A Chalice app whose every route renders errors as `{"error": {...}}`.

    Chalice turns exceptions into its own body before middleware sees them, so the rendering
    wraps each view function instead.
    """

    def __init__(self, app_name: str) -> None:
        super().__init__(app_name=app_name)
        self.api.binary_types = [*self.api.binary_types, *BINARY_TYPES]

    def route(self, path: str, **kwargs: Any) -> Callable[..., Any]:
        register = super().route(path, **kwargs)

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(view)
            def rendered(**params: Any) -> Any:
                try:
                    return view(**params)
                except BookReaderError as error:
                    return error_response(error)
                except ChaliceViewError as error:
                    code = type(error).__name__.removesuffix("Error").lower() or "error"
                    return json_response(error_body(code, str(error)), error.STATUS_CODE)
                except Exception:
                    logger.exception("unhandled error in %s %s", path, kwargs.get("methods"))
                    return json_response(
                        error_body("internal_error", "An internal error occurred."), 500
                    )

            register(rendered)
            return view

        return decorator

    def _validate_binary_response(self, request_headers: Any, response_headers: Any) -> bool:
        # API Gateway (binaryMediaTypes */*) and our runtime both carry base64 bodies whatever
        # the client's Accept header says; Chalice's stricter check would answer 400 to an <img>.
        return True


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(body, ensure_ascii=False, default=str),
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def error_response(error: BookReaderError) -> Response:
    return json_response(error.to_body(), error.status, error.headers)


def binary_response(
    data: bytes, content_type: str, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        body=data, status_code=status, headers={"Content-Type": content_type, **(headers or {})}
    )


def parse_body(request: Request, model: type[Model]) -> Model:
    """The request's JSON body validated against `model`; 400/422 with details otherwise."""
    raw = request.raw_body
    if not raw:
        raise BookReaderError("body_missing", "a JSON request body is required", 400)
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BookReaderError(
            "invalid_json", f"the request body is not valid JSON: {error}", 400
        ) from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [
            {"field": ".".join(str(part) for part in item["loc"]), "problem": item["msg"]}
            for item in error.errors(include_url=False, include_input=False)
        ]
        raise BookReaderError(
            "validation_failed", "the request body is not valid", 422, {"fields": problems}
        ) from None
