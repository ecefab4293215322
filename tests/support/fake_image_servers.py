"""Local HTTP servers that speak each image provider's API, for tests over real sockets.

Each server answers with its provider's normal response unless a test scripts replies first
(a status, a body, headers, a delay before answering), and records every request it received.
"""

from __future__ import annotations

import base64
import io
import json
import struct
import sys
import threading
import time
import zlib
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from PIL import Image


def png_bytes(
    width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 80, 40)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG whose header claims a huge canvas (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def json_reply(payload: Any, status: int = 200, **headers: str) -> Reply:
    return Reply(
        status, json.dumps(payload).encode(), {"Content-Type": "application/json", **headers}
    )


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering: slow servers and timeouts


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler still sleeping must not hold up teardown

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (its timeout) is what the timeout tests ask for; not news.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeServer:
    """A threaded HTTP server on a free port; subclasses implement `contract`."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *replies: Reply) -> None:
        """Replies to send, in order, before the server falls back to its normal contract."""
        with self._lock:
            self._script.extend(replies)

    def contract(self, request: Received) -> Reply:
        raise NotImplementedError

    def reply_to(self, request: Received) -> Reply:
        with self._lock:
            self.received.append(request)
            if self._script:
                return self._script.popleft()
        return self.contract(request)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler_for(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            parts = urlsplit(self.path)
            request = Received(
                self.command,
                parts.path,
                parse_qs(parts.query),
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            reply = server.reply_to(request)
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout); nothing left to tell it

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class PollinationsServer(FakeServer):
    """GET /prompt/{prompt}?width=&height=&seed=&model=&nologo= → image bytes."""

    def __init__(self, image: bytes | None = None) -> None:
        super().__init__()
        self.image = image or png_bytes()

    def contract(self, request: Received) -> Reply:
        if request.method != "GET" or not request.path.startswith("/prompt/"):
            return Reply(404, b"<html><body>Not found</body></html>", {"Content-Type": "text/html"})
        return Reply(200, self.image, {"Content-Type": "image/png"})


class OpenAIImagesServer(FakeServer):
    """POST /v1/images/generations with a bearer key → `b64_json` or a `url` to GET /files/…"""

    def __init__(
        self, api_key: str = "test-key", mode: str = "b64_json", image: bytes | None = None
    ):
        super().__init__()
        self.api_key = api_key
        self.mode = mode
        self.image = image or png_bytes()

    def contract(self, request: Received) -> Reply:
        if request.method == "GET" and request.path == "/files/image.png":
            return Reply(200, self.image, {"Content-Type": "image/png"})
        if request.method != "POST" or request.path != "/v1/images/generations":
            return json_reply({"error": {"message": "not found"}}, 404)
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return json_reply({"error": {"message": "Incorrect API key provided"}}, 401)
        body = request.json()
        if not body.get("prompt") or "x" not in str(body.get("size", "")):
            return json_reply({"error": {"message": "prompt and size are required"}}, 400)
        if self.mode == "url":
            item = {"url": f"{self.url}/files/image.png"}
        else:
            item = {"b64_json": base64.b64encode(self.image).decode()}
        return json_reply({"created": 1700000000, "data": [item]})


class Automatic1111Server(FakeServer):
    """POST /sdapi/v1/txt2img → {"images": [base64 PNG], "parameters": …, "info": …}."""

    def __init__(self, image: bytes | None = None) -> None:
        super().__init__()
        self.image = image or png_bytes()

    def contract(self, request: Received) -> Reply:
        if request.method != "POST" or request.path != "/sdapi/v1/txt2img":
            return json_reply({"detail": "Not Found"}, 404)
        body = request.json()
        if "prompt" not in body:
            return json_reply(
                {"detail": [{"loc": ["body", "prompt"], "msg": "field required"}]}, 422
            )
        images = [base64.b64encode(self.image).decode()]
        return json_reply({"images": images, "parameters": body, "info": "{}"})
