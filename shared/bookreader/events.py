"""S3 event records: build them as AWS does, and normalise what any producer sends.

Keys arrive URL-encoded (form encoding: space as `+`). They are decoded here, once, with
`unquote_plus`; no other code decodes a key again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from pydantic import BaseModel


class ObjectCreated(BaseModel):
    bucket: str
    key: str  # decoded
    size: int
    etag: str
    sequencer: str
    event_name: str  # normalised, e.g. "ObjectCreated:Put"
    event_time: str

    @property
    def idempotency_key(self) -> str:
        return f"s3:{self.bucket}/{self.key}@{self.etag or self.sequencer}"


def encode_key(key: str) -> str:
    """The key as AWS S3 puts it in an event: `/` kept, space `+`, the rest percent-encoded."""
    return quote_plus(key, safe="/")


def object_created_record(
    bucket: str,
    key: str,
    size: int,
    etag: str,
    sequencer: str,
    event_name: str = "ObjectCreated:Put",
) -> dict[str, Any]:
    """One record exactly in the shape AWS S3 sends to Lambda."""
    now = datetime.now(UTC)
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": "us-east-1",
        "eventTime": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        "eventName": event_name,
        "userIdentity": {"principalId": "local"},
        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
        "responseElements": {"x-amz-request-id": sequencer, "x-amz-id-2": sequencer},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "local",
            "bucket": {
                "name": bucket,
                "ownerIdentity": {"principalId": "local"},
                "arn": f"arn:aws:s3:::{bucket}",
            },
            "object": {"key": encode_key(key), "size": size, "eTag": etag, "sequencer": sequencer},
        },
    }


def normalise_event_name(name: str) -> str:
    """MinIO says `s3:ObjectCreated:Put`; AWS says `ObjectCreated:Put`."""
    return name.removeprefix("s3:")


def parse_record(record: dict[str, Any]) -> ObjectCreated | None:
    """The ObjectCreated in one record, or None for other events."""
    name = normalise_event_name(record.get("eventName", ""))
    if not name.startswith("ObjectCreated:"):
        return None
    s3 = record["s3"]
    obj = s3["object"]
    return ObjectCreated(
        bucket=s3["bucket"]["name"],
        key=unquote_plus(obj["key"]),
        size=int(obj.get("size") or 0),
        etag=str(obj.get("eTag") or obj.get("etag") or "").strip('"'),
        sequencer=str(obj.get("sequencer") or ""),
        event_name=name,
        event_time=record.get("eventTime", ""),
    )


def parse_s3_event(event: dict[str, Any]) -> list[ObjectCreated]:
    """Every ObjectCreated in an S3 notification; test events and other kinds are skipped."""
    if event.get("Event") == "s3:TestEvent":
        return []
    created = (parse_record(record) for record in event.get("Records") or [])
    return [item for item in created if item is not None]
