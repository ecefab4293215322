"""`make backup`: the whole deployment in one tar archive, taken while it serves.

The archive holds, in this order:
- `database.dump` — `pg_dump --format=custom` of one consistent snapshot;
- `objects/<bucket logical id>/<key>` — every object of the store, streamed (never whole in
  memory);
- `secrets.json` — the local data directory's generated secrets, when there is one;
- `redis.json` — the few Redis keys that are state, not traffic: today's image-quota counters
  and the access-token denylist, with their remaining lifetimes (in-flight events and rate
  limits are not kept);
- `manifest.json` — app version, migration level, row counts per table (of the same snapshot),
  each member's size and sha256, then `manifest.json.sha256`.

Consistency: the database snapshot is taken first (pg_dump runs inside a transaction whose
snapshot we export), then the objects are copied. An object written after the snapshot is
in the archive but referenced by no row of the dump (the sweeper removes it after a
restore). An object deleted between the snapshot and its copy — its row was deleted after the
snapshot (a book or picture deleted meanwhile) — cannot be copied: its key is listed under
`vanished` in the manifest, and after a restore that row points at nothing, exactly like the
deletion the user had asked for, half done.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel, computed_field

from bookreader import db
from bookreader.errors import BookReaderError
from bookreader.log import log_event
from bookreader.ops import pgtools
from bookreader.ops.references import expected_keys
from bookreader.storage import ObjectStore

logger = logging.getLogger("bookreader.backup")
FORMAT = 1
PREFIX = "bookreader-"
SUFFIX = ".tar"
DATABASE_MEMBER = "database.dump"
SECRETS_MEMBER = "secrets.json"
REDIS_MEMBER = "redis.json"
# Redis keys (below the deployment's prefix) that a restore must bring back.
REDIS_STATE = ("image-quota:*", "auth:deny:*", "auth:cutoff:*")
MANIFEST_MEMBER = "manifest.json"
MANIFEST_SUM_MEMBER = "manifest.json.sha256"
OBJECTS_DIR = "objects"
CHUNK = 1024 * 1024


@dataclass
class Deployment:
    """What a backup reads and a restore writes."""

    database_url: str
    store: ObjectStore
    buckets: dict[str, str]  # the template's logical id → the bucket's name here
    secrets_file: Path | None = None  # a local data directory's secrets.json
    redis: Any = None  # a redis.Redis (decode_responses=True), when the state there is kept
    redis_prefix: str = "br"


class FileEntry(BaseModel):
    name: str
    size: int
    sha256: str


class ObjectEntry(BaseModel):
    bucket: str  # the template's logical id, so a restore finds the bucket by its role
    key: str
    size: int
    sha256: str
    content_type: str

    @property
    def member(self) -> str:
        return f"{OBJECTS_DIR}/{self.bucket}/{self.key}"


class Manifest(BaseModel):
    format: int = FORMAT
    app_version: str
    created_at: datetime
    migration_level: int
    postgres_version: int  # the server's major version
    pg_dump_version: int  # the dump's format follows its pg_dump: pg_restore must be as new
    database: FileEntry
    secrets: FileEntry | None = None
    redis: FileEntry | None = None
    tables: dict[str, int]
    objects: list[ObjectEntry]
    vanished: list[str]  # referenced by the dump, deleted before they could be copied

    @computed_field  # type: ignore[prop-decorator]
    @property
    def object_count(self) -> int:
        return len(self.objects)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def object_bytes(self) -> int:
        return sum(item.size for item in self.objects)


class HashingReader(io.RawIOBase):
    """Reads through, counting the bytes and their sha256."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


def archive_name(now: datetime) -> str:
    return f"{PREFIX}{now.strftime('%Y%m%dT%H%M%SZ')}{SUFFIX}"


def create_backup(
    deployment: Deployment, directory: Path, app_version: str, now: datetime | None = None
) -> tuple[Path, Manifest]:
    """Write one archive of the deployment into `directory`; its path and manifest."""
    started = time.monotonic()
    now = now or datetime.now(UTC)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / archive_name(now)
    partial = final.with_name(final.name + ".partial")
    with tempfile.TemporaryDirectory(dir=directory, prefix=".dump-") as scratch:
        dump_path = Path(scratch) / DATABASE_MEMBER
        with db.connect(deployment.database_url) as conn:
            # The snapshot every part of the database side is read from: counts, references,
            # and pg_dump itself (--snapshot), so they agree with each other exactly.
            conn.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = conn.run("SELECT pg_export_snapshot()")[0][0]
            version_num = int(conn.run("SHOW server_version_num")[0][0])
            level = _migration_level(conn)
            tables = _row_counts(conn)
            referenced = expected_keys(conn)
            dumper = _pg_dump(deployment.database_url, snapshot, version_num, dump_path)
            conn.run("COMMIT")
        try:
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                database = _add_file(tar, dump_path, DATABASE_MEMBER)
                objects, vanished = _add_objects(tar, deployment, referenced)
                secrets = None
                if deployment.secrets_file and deployment.secrets_file.exists():
                    secrets = _add_file(tar, deployment.secrets_file, SECRETS_MEMBER)
                redis_state = None
                if deployment.redis is not None:
                    state = json.dumps(redis_keys(deployment)).encode()
                    redis_state = _add_bytes(tar, REDIS_MEMBER, state)
                manifest = Manifest(
                    app_version=app_version,
                    created_at=now,
                    migration_level=level,
                    postgres_version=pgtools.server_major(version_num),
                    pg_dump_version=pgtools.tool_major(dumper) or 0,
                    database=database,
                    secrets=secrets,
                    redis=redis_state,
                    tables=tables,
                    objects=objects,
                    vanished=sorted(vanished),
                )
                text = manifest.model_dump_json(indent=1).encode()
                _add_bytes(tar, MANIFEST_MEMBER, text)
                _add_bytes(tar, MANIFEST_SUM_MEMBER, hashlib.sha256(text).hexdigest().encode())
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    final.chmod(0o600)  # it holds password hashes, and secrets for a local data directory
    log_event(
        logger,
        "backup written",
        path=str(final),
        bytes=final.stat().st_size,
        objects=len(manifest.objects),
        object_bytes=manifest.object_bytes,
        rows=sum(tables.values()),
        vanished=len(manifest.vanished),
        duration_ms=round((time.monotonic() - started) * 1000),
    )
    return final, manifest


def prune_backups(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives in `directory`; the deleted paths."""
    if keep < 1:
        raise BookReaderError("keep_invalid", "KEEP must be 1 or more.", 400)
    archives = sorted(directory.glob(f"{PREFIX}*{SUFFIX}"))  # names sort by time
    stale = archives[:-keep]
    for path in stale:
        path.unlink()
    return stale


def _migration_level(conn: db.Connection) -> int:
    if conn.run("SELECT to_regclass('public.schema_migrations') IS NULL")[0][0]:
        raise BookReaderError(
            "database_uninitialised",
            "The database has no BookReader schema yet (has the runtime ever started on it?).",
            409,
        )
    return int(conn.run("SELECT COALESCE(max(version), 0) FROM schema_migrations")[0][0])


def _row_counts(conn: db.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.run(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
    ]
    return {name: int(conn.run(f'SELECT count(*) FROM "{name}"')[0][0]) for name in names}


def _pg_dump(database_url: str, snapshot: str, version_num: int, target: Path) -> Path:
    """Dump the exported snapshot into `target`; the pg_dump that did it."""
    pg_dump = pgtools.find_tool("pg_dump", pgtools.server_major(version_num))
    result = subprocess.run(
        [
            str(pg_dump),
            "--format=custom",
            f"--snapshot={snapshot}",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
            f"--dbname={database_url}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BookReaderError(
            "pg_dump_failed", f"{pg_dump} failed: {result.stderr.strip()[-2000:]}", 500
        )
    return pg_dump


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o600
    return info


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> FileEntry:
    with path.open("rb") as file:
        reader = HashingReader(file)
        tar.addfile(_member(name, path.stat().st_size), reader)
    return FileEntry(name=name, size=reader.size, sha256=reader.digest.hexdigest())


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> FileEntry:
    tar.addfile(_member(name, len(data)), io.BytesIO(data))
    return FileEntry(name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def redis_keys(deployment: Deployment) -> list[dict[str, Any]]:
    """The kept Redis keys: name below the prefix, value, milliseconds left (None: forever)."""
    client, prefix = deployment.redis, deployment.redis_prefix
    kept = []
    for pattern in REDIS_STATE:
        for key in sorted(client.scan_iter(match=f"{prefix}:{pattern}", count=500)):
            value = client.get(key)
            if value is None:  # expired meanwhile
                continue
            ttl = client.pttl(key)
            kept.append(
                {"key": key[len(prefix) + 1 :], "value": value, "ttl_ms": ttl if ttl > 0 else None}
            )
    return kept


def _store_objects(deployment: Deployment) -> Iterator[tuple[str, str, str]]:
    """(logical bucket id, bucket name, key) of every object now in the store."""
    for logical, bucket in sorted(deployment.buckets.items()):
        for info in deployment.store.list(bucket):
            yield logical, bucket, info.key


def _add_objects(
    tar: tarfile.TarFile, deployment: Deployment, referenced: set[str]
) -> tuple[list[ObjectEntry], set[str]]:
    store = deployment.store
    entries: list[ObjectEntry] = []
    copied: set[str] = set()
    for logical, bucket, key in _store_objects(deployment):
        try:
            content_type = store.head(bucket, key).content_type
            stream, size = store.open(bucket, key)
        except BookReaderError as error:
            if error.code == "object_not_found":
                continue  # deleted since the listing: see the module's note
            raise
        with stream:
            reader = HashingReader(stream)
            tar.addfile(_member(f"{OBJECTS_DIR}/{logical}/{key}", size), reader)
        entries.append(
            ObjectEntry(
                bucket=logical,
                key=key,
                size=reader.size,
                sha256=reader.digest.hexdigest(),
                content_type=content_type,
            )
        )
        copied.add(key)
    return entries, referenced - copied


def read_manifest_json(text: bytes) -> Manifest:
    try:
        return Manifest.model_validate(json.loads(text))
    except ValueError as error:
        raise BookReaderError(
            "backup_corrupt", f"the archive's manifest is unreadable: {error}", 422
        ) from error
