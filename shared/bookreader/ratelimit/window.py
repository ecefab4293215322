"""Sliding-window rate limits in Redis, with an exact `Retry-After` when a limit is reached.

Each limited key is a sorted set of the accepted hits' times. One Lua script trims hits older
than the window, counts, and records the new hit only when every limit allows it — so refused
requests do not extend the wait, and `Retry-After` is exactly when the oldest counted hit
leaves the window (rounded up to whole seconds). Time comes from the Redis server so every
function instance agrees on it. Redis unreachable → 503 (fail closed).
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import redis

from bookreader import redis_conn
from bookreader.errors import BookReaderError
from bookreader.metrics import RATE_LIMIT_HITS, limit_label
from bookreader.ratelimit.redis_guard import UNAVAILABLE, client_or_default, fail_closed

# Both scripts start from `now` in ms: ARGV[1], or the server's clock when it is "".
_NOW = """
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
else
  now = tonumber(ARGV[1])
end
"""

# Both scripts read KEYS: the limited sets; ARGV: now in ms ("" = the server's clock), the hit's
# member ("" when only peeking), then limit and window (ms) for each key. `wait` is how long in
# ms until every limit has room again (0: room now).
_WAIT = """
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[1 + 2 * i])
  local window = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local blocking = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local free_at = tonumber(blocking[2]) + window
    if free_at - now > wait then wait = free_at - now end
  end
end
"""

# Records the hit only when every limit has room; returns 0 then, else the wait.
_SLIDING_WINDOW = (
    _NOW
    + _WAIT
    + """
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 + 2 * i]))
end
return 0
"""
)

# The same arithmetic without recording anything: is any of the limits exhausted now?
_PEEK = _NOW + _WAIT + "return wait\n"


@dataclass(frozen=True)
class Limit:
    """At most `limit` hits on `key` in any `window_s` seconds."""

    key: str
    limit: int
    window_s: float


def hit(
    key: str,
    limit: int,
    window_s: float,
    *,
    client: redis.Redis | None = None,
    now: float | None = None,
    unavailable: str = UNAVAILABLE,
) -> None:
    """Count one hit on `key`; 429 `rate_limited` with `Retry-After` when over the limit."""
    hit_all([Limit(key, limit, window_s)], client=client, now=now, unavailable=unavailable)


def hit_all(
    limits: Sequence[Limit],
    *,
    client: redis.Redis | None = None,
    now: float | None = None,
    unavailable: str = UNAVAILABLE,
) -> None:
    """Count one hit against every limit at once, or none if any of them is exhausted.

    `now` (seconds) replaces the Redis server's clock; tests use it to be exact. Redis
    unreachable → 503 with the error code `unavailable`.
    """
    if not limits:
        return
    for item in limits:
        if item.limit < 1 or item.window_s <= 0:
            raise ValueError(f"bad limit {item}")
    wait_ms = _run(_SLIDING_WINDOW, limits, secrets.token_hex(8), client, now, unavailable)
    _refuse_if_waiting(limits, wait_ms)


def ensure_room(
    limits: Sequence[Limit],
    *,
    client: redis.Redis | None = None,
    now: float | None = None,
    unavailable: str = UNAVAILABLE,
) -> None:
    """429 `rate_limited` when any limit is exhausted, without counting a hit: for limits that
    count only what went wrong (failed sign-ins), checked before the attempt is made."""
    if not limits:
        return
    _refuse_if_waiting(limits, _run(_PEEK, limits, "", client, now, unavailable))


def _run(
    script: str,
    limits: Sequence[Limit],
    member: str,
    client: redis.Redis | None,
    now: float | None,
    unavailable: str,
) -> int:
    """Runs one of the scripts over `limits`; the wait in ms (0: room)."""
    arguments: list[str | int] = ["" if now is None else round(now * 1000), member]
    for item in limits:
        arguments += [item.limit, math.ceil(item.window_s * 1000)]
    keys = [redis_conn.key("rl", item.key) for item in limits]
    with fail_closed(unavailable):
        return int(client_or_default(client).register_script(script)(keys, arguments))


def _refuse_if_waiting(limits: Sequence[Limit], wait_ms: int) -> None:
    if wait_ms > 0:
        RATE_LIMIT_HITS.labels(limit_label(item.key for item in limits)).inc()
        retry_after = max(1, math.ceil(wait_ms / 1000))
        raise BookReaderError(
            "rate_limited",
            "Too many requests; try again later.",
            429,
            {"retry_after": retry_after},
            {"Retry-After": str(retry_after)},
        )
