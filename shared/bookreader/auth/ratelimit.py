"""Sliding-window rate limits in Redis, with an exact `Retry-After` when a limit is reached.

Each limited key is a sorted set of the accepted hits' times. One Lua script trims hits older
than the window, counts, and records the new hit only when every limit allows it — so refused
requests do not extend the wait, and `Retry-After` is exactly when the oldest counted hit
leaves the window (rounded up to whole seconds). Time comes from the Redis server so every
function instance agrees on it. Redis unreachable → 503 (fail closed).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import redis

from bookreader.auth.redis_guard import auth_key, client_or_default, fail_closed
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.metrics import RATE_LIMIT_HITS, limit_label

# KEYS: the limited sets. ARGV: now in ms ("" = the server's clock), the hit's member, then
# limit and window (ms) for each key. Returns 0 when the hit is recorded, else the wait in ms.
_SLIDING_WINDOW = """
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
else
  now = tonumber(ARGV[1])
end
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
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 + 2 * i]))
end
return 0
"""


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
) -> None:
    """Count one hit on `key`; 429 `rate_limited` with `Retry-After` when over the limit."""
    hit_all([Limit(key, limit, window_s)], client=client, now=now)


def hit_all(
    limits: Sequence[Limit], *, client: redis.Redis | None = None, now: float | None = None
) -> None:
    """Count one hit against every limit at once, or none if any of them is exhausted.

    `now` (seconds) replaces the Redis server's clock; tests use it to be exact.
    """
    if not limits:
        return
    for item in limits:
        if item.limit < 1 or item.window_s <= 0:
            raise ValueError(f"bad limit {item}")
    arguments: list[str | int] = ["" if now is None else round(now * 1000), secrets.token_hex(8)]
    for item in limits:
        arguments += [item.limit, math.ceil(item.window_s * 1000)]
    keys = [auth_key("rl", item.key) for item in limits]
    with fail_closed():
        redis_client = client_or_default(client)
        wait_ms = int(redis_client.register_script(_SLIDING_WINDOW)(keys, arguments))
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


def limit_login(ip: str, email: str, *, client: redis.Redis | None = None) -> None:
    """Login: LOGIN_IP_EMAIL per IP and email, and LOGIN_IP per IP, per window."""
    settings = get_settings()
    window = settings.rate_limit_window
    hit_all(
        [
            Limit(
                f"login-ip-email:{_digest(ip, canonical_email(email))}",
                settings.rate_limit_login_ip_email,
                window,
            ),
            Limit(f"login-ip:{_digest(ip)}", settings.rate_limit_login_ip, window),
        ],
        client=client,
    )


def limit_register(ip: str, *, client: redis.Redis | None = None) -> None:
    """Registration: REGISTER_IP per IP per window."""
    settings = get_settings()
    hit(
        f"register-ip:{_digest(ip)}",
        settings.rate_limit_register_ip,
        settings.rate_limit_window,
        client=client,
    )


def limit_password_check(user_id: str, *, client: redis.Redis | None = None) -> None:
    """Guesses at the current password (password change): as strict as login."""
    settings = get_settings()
    hit(
        f"password-user:{user_id}",
        settings.rate_limit_login_ip_email,
        settings.rate_limit_window,
        client=client,
    )


def limit_api(user_id: str, *, read: bool = False, client: redis.Redis | None = None) -> None:
    """An authenticated API call: API_USER per user per window, or API_READ_USER for reads."""
    settings = get_settings()
    if read:
        key, limit = f"api-read-user:{user_id}", settings.rate_limit_api_read_user
    else:
        key, limit = f"api-user:{user_id}", settings.rate_limit_api_user
    hit(key, limit, settings.rate_limit_window, client=client)


def canonical_email(email: str) -> str:
    """The spelling accounts are looked up by (NFC, lower case), so one account is one budget."""
    return unicodedata.normalize("NFC", email.strip()).lower()


def _digest(*parts: str) -> str:
    # Keys never carry emails or raw input: a fixed-length digest, safe and private.
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
