"""API Gateway REST (v1) proxy events in, Lambda proxy responses out — as AWS shapes them."""

from __future__ import annotations

import base64
import fnmatch
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote

from local.routing import Match

# The stage name is the path prefix the API is served under, as on API Gateway: /api/books
# reaches the /books resource, and the SPA owns every other path.
STAGE = "api"
API_PREFIX = f"/{STAGE}"


@dataclass
class HttpRequest:
    method: str
    path: str  # percent-decoded path, without the query (and, for API routes, the stage)
    query: str
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def error_code_of(response: HttpResponse) -> str | None:
    """The `error.code` of an error answer in the JSON error shape, for the access log."""
    if response.status < 400:
        return None
    try:
        error = json.loads(response.body)["error"]
        return str(error["code"]) if isinstance(error, dict) and error.get("code") else None
    except (ValueError, TypeError, KeyError):
        return None


def strip_stage(raw_path: str) -> str | None:
    """The API path of a request under the stage prefix (/api/books → /books); None when the
    request is not for the API."""
    if raw_path == API_PREFIX:
        return "/"
    if raw_path.startswith(API_PREFIX + "/"):
        return raw_path[len(API_PREFIX) :]
    return None


def is_binary(content_type: str, binary_media_types: list[str], body: bytes) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    if any(fnmatch.fnmatch(mime, pattern.lower()) for pattern in binary_media_types):
        return True
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def build_event(
    request: HttpRequest, match: Match, binary_media_types: list[str], request_id: str
) -> dict[str, Any]:
    headers: dict[str, str] = {}
    multi_headers: dict[str, list[str]] = {}
    for name, value in request.headers:
        headers[name] = value
        multi_headers.setdefault(name, []).append(value)
    query: dict[str, str] = {}
    multi_query: dict[str, list[str]] = {}
    for name, value in parse_qsl(request.query, keep_blank_values=True):
        query[name] = value
        multi_query.setdefault(name, []).append(value)
    content_type = next((v for k, v in request.headers if k.lower() == "content-type"), "")
    body: str | None = None
    encoded = False
    if request.body:
        encoded = is_binary(content_type, binary_media_types, request.body)
        body = base64.b64encode(request.body).decode() if encoded else request.body.decode("utf-8")
    now = datetime.now(UTC)
    user_agent = headers.get("User-Agent") or headers.get("user-agent")
    return {
        "resource": match.resource,
        "path": request.path,
        "httpMethod": request.method,
        "headers": headers or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": {k: unquote(v) for k, v in match.path_parameters.items()} or None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": uuid.uuid5(uuid.NAMESPACE_URL, match.resource).hex[:6],
            "resourcePath": match.resource,
            "httpMethod": request.method,
            "extendedRequestId": request_id,
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "path": f"/{STAGE}{request.path}",
            "accountId": "000000000000",
            "protocol": "HTTP/1.1",
            "stage": STAGE,
            "domainPrefix": "localhost",
            "requestTimeEpoch": int(time.time() * 1000),
            "requestId": request_id,
            "identity": {"sourceIp": request.source_ip, "userAgent": user_agent},
            "domainName": "localhost",
            "apiId": "local",
        },
        "body": body,
        "isBase64Encoded": encoded,
    }


class MalformedResponse(Exception):
    pass


def parse_response(result: Any) -> HttpResponse:
    """A Lambda proxy response → HTTP. Anything else is what API Gateway calls malformed."""
    if not isinstance(result, dict) or "statusCode" not in result:
        raise MalformedResponse("the function did not return a proxy response")
    try:
        status = int(result["statusCode"])
    except (TypeError, ValueError):
        raise MalformedResponse("statusCode is not an integer") from None
    headers: list[tuple[str, str]] = []
    multi = result.get("multiValueHeaders") or {}
    for name, value in (result.get("headers") or {}).items():
        if name not in multi:
            headers.append((name, str(value)))
    for name, values in multi.items():
        headers.extend((name, str(value)) for value in values)
    body = result.get("body")
    if body is None:
        data = b""
    elif result.get("isBase64Encoded"):
        data = base64.b64decode(body)
    else:
        data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
    return HttpResponse(status, headers, data)


def json_error(status: int, code: str, message: str, **extra_headers: str) -> HttpResponse:
    body = json.dumps({"error": {"code": code, "message": message, "details": {}}}).encode()
    headers = [("Content-Type", "application/json"), *extra_headers.items()]
    return HttpResponse(status, headers, body)
