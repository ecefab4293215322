"""The per-user daily image quota: a Redis counter per UTC day, an admin override in the DB.

Only a newly created image counts; a duplicate request for an existing image is free.
"""

from __future__ import annotations

import contextlib
import math
from datetime import UTC, datetime, timedelta

import redis

from bookreader import db, redis_conn
from bookreader.api.schemas import ImageQuota
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.images import records

# The day's counter outlives midnight a little so a late decrement never resurrects it at 0.
_KEY_GRACE_S = 3600


def daily_limit(conn: db.Connection, user_id: str) -> int:
    return _limit(records.quota_override(conn, user_id))


def _limit(override: int | None) -> int:
    return get_settings().image_daily_quota if override is None else override


def count_new_image(conn: db.Connection, user_id: str, *, now: datetime | None = None) -> None:
    """Count one image against today's quota; 429 `image_quota_exceeded` when it is used up."""
    limit = daily_limit(conn, user_id)
    moment = now or datetime.now(UTC)
    seconds_left = seconds_until_midnight(moment)
    key = _day_key(user_id, moment)
    client = redis_conn.redis_client()
    try:
        pipe = client.pipeline()
        pipe.incr(key)
        pipe.expire(key, seconds_left + _KEY_GRACE_S)
        used = int(pipe.execute()[0])
        if used > limit:
            client.decr(key)
    except redis.RedisError as error:  # fail closed: no unmetered generation
        raise BookReaderError(
            "quota_unavailable", "The quota service is unavailable.", 503
        ) from error
    if used > limit:
        raise BookReaderError(
            "image_quota_exceeded",
            f"You have used today's {limit} illustrations; more are available after midnight UTC.",
            429,
            {"limit": limit, "retry_after": seconds_left},
            {"Retry-After": str(seconds_left)},
        )


def refund(user_id: str, *, now: datetime | None = None) -> None:
    """Give back one count (the image it paid for was not created after all)."""
    # A lost refund costs the user one image, never correctness.
    with contextlib.suppress(redis.RedisError):
        redis_conn.redis_client().decr(_day_key(user_id, now or datetime.now(UTC)))


def used_today(user_id: str, *, now: datetime | None = None) -> int:
    value = redis_conn.redis_client().get(_day_key(user_id, now or datetime.now(UTC)))
    return int(value or 0)


def describe(user_id: str) -> ImageQuota:
    """Today's limit, whether it is an admin's override, and how much of it is used."""
    with db.get_pool().connection() as conn:
        override = records.quota_override(conn, user_id)
    return ImageQuota(
        daily_limit=_limit(override),
        overridden=override is not None,
        used_today=used_today(user_id),
    )


def set_daily_limit(actor_id: str, user_id: str, limit: int | None) -> None:
    """An admin sets (or with None clears) a user's daily limit; 403 for anyone else."""
    if limit is not None and limit < 0:
        raise BookReaderError("quota_invalid", "A daily limit cannot be negative.", 422)
    with db.get_pool().connection() as conn:
        rows = conn.run("SELECT role FROM users WHERE id = CAST(:u AS uuid)", u=actor_id)
    if not rows or rows[0][0] != "admin":
        raise BookReaderError("forbidden", "Only an administrator can change quotas.", 403)
    records.set_quota_override(user_id, limit)


def seconds_until_midnight(moment: datetime) -> int:
    midnight = (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, math.ceil((midnight - moment).total_seconds()))


def _day_key(user_id: str, moment: datetime) -> str:
    return redis_conn.key("image-quota", user_id, moment.astimezone(UTC).strftime("%Y-%m-%d"))
