"""`make restore`: an archive of `make backup` into an empty deployment.

Nothing is written before the whole archive has been read and every member matched its size
and sha256 in the manifest, and the code knows the archive's migration level. A target that
already holds data is refused unless `force` (then its database schema and its objects are
replaced). Objects are written without store notifications, so nothing is parsed again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, cast

from bookreader import db
from bookreader.db.migrate import apply_migrations, load_migrations
from bookreader.errors import BookReaderError
from bookreader.log import log_event
from bookreader.ops import pgtools
from bookreader.ops.backup import (
    CHUNK,
    DATABASE_MEMBER,
    MANIFEST_MEMBER,
    MANIFEST_SUM_MEMBER,
    OBJECTS_DIR,
    REDIS_MEMBER,
    SECRETS_MEMBER,
    Deployment,
    Manifest,
    ObjectEntry,
    read_manifest_json,
)

logger = logging.getLogger("bookreader.restore")


@dataclass
class RestoreReport:
    archive: str
    migration_level: int
    migrations_applied: list[int]
    tables: dict[str, int]
    objects: int
    object_bytes: int
    secrets: bool
    redis_keys: int
    vanished: list[str] = field(default_factory=list)


def corrupt(message: str) -> BookReaderError:
    return BookReaderError("backup_corrupt", message, 422)


def read_manifest(archive: Path) -> Manifest:
    """The manifest, after checking it against its own checksum."""
    try:
        with tarfile.open(archive, "r:") as tar:
            text = _read_member(tar, MANIFEST_MEMBER)
            recorded = _read_member(tar, MANIFEST_SUM_MEMBER).decode(errors="replace").strip()
    except (tarfile.TarError, OSError) as error:
        raise corrupt(f"{archive.name} is not a readable archive: {error}") from error
    if hashlib.sha256(text).hexdigest() != recorded:
        raise corrupt("manifest.json does not match its checksum: the archive is damaged")
    return read_manifest_json(text)


def _read_member(tar: tarfile.TarFile, name: str) -> bytes:
    try:
        file = tar.extractfile(name)
    except KeyError:
        raise corrupt(f"the archive has no {name}") from None
    if file is None:
        raise corrupt(f"{name} in the archive is not a file")
    return file.read()


def verify_archive(archive: Path, manifest: Manifest | None = None) -> Manifest:
    """Read every member once: each must be in the manifest with its size and sha256, and
    every member the manifest names must be there. Refusals name the member."""
    manifest = manifest or read_manifest(archive)
    expected: dict[str, tuple[int, str]] = {
        manifest.database.name: (manifest.database.size, manifest.database.sha256)
    }
    if manifest.secrets is not None:
        expected[SECRETS_MEMBER] = (manifest.secrets.size, manifest.secrets.sha256)
    if manifest.redis is not None:
        expected[REDIS_MEMBER] = (manifest.redis.size, manifest.redis.sha256)
    for item in manifest.objects:
        expected[item.member] = (item.size, item.sha256)
    seen: set[str] = set()
    try:
        with tarfile.open(archive, "r|") as tar:
            for info in tar:
                if info.name in (MANIFEST_MEMBER, MANIFEST_SUM_MEMBER):
                    continue
                if info.name not in expected:
                    raise corrupt(f"{info.name} is in the archive but not in its manifest")
                size, sha256 = expected[info.name]
                file = tar.extractfile(info)
                digest = hashlib.sha256()
                read = 0
                while file is not None and (chunk := file.read(CHUNK)):
                    digest.update(chunk)
                    read += len(chunk)
                if read != size or digest.hexdigest() != sha256:
                    raise corrupt(f"{_describe(info.name)} is damaged: its checksum does not match")
                seen.add(info.name)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise corrupt(f"{archive.name} is damaged and cannot be read: {error}") from error
    missing = sorted(set(expected) - seen)
    if missing:
        names = ", ".join(_describe(name) for name in missing[:5])
        raise corrupt(f"the archive is missing {len(missing)} member(s): {names}")
    return manifest


def _describe(member: str) -> str:
    if member.startswith(f"{OBJECTS_DIR}/"):
        _, bucket, key = member.split("/", 2)
        return f"object {key!r} ({bucket})"
    return member


def check_compatible(manifest: Manifest) -> None:
    code_level = max((m.version for m in load_migrations()), default=0)
    if manifest.migration_level > code_level:
        raise BookReaderError(
            "backup_too_new",
            f"The backup's database is at migration {manifest.migration_level}, newer than this"
            f" code knows ({code_level}). Restore it with BookReader AI"
            f" {manifest.app_version} or newer.",
            409,
        )


def target_contents(deployment: Deployment) -> dict[str, int]:
    """Rows per non-empty table and objects per bucket already in the target."""
    found: dict[str, int] = {}
    with db.connect(deployment.database_url) as conn:
        tables = conn.run(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            " AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'"
        )
        for (name,) in tables:
            count = int(conn.run(f'SELECT count(*) FROM "{name}"')[0][0])
            if count:
                found[f"table {name}"] = count
    for logical, bucket in deployment.buckets.items():
        try:
            count = sum(1 for _ in deployment.store.list(bucket))
        except Exception:  # a bucket that does not exist yet holds nothing
            count = 0
        if count:
            found[f"bucket {logical}"] = count
    return found


def restore_backup(deployment: Deployment, archive: Path, *, force: bool = False) -> RestoreReport:
    started = time.monotonic()
    manifest = read_manifest(archive)
    check_compatible(manifest)
    unknown = {item.bucket for item in manifest.objects} - set(deployment.buckets)
    if unknown:
        raise BookReaderError(
            "bucket_unknown", f"the target has no bucket for {sorted(unknown)}", 409
        )
    verify_archive(archive, manifest)
    present = target_contents(deployment)
    if present and not force:
        what = ", ".join(f"{name}: {count}" for name, count in sorted(present.items()))
        raise BookReaderError(
            "target_not_empty",
            f"The target deployment is not empty ({what}). Restore into an empty one, or"
            " replace everything in it with FORCE=1.",
            409,
        )
    with tempfile.TemporaryDirectory(prefix="bookreader-restore-") as scratch:
        dump = Path(scratch) / DATABASE_MEMBER
        with tarfile.open(archive, "r:") as tar:
            source = tar.extractfile(DATABASE_MEMBER)
            assert source is not None  # verified above
            with dump.open("wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
        _reset_database(deployment.database_url)
        _pg_restore(deployment.database_url, dump, manifest)
    with db.connect(deployment.database_url) as conn:
        applied = apply_migrations(conn)
        tables = {
            name: int(conn.run(f'SELECT count(*) FROM "{name}"')[0][0]) for name in manifest.tables
        }
    if tables != manifest.tables:
        differing = sorted(n for n in tables if tables[n] != manifest.tables[n])
        raise BookReaderError(
            "restore_incomplete", f"row counts differ after the restore in {differing}", 500
        )
    _restore_objects(deployment, archive, manifest, replace=bool(present))
    secrets = False
    if manifest.secrets is not None and deployment.secrets_file is not None:
        with tarfile.open(archive, "r:") as tar:
            data = _read_member(tar, SECRETS_MEMBER)
        deployment.secrets_file.parent.mkdir(parents=True, exist_ok=True)
        deployment.secrets_file.write_bytes(data)
        deployment.secrets_file.chmod(0o600)
        secrets = True
    redis_keys = 0
    if manifest.redis is not None and deployment.redis is not None:
        with tarfile.open(archive, "r:") as tar:
            state = json.loads(_read_member(tar, REDIS_MEMBER))
        redis_keys = _restore_redis(deployment, state, manifest)
    report = RestoreReport(
        archive=archive.name,
        migration_level=manifest.migration_level,
        migrations_applied=applied,
        tables=tables,
        objects=len(manifest.objects),
        object_bytes=manifest.object_bytes,
        secrets=secrets,
        redis_keys=redis_keys,
        vanished=manifest.vanished,
    )
    log_event(
        logger,
        "backup restored",
        archive=archive.name,
        rows=sum(tables.values()),
        objects=report.objects,
        object_bytes=report.object_bytes,
        migrations_applied=applied,
        duration_ms=round((time.monotonic() - started) * 1000),
    )
    return report


def _restore_redis(deployment: Deployment, state: list[dict], manifest: Manifest) -> int:
    """Today's quota counters and the denylist, each with what is left of its lifetime."""
    elapsed_ms = (datetime.now(UTC) - manifest.created_at).total_seconds() * 1000
    restored = 0
    for item in state:
        key = f"{deployment.redis_prefix}:{item['key']}"
        if item["ttl_ms"] is None:
            deployment.redis.set(key, item["value"])
        elif (left := int(item["ttl_ms"] - elapsed_ms)) > 0:
            deployment.redis.set(key, item["value"], px=left)
        else:
            continue  # it would have expired by now
        restored += 1
    return restored


def _reset_database(database_url: str) -> None:
    """An empty public schema: a fresh database has one; FORCE drops what was there."""
    with db.connect(database_url) as conn:
        conn.run("DROP SCHEMA IF EXISTS public CASCADE")
        conn.run("CREATE SCHEMA public")


def _pg_restore(database_url: str, dump: Path, manifest: Manifest) -> None:
    # pg_restore reads archives of its own version and older: the newest copy will do.
    pg_restore = pgtools.find_tool("pg_restore", manifest.pg_dump_version)
    result = subprocess.run(
        [
            str(pg_restore),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database_url}",
            str(dump),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BookReaderError(
            "pg_restore_failed", f"{pg_restore} failed: {result.stderr.strip()[-2000:]}", 500
        )


def _restore_objects(
    deployment: Deployment, archive: Path, manifest: Manifest, *, replace: bool
) -> None:
    store = deployment.store
    for bucket in deployment.buckets.values():
        store.ensure_bucket(bucket)
        if replace:
            for stored in list(store.list(bucket)):
                store.delete(bucket, stored.key)
    by_member: dict[str, ObjectEntry] = {item.member: item for item in manifest.objects}
    with tarfile.open(archive, "r|") as tar:
        for info in tar:
            entry = by_member.get(info.name)
            if entry is None:
                continue
            source = tar.extractfile(info)
            assert source is not None
            store.put_stream(
                deployment.buckets[entry.bucket],
                entry.key,
                cast(BinaryIO, source),
                entry.content_type,
            )
