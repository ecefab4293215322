"""Redis access for limits and revocation: the client to use, and failing closed.

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
# What callers see when Redis is away, unless they name their own code.
UNAVAILABLE = "limits_unavailable"


def client_or_default(client: redis.Redis | None) -> redis.Redis:
    return client if client is not None else redis_conn.redis_client()


@contextmanager
def fail_closed(
    code: str = UNAVAILABLE,
    message: str = "This service is temporarily unavailable; try again shortly.",
) -> Iterator[None]:
    """Turn any Redis failure inside the block into 503 `code`."""
    try:
        yield
    except redis.RedisError as error:
        raise BookReaderError(
            code,
            message,
            503,
            {"reason": type(error).__name__},
            {"Retry-After": str(RETRY_AFTER_UNAVAILABLE)},
        ) from error
