"""Numbered SQL migrations (`NNNN_name.sql`), applied in order, each in its own transaction.

A migration that fails is rolled back whole and stops the run: the database stays as it was
before that migration. Concurrent runners serialise on an advisory lock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bookreader.db import Connection
from bookreader.errors import BookReaderError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LOCK_ID = 7_240_431  # arbitrary constant shared by every runner


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise BookReaderError("migration_invalid", f"bad migration file name: {path.name}", 500)
        migrations.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise BookReaderError("migration_invalid", "two migrations share a version number", 500)
    return migrations


def apply_migrations(conn: Connection, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply the migrations not yet in `schema_migrations`; return the versions applied."""
    conn.run(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version integer PRIMARY KEY, name text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())"
    )
    applied: list[int] = []
    for migration in load_migrations(directory):
        conn.run("BEGIN")
        try:
            conn.run("SELECT pg_advisory_xact_lock(:id)", id=_LOCK_ID)
            done = conn.run(
                "SELECT 1 FROM schema_migrations WHERE version = :v", v=migration.version
            )
            if not done:
                conn.run(migration.sql)
                conn.run(
                    "INSERT INTO schema_migrations (version, name) VALUES (:v, :n)",
                    v=migration.version,
                    n=migration.name,
                )
                applied.append(migration.version)
        except Exception as error:
            conn.run("ROLLBACK")
            raise BookReaderError(
                "migration_failed",
                f"migration {migration.version:04d}_{migration.name} failed: {error}",
                500,
            ) from error
        conn.run("COMMIT")
    return applied
