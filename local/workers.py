"""Worker processes: each imports its function's handler once and serves one invocation at a
time, like a Lambda container. A pool per function starts workers on demand (up to its size),
stops those idle longer than its idle period (keeping `warm` of them), and drops workers that
die or hang; the next invocation starts a fresh one.

Workers are forked from a fork server that has the heavy third-party libraries imported once,
so a cold start only imports the function's own code, and the libraries' pages are shared."""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from local.template import FunctionSpec

_CONTEXT = multiprocessing.get_context("forkserver")
# Imported once in the fork server. Only libraries that read no environment at import time:
# a worker's environment (and so bookreader's settings) is its function's, set after the fork.
PRELOAD = (
    "asyncio",
    "ssl",
    "json",
    "pydantic",
    "pydantic_core",
    "pydantic_settings",
    "chalice",
    "redis",
    "redis.asyncio",
    "pg8000.native",
    "jwt",
    "cryptography.hazmat.primitives.asymmetric.ec",
    "lxml.etree",
    "yaml",
    "prometheus_client",
)


def start_fork_server() -> None:
    """Start the fork server now (part of the runtime's start-up, not of a first request)."""
    _CONTEXT.set_forkserver_preload([name for name in PRELOAD if _importable(name)])
    from multiprocessing import forkserver

    forkserver.ensure_running()


def _importable(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


@dataclass
class Invocation:
    """The outcome of one invocation, as the gateway and the event bus see it."""

    ok: bool
    result: Any = None
    error_type: str | None = None  # "Handler", "Timeout", "WorkerLost", or the exception type
    error_message: str | None = None
    cold: bool = False
    duration_ms: float = 0.0
    request_id: str = ""


class LambdaContext:
    """The attributes a handler may read from Lambda's context object."""

    def __init__(self, spec: dict[str, Any], request_id: str, deadline: float) -> None:
        self.function_name = spec["name"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{spec['name']}"
        self.memory_limit_in_mb = spec["memory_size"]
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{spec['name']}"
        self.log_stream_name = "local"
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def _die_with_parent() -> None:
    """A runtime killed with SIGKILL cannot stop its workers: a worker whose parent is gone
    exits, so no orphan goes on running an invocation that the restarted runtime delivers
    again. (Not PR_SET_PDEATHSIG: it fires when the parent's *thread* ends, and pools start
    workers from short-lived threads.)"""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def worker_main(conn: Connection, spec: dict[str, Any]) -> None:
    """Entry point of a worker process: import the handler, then serve invocations forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the supervisor decides when workers stop
    _die_with_parent()
    os.environ.clear()  # the function's own environment, as Lambda gives it
    os.environ.update(spec["environment"])
    _use_multiprocess_metrics()
    for path in reversed([spec["code_uri"], *spec["layer_paths"]]):
        sys.path.insert(0, path)
    module_name, _, attribute = spec["handler"].rpartition(".")
    try:
        handler = getattr(importlib.import_module(module_name), attribute)
    except Exception:
        # One JSON line like every other, the traceback inside it.
        print(
            json.dumps(
                {
                    "level": "error",
                    "function": spec["name"],
                    "message": "handler import failed",
                    "exception": traceback.format_exc(),
                }
            ),
            file=sys.stderr,
            flush=True,
        )
        conn.send(("import_failed", traceback.format_exc(limit=3)))
        return
    conn.send(("ready", os.getpid()))
    cold = True
    while True:
        try:
            request_id, event, deadline = conn.recv()
        except (EOFError, OSError):
            return
        started = time.perf_counter()
        try:
            result = handler(event, LambdaContext(spec, request_id, deadline))
            json.dumps(result)  # Lambda serialises the result; fail the same way it would
            reply: tuple[Any, ...] = ("ok", result, None, None)
        except Exception as error:
            print(
                json.dumps(
                    {
                        "level": "error",
                        "function": spec["name"],
                        "request_id": request_id,
                        "message": "handler raised",
                        "exception": traceback.format_exc(),
                    }
                ),
                file=sys.stderr,
                flush=True,
            )
            reply = ("error", None, type(error).__name__, str(error))
        duration = (time.perf_counter() - started) * 1000
        conn.send((*reply, cold, duration))
        cold = False


def _use_multiprocess_metrics() -> None:
    """prometheus_client picks its value store at import, in the fork server, before the
    worker's PROMETHEUS_MULTIPROC_DIR was set: pick again (no metric exists yet)."""
    if "prometheus_client" in sys.modules:
        from prometheus_client import values

        values.ValueClass = values.get_value_class()


class Worker:
    def __init__(self, spec: FunctionSpec) -> None:
        parent, child = _CONTEXT.Pipe()
        self.conn = parent
        self.process = _CONTEXT.Process(
            target=worker_main,
            args=(child, _spec_payload(spec)),
            daemon=True,
            name=f"fn-{spec.name}",
        )
        self.process.start()
        child.close()
        self.pid: int | None = None
        self.last_used = time.monotonic()

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            raise RuntimeError("worker did not start in time")
        status, detail = self.conn.recv()
        if status != "ready":
            raise RuntimeError(f"handler import failed:\n{detail}")
        self.pid = detail

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _spec_payload(spec: FunctionSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "handler": spec.handler,
        "code_uri": str(spec.code_uri),
        "layer_paths": [str(path) for path in spec.layer_paths],
        "environment": spec.environment,
        "memory_size": spec.memory_size,
    }


class FunctionPool:
    """Up to `size` workers for one function, started on first use; `invoke` borrows one for a
    single invocation. `reap_idle` stops workers unused for `idle_seconds`, keeping `warm`."""

    def __init__(
        self,
        spec: FunctionSpec,
        size: int,
        start_timeout: float = 60.0,
        on_worker_exit: Callable[[int], None] | None = None,
        warm: int = 0,
        idle_seconds: float | None = None,
    ) -> None:
        self.spec = spec
        self.size = size
        self.start_timeout = start_timeout
        self.on_worker_exit = on_worker_exit  # e.g. metrics: drop a dead worker's gauges
        self.warm = min(warm, size)
        self.idle_seconds = idle_seconds  # None: never stop a worker for being idle
        self._free: list[Worker] = []  # last used at the end: reuse it, let the others idle out
        self._all: set[Worker] = set()
        self._starting = 0
        self._changed = threading.Condition()
        self._closed = False

    def start(self) -> None:
        """Start the workers kept warm (none for a pool that starts on first use)."""
        workers = [Worker(self.spec) for _ in range(self.warm)]
        for worker in workers:
            worker.wait_ready(self.start_timeout)
            self._adopt(worker)

    def _adopt(self, worker: Worker) -> None:
        with self._changed:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
            self._free.append(worker)
            self._changed.notify()

    def _retire(self, worker: Worker) -> None:
        """Kill `worker`; keep the warm ones warm by starting a successor in the background."""
        with self._changed:
            self._all.discard(worker)
            self._changed.notify()
            refill = not self._closed and len(self._all) + self._starting < self.warm
            if refill:
                self._starting += 1
        self._kill(worker)
        if refill:
            threading.Thread(target=self._start_successor, daemon=True).start()

    def _start_successor(self) -> None:
        while not self._closed:
            try:
                successor = Worker(self.spec)
                successor.wait_ready(self.start_timeout)
            except Exception as error:  # keep trying: the warm pool must not shrink for good
                print(f"worker for {self.spec.name} failed to start: {error}", file=sys.stderr)
                time.sleep(1)
                continue
            with self._changed:
                self._starting -= 1
            self._adopt(successor)
            return
        with self._changed:
            self._starting -= 1

    def _acquire(self, deadline: float | None) -> Worker | None:
        """A free worker, or a new one while the pool is below its size; None at `deadline`.

        Raises RuntimeError when a new worker fails to start (its import failed)."""
        with self._changed:
            while True:
                if self._closed:
                    return None
                if self._free:
                    return self._free.pop()
                if len(self._all) + self._starting < self.size:
                    self._starting += 1
                    break
                remaining = None if deadline is None else deadline - time.time()
                if remaining is not None and remaining <= 0:
                    return None
                self._changed.wait(remaining)
        worker: Worker | None = None
        try:
            worker = Worker(self.spec)
            worker.wait_ready(self.start_timeout)
        except Exception:
            if worker is not None:
                worker.kill()
            raise
        finally:
            with self._changed:
                self._starting -= 1
                self._changed.notify()
        with self._changed:
            if self._closed:
                worker.kill()
                return None
            self._all.add(worker)
        return worker

    def _release(self, worker: Worker) -> None:
        worker.last_used = time.monotonic()
        with self._changed:
            if worker in self._all:
                self._free.append(worker)
                self._changed.notify()

    def reap_idle(self) -> int:
        """Stop the workers idle for `idle_seconds` or more, down to `warm`; how many stopped."""
        if self.idle_seconds is None:
            return 0
        cutoff = time.monotonic() - self.idle_seconds
        with self._changed:
            victims: list[Any] = []
            for worker in list(self._free):  # least recently used first
                if len(self._all) - len(victims) <= self.warm:
                    break
                if worker.last_used <= cutoff:
                    victims.append(worker)
                    self._free.remove(worker)
            for worker in victims:
                self._all.discard(worker)
            if victims:
                self._changed.notify_all()
        for worker in victims:
            self._kill(worker)
        return len(victims)

    def pids(self) -> list[int]:
        with self._changed:
            return [worker.pid for worker in self._all if worker.pid]

    def invoke(self, event: dict[str, Any], caller_timeout: float | None = None) -> Invocation:
        """Run one invocation within the function's own Timeout.

        `caller_timeout` bounds the wait for a free worker plus the run (API Gateway's 29 s);
        hitting it gives error_type "IntegrationTimeout", the function's Timeout "Timeout".
        A worker that cannot start (its import fails) gives "WorkerStartFailed".
        """
        request_id = str(uuid.uuid4())
        caller_deadline = time.time() + caller_timeout if caller_timeout else None
        try:
            worker = self._acquire(caller_deadline)
        except RuntimeError as error:
            return Invocation(
                False,
                error_type="WorkerStartFailed",
                error_message=str(error),
                cold=True,
                request_id=request_id,
            )
        if worker is None:
            return Invocation(
                False,
                error_type="IntegrationTimeout",
                error_message="no worker became free",
                request_id=request_id,
            )
        run_deadline = time.time() + self.spec.timeout
        caller_first = caller_deadline is not None and caller_deadline < run_deadline
        deadline = caller_deadline if caller_deadline is not None and caller_first else run_deadline
        try:
            worker.conn.send((request_id, event, run_deadline))
            if not worker.conn.poll(max(0.0, deadline - time.time())):
                self._retire(worker)
                if caller_first:
                    return Invocation(
                        False,
                        error_type="IntegrationTimeout",
                        error_message="the integration timed out",
                        request_id=request_id,
                    )
                return Invocation(
                    False,
                    error_type="Timeout",
                    error_message=f"Task timed out after {self.spec.timeout} seconds",
                    duration_ms=self.spec.timeout * 1000,
                    request_id=request_id,
                )
            status, result, error_type, error_message, cold, duration = worker.conn.recv()
        except (EOFError, OSError):
            self._retire(worker)
            return Invocation(
                False,
                error_type="WorkerLost",
                error_message="the worker process exited",
                request_id=request_id,
            )
        self._release(worker)
        return Invocation(
            ok=status == "ok",
            result=result,
            error_type=error_type,
            error_message=error_message,
            cold=cold,
            duration_ms=duration,
            request_id=request_id,
        )

    def close(self) -> None:
        with self._changed:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._free.clear()
            self._changed.notify_all()
        for worker in workers:
            self._kill(worker)

    def _kill(self, worker: Worker) -> None:
        worker.kill()
        if worker.pid and self.on_worker_exit is not None:
            self.on_worker_exit(worker.pid)


class IdleReaper:
    """Every few seconds, stops the workers of every pool that have been idle too long."""

    def __init__(self, pools: dict[str, FunctionPool], interval: float) -> None:
        self.pools = pools
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="idle-reaper")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for pool in self.pools.values():
                try:
                    pool.reap_idle()
                except Exception as error:  # one pool's trouble must not stop the others'
                    print(f"idle reaper: {pool.spec.name}: {error}", file=sys.stderr)
