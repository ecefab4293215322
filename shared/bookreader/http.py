"""The HTTP edge of every function: a Chalice app that renders BookReaderError as the one
JSON error shape, request body and query string parsing with pydantic, and JSON/binary
responses (every JSON answer is serialised by `json_response`)."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from chalice import Chalice, ChaliceViewError, Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from bookreader.api.queries import PG_INT_MAX
from bookreader.auth.app_passwords import Device, Scope
from bookreader.auth.device_sign_in import authenticate_basic
from bookreader.auth.guard import authenticate, request_ip, require_role
from bookreader.auth.limits import limit_api
from bookreader.auth.origin import cors_headers
from bookreader.auth.tokens import AccessClaims, Role
from bookreader.errors import BookReaderError
from bookreader.log import configure_function_logging
from bookreader.mount import mount_prefix
from bookreader.validation import from_pydantic, invalid_fields

Model = TypeVar("Model", bound=BaseModel)
# (request headers, client address, scope) → the device whose app password they carry.
DeviceSignIn = Callable[[Mapping[str, str], str, Scope], Device]
logger = logging.getLogger("bookreader.http")

BINARY_TYPES = [
    "application/octet-stream",
    "application/epub+zip",
    "application/zip",
    "application/x-fictionbook+xml",
    # Chalice compares types exactly ("image/*" matches nothing): every picture type we serve.
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/svg+xml",
    "image/avif",
    "image/bmp",
    "image/tiff",
]


class BookReaderApp(Chalice):
    """A Chalice app whose routes are authenticated unless declared public, and whose every
    route renders errors as `{"error": {...}}`.

    A route is authenticated by an access token (the default), or, declared with
    `app_password=<scope>`, by HTTP Basic with an app password of that scope (e-reader apps);
    such a route never takes an access token, and no other route takes an app password.
    An app whose devices carry the app password another way (KOReader's headers) passes its own
    `device_sign_in`, and `render_error` when its clients expect another error shape.

    Chalice turns exceptions into its own body before middleware sees them, so the rendering
    wraps each view function instead.
    """

    # Chalice sets it before every view runs (None only between invocations).
    current_request: Request

    def __init__(
        self,
        app_name: str,
        *,
        device_sign_in: DeviceSignIn | None = None,
        render_error: Callable[[BookReaderError], Response] | None = None,
    ) -> None:
        super().__init__(app_name=app_name)
        self.device_sign_in: DeviceSignIn = device_sign_in or authenticate_basic
        self.render_error = render_error or error_response
        configure_function_logging()
        self.api.binary_types = [*self.api.binary_types, *BINARY_TYPES]
        self.public_routes: set[str] = set()  # "METHOD /path", compared with the template
        self.role_routes: dict[str, Role] = {}
        self.app_password_routes: dict[str, Scope] = {}  # "METHOD /path" → the scope it needs
        # Chalice serves one request per process at a time, like `current_request`.
        self.claims: AccessClaims | None = None
        self.caller_device: Device | None = None

    def route(
        self,
        path: str,
        *,
        public: bool = False,
        role: Role = "user",
        app_password: Scope | None = None,
        **kwargs: Any,
    ) -> Callable[..., Any]:
        """Declare a route; it requires a valid access token unless `public=True`, or an app
        password of the scope `app_password` names."""
        # Chalice would answer other content types with its own 415 body; parse_body answers
        # in ours instead.
        kwargs.setdefault("content_types", ["*/*"])
        register = super().route(path, **kwargs)
        methods = kwargs.get("methods", ["GET"])
        if public:
            self.public_routes.update(f"{method} {path}" for method in methods)
        if role != "user":
            self.role_routes.update({f"{method} {path}": role for method in methods})
        if app_password is not None:
            self.app_password_routes.update(
                {f"{method} {path}": app_password for method in methods}
            )

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(view)
            def rendered(**params: Any) -> Any:
                response = answered(**params)
                response.headers.update(cors_headers(self.current_request.headers))
                return response

            def answered(**params: Any) -> Response:
                try:
                    self.claims = None
                    self.caller_device = None
                    request = self.current_request
                    if app_password is not None:
                        self.caller_device = self.device_sign_in(
                            request.headers, self.client_ip, app_password
                        )
                        limit_api(
                            self.caller_device.user_id, read=request.method in ("GET", "HEAD")
                        )
                    elif not public:
                        self.claims = authenticate(request.headers, request.method)
                        require_role(self.claims, role)
                    result = view(**params)
                    # Chalice would serialise anything else itself, with no Content-Type.
                    return result if isinstance(result, Response) else json_response(result)
                except BookReaderError as error:
                    return self.render_error(error)
                except ChaliceViewError as error:
                    code = type(error).__name__.removesuffix("Error").lower() or "error"
                    return self.render_error(BookReaderError(code, str(error), error.STATUS_CODE))
                except Exception:
                    logger.exception("unhandled error in %s %s", path, methods)
                    return self.render_error(
                        BookReaderError("internal_error", "An internal error occurred.", 500)
                    )

            register(rendered)
            return view

        return decorator

    @property
    def user(self) -> AccessClaims:
        """The caller of the current (authenticated) route."""
        if self.claims is None:
            raise BookReaderError("unauthenticated", "Sign in first.", 401)
        return self.claims

    @property
    def device(self) -> Device:
        """The device calling the current app-password route."""
        if self.caller_device is None:
            raise BookReaderError("unauthenticated", "Sign in with an app password.", 401)
        return self.caller_device

    @property
    def client_ip(self) -> str:
        request = self.current_request
        return request_ip(request.context, request.headers)

    @property
    def mount_prefix(self) -> str:
        """Where the API is mounted as the client sees it ("" or e.g. "/api")."""
        request = self.current_request
        path = request.to_original_event().get("path") or ""
        return mount_prefix(request.context, path, request.headers)

    def _validate_binary_response(self, request_headers: Any, response_headers: Any) -> bool:
        # API Gateway (binaryMediaTypes */*) and our runtime both carry base64 bodies whatever
        # the client's Accept header says; Chalice's stricter check would answer 400 to an <img>.
        return True


def json_response(
    body: BaseModel | dict[str, Any] | None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """The one JSON serialiser: a response model (see `bookreader.api.schemas`), an error, or
    `null` where an operation answers "nothing yet" (see `operations.Nullable`)."""
    data = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    return Response(
        body=json.dumps(data, ensure_ascii=False, default=str),
        status_code=status,
        headers={**_JSON_HEADERS, **(headers or {})},
    )


# Answers carry tokens and private data: no cache keeps them (a shared computer's browser, a
# proxy), and no browser guesses their type.
_JSON_HEADERS = {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def error_response(error: BookReaderError) -> Response:
    return json_response(error.to_body(), error.status, error.headers)


def binary_response(
    data: bytes,
    content_type: str,
    status: int = 200,
    headers: Mapping[str, str | list[str]] | None = None,
) -> Response:
    return Response(
        body=data, status_code=status, headers={"Content-Type": content_type, **(headers or {})}
    )


def request_bytes(request: Request) -> bytes:
    """The request body as bytes (Chalice's type also allows text)."""
    raw = request.raw_body
    return raw.encode("utf-8") if isinstance(raw, str) else raw or b""


def parse_body(request: Request, model: type[Model], max_bytes: int = 64 * 1024) -> Model:
    """The request's JSON body validated against `model`; 400/413/422 with details otherwise."""
    raw = request_bytes(request)
    if not raw:
        raise BookReaderError("body_missing", "a JSON request body is required", 400)
    if len(raw) > max_bytes:
        raise BookReaderError("payload_too_large", f"the body exceeds {max_bytes} bytes", 413)
    content_type = (request.headers.get("content-type") or "application/json").split(";")[0]
    if content_type.strip().lower() not in ("application/json", "text/json") and not (
        content_type.strip().lower().endswith("+json")
    ):
        raise BookReaderError(
            "unsupported_media_type",
            f"send JSON (Content-Type: application/json), not {content_type}",
            415,
        )
    data = _json_document(raw)
    _check_declared(request, model, "body")
    where = _nul_at(data)
    if where is not None:
        # PostgreSQL can store NUL in neither text nor jsonb (22021, 22P05): no field takes it.
        raise invalid_fields([(where or "body", "must not contain NUL characters")])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise from_pydantic(error) from None


MAX_JSON_DEPTH = 32


def _json_document(raw: bytes) -> Any:
    """Decode a request body, refusing with a 400 what would break the parser: nesting deep
    enough to exhaust the stack, and numbers past Python's digit limit (a ValueError).
    (NUL is refused in any string by `parse_body`; other control characters field by field,
    by the body models.)"""
    if _nesting_depth(raw) > MAX_JSON_DEPTH:
        raise BookReaderError(
            "invalid_json", f"the JSON nests deeper than {MAX_JSON_DEPTH} levels", 400
        )
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as error:  # JSONDecodeError is a ValueError
        raise BookReaderError(
            "invalid_json", f"the request body is not valid JSON: {error}", 400
        ) from None
    return data


def _nul_at(data: Any, path: str = "") -> str | None:
    """The dotted path of the first string (key or value) holding NUL, else None."""
    if isinstance(data, str):
        return path if "\x00" in data else None
    items: list[tuple[str, Any]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if "\x00" in key:
                return f"{path}.{key!r}".lstrip(".")
            items.append((f"{path}.{key}".lstrip("."), value))
    elif isinstance(data, list):
        items = [(f"{path}.{index}".lstrip("."), value) for index, value in enumerate(data)]
    for where, value in items:
        found = _nul_at(value, where)
        if found is not None:
            return found
    return None


def _nesting_depth(raw: bytes) -> int:
    """The deepest bracket nesting outside strings, read without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def parse_query(request: Request, model: type[Model]) -> Model:
    """The request's query string validated against `model`; 422 naming each bad field."""
    _check_declared(request, model, "query")
    params: Mapping[str, str] = request.query_params or {}
    try:
        # An empty value (`?state=`) means the parameter is not set, as forms send it.
        return model.model_validate({name: params[name] for name in params if params[name]})
    except ValidationError as error:
        raise from_pydantic(error) from None


def path_number(value: str) -> int | None:
    """A whole-number path segment (ASCII digits, within PostgreSQL's integer), else None."""
    if not (value.isascii() and value.isdigit() and len(value) <= 10):
        return None
    number = int(value)
    return number if number <= PG_INT_MAX else None


def _check_declared(request: Request, model: type[BaseModel], part: str) -> None:
    """A handler parses the model the operations table documents, or fails loudly (500)."""
    from bookreader.api.operations import BY_KEY  # the whole contract; only when parsing

    context = getattr(request, "context", None) or {}
    operation = BY_KEY.get(f"{getattr(request, 'method', '')} {context.get('resourcePath')}")
    declared = getattr(operation, part, None)
    if operation is not None and declared is not model:
        raise RuntimeError(
            f"{operation.key} parses {model.__name__} as its {part}; the API table says {declared}"
        )
