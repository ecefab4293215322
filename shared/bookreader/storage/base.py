"""The object-store contract every backend implements."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import BinaryIO, Protocol

from pydantic import BaseModel

from bookreader.errors import BookReaderError


class ObjectInfo(BaseModel):
    bucket: str
    key: str
    size: int
    etag: str
    content_type: str
    last_modified: datetime


class PresignedRequest(BaseModel):
    """What a client needs to upload straight to the store."""

    method: str
    url: str
    headers: dict[str, str]
    expires_at: datetime


class ObjectStore(Protocol):
    def put(
        self, bucket: str, key: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> ObjectInfo: ...

    def get(self, bucket: str, key: str) -> bytes: ...

    def open(self, bucket: str, key: str) -> tuple[BinaryIO, int]:
        """The object as a stream to read in chunks (backups: never the whole object in memory),
        with the size of the very version being read."""
        ...

    def put_stream(self, bucket: str, key: str, stream: BinaryIO, content_type: str) -> ObjectInfo:
        """Write the object from a stream, without notifying anyone (restores)."""
        ...

    def head(self, bucket: str, key: str) -> ObjectInfo: ...

    def delete(self, bucket: str, key: str) -> None: ...

    def list(self, bucket: str, prefix: str = "") -> Iterator[ObjectInfo]: ...

    def presign_put(
        self, bucket: str, key: str, *, content_type: str, max_bytes: int, expires_in: int
    ) -> PresignedRequest: ...

    def presign_get(
        self,
        bucket: str,
        key: str,
        *,
        expires_in: int,
        content_type: str | None = None,
        disposition: str | None = None,
    ) -> str:
        """A GET URL whose answer carries this Content-Type and Content-Disposition whatever
        the object was stored with (S3's response-header overrides)."""
        ...

    def ensure_bucket(self, bucket: str) -> None: ...

    def check(self, bucket: str) -> None:
        """Raise if the store cannot serve `bucket` (used by the readiness probe)."""
        ...


def object_not_found(bucket: str, key: str) -> BookReaderError:
    return BookReaderError("object_not_found", f"no object {key!r} in bucket {bucket!r}", 404)


def object_exists(bucket: str, key: str) -> BookReaderError:
    return BookReaderError(
        "object_exists", f"{key!r} in bucket {bucket!r} was already uploaded; it is write-once", 409
    )
