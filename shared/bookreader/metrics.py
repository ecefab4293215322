"""Prometheus metrics recorded inside the functions: rate-limit refusals, image providers'
latency, the PostgreSQL pool.

The local runtime runs each function in worker processes and sets PROMETHEUS_MULTIPROC_DIR for
them, so prometheus_client keeps these values in per-process files that the runtime adds up
when it is scraped (`/_local/metrics`). Without that variable (AWS Lambda) they are ordinary
in-process values that nobody scrapes: there CloudWatch has the numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import Counter, Gauge, Histogram

RATE_LIMIT_HITS = Counter(
    "bookreader_rate_limit_hits",
    "Requests refused by the app's own rate limits, by limit.",
    ["limit"],
)
# Limits every deployment has, exported at zero from the start so dashboards see them.
KNOWN_LIMITS = (
    "login-ip-email+login-ip",
    "login-account",
    "device-ip-login+device-ip",
    "device-account",
    "register-ip+register-email",
    "password-user",
    "api-user",
)

IMAGE_PROVIDER_SECONDS = Histogram(
    "bookreader_image_provider_seconds",
    "Time an image provider took to draw one picture, by provider and outcome.",
    ["provider", "outcome"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120),
)

# Gauges are summed over the live worker processes (a dead worker's share is dropped).
DB_POOL_IN_USE = Gauge(
    "bookreader_db_pool_connections_in_use",
    "PostgreSQL connections borrowed from the pools right now.",
    multiprocess_mode="livesum",
)
DB_POOL_IDLE = Gauge(
    "bookreader_db_pool_connections_idle",
    "PostgreSQL connections kept open and idle in the pools.",
    multiprocess_mode="livesum",
)
DB_POOL_CAPACITY = Gauge(
    "bookreader_db_pool_capacity",
    "How many idle connections the pools may keep.",
    multiprocess_mode="livesum",
)
DB_CONNECTIONS_OPENED = Counter(
    "bookreader_db_connections_opened",
    "New PostgreSQL connections opened by the pools (a high rate means they are too small).",
)


def limit_label(keys: Iterable[str]) -> str:
    """`login-ip-email:ab12…`, `login-ip:cd34…` → `login-ip-email+login-ip` (no user data)."""
    return "+".join(key.split(":", 1)[0] for key in keys)


def declare_image_providers(names: Iterable[str]) -> None:
    """Export each provider's latency series at zero before its first picture."""
    for name in names:
        IMAGE_PROVIDER_SECONDS.labels(name, "ok")


for _limit in KNOWN_LIMITS:
    RATE_LIMIT_HITS.labels(_limit)
