"""The product's API served inside the test process, for tests of HTTP semantics only.

Each request goes through the runtime's own Gateway routing (stage prefix, 404/405, CORS
preflight, the disk store's presigned URLs) and local/apigw's API Gateway proxy event; the
function's Chalice app is then called directly, as Chalice's own test client does. No worker
processes, no sockets, no event delivery: what a test sends with `runtime.session` reaches the
same code and the same PostgreSQL and Redis as through `make local-up`, minus the processes.

The functions see their template environment while they run (and only then), so settings
read inside the test process stay the test's own.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from bookreader import db, redis_conn
from bookreader.config import get_settings
from bookreader.db import connect
from bookreader.db.migrate import apply_migrations
from bookreader.storage import get_store, store_from_settings
from bookreader.storage.disk import DiskStore
from local.apigw import HttpRequest, HttpResponse, json_error
from local.gateway import Gateway
from local.runtime import lambda_environment
from local.settings import PROJECT_ROOT, RuntimeSettings
from local.template import FunctionSpec, Topology, load_topology
from local.workers import Invocation, LambdaContext

BASE_URL = "http://inprocess.test"
# The address requests come from: loopback, which the functions trust as a proxy by default.
SOURCE_IP = "127.0.0.1"
_ENVIRONMENT_LOCK = threading.RLock()
# Caches of values read from the environment: cleared whenever the environment changes.
_SETTINGS_CACHES: tuple[Callable[[], None], ...] = (get_settings.cache_clear, get_store.cache_clear)


@dataclass
class ProcessState:
    """What a function keeps process-wide besides settings: its database pool and its Redis
    client, each made for the URL it first saw. A runtime keeps its own and lends them to
    its functions, so neither the test's nor another runtime's are ever used."""

    pool: db.Pool | None = None
    redis: Any = None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        if self.redis is not None:
            self.redis.close()
        self.pool = self.redis = None


@contextmanager
def function_environment(
    variables: Mapping[str, str], state: ProcessState | None = None
) -> Iterator[None]:
    """os.environ is exactly `variables` inside (and the process-wide pool and Redis client
    those of `state`), and the test process's own again afterwards."""
    with _ENVIRONMENT_LOCK:
        saved = dict(os.environ)
        saved_pool, saved_redis = db._pool, redis_conn._client
        lent = state or ProcessState()
        db._pool, redis_conn._client = lent.pool, lent.redis
        os.environ.clear()
        os.environ.update(variables)
        for clear in _SETTINGS_CACHES:
            clear()
        try:
            yield
        finally:
            lent.pool, lent.redis = db._pool, redis_conn._client
            if state is None:
                lent.close()
            db._pool, redis_conn._client = saved_pool, saved_redis
            os.environ.clear()
            os.environ.update(saved)
            for clear in _SETTINGS_CACHES:
                clear()


class InProcessFunction:
    """One function's handler imported into this process; `invoke` answers like a warm worker."""

    def __init__(
        self, spec: FunctionSpec, environment: dict[str, str], state: ProcessState
    ) -> None:
        self.spec = spec
        self.environment = environment
        self.state = state
        module_name, _, attribute = spec.handler.rpartition(".")
        source = spec.code_uri / f"{module_name}.py"
        loader = importlib.util.spec_from_file_location(f"inprocess_{spec.name}", source)
        assert loader is not None and loader.loader is not None
        module = importlib.util.module_from_spec(loader)
        # Imported without the Lambda function name: an app configures the root logger at
        # import when it believes it runs inside a function, and this is the test process.
        importing = {k: v for k, v in environment.items() if k != "AWS_LAMBDA_FUNCTION_NAME"}
        with function_environment(importing, state):
            loader.loader.exec_module(module)
        self.handler = getattr(module, attribute)
        self._cold = True

    def invoke(self, event: dict[str, Any], caller_timeout: float | None = None) -> Invocation:
        request_id = str(uuid.uuid4())
        context = LambdaContext(
            {"name": self.spec.name, "memory_size": self.spec.memory_size},
            request_id,
            time.time() + self.spec.timeout,
        )
        started = time.perf_counter()
        cold, self._cold = self._cold, False
        with function_environment(self.environment, self.state):
            try:
                result = self.handler(event, context)
                json.dumps(result)  # Lambda serialises the result; fail the same way it would
            except Exception as error:
                return Invocation(
                    False,
                    error_type=type(error).__name__,
                    error_message=str(error),
                    cold=cold,
                    request_id=request_id,
                )
        duration = (time.perf_counter() - started) * 1000
        return Invocation(True, result, cold=cold, duration_ms=duration, request_id=request_id)

    def pids(self) -> list[int]:
        return [os.getpid()]

    @property
    def size(self) -> int:
        return 1


class _GatewayAdapter(BaseAdapter):
    """requests' transport for BASE_URL: the request is handed to the Gateway, no socket."""

    def __init__(self, gateway: Gateway, environment: dict[str, str], state: ProcessState) -> None:
        super().__init__()
        self.gateway = gateway
        self.environment = environment
        self.state = state

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        url = urlsplit(request.url or "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, bytes):  # a file or generator body
            body = b"".join(chunk if isinstance(chunk, bytes) else chunk.encode() for chunk in body)
        method = (request.method or "GET").upper()
        headers = list(request.headers.items())
        if body and not any(name.lower() == "content-length" for name, _ in headers):
            headers.append(("Content-Length", str(len(body))))
        http = HttpRequest(
            method=method,
            path=unquote(url.path),
            query=url.query,
            headers=headers,
            body=body,
            source_ip=SOURCE_IP,
        )
        limit = self.gateway.body_limit(url.path)
        if len(body) > limit:
            answer = json_error(413, "payload_too_large", f"the request body exceeds {limit} bytes")
        else:
            # The disk store's endpoints publish on the bus with the functions' settings.
            with function_environment(self.environment, self.state):
                answer = self.gateway.handle(http, url.path)
        return _to_requests(answer, request, head=method == "HEAD")

    def close(self) -> None:
        pass


def _to_requests(
    answer: HttpResponse, request: requests.PreparedRequest, head: bool
) -> requests.Response:
    response = requests.Response()
    response.status_code = answer.status
    headers: CaseInsensitiveDict[str] = CaseInsensitiveDict()
    for name, value in answer.headers:
        if name.lower() in headers:  # several Set-Cookie: joined as urllib3 would
            headers[name] = f"{headers[name]}, {value}"
        else:
            headers[name] = value
    body = b"" if head else answer.body
    headers["Content-Length"] = str(len(answer.body))
    response.headers = headers
    response.raw = io.BytesIO(body)
    response._content = body
    response.encoding = requests.utils.get_encoding_from_headers(headers)
    response.url = request.url or ""
    response.request = request
    response.reason = ""
    return response


@dataclass
class InProcessRuntime:
    """Looks like a RunningRuntime to the tests (url, api_url, env, data_dir, auth), but its
    requests must go through `session` (or `request`): nothing listens on `url`."""

    url: str
    token: str
    data_dir: Path
    env: dict[str, str]
    gateway: Gateway
    session: requests.Session
    state: ProcessState
    functions: dict[str, InProcessFunction] = field(default_factory=dict)

    def close(self) -> None:
        self.session.close()
        with _ENVIRONMENT_LOCK:
            self.state.close()

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, url, **kwargs)

    def status(self) -> dict:
        return self.request("GET", f"{self.url}/_local/status", headers=self.auth).json()


def _wired_topology(
    template: Path, parameters: dict[str, str], extra_environment: dict[str, str]
) -> Topology:
    """The template as the runtime loads it, each function's environment as a worker gets it."""
    topology = load_topology(template, parameters)
    for name, spec in topology.functions.items():
        spec.environment = {
            **lambda_environment(name, spec),
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            **spec.environment,
            **extra_environment,
        }
    return topology


def start_inprocess(
    data_dir: Path,
    database_url: str,
    redis_url: str,
    redis_prefix: str,
    template: Path = PROJECT_ROOT / "template.yaml",
    **environment: str,
) -> InProcessRuntime:
    """The production template's API functions on `database_url` (migrated here) and a Redis
    namespace; `environment` is added to every function's (as SAM's --env-vars would)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store_secret, jwt_secret, token = (secrets.token_hex(32) for _ in range(3))
    (data_dir / "secrets.json").write_text(
        json.dumps(
            {"store_secret": store_secret, "internal_token": token, "jwt_secret": jwt_secret}
        )
    )
    with connect(database_url) as conn:
        apply_migrations(conn)
    parameters_file = json.loads((PROJECT_ROOT / "local" / "parameters.json").read_text())
    parameters = {
        **parameters_file.get("Parameters", {}),
        "DatabaseUrl": database_url,
        "RedisUrl": redis_url,
        "RedisPrefix": redis_prefix,
        "ObjectStore": "disk",
        "DataDir": str(data_dir.resolve()),
        "StoreSecret": store_secret,
        "PublicUrl": BASE_URL,
        "JwtSecret": jwt_secret,
        "TrustedProxies": environment.pop("TRUSTED_PROXIES", "127.0.0.1/32,::1/128"),
        "AllowedOrigins": environment.get("ALLOWED_ORIGINS", ""),
    }
    topology = _wired_topology(template, parameters, environment)
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
        "DATA_DIR": str(data_dir),
        "JWT_SECRET": jwt_secret,
        "TRUSTED_PROXIES": parameters["TrustedProxies"],
        **environment,
    }
    state = ProcessState()
    any_spec = next(iter(topology.functions.values()))
    with function_environment(any_spec.environment, state):
        store = store_from_settings(get_settings())
        for bucket in topology.buckets.values():
            store.ensure_bucket(bucket)
    assert isinstance(store, DiskStore)
    api_functions = {route.function for route in topology.routes}
    functions = {
        name: InProcessFunction(spec, spec.environment, state)
        for name, spec in topology.functions.items()
        if name in api_functions
    }
    settings = RuntimeSettings(
        DATA_DIR=data_dir,
        PUBLIC_URL=BASE_URL,
        LOCAL_INTERNAL_TOKEN=token,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        REDIS_PREFIX=redis_prefix,
    )
    gateway = Gateway(settings, topology, functions, store, _no_report)  # type: ignore[arg-type]
    session = requests.Session()
    session.mount(BASE_URL, _GatewayAdapter(gateway, any_spec.environment, state))
    return InProcessRuntime(BASE_URL, token, data_dir, env, gateway, session, state, functions)


def _no_report(*_: Any) -> None:
    """Invocation metrics belong to the real runtime; nothing collects them here."""
