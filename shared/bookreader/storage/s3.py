"""The S3 backend: AWS S3 or any S3-compatible endpoint (MinIO, moto, LocalStack) via boto3."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO, cast

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from bookreader.errors import BookReaderError
from bookreader.storage.base import ObjectInfo, PresignedRequest, object_not_found

_MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}


class S3Store:
    def __init__(
        self, endpoint_url: str | None, region: str, public_endpoint_url: str | None = None
    ) -> None:
        self.client = _client(endpoint_url, region)
        # Presigned URLs are signed for the host the browser will send, so they are made by a
        # client of the public endpoint (path-style: one host for every bucket behind a proxy).
        self.presigner = (
            _client(public_endpoint_url, region, path_style=True)
            if public_endpoint_url
            else self.client
        )

    def ensure_bucket(self, bucket: str) -> None:
        try:
            self.client.head_bucket(Bucket=bucket)
        except ClientError:
            self.client.create_bucket(Bucket=bucket)

    def check(self, bucket: str) -> None:
        try:
            self.client.head_bucket(Bucket=bucket)
        except ClientError as error:
            raise BookReaderError(
                "bucket_missing", f"bucket {bucket!r} is not reachable", 503
            ) from error

    def put(
        self, bucket: str, key: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> ObjectInfo:
        self.client.put_object(Bucket=bucket, Key=key, Body=data, ContentType=content_type)
        return self.head(bucket, key)

    def head(self, bucket: str, key: str) -> ObjectInfo:
        try:
            meta = self.client.head_object(Bucket=bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in _MISSING:
                raise object_not_found(bucket, key) from None
            raise
        return ObjectInfo(
            bucket=bucket,
            key=key,
            size=meta["ContentLength"],
            etag=meta["ETag"].strip('"'),
            content_type=meta.get("ContentType", "application/octet-stream"),
            last_modified=meta["LastModified"],
        )

    def get(self, bucket: str, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except ClientError as error:
            if error.response["Error"]["Code"] in _MISSING:
                raise object_not_found(bucket, key) from None
            raise

    def open(self, bucket: str, key: str) -> tuple[BinaryIO, int]:
        try:
            answer = self.client.get_object(Bucket=bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in _MISSING:
                raise object_not_found(bucket, key) from None
            raise
        return cast(BinaryIO, answer["Body"]), int(answer["ContentLength"])

    def put_stream(self, bucket: str, key: str, stream: BinaryIO, content_type: str) -> ObjectInfo:
        # upload_fileobj sends large objects in parts, reading the stream part by part (8 MB at
        # a time). It asks whether the stream can seek; a member of a streamed tar cannot answer.
        self.client.upload_fileobj(
            _ForwardOnly(stream), bucket, key, ExtraArgs={"ContentType": content_type}
        )
        return self.head(bucket, key)

    def delete(self, bucket: str, key: str) -> None:
        self.client.delete_object(Bucket=bucket, Key=key)

    def list(self, bucket: str, prefix: str = "") -> Iterator[ObjectInfo]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield ObjectInfo(
                    bucket=bucket,
                    key=item["Key"],
                    size=item["Size"],
                    etag=item["ETag"].strip('"'),
                    content_type="application/octet-stream",  # listing does not carry it
                    last_modified=item["LastModified"],
                )

    def presign_put(
        self, bucket: str, key: str, *, content_type: str, max_bytes: int, expires_in: int
    ) -> PresignedRequest:
        # A presigned PUT cannot carry a size range on S3; callers that must bound the size
        # check the object's size when its ObjectCreated event arrives.
        # `If-None-Match: *` is signed into the URL (S3's conditional write, 2024; MinIO too):
        # the key is write-once, so a replayed URL cannot replace a book after it was parsed.
        # S3 answers such a replay 412 PreconditionFailed (the disk store: 409 object_exists).
        url = self.presigner.generate_presigned_url(
            "put_object",
            Params={"Bucket": bucket, "Key": key, "ContentType": content_type, "IfNoneMatch": "*"},
            ExpiresIn=expires_in,
        )
        return PresignedRequest(
            method="PUT",
            url=url,
            headers={"Content-Type": content_type, "If-None-Match": "*"},
            expires_at=datetime.now(UTC) + timedelta(seconds=expires_in),
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
        # Nothing stands between the bucket and the browser here, so the safe headers travel in
        # the signed URL (S3 and MinIO honour response-* overrides on presigned GETs only).
        # S3 cannot be told to send `X-Content-Type-Options`; the forced type plus
        # `attachment` keep a book's file from being rendered as a page on the bucket's origin.
        params: dict[str, Any] = {
            "Bucket": bucket,
            "Key": key,
            "ResponseCacheControl": f"private, max-age={expires_in}",
        }
        if content_type:
            params["ResponseContentType"] = content_type
        if disposition:
            params["ResponseContentDisposition"] = disposition
        return self.presigner.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=expires_in
        )


class _ForwardOnly(io.RawIOBase):
    """A stream read from start to end, whatever the wrapped object claims to support."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)


def _client(endpoint_url: str | None, region: str, path_style: bool = False) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url or None,
        region_name=region,
        config=Config(
            signature_version="s3v4",
            retries={"mode": "standard", "max_attempts": 3},
            s3={"addressing_style": "path"} if path_style else {},
        ),
    )
