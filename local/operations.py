"""`python -m local backup | restore`: the deployment the runtime would serve, opened for a
backup or a restore (embedded PostgreSQL started on the data directory when DATABASE_URL is
unset, the store chosen as the runtime chooses it, the buckets named by the template)."""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import redis

from bookreader.config import Settings
from bookreader.errors import BookReaderError
from bookreader.ops.backup import Deployment, create_backup, prune_backups
from bookreader.ops.restore import restore_backup
from bookreader.storage import store_from_settings
from bookreader.storage.disk import DiskStore
from local.services import EmbeddedPostgres, EmbeddedRedis
from local.settings import PROJECT_ROOT, RuntimeSettings
from local.template import Resolver, load_yaml

# Values only so the template resolves; a bucket's name does not depend on them.
_PLACEHOLDERS = {"DatabaseUrl": "postgresql://x", "RedisUrl": "redis://x", "JwtSecret": "x" * 32}


def app_version() -> str:
    with (PROJECT_ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def template_buckets(template: Path) -> dict[str, str]:
    """The template's buckets: logical id → name, as the runtime resolves them."""
    document = load_yaml(template)
    resolver = Resolver(document, _PLACEHOLDERS)
    return {
        name: str(resolver.ref(name))
        for name, resource in (document.get("Resources") or {}).items()
        if resource["Type"] == "AWS::S3::Bucket"
    }


@contextmanager
def open_deployment(settings: RuntimeSettings) -> Iterator[Deployment]:
    from local.runtime import load_secrets

    embedded = None
    embedded_redis = None
    database_url = settings.database_url
    stored = load_secrets(settings.data_dir)
    if not database_url:
        embedded = EmbeddedPostgres(settings.data_dir)
        database_url = embedded.start()
    redis_url = settings.redis_url
    if not redis_url:  # joins the runtime's embedded Redis when it runs, else starts it
        embedded_redis = EmbeddedRedis(settings.data_dir)
        redis_url = embedded_redis.start()
    try:
        domain = Settings(
            DATABASE_URL=database_url,
            S3_ENDPOINT_URL=settings.s3_endpoint_url,
            DATA_DIR=str(settings.data_dir.resolve()),
            STORE_SECRET=stored["store_secret"],
            PUBLIC_URL=settings.base_url,
            BOOKREADER_RUNTIME="local",
        )
        store = store_from_settings(domain)
        if isinstance(store, DiskStore):
            store.notify = False  # a restore must not look like fresh uploads
        yield Deployment(
            database_url=database_url,
            store=store,
            buckets=template_buckets(settings.template),
            # The data directory's secrets travel with it when the runtime generated them.
            secrets_file=settings.data_dir / "secrets.json",
            redis=redis.Redis.from_url(redis_url, decode_responses=True),
            redis_prefix=settings.redis_prefix,
        )
    finally:
        if embedded_redis is not None:
            embedded_redis.stop()
        if embedded is not None:
            embedded.stop()


def run_backup(settings: RuntimeSettings, directory: Path, keep: int | None) -> int:
    try:
        with open_deployment(settings) as deployment:
            path, manifest = create_backup(deployment, directory, app_version())
        pruned = prune_backups(directory, keep) if keep else []
    except BookReaderError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    except OSError as error:  # the backup directory unwritable, the disk full
        print(f"error: {error}", file=sys.stderr)
        return 1
    summary = {
        "archive": str(path),
        "bytes": path.stat().st_size,
        "migration_level": manifest.migration_level,
        "rows": sum(manifest.tables.values()),
        "objects": len(manifest.objects),
        "object_bytes": manifest.object_bytes,
        "secrets": manifest.secrets is not None,
        "vanished": manifest.vanished,
        "pruned": [p.name for p in pruned],
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def run_restore(settings: RuntimeSettings, archive: Path, force: bool) -> int:
    if not archive.is_file():
        print(f"error: no archive at {archive}", file=sys.stderr)
        return 2
    try:
        with open_deployment(settings) as deployment:
            report = restore_backup(deployment, archive, force=force)
    except BookReaderError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    print(json.dumps(asdict(report), ensure_ascii=False))
    return 0
