"""The supervisor: services, migrations, worker pools, event bus and gateway, started in order
and stopped in reverse."""

from __future__ import annotations

import errno
import json
import logging
import os
import secrets
import shlex
import signal
import socket
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bookreader import db, redis_conn
from bookreader.config import configure_settings
from bookreader.db.migrate import apply_migrations
from bookreader.errors import BookReaderError
from bookreader.log import configure_logging, log_event
from bookreader.storage import store_from_settings
from bookreader.storage.disk import DiskStore
from local.eventbus import EventBus
from local.gateway import Gateway, port_busy
from local.metrics import RuntimeMetrics, declare_image_series, multiprocess_dir
from local.scheduler import Scheduler
from local.services import EmbeddedPostgres, EmbeddedRedis
from local.settings import PROJECT_ROOT, RuntimeSettings
from local.template import FunctionSpec, Topology, load_topology
from local.workers import FunctionPool, IdleReaper, Invocation, start_fork_server

logger = logging.getLogger("local.runtime")
# Variables of this process that reach the functions, as SAM local passes credentials through.
PASSTHROUGH = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "TZ",
    "TMPDIR",
    "VIRTUAL_ENV",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
)


def load_secrets(data_dir: Path) -> dict[str, str]:
    """Per-installation secrets, generated on first start and kept in the data directory."""
    path = data_dir / "secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    for name in ("store_secret", "internal_token", "jwt_secret"):
        stored.setdefault(name, secrets.token_hex(32))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored))
    path.chmod(0o600)
    return stored


def parse_parameter_overrides(text: str, declared: set[str]) -> dict[str, str]:
    """`Name=value …` as `sam deploy --parameter-overrides` takes it; unknown names are an error."""
    overrides: dict[str, str] = {}
    for item in shlex.split(text):
        name, sep, value = item.partition("=")
        if not sep or name not in declared:
            raise BookReaderError(
                "parameter_override_invalid",
                f"LOCAL_PARAMETER_OVERRIDES: {item!r} is not Name=value for a template parameter",
                500,
            )
        overrides[name] = value
    return overrides


def read_env_overrides(path: Path | None, topology: Topology) -> dict[str, dict[str, str]]:
    """SAM's --env-vars file; overriding a variable the template does not declare is an error."""
    if path is None:
        return {}
    overrides = json.loads(path.read_text())
    result: dict[str, dict[str, str]] = {name: {} for name in topology.functions}
    problems = []
    for scope, variables in overrides.items():
        targets = list(topology.functions) if scope == "Parameters" else [scope]
        if scope != "Parameters" and scope not in topology.functions:
            problems.append(f"{scope}: no such function in the template")
            continue
        for target in targets:
            for name, value in variables.items():
                if name in topology.functions[target].environment:
                    result[target][name] = str(value)
                elif scope != "Parameters" or not any(
                    name in f.environment for f in topology.functions.values()
                ):
                    problems.append(f"{target}: {name} is not declared in the template")
    if problems:
        raise BookReaderError("env_override_undeclared", "; ".join(sorted(set(problems))), 500)
    return result


def check_port_free(host: str, port: int) -> None:
    """Fail before anything starts when the gateway's port is taken (0: any free port)."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise port_busy(host, port) from error
            raise BookReaderError(
                "host_invalid", f"cannot listen on {host}:{port}: {error.strerror}", 500
            ) from error


def build_pools(
    topology: Topology,
    parameters_file: dict[str, Any],
    settings: RuntimeSettings,
    on_worker_exit: Callable[[int], None],
) -> dict[str, FunctionPool]:
    """One pool per function: its size and how many workers stay warm from the parameters file
    (`PoolSize`, `KeepWarm`, by function or `Default`). LOCAL_POOL_SIZE replaces the default
    size; LOCAL_KEEP_WARM, when set, is every function's (0: all start on first use)."""
    sizes = parameters_file.get("PoolSize", {})
    warm = parameters_file.get("KeepWarm", {})
    idle = settings.idle_seconds if settings.idle_seconds > 0 else None
    pools = {}
    for name, spec in topology.functions.items():
        default_size = settings.pool_size or int(sizes.get("Default", 2))
        size = int(sizes.get(name, default_size))
        keep = settings.keep_warm
        if keep is None:
            keep = int(warm.get(name, warm.get("Default", 0)))
        pools[name] = FunctionPool(
            spec, size, on_worker_exit=on_worker_exit, warm=keep, idle_seconds=idle
        )
    return pools


def lambda_environment(name: str, spec: FunctionSpec) -> dict[str, str]:
    """What Lambda (and our runtime) sets for every function, before the template's own
    variables: this machine's PATH and locale, the import path, the function's name and
    limits."""
    base = {key: os.environ[key] for key in PASSTHROUGH if key in os.environ}
    return {
        **base,
        "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), str(PROJECT_ROOT / "shared")]),
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_size),
        "AWS_LAMBDA_FUNCTION_TIMEOUT": str(spec.timeout),
    }


class Runtime:
    def __init__(self, settings: RuntimeSettings) -> None:
        self.settings = settings
        self.postgres: EmbeddedPostgres | None = None
        self.redis: EmbeddedRedis | None = None
        self.pools: dict[str, FunctionPool] = {}
        self.bus: EventBus | None = None
        self.gateway: Gateway | None = None
        self.metrics: RuntimeMetrics | None = None
        self.scheduler: Scheduler | None = None
        self.reaper: IdleReaper | None = None
        self._log_lock = threading.Lock()

    def start(self) -> None:
        s = self.settings
        check_port_free(s.host, s.port)
        s.data_dir.mkdir(parents=True, exist_ok=True)
        stored = load_secrets(s.data_dir)
        s.internal_token = s.internal_token or stored["internal_token"]
        database_url = s.database_url or self._start_postgres()
        redis_url = s.redis_url or self._start_redis()

        parameters_file = json.loads(s.parameters_file.read_text())
        domain = s.shared.model_copy(
            update={
                "database_url": database_url,
                "redis_url": redis_url,
                "data_dir": s.data_dir.resolve(),
                "store_secret": stored["store_secret"],
                "public_url": s.base_url,
                "runtime": "local",
            }
        )
        provided = {
            "DatabaseUrl": database_url,
            "RedisUrl": redis_url,
            "RedisPrefix": s.redis_prefix,
            "S3EndpointUrl": s.s3_endpoint_url or "",
            "S3PublicEndpointUrl": s.s3_public_endpoint_url or "",
            "ObjectStore": domain.store_kind,
            "DataDir": str(domain.data_dir),
            "StoreSecret": stored["store_secret"],
            "PublicUrl": s.base_url,
            "LogLevel": s.log_level,
            "JwtSecret": s.jwt_secret or stored["jwt_secret"],
            "TrustedProxies": s.trusted_proxies,
            "AllowedOrigins": s.allowed_origins,
        }
        from local.template import load_yaml

        declared = set(load_yaml(s.template).get("Parameters") or {})
        chosen = parse_parameter_overrides(s.parameter_overrides, declared)
        parameters = {**parameters_file.get("Parameters", {}), **chosen, **provided}
        topology = load_topology(s.template, {k: v for k, v in parameters.items() if k in declared})
        overrides = read_env_overrides(s.env_vars_file, topology)
        metrics_dir = multiprocess_dir()
        self._wire_environment(topology, overrides, metrics_dir)

        with db.connect(database_url) as conn:
            applied = apply_migrations(conn)
        log_event(logger, "migrations applied", versions=applied)

        store = store_from_settings(domain)
        for bucket in topology.buckets.values():
            store.ensure_bucket(bucket)
        disk_store = store if isinstance(store, DiskStore) else None
        buckets = list(topology.buckets.values())

        def check_store() -> None:
            for bucket in buckets:
                store.check(bucket)

        self.metrics = RuntimeMetrics(topology.functions, metrics_dir, database_url, check_store)
        declare_image_series(metrics_dir, topology.functions)

        self.pools = build_pools(topology, parameters_file, s, self.metrics.worker_gone)
        start_fork_server()
        with ThreadPoolExecutor(max_workers=len(self.pools) or 1) as executor:
            list(executor.map(FunctionPool.start, self.pools.values()))
        self.reaper = IdleReaper(self.pools, interval=min(5.0, max(0.2, s.idle_seconds / 4)))
        if s.idle_seconds > 0:
            self.reaper.start()

        configure_settings(domain)  # the bus helpers read the shared settings
        self.bus = EventBus(
            redis_conn.redis_client(),
            topology.functions,
            self.pools,
            self._report_event,
            retry_base_ms=s.retry_base_ms,
            visibility_timeout_ms=s.visibility_timeout_ms,
        )
        self.bus.start()
        self.scheduler = Scheduler(
            redis_conn.redis_client(), topology.functions, s.schedule_interval_s
        )
        self.scheduler.start()
        self.gateway = Gateway(
            s, topology, self.pools, disk_store, self._report_http, self.metrics.exposition
        )
        self.gateway.start()
        log_event(
            logger,
            "runtime ready",
            url=f"http://{s.host}:{self.gateway.port}/",
            api=f"http://{s.host}:{self.gateway.port}/api/",
            functions=sorted(topology.functions),
            database="embedded" if self.postgres else "external",
            redis="embedded" if self.redis else "external",
            store=domain.store_kind,
        )

    def _start_postgres(self) -> str:
        self.postgres = EmbeddedPostgres(self.settings.data_dir)
        return self.postgres.start()

    def _start_redis(self) -> str:
        self.redis = EmbeddedRedis(self.settings.data_dir)
        return self.redis.start()

    def _wire_environment(
        self, topology: Topology, overrides: dict[str, dict[str, str]], metrics_dir: Path
    ) -> None:
        for name, spec in topology.functions.items():
            spec.environment = {
                **lambda_environment(name, spec),
                # prometheus_client's multiprocess mode: the runtime adds the files up.
                "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
                **spec.environment,
                **overrides.get(name, {}),
            }
            if not spec.environment.get("AWS_ACCESS_KEY_ID"):
                # boto3 needs some credentials to sign; locally any will do.
                spec.environment.update(AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local")

    def _report_http(
        self,
        spec: FunctionSpec,
        trigger: str,
        outcome: Invocation,
        status: int | None,
        error_code: str | None,
    ) -> None:
        self._report(spec, trigger, outcome, status, error_code)

    def _report_event(self, spec: FunctionSpec, trigger: str, outcome: Invocation) -> None:
        self._report(spec, trigger, outcome, None, None)

    def _report(
        self,
        spec: FunctionSpec,
        trigger: str,
        outcome: Invocation,
        status: int | None,
        error_code: str | None,
    ) -> None:
        if self.metrics is not None:
            self.metrics.record(spec.name, trigger, outcome.ok, outcome.duration_ms, status)
        line: dict[str, Any] = {
            "type": "invocation",
            "function": spec.name,
            "trigger": trigger,
            "request_id": outcome.request_id,
            "cold": outcome.cold,
            "duration_ms": round(outcome.duration_ms, 2),
            "status": status if status is not None else ("ok" if outcome.ok else "error"),
            # The answer's own code (4xx and 5xx alike), else how the invocation failed.
            "error_code": error_code or (None if outcome.ok else outcome.error_type),
        }
        text = json.dumps(line) + "\n"
        with self._log_lock:  # one whole line per invocation, even from concurrent threads
            sys.stdout.write(text)
            sys.stdout.flush()

    def stop(self) -> None:
        if self.gateway:
            self.gateway.stop()
        if self.scheduler:
            self.scheduler.stop()
        if self.bus:
            self.bus.stop()
        if self.reaper:
            self.reaper.stop()
        for pool in self.pools.values():
            pool.close()
        if self.metrics:
            self.metrics.close()
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.stop()


def run_forever(settings: RuntimeSettings, edge: bool = False) -> int:
    """`make local-up`: start everything, serve until Ctrl-C or SIGTERM, then stop it all.

    With `edge` (`make local-up-edge`), this machine's nginx runs in front, as self-hosted.
    """
    configure_logging(settings.log_level)
    start_nginx = None
    if edge:
        from local.edge import prepare_edge

        settings, start_nginx = prepare_edge(settings)
    runtime = Runtime(settings)
    stopping = threading.Event()
    nginx = None

    def on_signal(signum: int, _frame: object) -> None:
        if stopping.is_set():  # a second Ctrl-C (or SIGTERM) while stopping: out, now
            os._exit(128 + signum)
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        runtime.start()
        assert runtime.gateway is not None
        url = f"http://{settings.host}:{runtime.gateway.port}/"
        if start_nginx is not None:
            nginx = start_nginx(runtime.gateway.port)
            url = settings.base_url + "/"
        print(
            f"BookReader AI is running: open {url}  (the API is under {url}api/; Ctrl-C stops it)",
            flush=True,
        )
        stopping.wait()
        return 0
    except BookReaderError as error:
        log_event(
            logger, "runtime failed to start", logging.ERROR, code=error.code, error=error.message
        )
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    finally:
        if nginx is not None:
            nginx.stop()
        runtime.stop()
