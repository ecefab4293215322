"""The HTTP side of the runtime on one port: every template route under /api/ (the stage, as
API Gateway would serve it), the runtime's own endpoints under /_local/ (the disk store's
presigned URLs, store webhooks, status), and the built SPA at every other path."""

from __future__ import annotations

import contextlib
import errno
import hmac
import io
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, BinaryIO, cast
from urllib.parse import unquote, urlsplit

from bookreader import bus
from bookreader.errors import BookReaderError
from bookreader.storage.disk import DiskStore
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
from local.bodies import BodyReader, BodyTooLarge, UnsupportedCoding
from local.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from local.objects import ObjectEndpoint
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
        self.objects = ObjectEndpoint(disk_store)
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
        # StreamRequestHandler puts this on the socket: a request line or header that does not
        # come within it (or a keep-alive connection idle that long) ends the connection.
        Handler.timeout = self.settings.header_timeout_s
        try:
            self._server = _CappedServer(
                (self.settings.host, self.settings.port), Handler, self.settings.max_connections
            )
        except OSError as error:  # taken since the runtime checked it at start
            if error.errno != errno.EADDRINUSE:
                raise
            raise port_busy(self.settings.host, self.settings.port) from error
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
        if self.objects.owns(raw_path):
            return self.objects.serve(request, raw_path)
        if not self._authorised(request):
            return json_error(401, "unauthorised", "a valid runtime token is required")
        if raw_path == "/_local/events/s3" and request.method == "POST":
            return self._webhook(request)
        if raw_path == "/_local/status" and request.method == "GET":
            status = {
                name: {"pids": pool.pids(), "size": pool.size, "warm": pool.warm}
                for name, pool in self.pools.items()
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

    def body_limit(self, raw_path: str) -> int:
        if self.objects.owns(raw_path):
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

    def handle_expect_100(self) -> bool:
        # Answered only once the headers passed: an upload refused for its signature or size
        # is refused before the client sends its body.
        self._expects_continue = True
        return True

    def _go_ahead(self) -> None:
        if getattr(self, "_expects_continue", False):
            self._expects_continue = False
            self.send_response_only(100)
            self.end_headers()

    def _serve(self) -> None:
        self._serve_one()
        self.connection.settimeout(self.gateway.settings.header_timeout_s)

    def _serve_one(self) -> None:
        url = urlsplit(self.path)
        limit = self.gateway.body_limit(url.path)
        self.connection.settimeout(self.gateway.settings.body_timeout_s)
        request = HttpRequest(
            method=self.command,
            path=unquote(url.path),
            query=url.query,
            headers=list(self.headers.items()),
            body=b"",
            source_ip=self.client_address[0],
        )
        body: BodyReader | None = None
        try:
            body = BodyReader(self.rfile, self.headers, limit)
            if self.command == "PUT" and self.gateway.objects.owns(url.path):
                response = self.gateway.objects.receive(
                    request, url.path, body.declared, cast(BinaryIO, body), self._go_ahead
                )
            else:
                self._go_ahead()
                response = self._handle(replace(request, body=body.read_all()), url.path)
        except BodyTooLarge:
            response = json_error(
                413, "payload_too_large", f"the request body exceeds {limit} bytes"
            )
        except UnsupportedCoding as error:
            response = json_error(501, "transfer_coding_unsupported", str(error))
        except (ValueError, io.UnsupportedOperation):
            response = json_error(400, "bad_request", "the request body is malformed")
        except TimeoutError:
            response = json_error(408, "request_timeout", "the request body did not arrive in time")
        if body is None or not body.finished:
            # The rest of an unread body must not be taken for the next request.
            self.close_connection = True
        self._write(response, head=self.command == "HEAD")

    def _handle(self, request: HttpRequest, raw_path: str) -> HttpResponse:
        try:
            return self.gateway.handle(request, raw_path)
        except Exception:  # a bug in the runtime itself: answer, never drop the connection
            import traceback

            traceback.print_exc()
            return json_error(500, "runtime_error", "the local runtime failed; see its log")

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

    def __getattr__(self, name: str) -> Any:
        # Any other method (TRACE, QUERY, …) is routed too: a route answers a method it lacks
        # with the JSON 405 and its Allow header, as API Gateway does, not an HTML 501.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)


class _CappedServer(ThreadingHTTPServer):
    """A thread per connection, up to `max_connections`; one more is told 503 and closed at
    once (a slow client holds its own thread, never the whole gateway)."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        max_connections: int,
    ) -> None:
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            _refuse_busy(request)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def _refuse_busy(connection: socket.socket) -> None:
    body = json.dumps(
        {
            "error": {
                "code": "too_many_connections",
                "message": "The server is busy; try again shortly.",
                "details": {},
            }
        }
    ).encode()
    answer = (
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        b"Retry-After: 1\r\nConnection: close\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    try:
        connection.settimeout(1)
        _drain(connection)
        connection.sendall(answer)
        _drain(connection)
    except OSError:
        pass


def _drain(connection: socket.socket) -> None:
    """Read what the client already sent, so that closing does not reset the answer away."""
    connection.setblocking(False)
    with contextlib.suppress(BlockingIOError):
        connection.recv(65536)
    connection.settimeout(1)
