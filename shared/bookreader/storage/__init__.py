"""One object-store interface with two backends: a folder on disk, or any S3 endpoint."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from bookreader.config import Settings, get_settings
from bookreader.storage.base import ObjectInfo, ObjectStore, PresignedRequest

__all__ = [
    "ObjectInfo",
    "ObjectStore",
    "PresignedRequest",
    "delete_book_objects",
    "get_store",
    "store_from_settings",
]


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


def delete_book_objects(keys: Iterable[str]) -> None:
    """Delete these keys from the books bucket; a key that is already gone is no error."""
    store, bucket = get_store(), get_settings().books_bucket
    for key in keys:
        store.delete(bucket, key)
