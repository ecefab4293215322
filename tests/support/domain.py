"""The functions' shared code run inside the test process: settings from the environment, a
database migrated for the test, the disk store, and the caches that read them reset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import bookreader.db
import bookreader.redis_conn
from bookreader.config import get_settings
from bookreader.db.migrate import apply_migrations
from bookreader.storage import get_store


def domain_environment(
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    redis_url: str,
    redis_prefix: str,
    data_dir: Path,
    **extra: str,
) -> Iterator[None]:
    """For a fixture to `yield from`: the settings a function would have (plus `extra`), for
    the length of the test."""
    for name, value in {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
        "OBJECT_STORE": "disk",
        "DATA_DIR": str(data_dir),
        "STORE_SECRET": "x",
        "BOOKREADER_RUNTIME": "local",
        **extra,
    }.items():
        monkeypatch.setenv(name, value)
    clear_caches(monkeypatch)
    with bookreader.db.connect(database_url) as conn:
        apply_migrations(conn)
    get_store().ensure_bucket(get_settings().books_bucket)
    yield
    if bookreader.db._pool is not None:
        bookreader.db._pool.close()
    clear_caches(monkeypatch)


def clear_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings, store, Redis client and pool are read once per process: read them again."""
    get_settings.cache_clear()
    get_store.cache_clear()
    monkeypatch.setattr(bookreader.redis_conn, "_client", None)
    monkeypatch.setattr(bookreader.db, "_pool", None)
