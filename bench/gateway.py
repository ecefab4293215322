"""Gateway overhead: the trivial function (EchoFunction, GET /items/static) through the runtime's
HTTP gateway, with 1 and with 50 keep-alive clients, against calling its handler in-process.

Overhead is the gateway's client-side latency minus the in-process handler time (its median).
"""

from __future__ import annotations

import importlib.util
import json
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import requests

from bench.stats import summary
from local.apigw import HttpRequest, build_event, parse_response
from local.routing import Match
from local.settings import PROJECT_ROOT

ECHO_HANDLER = PROJECT_ROOT / "tests" / "fixtures" / "runtime" / "functions" / "echo" / "handler.py"
PATH = "/items/static"
BINARY_MEDIA_TYPES = ["application/octet-stream", "image/*"]  # as the fixture template declares


def run(
    url: str,
    *,
    warmup: int = 300,
    sequential: int = 1000,
    clients: int = 50,
    per_client: int = 60,
    in_process_calls: int = 5000,
) -> dict[str, Any]:
    """Latencies and throughput through the gateway, the in-process baseline and the overhead."""
    target = url + PATH
    _load(target, clients=1, per_client=warmup)
    _load(target, clients=clients, per_client=5)
    results = {
        "in_process": in_process(in_process_calls),
        "clients_1": _load(target, clients=1, per_client=sequential),
        "concurrent": _load(target, clients=clients, per_client=per_client),
    }
    base = results["in_process"]["p50"]
    for name in ("clients_1", "concurrent"):
        latency = results[name]["latency"]
        results[name]["overhead_p50"] = latency["p50"] - base
        results[name]["overhead_p99"] = latency["p99"] - base
        results[name]["ratio_p50"] = latency["p50"] / base
        results[name]["ratio_p99"] = latency["p99"] / base
    return results


def _load(target: str, *, clients: int, per_client: int) -> dict[str, Any]:
    """`clients` threads, each with its own keep-alive Session, `per_client` GETs each."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start = threading.Barrier(clients + 1)
    finished = [0.0] * clients

    def client(index: int) -> None:
        with requests.Session() as session:
            session.get(target, timeout=30).raise_for_status()  # opens the connection
            start.wait()
            for _ in range(per_client):
                began = time.perf_counter()
                response = session.get(target, timeout=30)
                _ = response.content
                latencies[index].append((time.perf_counter() - began) * 1000)
                errors[index] += response.status_code != 200
            finished[index] = time.perf_counter()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = max(finished) - began
    flat = [value for values in latencies for value in values]
    return {
        "clients": clients,
        "requests": len(flat),
        "errors": sum(errors),
        "seconds": wall,
        "rps": len(flat) / wall,
        "latency": summary(flat),
    }


def in_process(calls: int) -> dict[str, float]:
    """The echo handler called directly with the event the gateway would build, per call ms."""
    handle = _echo_handler()
    request = HttpRequest(
        method="GET",
        path=PATH,
        query="",
        headers=[
            ("Host", "127.0.0.1:8000"),
            ("User-Agent", f"python-requests/{requests.__version__}"),
            ("Accept-Encoding", "gzip, deflate"),
            ("Accept", "*/*"),
            ("Connection", "keep-alive"),
        ],
        body=b"",
        source_ip="127.0.0.1",
    )
    event = build_event(request, Match(PATH, {}, {}), BINARY_MEDIA_TYPES, "bench")
    if parse_response(handle(event, None)).status != 200:
        raise RuntimeError("the echo handler did not answer 200 in-process")
    for _ in range(min(calls, 500)):  # warm-up
        handle(event, None)
    timings = []
    for _ in range(calls):
        began = time.perf_counter()
        handle(event, None)
        timings.append((time.perf_counter() - began) * 1000)
    return summary(timings)


def _echo_handler() -> Callable[[dict[str, Any], Any], Any]:
    spec = importlib.util.spec_from_file_location("bench_echo_handler", ECHO_HANDLER)
    assert spec is not None and spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.handle


def worker_durations(runtime_log: str, function: str = "EchoFunction") -> dict[str, float] | None:
    """The handler time the workers themselves measured (the runtime's invocation log lines)."""
    durations = []
    for line in runtime_log.splitlines():
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("type") == "invocation" and entry.get("function") == function:
            durations.append(float(entry["duration_ms"]))
    return summary(durations) if durations else None
