"""The services every test runs on (PostgreSQL, Redis) and the runtimes started on them: the
production template in processes (one shared by the whole session, or one of a test's own),
its API in the test process, and the fixture template for the delivery tests."""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis

from bookreader import db
from local.launcher import RunningRuntime, start_runtime
from tests.support.inprocess import InProcessRuntime, start_inprocess

FIXTURES = Path(__file__).parents[1] / "fixtures"
RUNTIME_TEMPLATE = FIXTURES / "runtime" / "template.yaml"


# Loopback, for runtimes whose tests send X-Forwarded-For themselves.
LOOPBACK_PROXIES = "127.0.0.1/32,::1/128"


@dataclass
class Services:
    database_url: str  # the server's maintenance database
    redis_url: str
    embedded: bool
    _shared: RunningRuntime | None = field(default=None, repr=False)
    _shared_cleanup: list = field(default_factory=list, repr=False)
    _shared_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def create_database(self) -> str:
        """A new empty database on the server; its URL."""
        name = f"br_test_{uuid.uuid4().hex[:10]}"
        with db.connect(self.database_url) as conn:
            conn.run(f'CREATE DATABASE "{name}"')
        return _with_database(self.database_url, name)

    @contextmanager
    def product_runtime(self, base: Path, **env: str) -> Iterator[RunningRuntime]:
        """The production template on a database and Redis namespace of its own, removed
        afterwards; `runtime.env["DATABASE_URL"]` names the database. Starting one costs
        seconds: tests that need no settings of their own take the shared one instead
        (`shared_runtime`, the `product_runtime` fixture)."""
        database_url = self.create_database()
        prefix = f"test-{uuid.uuid4().hex[:10]}"
        runtime: RunningRuntime | None = None
        try:
            runtime = start_runtime(
                base / "data",
                {
                    "DATABASE_URL": database_url,
                    "REDIS_URL": self.redis_url,
                    "REDIS_PREFIX": prefix,
                    # The tests stand in for a proxy on loopback: each request names its own
                    # client in X-Forwarded-For, so rate limits do not bleed between tests.
                    # (The product trusts no proxy unless told to.)
                    "TRUSTED_PROXIES": LOOPBACK_PROXIES,
                    **env,
                },
            )
            yield runtime
        finally:
            if runtime is not None:
                runtime.stop()
            self.drop_database(database_url)
            self.delete_redis_keys(prefix)

    def shared_runtime(self) -> RunningRuntime:
        """The production template, started on first use and shared by every test that asks
        for it until the session ends. Tests on it use users of their own."""
        with self._shared_lock:
            if self._shared is None:
                base = Path(tempfile.mkdtemp(prefix="bookreader-test-runtime-"))
                context = self.product_runtime(base)
                self._shared = context.__enter__()
                self._shared_cleanup.append(lambda: context.__exit__(None, None, None))
                self._shared_cleanup.append(lambda: shutil.rmtree(base, ignore_errors=True))
            return self._shared

    def stop_shared_runtime(self) -> None:
        for cleanup in self._shared_cleanup:
            cleanup()
        self._shared_cleanup.clear()
        self._shared = None

    @contextmanager
    def inprocess_runtime(self, base: Path, **env: str) -> Iterator[InProcessRuntime]:
        """The production template's API called in this process (tests/support/inprocess.py)
        on a database and Redis namespace of its own, removed afterwards."""
        database_url = self.create_database()
        prefix = f"test-{uuid.uuid4().hex[:10]}"
        runtime: InProcessRuntime | None = None
        try:
            runtime = start_inprocess(base / "data", database_url, self.redis_url, prefix, **env)
            yield runtime
        finally:
            if runtime is not None:
                runtime.close()
            self.drop_database(database_url)
            self.delete_redis_keys(prefix)

    def delete_redis_keys(self, prefix: str) -> None:
        client = redis.Redis.from_url(self.redis_url)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)

    def drop_database(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        with db.connect(self.database_url) as conn:
            conn.run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def launch_fixture_runtime(
    services: Services,
    database_url: str,
    redis_prefix: str,
    record_dir: Path,
    tmp_path: Path,
    overrides: dict[str, str] | None = None,
    **env: str,
) -> RunningRuntime:
    record_dir.mkdir(exist_ok=True)
    env_file = tmp_path / "env.json"
    variables = {"RECORD_DIR": str(record_dir), **(overrides or {})}
    env_file.write_text(json.dumps({"Parameters": variables}))
    return start_runtime(
        tmp_path / "data",
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": services.redis_url,
            "REDIS_PREFIX": redis_prefix,
            "LOCAL_ENV_VARS": str(env_file),
            "LOCAL_RETRY_BASE_MS": "300",
            "LOCAL_API_TIMEOUT": "3",
            "LOCAL_POOL_SIZE": "2",
            **env,
        },
        template=RUNTIME_TEMPLATE,
    )


def read_records(record_dir: Path, name: str) -> list[dict]:
    path = record_dir / name
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
