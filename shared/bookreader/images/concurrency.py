"""Per-provider limits in Redis: a counting semaphore of leased slots, and a rate limit.

A slot is a member of a sorted set scored by its lease's expiry, so a worker that crashes
while holding one frees it when the lease runs out; no one has to clean up after it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis

from bookreader import ratelimit, redis_conn
from bookreader.config import Settings
from bookreader.errors import BookReaderError
from bookreader.images.model import ImagePrompt
from bookreader.images.providers.base import GeneratedImage, ImageProvider
from bookreader.images.providers.chain import ProviderChain
from bookreader.images.settings import concurrency_for, rate_for
from bookreader.metrics import IMAGE_PROVIDER_SECONDS

# KEYS[1]: the slots. ARGV: holder, limit, lease (ms). 1 when the slot is taken, else 0. A
# holder that has a slot already (a retry of a killed attempt, same image) takes it back.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local mine = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not mine and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
"""
_POLL_S = 0.05


def provider_busy(provider: str, retry_after: int = 1) -> BookReaderError:
    return BookReaderError(
        "provider_busy",
        f"The image provider {provider} is busy; the image stays queued, try again shortly.",
        503,
        {"provider": provider, "retry_after": retry_after},
        {"Retry-After": str(retry_after)},
    )


def slots_key(provider: str) -> str:
    return redis_conn.key("image-slots", provider)


def try_acquire(provider: str, limit: int, lease_s: float, holder: str | None = None) -> str | None:
    """Take a slot for `lease_s` seconds; the holder id to release it with, or None if full."""
    holder = holder or secrets.token_hex(8)
    client = redis_conn.redis_client()
    taken = client.register_script(_ACQUIRE)(
        [slots_key(provider)], [holder, limit, max(1, round(lease_s * 1000))]
    )
    return holder if int(taken) else None


def release(provider: str, holder: str) -> None:
    redis_conn.redis_client().zrem(slots_key(provider), holder)


# A slot not released is lost to every other picture until its lease runs out (minutes): a
# release that meets Redis restarting waits for it this long before leaving it to the lease.
RELEASE_PATIENCE_S = 10.0


def release_patiently(
    provider: str,
    holder: str,
    wait_s: float = RELEASE_PATIENCE_S,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """`release`, tried again while Redis is away for up to `wait_s`; whether it was released."""
    give_up = time.monotonic() + wait_s
    delay = 0.1
    while True:
        try:
            release(provider, holder)
            return True
        except redis.RedisError:
            if time.monotonic() + delay > give_up:
                return False  # the lease frees it in the end
        sleep(delay)
        delay = min(delay * 2, 1.0)


@contextmanager
def provider_slot(
    provider: str,
    *,
    limit: int,
    lease_s: float,
    wait_s: float,
    sleep: Callable[[float], None] = time.sleep,
    holder: str | None = None,
) -> Iterator[str]:
    """Hold one of `limit` slots; waits up to `wait_s`, then 503 `provider_busy`."""
    give_up = time.monotonic() + wait_s
    try:
        while (taken := try_acquire(provider, limit, lease_s, holder)) is None:
            if time.monotonic() >= give_up:
                raise provider_busy(provider)
            sleep(_POLL_S)
    except redis.RedisError as error:
        raise provider_busy(provider) from error
    try:
        yield taken
    finally:
        release_patiently(provider, taken, sleep=sleep)


def wait_for_rate(
    provider: str, per_minute: int, *, wait_s: float, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Count one call against the provider's per-minute limit, waiting up to `wait_s` for room."""
    give_up = time.monotonic() + wait_s
    while True:
        try:
            ratelimit.hit(f"image-provider:{provider}", per_minute, 60.0)
            return
        except BookReaderError as error:
            if error.code != "rate_limited":
                raise provider_busy(provider) from error
            retry_after = int(error.details.get("retry_after", 1))
            if time.monotonic() + retry_after > give_up:
                raise provider_busy(provider, retry_after) from error
            sleep(retry_after)


class LimitedProvider:
    """A provider whose calls hold one of its slots and count against its rate limit."""

    def __init__(
        self, provider: ImageProvider, settings: Settings, holder: str | None = None
    ) -> None:
        self.provider = provider
        self.name = provider.name
        self.settings = settings
        self.holder = holder

    def generate(self, prompt: ImagePrompt, *, deadline: float) -> GeneratedImage:
        settings = self.settings
        wait_s = min(settings.image_slot_wait_seconds, max(0.0, deadline - time.monotonic()))
        with provider_slot(
            self.name,
            limit=concurrency_for(settings, self.name),
            lease_s=settings.image_slot_ttl_seconds,
            wait_s=wait_s,
            holder=self.holder,
        ):
            wait_for_rate(self.name, rate_for(settings, self.name), wait_s=wait_s)
            # The provider's own time, without the waits for a slot and for the rate limit.
            started = time.perf_counter()
            outcome = "ok"
            try:
                return self.provider.generate(prompt, deadline=deadline)
            except BookReaderError as error:
                outcome = error.code
                raise
            finally:
                elapsed = time.perf_counter() - started
                IMAGE_PROVIDER_SECONDS.labels(self.name, outcome).observe(elapsed)


def limited(
    provider: ImageProvider, settings: Settings, holder: str | None = None
) -> ImageProvider:
    """The provider, or each provider of a chain, behind its concurrency and rate limits.

    `holder` (the image's id) names the slot, so a retry of the same image after its worker was
    killed takes back the slot that worker still leases instead of waiting for the lease."""
    if isinstance(provider, ProviderChain):
        return ProviderChain(
            [LimitedProvider(p, settings, holder) for p in provider.providers],
            fall_through=provider.fall_through,
        )
    return LimitedProvider(provider, settings, holder)
