"""One object-store interface, two backends: the disk store and a real S3 endpoint (moto)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from moto.server import ThreadedMotoServer

from bookreader.errors import BookReaderError
from bookreader.storage.disk import DiskStore
from bookreader.storage.s3 import S3Store
from bookreader.storage.signing import SignedObjectRequest, verify
from local.launcher import free_port

KEY = "uploads/u1/Война и мир+том 1 (2).epub"


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["disk", "s3"])
def store(request, tmp_path: Path, monkeypatch) -> DiskStore | S3Store:
    if request.param == "disk":
        return DiskStore(tmp_path / "objects", "secret", "http://127.0.0.1:1", notify=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    return S3Store(request.getfixturevalue("moto_url"), "us-east-1")


def test_put_get_head_list_delete(store) -> None:
    store.ensure_bucket("books")
    info = store.put("books", KEY, b"epub bytes", "application/epub+zip")
    assert info.size == 10
    assert store.get("books", KEY) == b"epub bytes"
    head = store.head("books", KEY)
    assert (head.size, head.content_type, head.etag) == (10, "application/epub+zip", info.etag)
    store.put("books", "covers/a.jpg", b"jpg", "image/jpeg")
    assert [item.key for item in store.list("books", "uploads/")] == [KEY]
    store.delete("books", KEY)
    with pytest.raises(BookReaderError) as error:
        store.get("books", KEY)
    assert error.value.status == 404


def test_presigned_urls_work_against_s3_endpoint(moto_url: str, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    store = S3Store(moto_url, "us-east-1")
    store.ensure_bucket("presigned")
    upload = store.presign_put(
        "presigned", KEY, content_type="application/epub+zip", max_bytes=100, expires_in=60
    )
    assert (
        requests.put(upload.url, data=b"book", headers=upload.headers, timeout=10).status_code
        == 200
    )
    assert store.head("presigned", KEY).content_type == "application/epub+zip"
    assert (
        requests.get(store.presign_get("presigned", KEY, expires_in=60), timeout=10).content
        == b"book"
    )


def test_presigned_urls_are_signed_for_the_public_endpoint(moto_url: str, monkeypatch) -> None:
    """Self-hosted: functions reach the store internally, browsers through the public host."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    public = moto_url.replace("127.0.0.1", "localhost")
    store = S3Store(moto_url, "us-east-1", public_endpoint_url=public)
    store.ensure_bucket("public-books")
    upload = store.presign_put(
        "public-books", KEY, content_type="application/epub+zip", max_bytes=9, expires_in=60
    )
    assert upload.url.startswith(f"{public}/public-books/uploads/u1/")
    assert (
        requests.put(upload.url, data=b"book", headers=upload.headers, timeout=10).status_code
        == 200
    )
    assert store.get("public-books", KEY) == b"book"
    assert store.presign_get("public-books", KEY, expires_in=60).startswith(
        f"{public}/public-books/"
    )


@pytest.mark.parametrize("key", ["../escape.epub", "/abs.epub", "a/../../b", "a//b", ""])
def test_disk_store_rejects_traversal_keys(tmp_path: Path, key: str) -> None:
    store = DiskStore(tmp_path / "objects", "secret", "http://x", notify=False)
    store.ensure_bucket("books")
    with pytest.raises(BookReaderError) as error:
        store.put("books", key, b"x")
    assert error.value.code == "key_invalid"
    assert not (tmp_path / "escape.epub").exists()


def test_disk_signature_rejects_tampering_and_expiry() -> None:
    signed = SignedObjectRequest(
        method="PUT", bucket="b", key="k", expires=2_000_000_000, max_bytes=10
    )
    signature = signed.signature("secret")
    verify(signed, signature, "secret", now=1_000_000_000)
    bigger = signed.model_copy(update={"max_bytes": 10_000})
    with pytest.raises(BookReaderError, match="does not match"):
        verify(bigger, signature, "secret", now=1_000_000_000)
    with pytest.raises(BookReaderError, match="expired"):
        verify(signed, signature, "secret", now=2_000_000_001)


def test_s3_upload_url_is_write_once_and_get_url_forces_safe_headers(
    moto_url: str, monkeypatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    store = S3Store(moto_url, "us-east-1")
    store.ensure_bucket("once")
    upload = store.presign_put(
        "once", KEY, content_type="application/epub+zip", max_bytes=100, expires_in=60
    )
    assert upload.headers["If-None-Match"] == "*"
    first = requests.put(upload.url, data=b"book", headers=upload.headers, timeout=10)
    assert first.status_code == 200
    replay = requests.put(upload.url, data=b"evil", headers=upload.headers, timeout=10)
    assert replay.status_code == 412, replay.text  # S3's answer to a failed conditional write
    assert store.get("once", KEY) == b"book"
    # (moto does not verify signatures; on S3 the URL also requires the signed header.)

    url = store.presign_get(
        "once", KEY, expires_in=60, content_type="image/png", disposition="attachment"
    )
    fetched = requests.get(url, timeout=10)
    assert fetched.headers["Content-Type"] == "image/png"
    assert fetched.headers["Content-Disposition"] == "attachment"
    assert fetched.headers["Cache-Control"] == "private, max-age=60"
