"""How many assist calls a user may cause per UTC day, and how many all users per minute.

Like the image quota (a Redis counter per user and day) and the provider rate limits
(bookreader.ratelimit). Over either, or with Redis away, the call is simply not made: the
offline prompt is used, nothing fails.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import redis

from bookreader import ratelimit, redis_conn
from bookreader.errors import BookReaderError

# The day's counter lives a little past midnight so a late call never restarts it at 0.
_KEY_LIFETIME_S = 2 * 86400


def take_call(user_id: str, daily_budget: int, rate_per_minute: int) -> str | None:
    """Count one call; None when it may be made, else why not ("budget", "rate", "redis")."""
    key = redis_conn.key("assist-budget", user_id, datetime.now(UTC).strftime("%Y-%m-%d"))
    client = redis_conn.redis_client()
    try:
        pipe = client.pipeline()
        pipe.incr(key)
        pipe.expire(key, _KEY_LIFETIME_S)
        used = int(pipe.execute()[0])
        if used > daily_budget:
            client.decr(key)
            return "budget"
    except redis.RedisError:
        return "redis"
    try:
        ratelimit.hit("prompt-assist", rate_per_minute, 60.0)
    except BookReaderError as error:
        # The day's count is given back: this call was never made.
        with contextlib.suppress(redis.RedisError):
            client.decr(key)
        return "rate" if error.code == "rate_limited" else "redis"
    return None


def used_today(user_id: str) -> int:
    key = redis_conn.key("assist-budget", user_id, datetime.now(UTC).strftime("%Y-%m-%d"))
    return int(redis_conn.redis_client().get(key) or 0)
