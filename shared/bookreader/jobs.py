"""Background work: asynchronous invocation of a function, and idempotency keys."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import redis

from bookreader import bus
from bookreader.config import get_settings
from bookreader.db import Connection
from bookreader.errors import BookReaderError


def invoke_async(function_name: str, payload: dict[str, Any]) -> None:
    """Run `function_name` with `payload` in the background, with retries and a dead letter.

    On AWS a Lambda `Invoke` with `InvocationType=Event`; locally a message on the function's
    stream, delivered by the runtime under the same retry rules.
    """
    if get_settings().runtime == "aws":
        _lambda_client().invoke(
            FunctionName=function_name,
            InvocationType="Event",
            Payload=json.dumps(payload).encode(),
        )
    else:
        try:
            bus.enqueue(function_name, payload, source="async")
        except (redis.ConnectionError, redis.TimeoutError) as error:
            raise BookReaderError(
                "queue_unavailable", "Background work cannot be queued now; try again.", 503
            ) from error


@lru_cache(maxsize=1)
def _lambda_client() -> Any:
    import boto3

    return boto3.client("lambda", region_name=get_settings().aws_region)


def claim_once(conn: Connection, key: str, scope: str) -> bool:
    """Record `key` inside the caller's transaction; False when it was already recorded.

    Call it first in the transaction that does the work: a redelivered event then finds the key
    and skips, and a failed attempt rolls the key back with the work.
    """
    rows = conn.run(
        "INSERT INTO idempotency_keys (key, scope) VALUES (:key, :scope)"
        " ON CONFLICT (key) DO NOTHING RETURNING key",
        key=key,
        scope=scope,
    )
    return bool(rows)
