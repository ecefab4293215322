"""Warm worker processes: each imports its function's handler once and serves one invocation
at a time, like a Lambda container. A pool per function replaces workers that die or hang."""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import queue
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

_SPAWN = multiprocessing.get_context("spawn")


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
    os.environ.clear()
    os.environ.update(spec["environment"])
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


class Worker:
    def __init__(self, spec: FunctionSpec) -> None:
        parent, child = _SPAWN.Pipe()
        self.conn = parent
        self.process = _SPAWN.Process(
            target=worker_main,
            args=(child, _spec_payload(spec)),
            daemon=True,
            name=f"fn-{spec.name}",
        )
        self.process.start()
        child.close()
        self.pid: int | None = None

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
    """`size` warm workers for one function; `invoke` borrows one for a single invocation."""

    def __init__(
        self,
        spec: FunctionSpec,
        size: int,
        start_timeout: float = 60.0,
        on_worker_exit: Callable[[int], None] | None = None,
    ) -> None:
        self.spec = spec
        self.size = size
        self.start_timeout = start_timeout
        self.on_worker_exit = on_worker_exit  # e.g. metrics: drop a dead worker's gauges
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        workers = [Worker(self.spec) for _ in range(self.size)]
        for worker in workers:
            worker.wait_ready(self.start_timeout)
            self._adopt(worker)

    def _adopt(self, worker: Worker) -> None:
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        """Kill `worker` and start its successor in the background."""
        with self._lock:
            self._all.discard(worker)
        self._kill(worker)

        def start_successor() -> None:
            while not self._closed:
                try:
                    successor = Worker(self.spec)
                    successor.wait_ready(self.start_timeout)
                    self._adopt(successor)
                    return
                except Exception as error:  # keep trying: the pool must not shrink for good
                    print(f"worker for {self.spec.name} failed to start: {error}", file=sys.stderr)
                    time.sleep(1)

        threading.Thread(target=start_successor, daemon=True).start()

    def pids(self) -> list[int]:
        with self._lock:
            return [worker.pid for worker in self._all if worker.pid]

    def invoke(self, event: dict[str, Any], caller_timeout: float | None = None) -> Invocation:
        """Run one invocation within the function's own Timeout.

        `caller_timeout` bounds the wait for a free worker plus the run (API Gateway's 29 s);
        hitting it gives error_type "IntegrationTimeout", the function's Timeout "Timeout".
        """
        request_id = str(uuid.uuid4())
        caller_deadline = time.time() + caller_timeout if caller_timeout else None
        try:
            worker = self._idle.get(timeout=caller_timeout)
        except queue.Empty:
            return Invocation(
                False,
                error_type="IntegrationTimeout",
                error_message="no worker became free",
                request_id=request_id,
            )
        run_deadline = time.time() + self.spec.timeout
        caller_first = caller_deadline is not None and caller_deadline < run_deadline
        deadline = caller_deadline if caller_first else run_deadline
        try:
            worker.conn.send((request_id, event, run_deadline))
            if not worker.conn.poll(max(0.0, deadline - time.time())):
                self._replace(worker)
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
            self._replace(worker)
            return Invocation(
                False,
                error_type="WorkerLost",
                error_message="the worker process exited",
                request_id=request_id,
            )
        self._idle.put(worker)
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
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            self._kill(worker)

    def _kill(self, worker: Worker) -> None:
        worker.kill()
        if worker.pid and self.on_worker_exit is not None:
            self.on_worker_exit(worker.pid)
