"""Local event delivery on Redis Streams: key names and the two ways in (object events, invokes).

On AWS none of this is used: S3 and Lambda deliver events themselves.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.log import now_ms

_client: redis.Redis | None = None
_client_lock = threading.Lock()


def redis_client() -> redis.Redis:
    """The process-wide Redis client for REDIS_URL."""
    global _client
    with _client_lock:
        if _client is None:
            url = get_settings().redis_url
            if not url:
                raise BookReaderError("config_missing", "REDIS_URL is not configured", 500)
            # One quick retry at most: callers fail closed (503) rather than hang when Redis is
            # away, and a blocking stream read sets its own, longer wait.
            _client = redis.Redis.from_url(
                url,
                decode_responses=True,
                socket_timeout=10,
                socket_connect_timeout=2,
                retry=Retry(NoBackoff(), 1),
                health_check_interval=30,
            )
        return _client


def key(*parts: str) -> str:
    return ":".join([get_settings().redis_prefix, *parts])


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
