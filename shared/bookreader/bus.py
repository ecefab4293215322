"""Local event delivery on Redis Streams: stream names and the two ways in (object events,
invokes). The connection itself is bookreader.redis_conn's.

On AWS none of this is used: S3 and Lambda deliver events themselves.
"""

from __future__ import annotations

import json
from typing import Any

import redis

from bookreader.log import now_ms
from bookreader.redis_conn import key, redis_client


def object_events_stream() -> str:
    """Every ObjectCreated record lands here first; the runtime's router fans it out."""
    return key("s3-events")


def function_stream(function_name: str) -> str:
    return key("fn", function_name)


def dead_letter_stream(function_name: str) -> str:
    return key("dlq", function_name)


def publish_object_event(record: dict[str, Any], client: redis.Redis | None = None) -> str:
    """Put one AWS S3 event record on the bus, as a bucket notification would."""
    fields = {"record": json.dumps(record, ensure_ascii=False), "published_at": now_ms()}
    return (client or redis_client()).xadd(object_events_stream(), fields)


def enqueue(
    function_name: str, event: dict[str, Any], source: str, client: redis.Redis | None = None
) -> str:
    """Queue one invocation of `function_name` with `event`; returns the stream entry id."""
    fields = {
        "event": json.dumps(event, ensure_ascii=False),
        "source": source,
        "enqueued_at": now_ms(),
    }
    return (client or redis_client()).xadd(function_stream(function_name), fields)
