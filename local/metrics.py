"""The runtime's Prometheus exposition (`GET /_local/metrics`, the internal token required).

Three sources make one page:
- invocations, errors and durations, counted here in the supervisor, where every invocation
  passes (the gateway and the event bus both report to it), so a timeout or a dead worker is
  counted too, which a wrapper inside the worker could never see;
- the functions' own metrics (bookreader.metrics), written by each worker process into
  PROMETHEUS_MULTIPROC_DIR and added up over the processes at scrape time (prometheus_client's
  multiprocess mode: counters and histograms of workers that died still count; gauges count
  live workers only, the supervisor marks dead ones). Workers come and go (pools start them on
  demand and stop idle ones), so a stopped worker's counters are folded into one archive file
  per type instead of leaving a file set per worker ever started for every scrape to read;
- state read at scrape time: the streams in Redis, books and images in PostgreSQL, readiness.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

from bookreader import bus, db, redis_conn
from bookreader.library.lifecycle import BookState
from local.eventbus import GROUP
from local.settings import PROJECT_ROOT
from local.template import FunctionSpec

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
IMAGE_STATES = ("queued", "running", "ready", "failed")
# Function durations run from milliseconds (an API read) to minutes (extracting a novel).
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
logger = logging.getLogger("local.metrics")
# The metric types whose values of dead processes still count (gauges here are live sums).
ACCUMULATED = ("counter", "histogram", "summary")


def multiprocess_dir() -> Path:
    """A fresh directory for the workers' metric files (nothing left from an earlier run)."""
    return Path(tempfile.mkdtemp(prefix="bookreader-metrics-"))


def fold_into_archive(directory: Path, pid: int) -> None:
    """Add the counters and histograms of the exited process `pid` into `<type>_archive.db`
    and delete its own files: the totals stay, the number of files does not grow."""
    for kind in ACCUMULATED:
        source = directory / f"{kind}_{pid}.db"
        if not source.exists():
            continue
        archive = MmapedDict(str(directory / f"{kind}_archive.db"))
        try:
            for key, value, timestamp, _ in MmapedDict.read_all_values_from_file(str(source)):
                total, _ = archive.read_value(key)
                archive.write_value(key, total + value, timestamp)
        finally:
            archive.close()
        source.unlink()


def declare_image_series(directory: Path, functions: dict[str, FunctionSpec]) -> None:
    """The image providers' latency series at zero from start-up, as the generate worker
    declares them when it starts: workers start on demand now, and dashboards and alerts ask for
    the series before the first picture. Written by a short-lived process, then archived."""
    providers: set[str] = set()
    for spec in functions.values():
        with contextlib.suppress(KeyError, ValueError, TypeError):  # the worker reports those
            providers.update(json.loads(spec.environment["IMAGE_PROVIDERS"]))
    if not providers:
        return
    code = "import sys\nfrom bookreader.metrics import declare_image_providers\n"
    code += "declare_image_providers(sys.argv[1:])"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), str(PROJECT_ROOT / "shared")]),
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
    }
    process = subprocess.Popen([sys.executable, "-c", code, *sorted(providers)], env=env)
    if process.wait(timeout=60) != 0:
        logger.warning("metrics: could not declare the image providers' series")
    mark_process_dead(process.pid, str(directory))
    fold_into_archive(directory, process.pid)


def trigger_kinds(spec: FunctionSpec) -> list[str]:
    """How a function can be invoked, so its series exist at zero before the first call."""
    kinds = []
    if getattr(spec, "routes", None):
        kinds.append("http")
    if spec.s3_triggers:
        kinds.append("s3")
    return kinds


class RuntimeMetrics:
    def __init__(
        self,
        functions: dict[str, FunctionSpec],
        directory: Path,
        database_url: str,
        check_store: Callable[[], None],
    ) -> None:
        self.directory = directory
        # Folding a dead worker's files and reading them all for a scrape must not interleave
        # (a scrape would count the folded values twice, or miss a file deleted under it).
        self._files = threading.Lock()
        self.registry = CollectorRegistry()
        self.invocations = Counter(
            "bookreader_invocations",
            "Function invocations, by function and trigger (http, s3, async, replay).",
            ["function", "trigger"],
            registry=self.registry,
        )
        self.errors = Counter(
            "bookreader_invocation_errors",
            "Invocations that failed: the handler raised or timed out, the worker died, "
            "or an HTTP answer was 5xx.",
            ["function", "trigger"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "bookreader_invocation_duration_seconds",
            "How long invocations ran, by function and trigger.",
            ["function", "trigger"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        for name, spec in functions.items():
            for kind in trigger_kinds(spec):
                self.invocations.labels(name, kind)
                self.errors.labels(name, kind)
        self.registry.register(
            StateCollector(list(functions), db.Pool(database_url, size=1), check_store)
        )
        MultiProcessCollector(self.registry, path=str(directory))

    def record(
        self, function: str, trigger: str, ok: bool, duration_ms: float, status: int | None
    ) -> None:
        self.invocations.labels(function, trigger).inc()
        self.duration.labels(function, trigger).observe(duration_ms / 1000)
        if not ok or (status is not None and status >= 500):
            self.errors.labels(function, trigger).inc()

    def worker_gone(self, pid: int) -> None:
        """A worker exited: its gauges (pool connections) no longer count, its counters and
        histograms move into the archive."""
        with self._files:
            mark_process_dead(pid, str(self.directory))
            try:
                fold_into_archive(self.directory, pid)
            except Exception:  # its files stay and still count; only the tidying failed
                logger.exception("metrics: could not fold the files of worker %s", pid)

    def exposition(self) -> bytes:
        with self._files:
            return generate_latest(self.registry)

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


class StateCollector(Collector):
    """Queues, dead letters, books, images and readiness, read when Prometheus asks."""

    def __init__(
        self, functions: list[str], pool: db.Pool, check_store: Callable[[], None]
    ) -> None:
        self.functions = functions
        self.pool = pool
        self.check_store = check_store

    def collect(self) -> Iterator[Metric]:
        up: dict[str, bool] = {}
        try:
            yield from self._streams()
            up["redis"] = True
        except Exception as error:
            logger.warning("metrics: redis unavailable: %s", error)
            up["redis"] = False
        try:
            yield from self._books_and_images()
            up["postgres"] = True
        except Exception as error:
            logger.warning("metrics: postgres unavailable: %s", error)
            up["postgres"] = False
        try:
            self.check_store()
            up["object_store"] = True
        except Exception as error:
            logger.warning("metrics: object store unavailable: %s", error)
            up["object_store"] = False
        dependency = GaugeMetricFamily(
            "bookreader_dependency_up",
            "Whether the runtime reaches each service it needs (1) or not (0).",
            labels=["dependency"],
        )
        for name, ok in up.items():
            dependency.add_metric([name], 1.0 if ok else 0.0)
        yield dependency
        yield GaugeMetricFamily(
            "bookreader_ready",
            "1 when every dependency is reachable, as GET /api/health/ready reports it.",
            value=1.0 if all(up.values()) else 0.0,
        )

    def _streams(self) -> Iterator[Metric]:
        client = redis_conn.redis_client()
        depth = GaugeMetricFamily(
            "bookreader_queue_depth",
            "Events waiting or in flight on each function's stream (and the store's events).",
            labels=["stream"],
        )
        pending = GaugeMetricFamily(
            "bookreader_queue_pending",
            "Events delivered and not yet acknowledged (running, or waiting for a retry).",
            labels=["stream"],
        )
        oldest = GaugeMetricFamily(
            "bookreader_queue_oldest_age_seconds",
            "Age of the oldest event still on the stream (0 when it is empty).",
            labels=["stream"],
        )
        dead = GaugeMetricFamily(
            "bookreader_dead_letters",
            "Events that failed every retry and wait in the dead-letter stream.",
            labels=["stream"],
        )
        now_ms = time.time() * 1000
        streams = {name: bus.function_stream(name) for name in self.functions}
        streams["s3-events"] = bus.object_events_stream()
        pipe = client.pipeline(transaction=False)
        for key in streams.values():
            pipe.xlen(key)
            pipe.xrange(key, count=1)
        for name in self.functions:
            pipe.xlen(bus.dead_letter_stream(name))
        replies = pipe.execute()
        for index, (name, key) in enumerate(streams.items()):
            length, first = replies[2 * index], replies[2 * index + 1]
            depth.add_metric([name], float(length))
            age = (now_ms - int(first[0][0].split("-")[0])) / 1000 if first else 0.0
            oldest.add_metric([name], max(0.0, age))
            pending.add_metric([name], float(_pending_count(client, key)))
        for index, name in enumerate(self.functions):
            dead.add_metric([name], float(replies[2 * len(streams) + index]))
        yield from (depth, pending, oldest, dead)

    def _books_and_images(self) -> Iterator[Metric]:
        with self.pool.connection() as conn:
            book_rows = conn.run("SELECT state, count(*) FROM books GROUP BY state")
            image_rows = conn.run(
                "SELECT state, provider, count(*) FROM images GROUP BY state, provider"
            )
        books = GaugeMetricFamily("bookreader_books", "Books by state.", labels=["state"])
        counts = {str(state): 0 for state in BookState} | {row[0]: row[1] for row in book_rows}
        for state, count in sorted(counts.items()):
            books.add_metric([state], float(count))
        images = GaugeMetricFamily(
            "bookreader_images",
            "Pictures by state and by the provider asked for them.",
            labels=["state", "provider"],
        )
        for state, provider, count in image_rows:
            images.add_metric([state, provider], float(count))
        yield books
        yield images


def _pending_count(client, stream: str) -> int:
    try:
        return int(client.xpending(stream, GROUP)["pending"])
    except Exception:  # no group yet (the stream was never read): nothing is in flight
        return 0
