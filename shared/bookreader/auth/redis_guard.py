"""Redis access for auth: the client to use, and failing closed when Redis cannot be reached.

A denylist or a rate limit we cannot read must refuse the request (503), never wave it through.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import redis

from bookreader import redis_conn
from bookreader.errors import BookReaderError

# Seconds a client should wait before retrying while Redis is away.
RETRY_AFTER_UNAVAILABLE = 5


def client_or_default(client: redis.Redis | None) -> redis.Redis:
    return client if client is not None else redis_conn.redis_client()


def auth_key(*parts: str) -> str:
    """A key in our Redis namespace, under `auth:`."""
    return redis_conn.key("auth", *parts)


@contextmanager
def fail_closed() -> Iterator[None]:
    """Turn any Redis failure inside the block into 503 `auth_unavailable`."""
    try:
        yield
    except redis.RedisError as error:
        raise BookReaderError(
            "auth_unavailable",
            "Authentication is temporarily unavailable; try again shortly.",
            503,
            {"reason": type(error).__name__},
            {"Retry-After": str(RETRY_AFTER_UNAVAILABLE)},
        ) from error
