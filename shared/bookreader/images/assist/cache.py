"""Answers kept in Redis by a hash of everything the model was told: the same passage, cast,
book, style and model never cost a second call. A cache that fails is a cache that missed."""

from __future__ import annotations

import contextlib
import hashlib

import redis

from bookreader import redis_conn
from bookreader.images.assist.answer import AssistAnswer

# Long enough for a reader's whole book; the answer for a passage does not go stale.
TTL_SECONDS = 30 * 86400


def content_key(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return redis_conn.key("assist-answer", digest)


def cached_answer(key: str) -> AssistAnswer | None:
    try:
        value = redis_conn.redis_client().get(key)
    except redis.RedisError:
        return None
    if not value:
        return None
    try:
        return AssistAnswer.model_validate_json(value)
    except ValueError:
        return None


def remember_answer(key: str, answer: AssistAnswer) -> None:
    with contextlib.suppress(redis.RedisError):
        redis_conn.redis_client().set(key, answer.model_dump_json(), ex=TTL_SECONDS)
