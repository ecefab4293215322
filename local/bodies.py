"""A request body read as a stream: `Content-Length` or `chunked` framing, with a size limit.

Nothing is read until someone asks, so the gateway can refuse a request (bad signature, too
large) from its headers alone, and store an object's body chunk by chunk without holding it.
"""

from __future__ import annotations

import io
from email.message import Message
from typing import BinaryIO


class BodyTooLarge(Exception):
    """The body exceeds the limit (declared or actually sent)."""


class UnsupportedCoding(Exception):
    """A Transfer-Encoding other than exactly `chunked`."""


class BodyReader(io.RawIOBase):
    def __init__(self, rfile: BinaryIO | io.BufferedIOBase, headers: Message, limit: int) -> None:
        self.rfile = rfile
        self.limit = limit
        self.read_so_far = 0
        self.finished = False
        codings = headers.get_all("Transfer-Encoding") or []
        self.chunked = bool(codings)
        self._chunk_left = 0
        if codings:
            # Only a lone "chunked" is understood. Anything else would leave the body unread and
            # parsed as the next request (a smuggling building block): RFC 9112 says 501, and a
            # Content-Length beside Transfer-Encoding is an error.
            if [coding.strip().lower() for coding in codings] != ["chunked"]:
                raise UnsupportedCoding(
                    f"Transfer-Encoding {', '.join(codings)!r} is not supported"
                )
            if headers.get("Content-Length") is not None:
                raise ValueError("both Transfer-Encoding and Content-Length")
            self.declared: int | None = None
        else:
            self.declared = int(headers.get("Content-Length") or 0)
            if self.declared < 0:
                raise ValueError("negative Content-Length")
            if self.declared > limit:
                raise BodyTooLarge
            self.finished = self.declared == 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.finished:
            return b""
        if size < 0:
            return self.read_all()
        data = self._read_chunked(size) if self.chunked else self._read_plain(size)
        self.read_so_far += len(data)
        if self.read_so_far > self.limit:
            raise BodyTooLarge
        return data

    def read_all(self) -> bytes:
        parts = []
        while part := self.read(64 * 1024):
            parts.append(part)
        return b"".join(parts)

    def _read_plain(self, size: int) -> bytes:
        assert self.declared is not None
        wanted = min(size, self.declared - self.read_so_far)
        data = self.rfile.read(wanted) if wanted else b""
        if len(data) < wanted:
            raise ValueError("the body ended before its Content-Length")
        if self.read_so_far + len(data) >= self.declared:
            self.finished = True
        return data

    def _read_chunked(self, size: int) -> bytes:
        if self._chunk_left == 0:
            line = self.rfile.readline(1024)
            chunk_size = int(line.split(b";")[0].strip() or b"0", 16)
            if chunk_size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                self.finished = True
                return b""
            if self.read_so_far + chunk_size > self.limit:
                raise BodyTooLarge
            self._chunk_left = chunk_size
        data = self.rfile.read(min(size, self._chunk_left))
        if not data:
            raise ValueError("the body ended inside a chunk")
        self._chunk_left -= len(data)
        if self._chunk_left == 0:
            self.rfile.readline(1024)
        return data
