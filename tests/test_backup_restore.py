"""`make backup` / `make restore` round trips through the real product.

A fully embedded deployment (its own PostgreSQL and Redis in its data directory, the disk store)
gets users, books in several states, descriptions, cast, illustrations (offline sketch
provider), reading positions, settings and an admin's quota through the API. It is backed up
while it serves, stopped and wiped; the archive is restored into a fresh data directory, and
(second test) into configured servers with an S3 endpoint (moto). Every API answer and every
object's bytes must be the same afterwards, and the old passwords must still sign in. Damaged
archives are refused, naming what is damaged, before anything is written.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

from local.launcher import RunningRuntime, free_port, start_runtime
from local.settings import PROJECT_ROOT
from tests.support.epub import make_epub, xhtml
from tests.support.library import wait_for_state
from tests.support.services import LOOPBACK_PROXIES

pytestmark = pytest.mark.slow

BOOKS = PROJECT_ROOT / "tests" / "fixtures" / "books"
KASHTANKA = BOOKS / "epub" / "ru-gen-chekhov-kashtanka.epub3-nav-only.epub"
WASTELAND = BOOKS / "epub" / "en-idpf-wasteland.epub3-rearnotes.epub"
ARABIC = BOOKS / "epub" / "ar-idpf-regime-anticancer.epub3-rtl.epub"
PASSWORD = "an old and long passphrase 42"
# Presigned URLs point at the runtime or the S3 endpoint, both local; a book's own links
# (a licence page's web address) are text, not something to fetch.
URL = re.compile(r"http://127\.0\.0\.1:\d+/[^\s\"'<>]*")
EMBEDDED = {"DATABASE_URL": "", "REDIS_URL": ""}  # the deployment's own, in its data directory


# --- a small client -------------------------------------------------------------------------
@dataclass
class User:
    email: str
    token: str = ""
    id: str = ""
    ip: str = field(default_factory=lambda: f"198.51.100.{uuid.uuid4().int % 250 + 1}")


def call(rt: RunningRuntime, user: User | None, method: str, path: str, **kw) -> requests.Response:
    headers = {"X-Forwarded-For": user.ip if user else "198.51.100.1", **kw.pop("headers", {})}
    if user is not None and user.token:
        headers["Authorization"] = f"Bearer {user.token}"
    return requests.request(method, rt.api_url + path, headers=headers, timeout=60, **kw)


def sign_in(rt: RunningRuntime, user: User) -> User:
    answer = call(rt, user, "POST", "/auth/login", json={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    user.token, user.id = answer.json()["access_token"], answer.json()["user"]["id"]
    return user


def register(rt: RunningRuntime, tag: str) -> User:
    user = User(f"{tag}-{uuid.uuid4().hex[:8]}@example.org")
    answer = call(
        rt, user, "POST", "/auth/register", json={"email": user.email, "password": PASSWORD}
    )
    assert answer.status_code == 201, answer.text
    user.token, user.id = answer.json()["access_token"], answer.json()["user"]["id"]
    return user


class ReaderShim:
    """What tests.test_extraction_http.wait_for_state expects of a reader."""

    def __init__(self, rt: RunningRuntime, user: User) -> None:
        self.rt, self.user = rt, user

    def request(self, method: str, path: str, **kw) -> requests.Response:
        return call(self.rt, self.user, method, path, **kw)


def upload(rt: RunningRuntime, user: User, name: str, data: bytes, put: bool = True) -> str:
    started = call(rt, user, "POST", "/uploads", json={"filename": name, "size": len(data)})
    assert started.status_code == 201, started.text
    if put:
        target = started.json()["upload"]
        sent = requests.put(target["url"], data=data, headers=target["headers"], timeout=30)
        assert sent.status_code == 200, sent.text
    return started.json()["book"]["id"]


def wait_image(rt: RunningRuntime, user: User, image_id: str) -> dict:
    deadline = time.time() + 90
    while time.time() < deadline:
        image = call(rt, user, "GET", f"/illustrations/{image_id}").json()
        if image["state"] in ("ready", "failed"):
            return image
        time.sleep(0.2)
    raise AssertionError(f"illustration {image_id} stuck in {image['state']}")


# --- what a deployment looks like from outside ----------------------------------------------
def _with_fetched_urls(value: Any) -> Any:
    """Presigned URLs differ per runtime (host, expiry, signature): compare what they serve."""
    if isinstance(value, dict):
        return {key: _with_fetched_urls(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_fetched_urls(item) for item in value]
    if isinstance(value, str) and "http://127.0.0.1:" in value:

        def digest(match: re.Match[str]) -> str:
            got = requests.get(html.unescape(match[0]), timeout=30)
            return f"<{got.status_code} sha256:{hashlib.sha256(got.content).hexdigest()}>"

        return URL.sub(digest, value)
    return value


def answers(rt: RunningRuntime, users: list[User], admin: User) -> dict[str, Any]:
    """Every answer a reader and the admin can get about the deployment, URLs resolved."""
    seen: dict[str, Any] = {}

    def get(user: User, path: str, **params: str) -> None:
        answer = call(rt, user, "GET", path, params=params)
        body: Any = answer.json() if "json" in answer.headers.get("Content-Type", "") else None
        if body is None:
            body = f"sha256:{hashlib.sha256(answer.content).hexdigest()}"
        seen[f"{user.email} {path} {sorted(params.items())}"] = (
            answer.status_code,
            _with_fetched_urls(body),
        )

    for user in users:
        get(user, "/auth/me")
        get(user, "/settings/illustrations")
        get(user, "/books", page_size="50")
        for book in call(rt, user, "GET", "/books", params={"page_size": "50"}).json()["items"]:
            book_id = book["id"]
            for path in ("", "/cast", "/position", "/cover", "/illustrations"):
                get(user, f"/books/{book_id}{path}")
            get(user, f"/books/{book_id}/descriptions", limit="200")
            detail = call(rt, user, "GET", f"/books/{book_id}").json()
            for index in range(len(detail.get("chapters") or [])):
                get(user, f"/books/{book_id}/chapters/{index}")
            gallery = call(rt, user, "GET", f"/books/{book_id}/illustrations").json()
            for item in gallery.get("items", []):
                get(user, f"/illustrations/{item['id']}")
        get(admin, f"/admin/users/{user.id}/image-quota")
    get(admin, "/admin/users", page_size="100")
    return seen


def disk_objects(data_dir: Path) -> dict[str, str]:
    """sha256 of every object of the disk store, by bucket/key."""
    root = data_dir / "objects"
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
        and ".meta" not in path.relative_to(root).parts
        and not path.name.startswith(".tmp-")
    }


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    child = {**os.environ, **env}
    for name in ("DATABASE_URL", "REDIS_URL"):
        if child.get(name) == "":
            child.pop(name)
    return subprocess.run(
        [sys.executable, "-m", "local", *args],
        cwd=PROJECT_ROOT,
        env=child,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# --- the source deployment, backed up once for the whole module ------------------------------
@dataclass
class Source:
    archive: Path
    answers: dict[str, Any]
    objects: dict[str, str]
    users: list[User]
    admin: User
    log: str
    tables: dict[str, int]


def populate(rt: RunningRuntime, data_dir: Path) -> tuple[list[User], User]:
    anna, boris = register(rt, "anna"), register(rt, "boris")
    admin = register(rt, "admin")
    promoted = cli("admin", admin.email, env={"DATA_DIR": str(data_dir), **EMBEDDED})
    assert promoted.returncode == 0, promoted.stderr
    sign_in(rt, admin)

    kashtanka = upload(rt, anna, "Каштанка.epub", KASHTANKA.read_bytes())
    arabic = upload(rt, anna, "regime.epub", ARABIC.read_bytes())
    wasteland = upload(rt, boris, "The Waste Land.epub", WASTELAND.read_bytes())
    broken = upload(rt, boris, "broken.epub", b"this is not a book at all")
    upload(rt, boris, "never-sent.epub", b"x" * 2048, put=False)  # stays uploading
    own = make_epub({"c1.xhtml": xhtml("<h1>Un</h1><p>Le vent soufflait sur la mer grise.</p>")})
    french = upload(rt, boris, "français.epub", own)

    for user, book_id, states in (
        (anna, kashtanka, ("ready",)),
        (anna, arabic, ("extraction_unsupported_language",)),
        (boris, wasteland, ("ready",)),
        (boris, broken, ("failed",)),
        (boris, french, ("ready", "extraction_unsupported_language")),
    ):
        book = wait_for_state(ReaderShim(rt, user), book_id, states)
        assert book["state"] in states, book

    items = call(rt, anna, "GET", f"/books/{kashtanka}/descriptions", params={"limit": "5"})
    descriptions = items.json()["items"]
    assert len(descriptions) >= 2, descriptions
    for item, style in zip(descriptions[:2], ("engraving", "watercolour"), strict=True):
        queued = call(
            rt, anna, "POST", f"/descriptions/{item['id']}/illustrations", json={"style": style}
        )
        assert queued.status_code == 202, queued.text
        assert wait_image(rt, anna, queued.json()["id"])["state"] == "ready"
    assert (
        call(
            rt, anna, "PUT", f"/books/{kashtanka}/position", json={"chapter": 0, "offset": 120}
        ).status_code
        == 200
    )
    assert (
        call(
            rt, boris, "PUT", f"/books/{wasteland}/position", json={"chapter": 0, "offset": 7}
        ).status_code
        == 200
    )
    changed = call(
        rt,
        anna,
        "PATCH",
        "/settings/illustrations",
        json={"chapters_ahead": 3, "style": "engraving"},
    )
    assert changed.status_code == 200, changed.text
    quota = call(rt, admin, "PUT", f"/admin/users/{boris.id}/image-quota", json={"daily_limit": 7})
    assert quota.status_code == 200, quota.text
    renamed = call(rt, boris, "PATCH", "/auth/me", json={"display_name": "Борис", "locale": "en"})
    assert renamed.status_code == 200, renamed.text
    return [anna, boris, admin], admin


def backup_while_serving(rt: RunningRuntime, data_dir: Path, target: Path, user: User) -> dict:
    """`make backup` while a reader keeps reading their library."""
    stop = threading.Event()
    statuses: list[int] = []

    def keep_reading() -> None:
        while not stop.is_set():
            statuses.append(call(rt, user, "GET", "/books").status_code)
            time.sleep(0.25)  # a reader's pace, well inside the per-user read limit

    reader = threading.Thread(target=keep_reading)
    reader.start()
    try:
        done = cli(
            "backup",
            "--dir",
            str(target),
            "--keep",
            "2",
            env={"DATA_DIR": str(data_dir), **EMBEDDED},
        )
    finally:
        stop.set()
        reader.join()
    assert done.returncode == 0, done.stderr
    assert statuses and set(statuses) == {200}, "the product kept serving during the backup"
    # The backup attached to the deployment's own PostgreSQL; leaving, it must not stop it.
    assert call(rt, user, "GET", "/auth/me").status_code == 200
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Iterator[Source]:
    base = tmp_path_factory.mktemp("backup-source")
    data_dir = base / "data"
    rt = start_runtime(data_dir, {**EMBEDDED, "TRUSTED_PROXIES": LOOPBACK_PROXIES}, wait=180)
    try:
        users, admin = populate(rt, data_dir)
        before = answers(rt, users, admin)
        summary = backup_while_serving(rt, data_dir, base / "backups", users[0])
    finally:
        rt.stop()
    log = rt.log()
    objects = disk_objects(data_dir)
    archive = Path(summary["archive"])
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    shutil.rmtree(data_dir)  # wipe everything: the archive is all that is left
    yield Source(archive, before, objects, users, admin, log, manifest["tables"])


def restored_runtime(data_dir: Path, env: dict[str, str]) -> RunningRuntime:
    return start_runtime(data_dir, {"TRUSTED_PROXIES": LOOPBACK_PROXIES, **env}, wait=180)


# --- the tests -------------------------------------------------------------------------------
def test_the_archive_describes_the_deployment(source: Source) -> None:
    with tarfile.open(source.archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names[0] == "database.dump" and names[-2:] == ["manifest.json", "manifest.json.sha256"]
    assert "secrets.json" in names
    assert manifest["migration_level"] >= 9 and manifest["app_version"]
    assert manifest["tables"]["users"] == 3
    assert manifest["tables"]["books"] == 6 and manifest["tables"]["images"] == 2
    assert manifest["tables"]["descriptions"] > 0 and manifest["tables"]["cast_members"] > 0
    assert manifest["tables"]["reading_positions"] == 2 and manifest["tables"]["image_quotas"] == 1
    listed = {f"{item['bucket']}/{item['key']}": item for item in manifest["objects"]}
    assert len(listed) == len(source.objects) > 0
    for item in manifest["objects"]:
        assert len(item["sha256"]) == 64 and item["size"] >= 0
    assert (source.archive.stat().st_mode & 0o777) == 0o600
    # Nothing was deleted during the backup; an upload whose file never came is not "vanished".
    assert manifest["vanished"] == []


def test_round_trip_into_a_fresh_data_directory(source: Source, tmp_path: Path) -> None:
    data_dir = tmp_path / "restored"
    restored = cli("restore", str(source.archive), env={"DATA_DIR": str(data_dir), **EMBEDDED})
    assert restored.returncode == 0, restored.stderr
    report = json.loads(restored.stdout.strip().splitlines()[-1])
    assert report["tables"] == source.tables and report["objects"] == len(source.objects)
    assert report["secrets"] is True
    assert report["redis_keys"] >= 1  # today's image-quota counter of the reader who drew two

    # Restoring again is refused now that the deployment holds data; FORCE replaces it.
    again = cli("restore", str(source.archive), env={"DATA_DIR": str(data_dir), **EMBEDDED})
    assert again.returncode == 1 and "not empty" in again.stderr and "FORCE=1" in again.stderr
    forced = cli(
        "restore", "--force", str(source.archive), env={"DATA_DIR": str(data_dir), **EMBEDDED}
    )
    assert forced.returncode == 0, forced.stderr

    # The bytes of every object, by bucket and key (a bucket's name is the template's here).
    assert disk_objects(data_dir) == source.objects
    rt = restored_runtime(data_dir, EMBEDDED)
    try:
        for user in source.users:
            sign_in(rt, user)  # the old passwords
        assert answers(rt, source.users, source.admin) == source.answers
    finally:
        rt.stop()


@pytest.fixture
def moto_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its buckets per process: start from none, whatever ran before in this worker.
    requests.post(f"{endpoint}/moto-api/reset", timeout=10).raise_for_status()
    yield endpoint
    server.stop()


def test_round_trip_into_configured_servers_and_an_s3_endpoint(
    source: Source, services, tmp_path: Path, moto_endpoint: str
) -> None:
    database_url = services.create_database()
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": services.redis_url,
        "REDIS_PREFIX": prefix,
        "AWS_ENDPOINT_URL_S3": moto_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "DATA_DIR": str(tmp_path / "data"),
    }
    try:
        restored = cli("restore", str(source.archive), env=env)
        assert restored.returncode == 0, restored.stderr
        s3 = boto3.client(
            "s3",
            endpoint_url=moto_endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        (bucket,) = [b["Name"] for b in s3.list_buckets()["Buckets"]]
        in_s3 = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
                in_s3[f"{bucket}/{item['Key']}"] = hashlib.sha256(body).hexdigest()
        assert in_s3 == source.objects

        rt = restored_runtime(tmp_path / "data", env)
        try:
            for user in source.users:
                sign_in(rt, user)
            assert answers(rt, source.users, source.admin) == source.answers
        finally:
            rt.stop()
    finally:
        services.drop_database(database_url)
        services.delete_redis_keys(prefix)


def _rewrite(archive: Path, target: Path, change) -> None:
    """Copy the archive member by member, letting `change(name, data)` alter or drop each."""
    with tarfile.open(archive) as old, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as new:
        for info in old:
            data = old.extractfile(info).read()
            data = change(info.name, data)
            if data is None:
                continue
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


def _first_object(archive: Path) -> str:
    with tarfile.open(archive) as tar:
        return next(name for name in tar.getnames() if name.startswith("objects/"))


def test_a_flipped_byte_is_refused_naming_the_object(source: Source, tmp_path: Path) -> None:
    member = _first_object(source.archive)
    key = member.split("/", 2)[2]

    def flip(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        return bytes([data[0] ^ 0x01]) + data[1:]

    damaged = tmp_path / "flipped.tar"
    _rewrite(source.archive, damaged, flip)
    data_dir = tmp_path / "target"
    refused = cli("restore", str(damaged), env={"DATA_DIR": str(data_dir), **EMBEDDED})
    assert refused.returncode == 1
    assert key in refused.stderr and "damaged" in refused.stderr, refused.stderr
    assert not (data_dir / "objects").exists() or not any((data_dir / "objects").rglob("*.webp"))


def test_a_missing_object_is_refused_naming_it(source: Source, tmp_path: Path) -> None:
    member = _first_object(source.archive)
    key = member.split("/", 2)[2]
    damaged = tmp_path / "missing.tar"
    _rewrite(source.archive, damaged, lambda name, data: None if name == member else data)
    refused = cli("restore", str(damaged), env={"DATA_DIR": str(tmp_path / "target"), **EMBEDDED})
    assert refused.returncode == 1
    assert "missing" in refused.stderr and key in refused.stderr, refused.stderr


def test_a_backup_newer_than_the_code_is_refused(source: Source, tmp_path: Path) -> None:
    def newer(name: str, data: bytes) -> bytes:
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["migration_level"] = 9999
            newer.text = json.dumps(manifest).encode()
            return newer.text
        if name == "manifest.json.sha256":
            return hashlib.sha256(newer.text).hexdigest().encode()
        return data

    damaged = tmp_path / "newer.tar"
    _rewrite(source.archive, damaged, newer)
    refused = cli("restore", str(damaged), env={"DATA_DIR": str(tmp_path / "target"), **EMBEDDED})
    assert refused.returncode == 1
    assert "migration 9999" in refused.stderr and "newer than this code" in refused.stderr


def test_the_log_of_an_embedded_deployment_is_json_lines_only(source: Source) -> None:
    """pgserver's initdb output and platformdirs' RuntimeDirWarning used to land in it."""
    lines = [line for line in source.log.splitlines() if line.strip()]
    foreign = [
        line
        for line in lines
        if not line.startswith("{") and not line.startswith("BookReader AI is running")
    ]
    assert foreign == []
    for line in lines:
        if line.startswith("{"):
            entry = json.loads(line)
            assert entry.get("logger") != "pgserver" or entry["level"] in ("warning", "error")
    assert "RuntimeDirWarning" not in source.log
    # pgserver's "Running commandline: …" and initdb's own pages of output
    assert "Running commandline" not in source.log
    assert "The files belonging to this database system" not in source.log
    assert any('"embedded postgres ready"' in line for line in lines)
