"""`python -m bench.footprint` (`make bench-footprint`): the memory of the running product and the
cold start of its functions, into bench/RESULTS.md.

Memory is PSS (proportional set size: a page shared by n processes counts 1/n to each), summed
over every Python process of the runtime: the supervisor, the fork server and the workers.
PostgreSQL and Redis are not counted. Measured:
- idle right after start-up (the product's own settings: pools start on first use);
- busy: a novel uploaded, parsed, extracted and illustrated while a reader browses;
- idle again once the idle period has passed;
- the cold start of an HTTP function whose workers were stopped (request latency, end to end),
  and how long the NLP (extract) worker takes to import its handler and load its models.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from bench.results import RESULTS, environment_lines, machine, write_section
from bench.services import production_runtime
from local.launcher import RunningRuntime
from local.settings import PROJECT_ROOT

WORK = Path(__file__).with_name(".work") / "footprint"
BOOK = PROJECT_ROOT / "tests" / "fixtures" / "books" / "fb2"
NOVEL = BOOK / "ru-gen-pushkin-kapitanskaya-dochka.cp1251.fb2"
IDLE_SECONDS = 8  # the runtime's idle period in this run (the product's default is 300 s)


# --- memory ------------------------------------------------------------------------------------
def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def python_processes(root: int) -> list[int]:
    """`root` and its descendants that run Python (not PostgreSQL, Redis or nginx)."""
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            if "python" in Path(f"/proc/{pid}/exe").resolve().name:
                found.append(pid)
        except OSError:
            continue
    return found


def _rollup_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass  # the process exited between the listing and the reading
    return 0


def snapshot(root: int) -> dict[str, float]:
    pids = python_processes(root)
    return {
        "processes": len(pids),
        "pss_mb": sum(_rollup_kb(pid, "Pss") for pid in pids) / 1024,
        "rss_mb": sum(_rollup_kb(pid, "Rss") for pid in pids) / 1024,
    }


def sample(root: int, seconds: float, every: float = 0.5) -> list[dict[str, float]]:
    samples, deadline = [], time.time() + seconds
    while time.time() < deadline:
        samples.append(snapshot(root))
        time.sleep(every)
    return samples


def summary(samples: list[dict[str, float]]) -> dict[str, float]:
    return {
        "processes": statistics.median(s["processes"] for s in samples),
        "pss_mb": statistics.median(s["pss_mb"] for s in samples),
        "pss_max_mb": max(s["pss_mb"] for s in samples),
        "rss_mb": statistics.median(s["rss_mb"] for s in samples),
    }


# --- the workload ------------------------------------------------------------------------------
class Reader:
    def __init__(self, runtime: RunningRuntime) -> None:
        self.url = runtime.api_url
        response = requests.post(
            f"{self.url}/auth/register",
            json={
                "email": f"bench-{uuid.uuid4().hex[:8]}@example.org",
                "password": "a long enough passphrase 42",
            },
            timeout=60,
        )
        response.raise_for_status()
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}

    def get(self, path: str) -> requests.Response:
        return requests.get(self.url + path, headers=self.headers, timeout=60)

    def upload(self, path: Path) -> str:
        data = path.read_bytes()
        started = requests.post(
            f"{self.url}/uploads",
            json={"filename": path.name, "size": len(data), "content_type": "text/xml"},
            headers=self.headers,
            timeout=60,
        )
        started.raise_for_status()
        upload = started.json()["upload"]
        requests.put(upload["url"], data=data, headers=upload["headers"], timeout=60)
        return started.json()["book"]["id"]


def busy(runtime: RunningRuntime, reader: Reader) -> tuple[list[dict[str, float]], str]:
    """Upload the novel and browse while it is parsed and extracted; samples taken meanwhile."""
    book_id = reader.upload(NOVEL)
    done = threading.Event()
    samples: list[dict[str, float]] = []

    def watch() -> None:
        while not done.is_set():
            samples.append(snapshot(runtime.process.pid))
            time.sleep(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    state, deadline = "uploading", time.time() + 600
    while state not in ("ready", "failed") and time.time() < deadline:
        reader.get("/books")
        book = reader.get(f"/books/{book_id}").json()
        state = book["state"]
        if state in ("parsed", "extracting", "ready"):
            reader.get(f"/books/{book_id}/chapters/1")
        time.sleep(0.5)
    if state == "ready":
        reader.get(f"/books/{book_id}/descriptions")
        time.sleep(2)
    done.set()
    watcher.join()
    return samples, state


def wait_stopped(runtime: RunningRuntime, function: str, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not runtime.status()["functions"][function]["pids"]:
            return
        time.sleep(0.2)
    raise RuntimeError(f"{function}'s workers did not stop")


def cold_starts(runtime: RunningRuntime, function: str, call: Any, cycles: int) -> dict[str, float]:
    """Median latency of a request to `function` when stopped, and when warm."""
    cold, warm = [], []
    for _ in range(cycles):
        wait_stopped(runtime, function)
        started = time.perf_counter()
        call().raise_for_status()
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        call().raise_for_status()
        warm.append(time.perf_counter() - started)
    return {"cold_s": statistics.median(cold), "warm_s": statistics.median(warm)}


NLP_PROBE = """
import sys, time, json
sys.path[:0] = ["functions/extract", "shared", "."]
started = time.perf_counter()
import handler
imported = time.perf_counter()
from bookreader.nlp import pipelines
pipelines.load_all()
loaded = time.perf_counter()
rss = int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) // 1024
pss = int(open("/proc/self/smaps_rollup").read().split("Pss:")[1].split()[0]) // 1024
print(json.dumps({"import_s": imported - started, "models_s": loaded - imported,
                  "rss_mb": rss, "pss_mb": pss}))
"""


def nlp_worker(runs: int) -> dict[str, float]:
    """The extract worker's cold start: its handler's import, then every NLP model it loads."""
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", NLP_PROBE],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


# --- the report --------------------------------------------------------------------------------
def run(cycles: int) -> str:
    info = machine()
    with production_runtime(WORK, LOCAL_IDLE_SECONDS=str(IDLE_SECONDS)) as (runtime, services):
        root = runtime.process.pid
        time.sleep(3)
        idle_start = summary(sample(root, 10))
        reader = Reader(runtime)
        busy_samples, state = busy(runtime, reader)
        busy_summary = summary(busy_samples)
        status = runtime.status()["functions"]
        for name in status:
            if not status[name]["warm"]:
                wait_stopped(runtime, name)
        idle_after = summary(sample(root, 10))
        colds = {
            "HealthFunction `GET /api/health`": cold_starts(
                runtime,
                "HealthFunction",
                lambda: requests.get(runtime.api_url + "/health", timeout=60),
                cycles,
            ),
            "DocsFunction `GET /api/openapi.json`": cold_starts(
                runtime,
                "DocsFunction",
                lambda: requests.get(runtime.api_url + "/openapi.json", timeout=60),
                cycles,
            ),
            "ImagesFunction `GET /api/illustrations`": cold_starts(
                runtime, "ImagesFunction", lambda: reader.get("/illustrations"), cycles
            ),
        }
        mode = services.mode
    nlp = nlp_worker(max(1, cycles // 2))

    def row(name: str, s: dict[str, float]) -> str:
        return (
            f"| {name} | {s['processes']:.0f} | {s['pss_mb']:.0f} | {s['pss_max_mb']:.0f} "
            f"| {s['rss_mb']:.0f} |"
        )

    lines = [
        "## Footprint: memory and cold starts (`make bench-footprint`)",
        "",
        *environment_lines(info, mode),
        f"- Runtime: the product template, `LOCAL_IDLE_SECONDS={IDLE_SECONDS}` for this run "
        "(default 300), `KeepWarm` from local/parameters.json; PSS and RSS summed over every "
        "Python process of the runtime (PostgreSQL and Redis not counted), sampled every 0.5 s",
        f"- Busy: one novel ({NOVEL.name}) uploaded, parsed, extracted (ended `{state}`) while "
        "its reader lists books and opens chapters",
        "",
        "| State | Python processes | PSS median (MB) | PSS max (MB) | RSS median (MB) |",
        "|---|---|---|---|---|",
        row("idle after start-up", idle_start),
        row("busy (extracting a novel)", busy_summary),
        row(f"idle again ({IDLE_SECONDS} s after the work)", idle_after),
        "",
        f"Cold start of a stopped HTTP function (request latency end to end, median of {cycles}; "
        "Auth, Library and Reading are kept warm):",
        "",
        "| Function | cold (s) | warm (s) |",
        "|---|---|---|",
        *(
            f"| {name} | {times['cold_s']:.2f} | {times['warm_s']:.3f} |"
            for name, times in colds.items()
        ),
        "",
        f"NLP (extract) worker, cold: handler import {nlp['import_s']:.2f} s, then its models "
        f"(pymorphy3, natasha, spaCy) {nlp['models_s']:.2f} s on the first book; "
        f"{nlp['pss_mb']:.0f} MB PSS ({nlp['rss_mb']:.0f} MB RSS) once loaded.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.footprint", description=__doc__)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--cycles", type=int, default=5, help="cold starts measured per function")
    args = parser.parse_args(argv)
    body = run(args.cycles)
    print(body)
    write_section("footprint", body, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
