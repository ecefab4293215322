"""The one retry layer for image-provider HTTP calls: backoff with jitter, Retry-After, a deadline.

Retries happen here and nowhere else: the requests session has urllib3's own retries switched
off and providers never loop, so one failing call costs at most `max_attempts` requests.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from bookreader.errors import BookReaderError

CHUNK = 64 * 1024
ERROR_SNIPPET = 300  # characters of an error body kept as the failure's reason


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay: float = 0.5  # seconds before the 2nd attempt; doubles each time
    max_delay: float = 8.0
    jitter: float = 0.5  # fraction of each delay that is random, so clients do not sync up
    connect_timeout: float = 5.0
    request_timeout: float = 60.0  # per read; always capped by the time left to the deadline

    def backoff(self, retry: int, rand: float) -> float:
        """Delay before retry number `retry` (1-based); `rand` in [0, 1]."""
        full = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        # Only the top `jitter` part varies, so delays still grow from one retry to the next.
        return full * (1 - self.jitter + self.jitter * rand)


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str


def new_session() -> requests.Session:
    """A session whose adapters never retry on their own (see the module docstring)."""
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


class _DeadlineExceeded(Exception):
    """The body was still arriving when the deadline passed."""


class RetryingClient:
    """HTTP for one provider: retries 429, 5xx, connection errors and timeouts, nothing else."""

    def __init__(
        self,
        provider: str,
        policy: RetryPolicy | None = None,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.provider = provider
        self.policy = policy or RetryPolicy()
        self.session = session or new_session()
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._rand = rand

    def request(
        self, method: str, url: str, *, deadline: float, max_bytes: int, **kwargs: Any
    ) -> HttpResponse:
        """A 2xx response with its whole body, or BookReaderError once retrying is pointless.

        `deadline` is a `time.monotonic()` instant (the injected clock's) after which no attempt
        starts; `max_bytes` bounds the body, which is streamed so a huge one is never buffered.
        """
        attempt = 0
        while True:
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise self._error("provider_timeout", "deadline passed", 504, attempt)
            attempt += 1
            try:
                response = self._send(method, url, remaining, deadline, max_bytes, kwargs)
            except (requests.Timeout, _DeadlineExceeded) as exc:
                failure = self._error("provider_timeout", f"timed out: {exc}", 504, attempt)
                delay = self.policy.backoff(attempt, self._rand())
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                failure = self._error("provider_unavailable", f"connection: {exc}", 502, attempt)
                delay = self.policy.backoff(attempt, self._rand())
            else:
                if 200 <= response.status < 300:
                    return response
                failure = self._status_error(response, attempt)
                if response.status == 429:
                    waited = parse_retry_after(
                        response.headers.get("Retry-After"), now=self._wall_clock()
                    )
                    delay = self.policy.backoff(attempt, self._rand()) if waited is None else waited
                elif response.status < 500:
                    raise failure  # the request itself is wrong; sending it again cannot help
                else:
                    delay = self.policy.backoff(attempt, self._rand())
            if attempt >= self.policy.max_attempts:
                raise failure
            if self._clock() + delay >= deadline:
                failure.details["gave_up"] = "next attempt would start after the deadline"
                raise failure
            self._sleep(delay)

    def _send(
        self,
        method: str,
        url: str,
        remaining: float,
        deadline: float,
        max_bytes: int,
        kwargs: dict[str, Any],
    ) -> HttpResponse:
        timeout = (
            min(self.policy.connect_timeout, remaining),
            min(self.policy.request_timeout, remaining),
        )
        with self.session.request(method, url, timeout=timeout, stream=True, **kwargs) as resp:
            ok = 200 <= resp.status_code < 300
            # Error bodies only feed the failure message, so a few KiB of them is plenty.
            limit = max_bytes if ok else 4096
            declared = resp.headers.get("Content-Length", "")
            if ok and declared.isdigit() and int(declared) > max_bytes:
                raise self._too_large(int(declared), max_bytes)
            body = bytearray()
            for chunk in resp.iter_content(CHUNK):
                body += chunk
                if len(body) > limit:
                    if ok:
                        raise self._too_large(len(body), max_bytes)
                    break
                if self._clock() > deadline:
                    raise _DeadlineExceeded("body still arriving at the deadline")
            return HttpResponse(resp.status_code, dict(resp.headers), bytes(body), resp.url)

    def _status_error(self, response: HttpResponse, attempt: int) -> BookReaderError:
        reason = response.body[:ERROR_SNIPPET].decode("utf-8", "replace")
        if response.status == 429:
            code, status = "provider_rate_limited", 503
        elif response.status >= 500:
            code, status = "provider_unavailable", 502
        else:
            code, status = "provider_rejected", 502
        error = self._error(code, f"HTTP {response.status}", status, attempt)
        error.details.update(http_status=response.status, reason=reason)
        return error

    def _too_large(self, size: int, limit: int) -> BookReaderError:
        return BookReaderError(
            "provider_image_too_large",
            f"{self.provider} sent {size} bytes; the limit is {limit}",
            502,
            {"provider": self.provider, "bytes": size, "max_bytes": limit},
        )

    def _error(self, code: str, message: str, status: int, attempts: int) -> BookReaderError:
        return BookReaderError(
            code,
            f"{self.provider}: {message}",
            status,
            {"provider": self.provider, "attempts": attempts},
        )
