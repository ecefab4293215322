"""The HTTP side of the runtime on one port: every template route under /api/ (the stage, as
API Gateway would serve it), the runtime's own endpoints under /_local/ (the disk store's
presigned URLs, store webhooks, status), and the built SPA at every other path."""

from __future__ import annotations

import errno
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from bookreader import bus
from bookreader.errors import BookReaderError
from bookreader.storage.disk import DiskStore
from bookreader.storage.signing import OBJECTS_PATH, SignedObjectRequest, verify
from local.apigw import (
    HttpRequest,
    HttpResponse,
    MalformedResponse,
    build_event,
    error_code_of,
    json_error,
    parse_response,
    strip_stage,
)
from local.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from local.routing import RouteTable
from local.settings import RuntimeSettings
from local.spa import SpaSite, origin_of
from local.template import FunctionSpec, Topology
from local.workers import FunctionPool, Invocation

# (function, trigger, outcome, HTTP status, the error code of a 4xx/5xx answer)
Reporter = Callable[[FunctionSpec, str, Invocation, int | None, str | None], None]
_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}


def port_busy(host: str, port: int) -> BookReaderError:
    return BookReaderError(
        "port_busy",
        f"port {port} on {host} is already in use (another BookReader AI, or another program)."
        f" Choose another port: make local-up PORT={port + 1}",
        500,
    )


class Gateway:
    def __init__(
        self,
        settings: RuntimeSettings,
        topology: Topology,
        pools: dict[str, FunctionPool],
        disk_store: DiskStore | None,
        report: Reporter,
        metrics_page: Callable[[], bytes] | None = None,
    ) -> None:
        self.settings = settings
        self.metrics_page = metrics_page
        self.topology = topology
        self.pools = pools
        self.disk_store = disk_store
        self.report = report
        self.routes = RouteTable(topology.routes)
        # Presigned URLs point at the disk store's endpoints here, or at the S3 endpoint.
        presign_base = (
            settings.base_url
            if disk_store is not None
            else settings.s3_public_endpoint_url or settings.s3_endpoint_url
        )
        self.spa = SpaSite(settings.spa_dir, [o for o in [origin_of(presign_base)] if o])
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        gateway = self

        class Handler(_RequestHandler):
            pass

        Handler.gateway = gateway
        try:
            self._server = ThreadingHTTPServer((self.settings.host, self.settings.port), Handler)
        except OSError as error:  # taken since the runtime checked it at start
            if error.errno != errno.EADDRINUSE:
                raise
            raise port_busy(self.settings.host, self.settings.port) from error
        self._server.daemon_threads = True
        self._server.request_queue_size = 128
        threading.Thread(target=self._server.serve_forever, daemon=True, name="gateway").start()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- routing -----------------------------------------------------------------------------
    def handle(self, request: HttpRequest, raw_path: str) -> HttpResponse:
        if raw_path.startswith("/_local/"):
            return self._internal(request, raw_path)
        api_path = strip_stage(raw_path)
        if api_path is None:
            return self.spa.serve(request, raw_path)
        match = self.routes.match(api_path)
        if match is None:
            return json_error(404, "not_found", f"no route for {request.path}")
        # The function sees the path below the stage, as API Gateway passes it.
        request = replace(request, path=strip_stage(request.path) or "/")
        route = match.route_for(request.method)
        cors = self.topology.cors
        if route is None and request.method == "OPTIONS" and cors is not None:
            return self._preflight(request, match.allowed_methods)
        if route is None:
            allowed = match.allowed_methods + (["OPTIONS"] if cors else [])
            return json_error(
                405,
                "method_not_allowed",
                f"{request.method} is not allowed here",
                Allow=", ".join(allowed),
            )
        spec = self.topology.functions[route.function]
        request_id = f"{time.time_ns():x}"
        event = build_event(request, match, self.topology.binary_media_types, request_id)
        outcome = self.pools[spec.name].invoke(event, caller_timeout=self.settings.api_timeout_s)
        response = self._to_http(outcome)
        self.report(spec, "http", outcome, response.status, error_code_of(response))
        response.headers.append(("x-amzn-RequestId", outcome.request_id))
        return response

    def _to_http(self, outcome: Invocation) -> HttpResponse:
        if outcome.ok:
            try:
                return parse_response(outcome.result)
            except MalformedResponse as error:
                return json_error(
                    502, "malformed_response", f"The function's response is malformed: {error}"
                )
        if outcome.error_type == "IntegrationTimeout":
            return json_error(504, "gateway_timeout", "The function did not answer in time.")
        return json_error(
            502,
            "function_error",
            f"The function failed (request {outcome.request_id}); see the runtime log.",
        )

    def _preflight(self, request: HttpRequest, methods: list[str]) -> HttpResponse:
        cors = self.topology.cors
        assert cors is not None
        origin = next((v for k, v in request.headers if k.lower() == "origin"), "")
        allowed = [item.strip() for item in cors.allow_origin.split(",") if item.strip()]
        if origin and origin in allowed:
            # The caller's own origin, never "*": a credentialed request needs it exactly.
            allow_origin = origin
        elif "*" in allowed and not cors.allow_credentials:
            allow_origin = "*"
        else:
            return json_error(
                403, "origin_not_allowed", "This origin may not call the API from a browser."
            )
        headers = [
            ("Access-Control-Allow-Origin", allow_origin),
            ("Vary", "Origin"),
            ("Access-Control-Allow-Methods", cors.allow_methods or ",".join([*methods, "OPTIONS"])),
            ("Access-Control-Allow-Headers", cors.allow_headers),
        ]
        if cors.max_age:
            headers.append(("Access-Control-Max-Age", cors.max_age))
        if cors.allow_credentials:
            headers.append(("Access-Control-Allow-Credentials", "true"))
        return HttpResponse(200, headers, b"")

    # --- the runtime's own endpoints -------------------------------------------------------------
    def _internal(self, request: HttpRequest, raw_path: str) -> HttpResponse:
        if raw_path.startswith(OBJECTS_PATH + "/"):
            return self._object(request, raw_path)
        if not self._authorised(request):
            return json_error(401, "unauthorised", "a valid runtime token is required")
        if raw_path == "/_local/events/s3" and request.method == "POST":
            return self._webhook(request)
        if raw_path == "/_local/status" and request.method == "GET":
            status = {
                name: {"pids": pool.pids(), "size": pool.size} for name, pool in self.pools.items()
            }
            return _json(200, {"functions": status})
        if raw_path == "/_local/metrics" and request.method == "GET" and self.metrics_page:
            # Prometheus's text format; behind the token, and nginx never forwards /_local/.
            return HttpResponse(200, [("Content-Type", METRICS_CONTENT_TYPE)], self.metrics_page())
        return json_error(404, "not_found", f"no route for {request.path}")

    def _authorised(self, request: HttpRequest) -> bool:
        token = self.settings.internal_token or ""
        supplied = next((v for k, v in request.headers if k.lower() == "authorization"), "")
        return bool(token) and hmac.compare_digest(supplied.encode(), f"Bearer {token}".encode())

    def _webhook(self, request: HttpRequest) -> HttpResponse:
        """Store notifications (MinIO's webhook body, or plain AWS records) onto the bus."""
        try:
            body = json.loads(request.body)
            if isinstance(body, dict) and body.get("Event") == "s3:TestEvent":
                return _json(200, {"accepted": 0})
            records = body.get("Records") if isinstance(body, dict) else None
            if not isinstance(records, list) or not all(
                isinstance(r, dict) and "eventName" in r and "s3" in r for r in records
            ):
                raise ValueError("expected {'Records': [...]} with S3 event records")
        except (ValueError, UnicodeDecodeError) as error:
            return json_error(400, "invalid_notification", str(error))
        for record in records:
            bus.publish_object_event(record)
        return _json(200, {"accepted": len(records)})

    def _object(self, request: HttpRequest, raw_path: str) -> HttpResponse:
        """Serve the disk store's presigned PUT and GET URLs: signature, expiry, size, type."""
        cors = [("Access-Control-Allow-Origin", "*")]
        if request.method == "OPTIONS":
            return HttpResponse(
                200,
                [
                    *cors,
                    ("Access-Control-Allow-Methods", "GET,PUT"),
                    ("Access-Control-Allow-Headers", "Content-Type"),
                ],
                b"",
            )
        if self.disk_store is None:
            return json_error(404, "not_found", "the disk store is not in use")
        bucket, _, key = unquote(raw_path[len(OBJECTS_PATH) + 1 :]).partition("/")
        query = {name: values[0] for name, values in parse_qs(request.query).items()}
        try:
            signed = SignedObjectRequest(
                method="PUT" if request.method == "PUT" else "GET",
                bucket=bucket,
                key=key,
                expires=int(query.get("expires", "0")),
                max_bytes=int(query.get("max", "0")),
                content_type=query.get("type", ""),
            )
        except ValueError:
            return json_error(400, "url_invalid", "the presigned URL is malformed")
        try:
            verify(signed, query.get("sig", ""), self.disk_store.secret)
            if request.method == "PUT":
                sent_type = next((v for k, v in request.headers if k.lower() == "content-type"), "")
                if sent_type != signed.content_type:
                    raise BookReaderError(
                        "content_type_mismatch", "Content-Type differs from the signed one", 403
                    )
                if len(request.body) > signed.max_bytes:
                    raise BookReaderError(
                        "entity_too_large", f"the object exceeds {signed.max_bytes} bytes", 413
                    )
                info = self.disk_store.put(bucket, key, request.body, signed.content_type)
                return HttpResponse(200, [*cors, ("ETag", f'"{info.etag}"')], b"")
            if request.method in ("GET", "HEAD"):
                info = self.disk_store.head(bucket, key)
                data = b"" if request.method == "HEAD" else self.disk_store.get(bucket, key)
                headers = [
                    *cors,
                    ("Content-Type", info.content_type),
                    ("ETag", f'"{info.etag}"'),
                    # Stored objects include books' own images (SVG too): inert, never sniffed.
                    (
                        "Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                    ),
                    ("X-Content-Type-Options", "nosniff"),
                ]
                return HttpResponse(200, headers, data)
            return json_error(405, "method_not_allowed", "only GET and PUT", Allow="GET, PUT")
        except BookReaderError as error:
            return json_error(error.status, error.code, error.message)

    def body_limit(self, raw_path: str) -> int:
        if raw_path.startswith(OBJECTS_PATH + "/"):
            return self.settings.object_max_body
        return self.settings.api_max_body


def _json(status: int, body: Any) -> HttpResponse:
    return HttpResponse(status, [("Content-Type", "application/json")], json.dumps(body).encode())


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # No "Server: BaseHTTP/0.6 Python/3.11.7" banner: versions are an attacker's shortcut.
    server_version = "bookreader"
    sys_version = ""
    # Headers and body leave in separate writes; with Nagle on, the body would wait ~40 ms
    # for the client's delayed ACK on every response.
    disable_nagle_algorithm = True
    gateway: Gateway

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            # The client left mid-answer (a closed tab, a cancelled fetch): nobody to tell.
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        url = urlsplit(self.path)
        limit = self.gateway.body_limit(url.path)
        try:
            body = self._read_body(limit)
        except _TooLarge:
            self.close_connection = True
            self._write(
                json_error(413, "payload_too_large", f"the request body exceeds {limit} bytes")
            )
            return
        except _UnsupportedCoding as error:
            self.close_connection = True
            self._write(json_error(501, "transfer_coding_unsupported", str(error)))
            return
        except ValueError:
            self.close_connection = True
            self._write(json_error(400, "bad_request", "the request body is malformed"))
            return
        request = HttpRequest(
            method=self.command,
            path=unquote(url.path),
            query=url.query,
            headers=list(self.headers.items()),
            body=body,
            source_ip=self.client_address[0],
        )
        try:
            response = self.gateway.handle(request, url.path)
        except Exception:  # a bug in the runtime itself: answer, never drop the connection
            import traceback

            traceback.print_exc()
            response = json_error(500, "runtime_error", "the local runtime failed; see its log")
        self._write(response, head=self.command == "HEAD")

    def _read_body(self, limit: int) -> bytes:
        codings = self.headers.get_all("Transfer-Encoding") or []
        if codings:
            # Only a lone "chunked" is understood. Anything else would leave the body unread and
            # parsed as the next request (a smuggling building block): RFC 9112 says 501, and a
            # Content-Length beside Transfer-Encoding is an error.
            if [coding.strip().lower() for coding in codings] != ["chunked"]:
                raise _UnsupportedCoding(
                    f"Transfer-Encoding {', '.join(codings)!r} is not supported"
                )
            if self.headers.get("Content-Length") is not None:
                raise ValueError("both Transfer-Encoding and Content-Length")
            return self._read_chunked(limit)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        if length > limit:
            raise _TooLarge
        return self.rfile.read(length) if length else b""

    def _read_chunked(self, limit: int) -> bytes:
        chunks, total = [], 0
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > limit:
                raise _TooLarge
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _write(self, response: HttpResponse, head: bool = False) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            if name.lower() not in _HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve


class _UnsupportedCoding(Exception):
    """A Transfer-Encoding other than exactly `chunked`."""


class _TooLarge(Exception):
    pass
