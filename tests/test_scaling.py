"""Pools scale like Lambda: a function's worker starts on its first request or event, serves it,
stops after the idle period, and starts again on the next use; workers kept warm stay."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

from local.launcher import RunningRuntime, start_runtime
from local.metrics import fold_into_archive

TEMPLATE = Path(__file__).parent / "fixtures" / "runtime" / "template.yaml"
IDLE_SECONDS = 1  # short, so the test sees workers stop; the product's default is 300 s


def wait_for(condition: Callable[[], object], timeout: float = 60, message: str = "") -> object:
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting: {message}")


def process_running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def pids(runtime: RunningRuntime, function: str) -> list[int]:
    return runtime.status()["functions"][function]["pids"]


@pytest.fixture
def lazy_runtime(
    services, database_url: str, redis_prefix: str, record_dir: Path, tmp_path: Path
) -> Iterator[RunningRuntime]:
    env_file = tmp_path / "env.json"
    env_file.write_text(json.dumps({"Parameters": {"RECORD_DIR": str(record_dir)}}))
    runtime = start_runtime(
        tmp_path / "data",
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": services.redis_url,
            "REDIS_PREFIX": redis_prefix,
            "LOCAL_ENV_VARS": str(env_file),
            "LOCAL_IDLE_SECONDS": str(IDLE_SECONDS),
            "LOCAL_KEEP_WARM": "0",
        },
        template=TEMPLATE,
    )
    yield runtime
    runtime.stop()


def test_http_function_starts_on_first_request_and_stops_when_idle(
    lazy_runtime: RunningRuntime,
) -> None:
    rt = lazy_runtime
    assert pids(rt, "EchoFunction") == [], "nothing runs before the first request"

    first = requests.get(rt.api_url + "/items/static", timeout=60)
    assert first.status_code == 200
    assert first.json()["event"]["path"] == "/items/static"
    worker = first.json()["pid"]
    assert process_running(worker)

    wait_for(lambda: pids(rt, "EchoFunction") == [], message="the idle worker stops")
    wait_for(lambda: not process_running(worker), message="its process is gone")

    again = requests.get(rt.api_url + "/items/again", timeout=60)
    assert again.status_code == 200
    assert again.json()["event"]["pathParameters"] == {"item_id": "again"}
    assert again.json()["pid"] != worker and process_running(again.json()["pid"])
    cold = [
        json.loads(line)["cold"]
        for line in rt.log().splitlines()
        if '"type": "invocation"' in line and '"EchoFunction"' in line
    ]
    assert cold == [True, True], "each start after a stop is a cold start"

    # The metrics still add up over workers that came and went.
    page = requests.get(rt.url + "/_local/metrics", headers=rt.auth, timeout=30)
    assert page.status_code == 200
    assert 'bookreader_invocations_total{function="EchoFunction",trigger="http"} 2.0' in page.text


def test_event_function_starts_on_first_event_and_stops_when_idle(
    lazy_runtime: RunningRuntime, record_dir: Path
) -> None:
    rt = lazy_runtime
    assert pids(rt, "RecorderFunction") == []

    def notify(key: str) -> None:
        record = {
            "eventName": "ObjectCreated:Put",
            "s3": {"bucket": {"name": "fixture-000000000000"}, "object": {"key": key, "size": 4}},
        }
        response = requests.post(
            rt.url + "/_local/events/s3", json={"Records": [record]}, headers=rt.auth, timeout=10
        )
        assert response.status_code == 200, response.text

    def recorded() -> list[dict]:
        path = record_dir / "recorder.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    notify("uploads/first.epub")
    first = wait_for(recorded, message="the first event is handled")
    assert [entry["key"] for entry in first] == ["uploads/first.epub"]  # type: ignore[union-attr]
    worker = first[0]["pid"]  # type: ignore[index]

    wait_for(lambda: pids(rt, "RecorderFunction") == [], message="the idle worker stops")
    wait_for(lambda: not process_running(worker), message="its process is gone")

    notify("uploads/second.epub")
    both = wait_for(lambda: len(recorded()) == 2 and recorded(), message="the second event")
    assert [entry["key"] for entry in both] == ["uploads/first.epub", "uploads/second.epub"]  # type: ignore[union-attr]
    assert both[1]["pid"] != worker  # type: ignore[index]


def test_warm_workers_start_with_the_runtime_and_stay(
    services, database_url: str, redis_prefix: str, record_dir: Path, tmp_path: Path
) -> None:
    env_file = tmp_path / "env.json"
    env_file.write_text(json.dumps({"Parameters": {"RECORD_DIR": str(record_dir)}}))
    rt = start_runtime(
        tmp_path / "data",
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": services.redis_url,
            "REDIS_PREFIX": redis_prefix,
            "LOCAL_ENV_VARS": str(env_file),
            "LOCAL_IDLE_SECONDS": str(IDLE_SECONDS),
            "LOCAL_KEEP_WARM": "1",
            "LOCAL_POOL_SIZE": "2",  # room for a second worker (the test parameters say one)
        },
        template=TEMPLATE,
    )
    try:
        warm = pids(rt, "EchoFunction")
        assert len(warm) == 1 and process_running(warm[0]), "started with the runtime"
        # Two at once: the second request gets a second worker, which idles out; the warm stays.
        with ThreadPoolExecutor(2) as pool:
            with_two = list(
                pool.map(
                    lambda _: requests.get(rt.api_url + "/sleep?seconds=1", timeout=60), range(2)
                )
            )
        assert all(response.status_code == 200 for response in with_two)
        served_by = {response.json()["pid"] for response in with_two}
        assert len(served_by) == 2
        # The second worker idles out; one stays (whichever was used least recently goes).
        wait_for(lambda: len(pids(rt, "EchoFunction")) == 1, message="back to one warm worker")
        (kept,) = pids(rt, "EchoFunction")
        assert kept in served_by and process_running(kept)
        wait_for(
            lambda: [pid for pid in served_by if pid != kept and process_running(pid)] == [],
            message="the other worker's process is gone",
        )
        time.sleep(3 * IDLE_SECONDS)  # long past the idle period: the warm one is not stopped
        assert pids(rt, "EchoFunction") == [kept] and process_running(kept)
        assert requests.get(rt.api_url + "/items/static", timeout=60).json()["pid"] == kept
    finally:
        rt.stop()


COUNTING_WORKER = """
from prometheus_client import Counter, Histogram
calls = Counter("fixture_calls", "Calls.", ["function"])
seconds = Histogram("fixture_seconds", "Seconds.", buckets=(1, 10))
calls.labels("Echo").inc({count})
seconds.observe(0.5)
"""


def test_stopped_workers_metrics_are_kept_in_one_archive(tmp_path: Path) -> None:
    """Workers come and go: their counters still add up, their files do not pile up."""
    directory = tmp_path / "metrics"
    directory.mkdir()
    for count in (2, 3, 4):  # three worker processes, one after the other
        subprocess.run(
            [sys.executable, "-c", COUNTING_WORKER.format(count=count)],
            env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)},
            check=True,
        )
    assert len(list(directory.iterdir())) == 6  # a counter and a histogram file each

    def totals() -> dict[str, float]:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(directory))
        return {
            sample.name: sample.value
            for metric in registry.collect()
            for sample in metric.samples
            if sample.name in ("fixture_calls_total", "fixture_seconds_count")
        }

    before = totals()
    assert before == {"fixture_calls_total": 9.0, "fixture_seconds_count": 3.0}
    for pid in {int(path.stem.rsplit("_", 1)[1]) for path in directory.iterdir()}:
        fold_into_archive(directory, pid)
    assert totals() == before
    assert sorted(p.name for p in directory.iterdir()) == [
        "counter_archive.db",
        "histogram_archive.db",
    ]
