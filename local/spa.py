"""The built single-page app, served from its directory at every path that is not the API's.

Vite fingerprints everything under /assets/, so those files are cached for a year; index.html
is revalidated on every load so a new build is picked up at once. A path that names no file is
a client-side route and gets index.html. Only files inside the directory are ever read: `..`
segments are refused and symlinks resolving outside it are treated as missing.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from local.apigw import HttpRequest, HttpResponse, json_error

ASSETS = "/assets/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Types `mimetypes` gets wrong or does not know on every platform.
_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".html": "text/html",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    ".ico": "image/x-icon",
    ".txt": "text/plain",
}
_TEXT = ("text/", "application/json", "application/manifest+json", "image/svg+xml")
_GZIP_MIN = 1024
NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BookReader AI: the web app is not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}
code{background:#eee;padding:0 .25em}</style></head>
<body><h1>The web app is not built yet</h1>
<p>The API is running under <a href="/api/health">/api/</a>. To use BookReader in the browser,
build the app and reload this page:</p>
<p><code>make spa</code></p>
<p>(It runs <code>npm ci</code> and <code>npm run build</code> in <code>frontend/</code>; the
runtime serves <code>frontend/dist</code>, or the directory named by <code>LOCAL_SPA_DIR</code>.)
</p></body></html>
"""


def content_security_policy(presign_origins: list[str]) -> str:
    """The app's CSP: its own scripts only, no eval, no inline script; stored pictures and
    uploads may also go to the object store's origin (presigned URLs). The service worker and
    the web manifest are named explicitly ('self' only), so no later default can widen them."""
    extra = "".join(f" {origin}" for origin in presign_origins)
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:{extra}; font-src 'self' data:; connect-src 'self'{extra}; "
        "worker-src 'self'; manifest-src 'self'; "
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    )


def origin_of(url: str | None) -> str | None:
    """`scheme://host[:port]` of a URL, or None when it has none."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    kind = _TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") else kind


@dataclass(frozen=True)
class _File:
    path: Path
    data: bytes
    etag: str


class SpaSite:
    def __init__(self, root: Path, presign_origins: list[str]) -> None:
        self.root = root
        self.security_headers = [
            ("Content-Security-Policy", content_security_policy(presign_origins)),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
        ]
        self._gzipped: dict[str, bytes] = {}  # etag → compressed body
        self._lock = threading.Lock()

    def serve(self, request: HttpRequest, raw_path: str) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self._secured(
                json_error(
                    405, "method_not_allowed", "the web app answers GET only", Allow="GET, HEAD"
                )
            )
        root = self.root.resolve()
        index = self._read(root, "index.html")
        if index is None:
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]
            return self._secured(HttpResponse(503, headers, NOT_BUILT.encode()))
        relative = _relative_path(raw_path)
        if relative is None:
            return self._not_found()
        found = self._read(root, relative) if relative else None
        if found is None:
            if raw_path.startswith(ASSETS):
                return self._not_found()  # a missing bundle must not come back as HTML
            found = index
        cache = IMMUTABLE if raw_path.startswith(ASSETS) else REVALIDATE
        return self._secured(self._file_response(request, found, cache))

    def _read(self, root: Path, relative: str) -> _File | None:
        """The file at `relative` if it is a regular file inside `root` (symlinks resolved)."""
        try:
            path = (root / relative).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                return None
            data = path.read_bytes()
        except (OSError, ValueError):
            return None
        etag = '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'
        return _File(path, data, etag)

    def _file_response(self, request: HttpRequest, file: _File, cache: str) -> HttpResponse:
        kind = content_type(file.path)
        headers = [
            ("Content-Type", kind),
            ("Cache-Control", cache),
            ("ETag", file.etag),
            ("Vary", "Accept-Encoding"),
        ]
        if file.etag in _header(request, "if-none-match").replace(" ", "").split(","):
            return HttpResponse(304, headers, b"")
        body = file.data
        if len(body) >= _GZIP_MIN and kind.startswith(_TEXT) and _accepts_gzip(request):
            body = self._gzip(file)
            headers.append(("Content-Encoding", "gzip"))
        return HttpResponse(200, headers, body)

    def _gzip(self, file: _File) -> bytes:
        with self._lock:
            cached = self._gzipped.get(file.etag)
        if cached is None:
            cached = gzip.compress(file.data, compresslevel=6, mtime=0)
            with self._lock:
                if len(self._gzipped) > 256:
                    self._gzipped.clear()
                self._gzipped[file.etag] = cached
        return cached

    def _not_found(self) -> HttpResponse:
        return self._secured(json_error(404, "not_found", "no such file in the web app"))

    def _secured(self, response: HttpResponse) -> HttpResponse:
        response.headers.extend(self.security_headers)
        return response


def _relative_path(raw_path: str) -> str | None:
    """The request path as a path inside the app's directory ("" for the root); None when it
    tries to leave it (`..` segments, encoded or not, backslashes, NUL)."""
    path = unquote(raw_path)
    if "\0" in path or "\\" in path:
        return None
    segments = [segment for segment in path.split("/") if segment]
    if any(segment in (".", "..") for segment in segments):
        return None
    return "/".join(segments)


def _header(request: HttpRequest, name: str) -> str:
    return next((value for key, value in request.headers if key.lower() == name), "")


def _accepts_gzip(request: HttpRequest) -> bool:
    for item in _header(request, "accept-encoding").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False
