"""The embedded object store: a folder per bucket, metadata in sidecar JSON files.

Every write publishes an AWS-format ObjectCreated record on the local event bus, as S3 would.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import redis

from bookreader import bus
from bookreader.config import Settings
from bookreader.errors import BookReaderError
from bookreader.events import object_created_record
from bookreader.storage.base import (
    ObjectInfo,
    PresignedRequest,
    object_exists,
    object_not_found,
)
from bookreader.storage.signing import SignedObjectRequest


class DiskStore:
    def __init__(self, root: Path, secret: str, public_url: str, notify: bool = True) -> None:
        self.root = root
        self.secret = secret
        self.public_url = public_url
        self.notify = notify

    @classmethod
    def from_settings(cls, settings: Settings) -> DiskStore:
        if not settings.store_secret:
            raise BookReaderError(
                "config_missing", "STORE_SECRET is required by the disk store", 500
            )
        root = settings.data_dir / "objects"
        return cls(
            root, settings.store_secret, settings.public_url, notify=bool(settings.redis_url)
        )

    def _paths(self, bucket: str, key: str) -> tuple[Path, Path]:
        if (
            not key
            or key.startswith("/")
            or any(part in ("", ".", "..") for part in key.split("/"))
        ):
            raise BookReaderError("key_invalid", f"object key {key!r} is not allowed", 400)
        if not bucket or "/" in bucket or bucket.startswith("."):
            raise BookReaderError("bucket_invalid", f"bucket name {bucket!r} is not allowed", 400)
        return self.root / bucket / key, self.root / ".meta" / bucket / f"{key}.json"

    def ensure_bucket(self, bucket: str) -> None:
        (self.root / bucket).mkdir(parents=True, exist_ok=True)

    def check(self, bucket: str) -> None:
        if not (self.root / bucket).is_dir():
            raise BookReaderError("bucket_missing", f"bucket {bucket!r} does not exist", 503)
        # A full or read-only disk still lists: only a write shows that the store can take one.
        try:
            with tempfile.TemporaryFile(dir=self.root / bucket, prefix=".probe-") as probe:
                probe.write(b"ok")
                probe.flush()
                os.fsync(probe.fileno())
        except OSError as error:
            raise BookReaderError(
                "store_unwritable", f"bucket {bucket!r} cannot be written: {error.strerror}", 503
            ) from error

    def put(
        self, bucket: str, key: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> ObjectInfo:
        return self.receive(bucket, key, io.BytesIO(data), content_type)

    def receive(
        self,
        bucket: str,
        key: str,
        stream: BinaryIO,
        content_type: str,
        *,
        write_once: bool = False,
    ) -> ObjectInfo:
        """Store the object from a stream, chunk by chunk, and notify as S3 would.

        `write_once`: an object already under this key stays, and the write is a 409
        (presigned uploads: a replayed URL must not replace a book after it was parsed).
        """
        if not (self.root / bucket).is_dir():
            raise BookReaderError("bucket_missing", f"bucket {bucket!r} does not exist", 404)
        try:
            info = self._write(bucket, key, stream, content_type, write_once=write_once)
        except (TimeoutError, ConnectionError):
            raise  # the sender's fault (a stalled or gone client), answered by the gateway
        except OSError as error:  # a full or failed disk: the writer may try again later
            raise BookReaderError(
                "store_write_failed", f"the object store cannot write: {error.strerror}", 503
            ) from error
        if self.notify:
            record = object_created_record(
                bucket, key, info.size, info.etag, sequencer=f"{time.time_ns():X}"
            )
            try:
                bus.publish_object_event(record)
            except (redis.ConnectionError, redis.TimeoutError) as error:
                # Stored but not announced: the writer's retry of the same PUT announces it.
                raise BookReaderError(
                    "queue_unavailable", "the object was stored but not announced; retry", 503
                ) from error
        return info

    def exists(self, bucket: str, key: str) -> bool:
        return self._paths(bucket, key)[0].is_file()

    def _write(
        self, bucket: str, key: str, stream: BinaryIO, content_type: str, *, write_once: bool
    ) -> ObjectInfo:
        data_path, meta_path = self._paths(bucket, key)
        data_path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.md5(usedforsecurity=False)
        fd, tmp = tempfile.mkstemp(dir=data_path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as file:
                size = 0
                while chunk := stream.read(1024 * 1024):
                    digest.update(chunk)
                    file.write(chunk)
                    size += len(chunk)
            if write_once:
                # link() fails if the name exists: of two racing uploads exactly one wins.
                try:
                    os.link(tmp, data_path)
                except FileExistsError:
                    raise object_exists(bucket, key) from None
                finally:
                    Path(tmp).unlink(missing_ok=True)
            else:
                os.replace(tmp, data_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        info = ObjectInfo(
            bucket=bucket,
            key=key,
            size=size,
            etag=digest.hexdigest(),
            content_type=content_type,
            last_modified=datetime.now(UTC),
        )
        _write_atomically(meta_path, info.model_dump_json().encode())
        return info

    def head(self, bucket: str, key: str) -> ObjectInfo:
        _, meta_path = self._paths(bucket, key)
        try:
            return ObjectInfo.model_validate_json(meta_path.read_bytes())
        except FileNotFoundError:
            raise object_not_found(bucket, key) from None

    def get(self, bucket: str, key: str) -> bytes:
        data_path, _ = self._paths(bucket, key)
        try:
            return data_path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise object_not_found(bucket, key) from None

    def open(self, bucket: str, key: str) -> tuple[BinaryIO, int]:
        data_path, _ = self._paths(bucket, key)
        try:
            file = data_path.open("rb")
        except (FileNotFoundError, IsADirectoryError):
            raise object_not_found(bucket, key) from None
        # Writes replace the file atomically, so this handle keeps reading one version.
        return file, os.fstat(file.fileno()).st_size

    def put_stream(self, bucket: str, key: str, stream: BinaryIO, content_type: str) -> ObjectInfo:
        self.ensure_bucket(bucket)
        return self._write(bucket, key, stream, content_type, write_once=False)

    def delete(self, bucket: str, key: str) -> None:
        for path in self._paths(bucket, key):
            path.unlink(missing_ok=True)

    def list(self, bucket: str, prefix: str = "") -> Iterator[ObjectInfo]:
        meta_root = self.root / ".meta" / bucket
        for path in sorted(meta_root.rglob("*.json")):
            key = path.relative_to(meta_root).as_posix()[: -len(".json")]
            if key.startswith(prefix):
                yield ObjectInfo.model_validate_json(path.read_bytes())

    def presign_put(
        self, bucket: str, key: str, *, content_type: str, max_bytes: int, expires_in: int
    ) -> PresignedRequest:
        self._paths(bucket, key)
        expires = int(time.time()) + expires_in
        signed = SignedObjectRequest(
            method="PUT",
            bucket=bucket,
            key=key,
            expires=expires,
            max_bytes=max_bytes,
            content_type=content_type,
        )
        return PresignedRequest(
            method="PUT",
            url=signed.url(self.public_url, self.secret),
            headers={"Content-Type": content_type},
            expires_at=datetime.fromtimestamp(expires, UTC),
        )

    def presign_get(
        self,
        bucket: str,
        key: str,
        *,
        expires_in: int,
        content_type: str | None = None,
        disposition: str | None = None,
    ) -> str:
        self._paths(bucket, key)
        signed = SignedObjectRequest(
            method="GET",
            bucket=bucket,
            key=key,
            expires=int(time.time()) + expires_in,
            response_content_type=content_type or "",
            response_disposition=disposition or "",
        )
        return signed.url(self.public_url, self.secret)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
