"""Limits kept in Redis for everyone (sign-in, the API, image providers), failing closed.

- `window`: sliding-window rate limits with an exact `Retry-After`.
- `redis_guard`: the Redis client to use, and 503 instead of a guess when Redis is away.

The limits a particular caller applies (per IP, per account, per provider) live with that
caller, e.g. `bookreader.auth.limits`.
"""

from bookreader.ratelimit.window import Limit, ensure_room, hit, hit_all

__all__ = ["Limit", "ensure_room", "hit", "hit_all"]
