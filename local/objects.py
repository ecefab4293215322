"""The disk store's presigned URLs, served as S3 would serve them (`/_local/objects/…`).

A PUT is judged on its headers alone — signature, expiry, declared size, type, and whether the
key was already written — before a byte of its body is read; the body then goes to disk in
chunks. Keys are write-once: a replayed upload URL answers 409 instead of replacing the book.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO, cast
from urllib.parse import parse_qs, unquote

from bookreader.errors import BookReaderError
from bookreader.storage.base import object_exists
from bookreader.storage.disk import DiskStore
from bookreader.storage.signing import OBJECTS_PATH, SignedObjectRequest, verify
from local.apigw import HttpRequest, HttpResponse, json_error

_CORS = [("Access-Control-Allow-Origin", "*")]
# Stored objects include books' own images (SVG too): inert and never sniffed, as a page.
_INERT = [
    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox"),
    ("X-Content-Type-Options", "nosniff"),
]


class ObjectEndpoint:
    def __init__(self, disk_store: DiskStore | None) -> None:
        self.disk_store = disk_store

    @staticmethod
    def owns(raw_path: str) -> bool:
        return raw_path.startswith(OBJECTS_PATH + "/")

    def serve(self, request: HttpRequest, raw_path: str) -> HttpResponse:
        """OPTIONS, GET and HEAD (PUT goes through `receive`, with its body unread)."""
        if request.method == "OPTIONS":
            return HttpResponse(
                200,
                [
                    *_CORS,
                    ("Access-Control-Allow-Methods", "GET,PUT"),
                    ("Access-Control-Allow-Headers", "Content-Type"),
                ],
                b"",
            )
        if request.method not in ("GET", "HEAD"):
            return json_error(405, "method_not_allowed", "only GET and PUT", Allow="GET, PUT")
        try:
            store, signed = self._signed(request, raw_path, "GET")
            info = store.head(signed.bucket, signed.key)
            data = b"" if request.method == "HEAD" else store.get(signed.bucket, signed.key)
        except BookReaderError as error:
            return json_error(error.status, error.code, error.message)
        headers = [
            *_CORS,
            ("Content-Type", signed.response_content_type or info.content_type),
            ("ETag", f'"{info.etag}"'),
            ("Cache-Control", "private, max-age=60"),
            *_INERT,
        ]
        if signed.response_disposition:
            headers.append(("Content-Disposition", signed.response_disposition))
        return HttpResponse(200, headers, data)

    def receive(
        self,
        request: HttpRequest,
        raw_path: str,
        declared_size: int | None,
        body: BinaryIO,
        go_ahead: Callable[[], None],
    ) -> HttpResponse:
        """A presigned PUT. `declared_size` is the Content-Length (None when chunked);
        `go_ahead` answers a client's `Expect: 100-continue` once the headers passed."""
        try:
            store, signed = self._signed(request, raw_path, "PUT")
            sent_type = next((v for k, v in request.headers if k.lower() == "content-type"), "")
            if sent_type != signed.content_type:
                raise BookReaderError(
                    "content_type_mismatch", "Content-Type differs from the signed one", 403
                )
            if declared_size is not None and declared_size > signed.max_bytes:
                raise _too_large(signed.max_bytes)
            if store.exists(signed.bucket, signed.key):
                raise object_exists(signed.bucket, signed.key)
            go_ahead()
            info = store.receive(
                signed.bucket,
                signed.key,
                cast(BinaryIO, _Bounded(body, signed.max_bytes)),
                signed.content_type,
                write_once=True,
            )
        except BookReaderError as error:
            return json_error(error.status, error.code, error.message)
        return HttpResponse(200, [*_CORS, ("ETag", f'"{info.etag}"')], b"")

    def _signed(
        self, request: HttpRequest, raw_path: str, method: str
    ) -> tuple[DiskStore, SignedObjectRequest]:
        if self.disk_store is None:
            raise BookReaderError("not_found", "the disk store is not in use", 404)
        bucket, _, key = unquote(raw_path[len(OBJECTS_PATH) + 1 :]).partition("/")
        query = {name: values[0] for name, values in parse_qs(request.query).items()}
        try:
            signed = SignedObjectRequest(
                method=method,
                bucket=bucket,
                key=key,
                expires=int(query.get("expires", "0")),
                max_bytes=int(query.get("max", "0")),
                content_type=query.get("type", ""),
                response_content_type=query.get("rct", ""),
                response_disposition=query.get("rcd", ""),
            )
        except ValueError:
            raise BookReaderError("url_invalid", "the presigned URL is malformed", 400) from None
        verify(signed, query.get("sig", ""), self.disk_store.secret)
        return self.disk_store, signed


def _too_large(limit: int) -> BookReaderError:
    return BookReaderError("entity_too_large", f"the object exceeds {limit} bytes", 413)


class _Bounded:
    """A chunked body has no declared size: it is refused as soon as it passes the signed one."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self.stream, self.limit, self.total = stream, limit, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.total += len(data)
        if self.total > self.limit:
            raise _too_large(self.limit)
        return data
