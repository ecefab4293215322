"""The process-wide Redis connection and the key names every part shares (one prefix per
deployment). Rate limits, quotas, image slots, the token denylist and the local event bus all
talk to Redis through here."""

from __future__ import annotations

import threading

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bookreader.config import get_settings
from bookreader.errors import BookReaderError

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
    """A key in this deployment's namespace: `{REDIS_PREFIX}:part:part…`."""
    return ":".join([get_settings().redis_prefix, *parts])
