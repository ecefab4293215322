"""One object-store interface with two backends: a folder on disk, or any S3 endpoint."""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import lru_cache

from bookreader.config import Settings, get_settings
from bookreader.errors import BookReaderError
from bookreader.storage.base import ObjectInfo, ObjectStore, PresignedRequest

__all__ = [
    "ObjectInfo",
    "ObjectStore",
    "PresignedRequest",
    "delete_book_objects",
    "get_store",
    "put_patiently",
    "store_from_settings",
]

# A drawn picture is expensive: a store that refuses writes for a few seconds is waited out.
PATIENCE_SECONDS = 15.0


def store_from_settings(settings: Settings) -> ObjectStore:
    if settings.store_kind == "s3":
        from bookreader.storage.s3 import S3Store

        return S3Store(
            settings.s3_endpoint_url, settings.aws_region, settings.s3_public_endpoint_url
        )
    from bookreader.storage.disk import DiskStore

    return DiskStore.from_settings(settings)


@lru_cache(maxsize=1)
def get_store() -> ObjectStore:
    """The process-wide store chosen by configuration."""
    return store_from_settings(get_settings())


def put_patiently(
    store: ObjectStore,
    bucket: str,
    key: str,
    data: bytes,
    content_type: str,
    wait_s: float = PATIENCE_SECONDS,
) -> ObjectInfo:
    """`store.put`, tried again while the store answers 503 (full, failing, restarting) for up
    to `wait_s`; then that 503 is raised."""
    give_up = time.monotonic() + wait_s
    delay = 0.2
    while True:
        try:
            return store.put(bucket, key, data, content_type)
        except BookReaderError as error:
            if error.status != 503 or time.monotonic() + delay > give_up:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 2.0)


def delete_book_objects(keys: Iterable[str]) -> None:
    """Delete these keys from the books bucket; a key that is already gone is no error."""
    store, bucket = get_store(), get_settings().books_bucket
    for key in keys:
        store.delete(bucket, key)
