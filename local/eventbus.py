"""At-least-once delivery of object events and async invocations over Redis Streams.

One stream and consumer group per function. A message is acknowledged only after its handler
succeeds. A failed attempt is parked with its idle time set so that it becomes reclaimable
after an exponential backoff; a message whose worker died stays pending and is reclaimed
after the visibility timeout. After MaximumRetryAttempts retries it moves to a dead-letter
stream, from which `python -m local dlq` lists and replays it.
"""

from __future__ import annotations

import fnmatch
import json
import logging
import random
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import redis

from bookreader import bus, redis_conn
from bookreader.events import parse_record
from bookreader.log import log_event, now_ms
from local.template import FunctionSpec, S3Trigger
from local.workers import FunctionPool, Invocation

logger = logging.getLogger("local.eventbus")
GROUP = "runtime"
RETRY_CONSUMER = "backoff"
Reporter = Callable[[FunctionSpec, str, Invocation], None]


def ensure_group(client: redis.Redis, stream: str) -> None:
    try:
        # Id 0: messages queued while the runtime was down are delivered when it starts.
        client.xgroup_create(stream, GROUP, id="0", mkstream=True)
    except redis.ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise


def trigger_matches(trigger: S3Trigger, bucket: str, key: str, event_name: str) -> bool:
    if bucket != trigger.bucket:
        return False
    if not any(fnmatch.fnmatchcase(f"s3:{event_name}", pattern) for pattern in trigger.events):
        return False
    return key.startswith(trigger.prefix) and key.endswith(trigger.suffix)


class EventBus:
    def __init__(
        self,
        client: redis.Redis,
        functions: dict[str, FunctionSpec],
        pools: dict[str, FunctionPool],
        report: Reporter,
        retry_base_ms: int = 1000,
        visibility_timeout_ms: int | None = None,
    ) -> None:
        self.client = client
        self.functions = functions
        self.pools = pools
        self.report = report
        self.retry_base_ms = retry_base_ms
        self.visibility_override = visibility_timeout_ms
        # Stable across restarts of this runtime, distinct between replicas (their hosts).
        self.instance = socket.gethostname()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._retry_pools = {
            name: ThreadPoolExecutor(max_workers=pool.size, thread_name_prefix=f"retry-{name}")
            for name, pool in pools.items()
        }

    def visibility_timeout_ms(self, spec: FunctionSpec) -> int:
        """How long an unacknowledged message may stay with a consumer before it is reclaimed."""
        return self.visibility_override or (spec.timeout * 1000 + 5000)

    def backoff_ms(self, attempt: int) -> int:
        base = self.retry_base_ms * 2 ** (attempt - 1)
        return int(base * random.uniform(0.8, 1.2))  # jitter keeps retries from lining up

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        ensure_group(self.client, bus.object_events_stream())
        for name, pool in self.pools.items():
            ensure_group(self.client, bus.function_stream(name))
            for slot in range(pool.size):
                consumer = f"{self.instance}-slot-{slot}"
                self._spawn(f"consume-{name}-{slot}", self._consume, name, consumer)
        self._spawn("router", self._route)
        self._spawn("reaper", self._reap)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=3)
        for executor in self._retry_pools.values():
            executor.shutdown(wait=False, cancel_futures=True)

    def _spawn(self, name: str, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(
            target=self._forever, args=(name, target, *args), daemon=True, name=name
        )
        thread.start()
        self._threads.append(thread)

    def _forever(self, name: str, target: Callable[..., None], *args: Any) -> None:
        """Run a loop; if Redis goes away, log and keep trying instead of dying."""
        while not self._stop.is_set():
            try:
                target(*args)
            except (redis.ConnectionError, redis.TimeoutError) as error:
                log_event(logger, "redis unavailable", logging.WARNING, loop=name, error=str(error))
                self._stop.wait(1.0)
            except Exception:
                logger.exception("event loop %s failed; restarting it", name)
                self._stop.wait(1.0)

    # --- the router: one bucket-notification stream → the functions whose filters match ----
    def _route(self) -> None:
        stream = bus.object_events_stream()
        while not self._stop.is_set():
            reply = self.client.xreadgroup(GROUP, "router", {stream: ">"}, count=100, block=500)
            pending = (
                self.client.xreadgroup(GROUP, "router", {stream: "0"}, count=100)
                if not reply
                else []
            )
            for _, messages in [*reply, *pending]:
                for message_id, fields in messages:
                    self._route_one(stream, message_id, fields)

    def _route_one(self, stream: str, message_id: str, fields: dict[str, str]) -> None:
        record = json.loads(fields["record"])
        created = parse_record(record)
        pipe = self.client.pipeline(transaction=True)
        if created is not None:
            for name, spec in self.functions.items():
                if any(
                    trigger_matches(t, created.bucket, created.key, created.event_name)
                    for t in spec.s3_triggers
                ):
                    bus.enqueue(name, {"Records": [record]}, source="s3", client=pipe)
        pipe.xack(stream, GROUP, message_id)
        pipe.xdel(stream, message_id)
        pipe.execute()

    # --- consumers ---------------------------------------------------------------------------
    def _consume(self, name: str, consumer: str) -> None:
        stream = bus.function_stream(name)
        self._resume_own(name, consumer)
        while not self._stop.is_set():
            reply = self.client.xreadgroup(GROUP, consumer, {stream: ">"}, count=1, block=500)
            for _, messages in reply:
                for message_id, fields in messages:
                    self._deliver(name, message_id, fields, attempt=1)

    def _deliver(self, name: str, message_id: str, fields: dict[str, str], attempt: int) -> None:
        spec = self.functions[name]
        stream = bus.function_stream(name)
        event = json.loads(fields["event"])
        outcome = self.pools[name].invoke(event)
        self.report(spec, fields.get("source", "async"), outcome)
        if outcome.ok:

            def acknowledge() -> None:
                pipe = self.client.pipeline(transaction=True)
                pipe.xack(stream, GROUP, message_id)
                pipe.xdel(stream, message_id)
                if attempt > 1:
                    pipe.hdel(redis_conn.key("last-error", name), message_id)
                pipe.execute()

            # The work is done: an acknowledgement lost to a Redis restart would run it twice.
            self._until_redis_answers(acknowledge)
            return
        error = f"{outcome.error_type}: {outcome.error_message}"
        if attempt >= spec.max_retry_attempts + 1:
            self._until_redis_answers(
                lambda: self._dead_letter(name, message_id, fields, attempt, error)
            )
            return
        # Park it, a lost worker's too (as Lambda retries a crashed invocation): reclaimable
        # once idle ≥ visibility timeout, i.e. after the backoff.
        backoff = self.backoff_ms(attempt)
        idle = max(0, self.visibility_timeout_ms(spec) - backoff)

        def park() -> None:
            self.client.xclaim(
                stream, GROUP, RETRY_CONSUMER, 0, [message_id], idle=idle, justid=True
            )
            self.client.hset(redis_conn.key("last-error", name), message_id, error)

        self._until_redis_answers(park)
        log_event(
            logger,
            "retry scheduled",
            function=name,
            message_id=message_id,
            attempt=attempt,
            backoff_ms=backoff,
        )

    def _until_redis_answers(self, operation: Callable[[], object]) -> None:
        """Run a bookkeeping step, waiting out a Redis outage instead of dropping the step."""
        while True:
            try:
                operation()
                return
            except (redis.ConnectionError, redis.TimeoutError) as error:
                if self._stop.is_set():
                    raise
                log_event(logger, "redis unavailable", logging.WARNING, error=str(error))
                self._stop.wait(0.5)

    def _resume_own(self, name: str, consumer: str) -> None:
        """Messages this consumer had in hand when its runtime died (kill -9, power loss): run
        them again now instead of after the visibility timeout (an extract's is 15 minutes)."""
        stream = bus.function_stream(name)
        for entry in self.client.xpending_range(
            stream, GROUP, min="-", max="+", count=100, consumername=consumer
        ):
            claimed = self.client.xclaim(stream, GROUP, consumer, 0, [entry["message_id"]])
            for message_id, fields in claimed:
                if fields:
                    self._deliver(name, message_id, fields, entry["times_delivered"] + 1)

    def _dead_letter(
        self, name: str, message_id: str, fields: dict[str, str], attempts: int, error: str
    ) -> None:
        stream = bus.function_stream(name)
        pipe = self.client.pipeline(transaction=True)
        pipe.xadd(
            bus.dead_letter_stream(name),
            {
                **fields,
                "function": name,
                "original_id": message_id,
                "attempts": attempts,
                "error": error,
                "failed_at": now_ms(),
            },
        )
        pipe.xack(stream, GROUP, message_id)
        pipe.xdel(stream, message_id)
        pipe.hdel(redis_conn.key("last-error", name), message_id)
        pipe.execute()
        log_event(
            logger,
            "dead-lettered",
            logging.WARNING,
            function=name,
            message_id=message_id,
            attempts=attempts,
            error=error,
        )

    # --- the reaper: retries after backoff, and messages of workers that died ---------------
    def _reap(self) -> None:
        while not self._stop.is_set():
            for name, spec in self.functions.items():
                if name in self.pools:
                    self._reap_function(name, spec)
            self._stop.wait(0.1)

    def _reap_function(self, name: str, spec: FunctionSpec) -> None:
        stream = bus.function_stream(name)
        visibility = self.visibility_timeout_ms(spec)
        entries = self.client.xpending_range(
            stream, GROUP, min="-", max="+", count=50, idle=visibility
        )
        for entry in entries:
            message_id, delivered = entry["message_id"], entry["times_delivered"]
            if delivered >= spec.max_retry_attempts + 1:
                claimed = self.client.xclaim(stream, GROUP, "reaper", visibility, [message_id])
                if claimed and claimed[0][1]:
                    error = (
                        self.client.hget(redis_conn.key("last-error", name), message_id)
                        or "WorkerLost"
                    )
                    self._dead_letter(name, message_id, claimed[0][1], delivered, error)
                continue
            claimed = self.client.xclaim(
                stream, GROUP, f"retry-{delivered + 1}", visibility, [message_id]
            )
            for claimed_id, fields in claimed:
                if fields:
                    self._retry_pools[name].submit(
                        self._deliver, name, claimed_id, fields, delivered + 1
                    )


# --- dead letters, for the CLI -----------------------------------------------------------------
def list_dead_letters(client: redis.Redis) -> list[dict[str, Any]]:
    letters = []
    for stream in sorted(client.scan_iter(match=bus.dead_letter_stream("*"), _type="stream")):
        for message_id, fields in client.xrange(stream):
            letters.append({"id": message_id, **fields})
    return letters


def replay_dead_letter(client: redis.Redis, letter_id: str) -> str:
    """Queue the dead letter `letter_id` again on its function's stream; returns the new id."""
    for stream in client.scan_iter(match=bus.dead_letter_stream("*"), _type="stream"):
        found = client.xrange(stream, min=letter_id, max=letter_id)
        if found:
            fields = found[0][1]
            new_id = bus.enqueue(
                fields["function"], json.loads(fields["event"]), source="replay", client=client
            )
            client.xdel(stream, letter_id)
            return new_id
    raise KeyError(letter_id)
